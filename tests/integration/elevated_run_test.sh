#!/bin/bash
# elevated_run_test — `ringfence run --backend elevated` in a test world built
# here: a group and sandbox users named rftest<pid>*, the test build of the
# runner installed setuid root:GROUP 4750 in a temporary folder with its
# setup.json beside it, a workspace granted by ACL, and a caller that is a
# member of the group.  Everything is removed on exit, also on failure.
#
# Args: ringfence_testbuild  ringfence-runner_testbuild  ringfence-grant_testbuild
#       ringfence-setup_testbuild  denybin-stub...
# Needs root (CI runs it as root); as another user it prints SKIP and exits 0.
set -u

RF_SRC="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
RUNNER_SRC="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
GRANT_SRC="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
SETUP_SRC="$(cd "$(dirname "$4")" && pwd)/$(basename "$4")"
shift 4
STUBS=("$@")
# shellcheck source=elevated_world.sh
. "$(dirname "$0")/elevated_world.sh"


# The caller's places: a granted workspace, an extra granted root, an
# ungranted folder, a world-writable folder outside (only the sandbox's
# layers keep the sandbox user out of it), a world-readable secret.
WS="$W/ws" EXTRA="$W/extra" NOGRANT="$W/nogrant" OUT="$W/outside" SECRET="$W/secret"
mkdir -p "$WS/.git" "$EXTRA" "$NOGRANT" "$OUT" "$SECRET"
echo "[core]" >"$WS/.git/config"
echo "top secret 4711" >"$SECRET/key"
chown -R "$ME:$ME" "$WS" "$EXTRA" "$NOGRANT" "$OUT" "$SECRET"
chmod 0777 "$OUT"
chmod 0755 "$SECRET" && chmod 0644 "$SECRET/key"
chmod -R a+rwX "$WS/.git"
# The workspace and the extra root are granted by the first run (ringfence-grant).
# Someone else's granted workspace.
THEIRS="$W/theirs"
mkdir -p "$THEIRS/.git" && chown -R "$OTHER:$OTHER" "$THEIRS" && grant "$THEIRS"
cat >"$W/policy.json" <<EOF
{"version": 1, "protected": [".git"], "deny_read": ["$SECRET"], "writable_roots": ["$EXTRA"]}
EOF
chmod 0644 "$W/policy.json"

rf_as() { # user [run options...] -- cmd
    local u="$1"
    shift
    (cd "$WS" && as_user "$u" "$BIN/ringfence" run --backend elevated --workspace "$WS" --policy "$W/policy.json" "$@")
}
rf() { rf_as "$ME" "$@"; }

# ---- status ----------------------------------------------------------------------
status_out="$(as_user "$ME" "$BIN/ringfence" status 2>&1)"
expect_contains "$status_out" "elevated     yes        enforced      enforced      enforced      enforced      enforced" \
    "status: elevated available with every guarantee enforced"
expect_contains "$status_out" "nftables: table inet $tag" "status: network why names the nftables table"
echo "--- ringfence status (elevated), as a member:"
echo "$status_out" | sed -n '/^elevated:/,/^$/p'
status_other="$(as_user "$OTHER" "$BIN/ringfence" status 2>&1)"
expect_contains "$status_other" "you are not in the group $GRP" "status: a non-member sees why it is unavailable"

# ---- the first run grants the workspace (ringfence-grant), later runs do not ------------
out="$(rf -- true 2>&1)"
expect_eq "$?" 0 "the first run in a workspace succeeds"
expect_contains "$out" "first elevated run in $WS: granting it" "the first run says, in one line, that it grants"
expect_eq "$(getfacl -cp "$WS" 2>/dev/null | grep -c "^user:$OFF:rwx\|^user:$ON:rwx")" 2 \
    "the workspace carries rwx entries for both sandbox users"
expect_eq "$(getfacl -cp "$EXTRA" 2>/dev/null | grep -c "^user:$OFF:rwx\|^user:$ON:rwx")" 2 \
    "the extra writable root of the policy is granted too"
out="$(rf -- true 2>&1)"
expect_eq "$out" "" "the second run grants nothing and says nothing"

# ---- identity and files ------------------------------------------------------------
out="$(rf -- id -u 2>&1)"
expect_eq "$out" "$(uid "$OFF")" "network off: the command runs as the offline sandbox user"
out="$(rf --network on -- id -u 2>&1)"
expect_eq "$out" "$(uid "$ON")" "network on: the command runs as the online sandbox user"
out="$(cd "$WS" && as_user "$ME" "$BIN/ringfence" run --workspace "$WS" --policy "$W/policy.json" -- id -u 2>&1)"
expect_eq "$out" "$(uid "$OFF")" "--backend auto prefers elevated once it is set up"
mkdir -p "$W/other-state" && chown "$OTHER" "$W/other-state"
out="$(cd "$THEIRS" && as_user "$OTHER" env XDG_STATE_HOME="$W/other-state" "$BIN/ringfence" run \
    --workspace "$THEIRS" -- id -u 2>&1)"
expect_eq "$out" "$(uid "$OTHER")" "--backend auto falls back to unelevated for a non-member"
out="$(rf -- sh -c 'id -G' 2>&1)"
expect_eq "$out" "$(gid "$OFF")" "no supplementary group: only the sandbox user's own group"

out="$(rf -- sh -c 'ls /proc/self/fd | tr "\n" " "' 2>&1)"
expect_eq "$out" "0 1 2 3 " "the command inherits stdio only (3 is ls's own directory)"
status="$(rf -- cat /proc/self/status 2>&1)"
for line in "CapEff:	0000000000000000" "CapPrm:	0000000000000000" "CapBnd:	0000000000000000" \
    "CapAmb:	0000000000000000" "NoNewPrivs:	1" "Seccomp:	2"; do
    expect_contains "$status" "$line" "the command's status shows '$line'"
done
expect_contains "$status" "Uid:	$(uid "$OFF")	$(uid "$OFF")	$(uid "$OFF")	$(uid "$OFF")" \
    "real, effective, saved and filesystem uid are all the sandbox user's"

rf -- sh -c "echo inside > $WS/made.txt" >/dev/null 2>&1
expect_eq "$?" 0 "a write inside the workspace succeeds"
expect_eq "$(cat "$WS/made.txt" 2>/dev/null)" "inside" "the file written inside is there"
expect_eq "$(stat -c %U "$WS/made.txt" 2>/dev/null)" "$OFF" "files written inside belong to the sandbox user"
rf -- sh -c "echo more >> $WS/made.txt && echo x > $EXTRA/extra.txt" >/dev/null 2>&1
expect_eq "$?" 0 "appending inside and writing the extra writable root succeed"
rf -- sh -c "echo out > $OUT/escaped.txt" >/dev/null 2>&1
expect_eq "$([ -e "$OUT/escaped.txt" ] && echo written || echo absent)" "absent" \
    "a write to a world-writable folder outside is refused"
rf -- sh -c "echo evil >> $WS/.git/config" >/dev/null 2>&1
expect_eq "$(cat "$WS/.git/config")" "[core]" ".git/config stays unchanged (protected, even though mode 666)"
rf -- sh -c "mkdir -p $EXTRA/.git/hooks && echo x > $EXTRA/.git/hooks/pre-commit" >/dev/null 2>&1
expect_eq "$([ -e "$EXTRA/.git/hooks/pre-commit" ] && echo created || echo absent)" "absent" \
    "an absent .git cannot be created in a writable root (placeholder)"
out="$(rf -- cat "$SECRET/key" 2>&1)"
expect_lacks "$out" "4711" "the deny_read secret is unreadable (world-readable on disk)"
out="$(rf -- sh -c 'echo $HOME:$LD_PRELOAD:${GCONV_PATH-unset}' 2>&1)"
expect_eq "$out" "$HOMEDIR::unset" "HOME stays the real user's; loader variables are dropped"
rf -- sh -c "echo private > /tmp/rf-elevated-$$.txt" >/dev/null 2>&1
expect_eq "$([ -e "/tmp/rf-elevated-$$.txt" ] && echo host || echo private)" "private" "tmp private: /tmp is the run's own"
cat >"$W/policy-shared-tmp.json" <<EOF
{"version": 1, "protected": [".git"], "tmp": "shared"}
EOF
chmod 0644 "$W/policy-shared-tmp.json"
(cd "$WS" && as_user "$ME" "$BIN/ringfence" run --backend elevated --workspace "$WS" --policy "$W/policy-shared-tmp.json" \
    -- sh -c "echo shared > /tmp/rf-elevated-$$.txt") >/dev/null 2>&1
expect_eq "$([ -e "/tmp/rf-elevated-$$.txt" ] && echo host || echo private)" "private" \
    "tmp shared is ignored under elevated: /tmp stays the run's own (the sandbox users are shared)"
rm -f "/tmp/rf-elevated-$$.txt"
mounts_before="$(wc -l </proc/self/mountinfo)"
rf -- true >/dev/null 2>&1
expect_eq "$(wc -l </proc/self/mountinfo)" "$mounts_before" "the run's mounts never reach the host"

# ---- git in the caller's repository, as the sandbox user ----------------------------
REPO="$W/repo"
mkdir -p "$REPO" && chown "$ME:$ME" "$REPO"
as_user "$ME" git -C "$REPO" init -q && as_user "$ME" sh -c "echo a > $REPO/a.txt"
grant "$REPO"
out="$(cd "$REPO" && as_user "$ME" "$BIN/ringfence" run --backend elevated --workspace "$REPO" -- git status --porcelain 2>&1)"
expect_eq "$?" 0 "git status works in the caller's repository (owned by another uid than the command's)"
expect_contains "$out" "a.txt" "git status lists the untracked file"

# ---- the terminal -------------------------------------------------------------------
rf_cmd="cd $WS && $BIN/ringfence run --backend elevated --workspace $WS --policy $W/policy.json"
out="$(as_user "$ME" script -qec "$rf_cmd -- sh -c 'test -t 0 && test -t 1 && echo TTY_OK'" /dev/null </dev/null 2>&1)"
expect_contains "$out" "TTY_OK" "the command gets the terminal as stdin and stdout"
out="$(printf 'echo hello-$((40+2))\nexit 3\n' | as_user "$ME" script -qec "$rf_cmd -- sh -i" /dev/null 2>&1)"
code=$?
expect_contains "$out" "hello-42" "an interactive shell reads the terminal (it is the foreground group)"
expect_eq "$code" 3 "the interactive shell's exit status passes through"

# ---- another member's home, readable by the shared sandbox users through its grants --
OTHER_HOME="/home/$OTHER"
mkdir -p "$OTHER_HOME" && echo "their code 5150" >"$OTHER_HOME/main.c"
chown -R "$OTHER:$OTHER" "$OTHER_HOME" && chmod 0700 "$OTHER_HOME"
setfacl -m "u:$OFF:r-x,u:$ON:r-x" "$OTHER_HOME" && setfacl -m "u:$OFF:r--,u:$ON:r--" "$OTHER_HOME/main.c"
raw="$(setpriv --reuid="$(uid "$OFF")" --regid="$(gid "$OFF")" --clear-groups cat "$OTHER_HOME/main.c" 2>&1)"
expect_contains "$raw" "5150" "(the grant entries let the sandbox user read it outside a run)"
out="$(rf -- cat "$OTHER_HOME/main.c" 2>&1)"
expect_lacks "$out" "5150" "a run cannot read another user's home through the shared sandbox users"
chmod 0755 "$OTHER_HOME"
out="$(rf -- cat "$OTHER_HOME/main.c" 2>&1)"
expect_contains "$out" "5150" "a home open to everyone (o+x, like /home/linuxbrew) stays visible"
rm -rf "$OTHER_HOME"

# ---- exit codes --------------------------------------------------------------------
while IFS='|' read -r want reason cmd; do
    [ -z "$want" ] && continue
    eval "rf $cmd" >/dev/null 2>&1
    expect_eq "$?" "$want" "$reason"
done <<EOF
0|success is 0|-- true
3|the command's exit status passes through|-- sh -c 'exit 3'
143|killed by SIGTERM is 128+15|-- sh -c 'kill -TERM \$\$'
137|killed by SIGKILL is 128+9|-- sh -c 'kill -KILL \$\$'
124|a timeout is 124|--timeout 1 -- sleep 30
127|a command that is not found is 127|-- ringfence-no-such-command-xyz
EOF

# ---- refusals ----------------------------------------------------------------------
out="$(rf_as "$OTHER" -- true 2>&1)"
expect_eq "$?" 125 "a non-member cannot use the elevated backend"
expect_contains "$out" "not in the group" "the non-member is told why"
out="$(cd "$THEIRS" && as_user "$ME" "$BIN/ringfence" run --backend elevated --policy "$W/policy.json" --workspace "$THEIRS" -- true 2>&1)"
expect_eq "$?" 125 "a workspace owned by someone else is refused"
expect_contains "$out" "not by you" "the refusal says whose it is"
# An ungranted workspace run by the runner alone (no CLI to grant it first) is refused.
setfacl -b "$NOGRANT"

# ---- the runner on its own (its checks do not rely on the CLI's) -----------------
frame() { # json: the 4-byte length (little-endian) and the bytes
    local n=${#1}
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((n & 255)) $(((n >> 8) & 255)) $(((n >> 16) & 255)) \
        $(((n >> 24) & 255)))%s" "$1"
}
request() { # parent workspace [extra key-values]
    printf '{"format":1,"parent_pid":%s,"argv":["true"],"env":[],"cwd":"/","network":false,' "$1"
    printf '"tmp_private":true,"tty":false,"workspace":"%s","writable_roots":[],"protected":[],' "$2"
    printf '"deny_read":[]%s}' "${3:-}"
}
direct() { # user runner json: sets $direct_status and $direct_report (the message)
    local rep="$W/report.bin"
    as_user "$1" "$2" 3< <(frame "$3") 4> >(cat >"$rep") >/dev/null 2>&1
    direct_status=$?
    wait $! # the report's reader (bash >= 5.1 sets $! to the last process substitution)
    direct_report="$(tail -c +9 "$rep" 2>/dev/null | tr -d '\0')"
}
direct "$ME" "$RUNNER" "$(request $$ "$WS" ',"extra":1')"
expect_eq "$direct_status" 125 "runner: a request with an unknown key fails"
expect_contains "$direct_report" '"extra": unknown key' "runner: the report names the unknown key"
direct "$ME" "$RUNNER" "$(request 1 "$WS")"
expect_contains "$direct_report" "the CLI (pid 1) is gone" "runner: a request naming another parent is refused"
direct "$ME" "$RUNNER" '{"format":1'
expect_contains "$direct_report" "not a JSON object" "runner: a truncated request is refused"
direct "$ME" "$RUNNER" "$(request $$ "$THEIRS")"
expect_contains "$direct_report" "not by you" "runner: someone else's granted workspace is refused"
# The grant check itself, case by case: what the directory carries, what the runner says.
ln -s "$WS" "$W/ws-link" && chown -h "$ME:$ME" "$W/ws-link"
HALF="$W/half" RX="$W/rx"
mkdir -p "$HALF" "$RX" && chown "$ME:$ME" "$HALF" "$RX"
setfacl -m "u:$OFF:rwx" "$HALF"
setfacl -m "u:$OFF:r-x,u:$ON:r-x" "$RX"
while IFS='|' read -r dir want reason; do
    [ -z "$dir" ] && continue
    direct "$ME" "$RUNNER" "$(request $$ "$dir")"
    expect_contains "$direct_report" "$want" "runner: $reason"
done <<EOF2
$W/ws-link|ws-link: Not a directory|a workspace given as a symlink is refused (O_NOFOLLOW)
$HALF|not granted|a workspace granted to the offline user only is refused
$RX|not granted|a workspace granted read-only is refused
$W/missing|No such file or directory|a missing workspace is refused
$NOGRANT|not granted|a workspace without any grant is refused
EOF2
# A copy any user may execute (4755): the runner's own group check, not the mode, refuses.
BIN2="$W/bin2"
mkdir -p "$BIN2" && chmod 0755 "$BIN2"
install -o root -g root -m 4755 "$RUNNER_SRC" "$BIN2/ringfence-runner"
write_record "$BIN2/setup.json" "$BIN2/ringfence-runner"
direct "$OTHER" "$BIN2/ringfence-runner" "$(request $$ "$THEIRS")"
expect_eq "$direct_status" 125 "runner: a non-member is refused even when it can execute the runner"
expect_contains "$direct_report" "not a member of the group $GRP" "runner: the non-member is told why"
# A record the caller could have written is never trusted.
BIN3="$W/bin3"
mkdir -p "$BIN3" && chmod 0755 "$BIN3"
install -o root -g root -m 4755 "$RUNNER_SRC" "$BIN3/ringfence-runner"
write_record "$BIN3/setup.json" "$BIN3/ringfence-runner"
chown "$ME" "$BIN3/setup.json"
direct "$ME" "$BIN3/ringfence-runner" "$(request $$ "$WS")"
expect_contains "$direct_report" "not owned by root" "runner: a setup record owned by the caller is refused"

# ---- the tree dies -------------------------------------------------------------------
marker_pids() { # the pids whose command line holds the marker
    for f in /proc/[0-9]*/cmdline; do
        { tr '\0' ' ' <"$f"; } 2>/dev/null | grep -q -- "$1" && { p="${f#/proc/}"; echo "${p%/cmdline}"; }
    done
}
m1="99${$}1"
rf --timeout 1 -- sh -c "sleep $m1 & sleep $m1; wait" >/dev/null 2>&1
expect_eq "$?" 124 "timeout with a background grandchild is 124"
sleep 0.3
expect_eq "$(marker_pids "sleep $m1")" "" "no process of the timed-out run is left"

with_comm() { # comm pids...: those of the pids whose command name is comm
    local c="$1"
    shift
    for p in "$@"; do [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$c" ] && echo "$p"; done
}
m2="99${$}2"
rf -- sh -c "sleep $m2 & sleep $m2; wait" >/dev/null 2>&1 &
cli=$!
for _ in $(seq 50); do [ -n "$(with_comm sleep $(marker_pids "sleep $m2"))" ] && break; sleep 0.1; done
all="$(marker_pids "sleep $m2")"
grandchildren="$(with_comm sleep $all)"
cli_pid="$(with_comm ringfence $all)"
expect_eq "$([ -n "$grandchildren" ] && [ -n "$cli_pid" ] && echo started || echo missing)" "started" \
    "the long run started (cli $cli_pid, sleeps $grandchildren)"
[ -n "$cli_pid" ] && kill -KILL $cli_pid
wait "$cli" 2>/dev/null
gone=no
for _ in $(seq 50); do
    left=""
    for p in $grandchildren; do [ -e "/proc/$p" ] && left="$left $p"; done
    [ -z "$left" ] && { gone=yes; break; }
    sleep 0.1
done
expect_eq "$gone" "yes" "killing the CLI ends the whole tree (pids $grandchildren)"

# ---- network, inside a network namespace of the test's own ------------------------
# The table the setup writes, reduced to its rule: every packet of the offline
# user's uid rejected.  Only in this namespace; the host's tables are untouched.
cat >"$W/rules.nft" <<EOF
table inet $tag {
    chain output {
        type filter hook output priority 0; policy accept;
        meta skuid $(uid "$OFF") reject
    }
}
EOF
PORT=47011
export -f as_user rf rf_as uid gid
export W WS BIN HOMEDIR ME OFF ON PORT
export PORT
net_out="$(unshare --net bash -c '
    ip link set lo up || { echo "lo-down"; exit 0; }
    nft -f "$W/rules.nft" || { echo "nft-failed"; exit 0; }
    perl -MIO::Socket::INET -e "alarm 30; my \$s = IO::Socket::INET->new(LocalAddr => q(127.0.0.1),
        LocalPort => \$ARGV[0], Listen => 16, ReuseAddr => 1) or die; while (my \$c = \$s->accept) {
        print \$c qq(hello\n); close \$c }" "$PORT" &
    listener=$!
    sleep 0.3
    probe="exec 3<>/dev/tcp/127.0.0.1/$PORT && head -1 <&3"
    echo "offline=$(rf -- bash -c "$probe" 2>/dev/null)"
    echo "online=$(rf --network on -- bash -c "$probe" 2>/dev/null)"
    echo "raw_offline=$(setpriv --reuid="$(uid "$OFF")" --regid="$(gid "$OFF")" --clear-groups bash -c "$probe" 2>/dev/null)"
    echo "raw_online=$(setpriv --reuid="$(uid "$ON")" --regid="$(gid "$ON")" --clear-groups bash -c "$probe" 2>/dev/null)"
    kill "$listener"
' 2>&1)"
echo "network outcomes: $(echo $net_out)"
expect_contains "$net_out" "online=hello" "network on: the online user reaches a loopback listener"
expect_contains "$net_out" "offline=
" "network off: the offline run cannot connect to the loopback listener"
expect_contains "$net_out" "raw_offline=
" "the firewall rule alone rejects the offline user's connection"
expect_contains "$net_out" "raw_online=hello" "the firewall rule lets the online user through"

# ---- a signal to the CLI reaches the command ------------------------------------------
m3="99${$}3"
rf -- sleep "$m3" >/dev/null 2>&1 &
bg=$!
for _ in $(seq 50); do [ -n "$(with_comm sleep $(marker_pids "sleep $m3"))" ] && break; sleep 0.1; done
cli_pid="$(with_comm ringfence $(marker_pids "sleep $m3"))"
[ -n "$cli_pid" ] && kill -TERM $cli_pid
wait "$bg"
expect_eq "$?" 143 "SIGTERM to the CLI is forwarded (runner, init, command): 128+15"

# ---- network off: daemons that resolve names for anyone are out of reach --------------
# A stand-in system bus in a mount namespace of the test's own (the host's /run is
# untouched), world-writable so that only the run's mounts can keep the command out.
bus_out="$(unshare --mount --propagation private bash -c '
    mkdir -p /run/dbus && mount -t tmpfs -o mode=0755 tmpfs /run/dbus || { echo "mount-failed"; exit 0; }
    perl -MIO::Socket::UNIX -e "alarm 20; my \$s = IO::Socket::UNIX->new(Local => \$ARGV[0], Listen => 5)
        or die; chmod 0777, \$ARGV[0]; while (my \$c = \$s->accept) { close \$c }" /run/dbus/system_bus_socket &
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done
    client="perl -MIO::Socket::UNIX -e \"print IO::Socket::UNIX->new(Peer => q(/run/dbus/system_bus_socket)) ? q(connected) : q(refused)\""
    echo "bus_offline=$(rf -- sh -c "$client" 2>/dev/null)"
    echo "bus_online=$(rf --network on -- sh -c "$client" 2>/dev/null)"
    kill %1
' 2>&1)"
expect_contains "$bus_out" "bus_offline=refused" "network off: the system bus (name resolution for anyone) is covered"
expect_contains "$bus_out" "bus_online=connected" "network on: the system bus is left as it is"

# ---- the world as ringfence-setup's test build makes it, in a network namespace --------
# Its users (rftest<pid>s-offline/-online), group and nftables table; the runner
# it installs (our test build); ME added to its group.  Then runs in a fresh
# workspace (granted at the first run), and uninstall.
SP="rftest${$}s"
ROOT="$W/setuproot"
WS2="$W/ws2" H2="$W/home2"
mkdir -p "$ROOT" "$WS2" "$H2" && chown "$ME:$ME" "$WS2" "$H2"
export SP ROOT WS2 H2 SETUP_SRC RUNNER_SRC
setup_out="$(unshare --net bash -c '
    ip link set lo up || { echo "lo-down"; exit 0; }
    "$SETUP_SRC" --test-root "$ROOT" --test-prefix "$SP" --test-runner "$RUNNER_SRC" setup \
        --invoking-uid "$(uid "$ME")" >"$W/setup.out" 2>&1 || { echo "setup-failed: $(cat "$W/setup.out")"; exit 0; }
    # The runner test build trusts setup.json beside itself only.
    cp "$ROOT/etc/ringfence/setup.json" "$ROOT/usr/local/libexec/ringfence/setup.json"
    perl -MIO::Socket::INET -e "alarm 30; my \$s = IO::Socket::INET->new(LocalAddr => q(127.0.0.1),
        LocalPort => \$ARGV[0], Listen => 16, ReuseAddr => 1) or die; while (my \$c = \$s->accept) {
        print \$c qq(hello\n); close \$c }" "$PORT" &
    listener=$!
    sleep 0.3
    run2() {
        (cd "$WS2" && as_user "$ME" env HOME="$H2" XDG_STATE_HOME="$H2/state" \
            RINGFENCE_TEST_SETUP_RECORD="$ROOT/etc/ringfence/setup.json" \
            "$BIN/ringfence" run --backend elevated --workspace "$WS2" "$@")
    }
    probe="exec 3<>/dev/tcp/127.0.0.1/$PORT && head -1 <&3"
    echo "s_id=$(run2 -- id -un 2>/dev/null)"
    echo "s_offline=$(run2 -- bash -c "$probe" 2>/dev/null)"
    echo "s_online=$(run2 --network on -- bash -c "$probe" 2>/dev/null)"
    echo "s_write=$(run2 -- sh -c "echo w > $WS2/w.txt && cat $WS2/w.txt" 2>/dev/null)"
    kill "$listener"
    "$SETUP_SRC" --test-root "$ROOT" --test-prefix "$SP" uninstall >/dev/null 2>&1 && echo "s_uninstalled=yes"
' 2>&1)"
echo "setup build outcomes: $(echo $setup_out)"
expect_contains "$setup_out" "s_id=$SP-offline" "setup's world: the command runs as setup's offline user"
expect_contains "$setup_out" "s_offline=
" "setup's world: offline, the loopback listener is out of reach (setup's table)"
expect_contains "$setup_out" "s_online=hello" "setup's world: online, the listener answers"
expect_contains "$setup_out" "s_write=w" "setup's world: the first run granted the fresh workspace and wrote in it"
expect_contains "$setup_out" "s_uninstalled=yes" "setup's world: uninstall succeeds"
expect_eq "$(getent passwd "$SP-offline" "$SP-online"; getent group "$SP")" "" "setup's world: uninstall removed its users and group"

# ---- 20 concurrent runs ----------------------------------------------------------------
pids=()
for i in $(seq 20); do
    rf -- sh -c "echo $i:\$(id -u) > $WS/c$i.txt" >/dev/null 2>&1 &
    pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
expect_eq "$fails" 0 "20 concurrent runs all exit 0"
right=0
for i in $(seq 20); do [ "$(cat "$WS/c$i.txt" 2>/dev/null)" = "$i:$(uid "$OFF")" ] && right=$((right + 1)); done
expect_eq "$right" 20 "20 concurrent runs all wrote their own result"

# ---- a figure: the cost of one elevated run of `true` (printed, not asserted) --------
start=$(date +%s%N)
for _ in $(seq 10); do rf -- true >/dev/null 2>&1; done
end=$(date +%s%N)
echo "elevated: $(((end - start) / 10000000)) ms per run of true (CLI + runner + namespaces), mean of 10"
start=$(date +%s%N)
for _ in $(seq 10); do (cd "$WS" && as_user "$ME" "$BIN/ringfence" run --backend unelevated --workspace "$WS" \
    --policy "$W/policy.json" -- true >/dev/null 2>&1); done
end=$(date +%s%N)
echo "unelevated, same harness: $(((end - start) / 10000000)) ms per run of true, mean of 10"

echo "elevated_run_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
