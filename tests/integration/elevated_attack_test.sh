#!/bin/bash
# elevated_attack_test — attacks on the setuid runner by a member of the group
# (the review of the runner, H/M/L findings), in the world of elevated_world.sh.
# Each section names the finding; each fails on the runner before its fix.
#
# Args: ringfence_testbuild  ringfence-runner_testbuild  ringfence-grant_testbuild
#       runner_orphan_probe  swap_loop  denybin-stub...
# Needs root.
set -u

RF_SRC="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
RUNNER_SRC="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
GRANT_SRC="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
PROBE="$(cd "$(dirname "$4")" && pwd)/$(basename "$4")"
SWAP="$(cd "$(dirname "$5")" && pwd)/$(basename "$5")"
shift 5
STUBS=("$@")
# shellcheck source=elevated_world.sh
. "$(dirname "$0")/elevated_world.sh"

WS="$W/ws"
mkdir -p "$WS" && chown "$ME:$ME" "$WS" && grant "$WS"

req_tmpl() { # workspace argv-json [tmp_private]: a request whose parent_pid is %d
    printf '{"format":1,"parent_pid":%%d,"argv":%s,"env":["PATH=/usr/bin:/bin"],"cwd":"/","network":false,' "$2"
    printf '"tmp_private":%s,"tty":false,"workspace":"%s","writable_roots":[],"protected":[],"deny_read":[]}' \
        "${3:-true}" "$1"
}

frame() { # json: the 4-byte length (little-endian) and the bytes
    local n=${#1}
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((n & 255)) $(((n >> 8) & 255)) $(((n >> 16) & 255)) \
        $(((n >> 24) & 255)))%s" "$1"
}
direct() { # user json: runs the runner alone, its control channel open until it ends;
    # sets $direct_status and $direct_report (its messages)
    local rep="$W/report.bin" ctl="$W/control.fifo" repf="$W/report.fifo"
    rm -f "$ctl" "$repf" && mkfifo -m 0600 "$ctl" "$repf"
    cat "$repf" >"$rep" &
    local reader=$!
    # exec: the runner is this shell's child (the request names $$ as its parent).
    # stdin: fd $direct_in_fd when set, else /dev/null.
    [ -n "${direct_in_fd:-}" ] || exec 9</dev/null
    # $direct_limit: a command prefix that sets the caller's limits (prlimit ... --).
    (exec setpriv --reuid="$(uid "$1")" --regid="$(gid "$1")" --init-groups -- env -i PATH=/usr/bin:/bin \
        ${direct_limit:-} "$RUNNER" 0<&"${direct_in_fd:-9}" 3<"$ctl" 4>"$repf" >/dev/null 2>&1) &
    local runner=$!
    exec 7>"$ctl"
    frame "$2" >&7
    wait "$runner"
    direct_status=$?
    exec 7>&-
    wait "$reader"
    direct_report="$(tr -d '\0' <"$rep" 2>/dev/null | tr -cd '[:print:]')"
}
request() { # workspace argv-json [tmp_private]: a request whose parent is this shell
    req_tmpl "$@" | sed "s/%d/$$/"
}

# Another member's granted workspace, closed to the caller itself.
THEIRS="$W/theirs"
mkdir -p "$THEIRS" && chown "$OTHER:$OTHER" "$THEIRS" && chmod 0700 "$THEIRS" && grant "$THEIRS"

# ---- H1: a swap after the runner's check never carries the mounts elsewhere ----------
# The caller's workspace under /tmp (private /tmp: the root is cloned and put back)
# is exchanged, again and again, with a symlink to the other member's workspace.
TA="/tmp/rftest$$-h1"
trap 'cleanup; rm -rf "$TA"' EXIT
mkdir -p "$TA/ws" && ln -s "$THEIRS" "$TA/sym" && chown -R -h "$ME:$ME" "$TA" && grant "$TA/ws"
cp "$SWAP" "$BIN/swap_loop" && chmod 0755 "$BIN/swap_loop"
as_user "$ME" "$BIN/swap_loop" "$TA/ws" "$TA/sym" 10 &
swapper=$!
while kill -0 "$swapper" 2>/dev/null; do
    direct "$ME" "$(request "$TA/ws" "[\"sh\",\"-c\",\"echo x > $TA/ws/h1-\$\$\"]")"
    [ -n "${RF_DEBUG:-}" ] && echo "h1: $direct_status $direct_report" >&2
    ls "$THEIRS" | grep -q h1- && break
done
wait "$swapper"
expect_eq "$?" 0 "H1: the swapper ran"
expect_eq "$(ls "$THEIRS")" "" "H1: a workspace swapped for a symlink after the check: the other member's is not written"
rm -rf "$TA" && mkdir -p "$TA/ws" && chown -R "$ME:$ME" "$TA" && grant "$TA/ws"
direct "$ME" "$(request "$TA/ws" "[\"sh\",\"-c\",\"echo ok > $TA/ws/ok\"]")"
expect_eq "$direct_status:$(cat "$TA/ws/ok" 2>/dev/null)" "0:ok" "H1: unswapped, the root under the private /tmp is written"
rm -rf "$TA"

# ---- H2: a run never outlives its runner ---------------------------------------------
# The init is stopped (here by root, standing for anything that delays it) before it
# arms its parent-death signal; the runner releases it and is killed; the init goes on.
out="$("$PROBE" "$RUNNER" "$(uid "$ME")" "$(gid "$ME")" "$(req_tmpl "$WS" '["sleep","7"]')" 60 2>&1)"
expect_eq "$out" "none" "H2: an init whose runner died before it armed the parent-death signal does not go on"

# ---- M1: /tmp and /dev/shm are private to every run, whatever the request says ------
TM="/tmp/rftest$$-m1" SM="/dev/shm/rftest$$-m1"
trap 'cleanup; rm -rf "$TA" "$TM" "$SM"' EXIT
mkdir -p "$TM" "$SM" && chown "$OTHER:$OTHER" "$TM" "$SM" && chmod 0700 "$TM" "$SM" && grant "$TM" && grant "$SM"
direct "$ME" "$(request "$WS" "[\"sh\",\"-c\",\"echo x > $TM/m1; echo x > $SM/m1\"]" false)"
expect_eq "$(ls "$TM" "$SM")" "$(printf '%s:\n\n%s:' "$SM" "$TM")" \
    "M1: tmp shared requested: another member's granted folders in the host's /tmp and /dev/shm are not written"
out="$(as_user "$ME" "$BIN/ringfence" status 2>&1)"
expect_contains "$out" "private /tmp and /dev/shm always" "M1: status says /tmp is always private under elevated"
# L7: the status says what the shared sandbox users mean for writes.
expect_contains "$out" "every member's granted workspaces" "L7: status says the ACLs grant every member's workspaces"

# ---- L4: a command not handed the terminal has no controlling terminal -------------
# stdin from /dev/null (so tty: false) in a session whose terminal is script's pty.
rf_cmd="cd $WS && $BIN/ringfence run --backend elevated --workspace $WS"
out="$(as_user "$ME" script -qec "$rf_cmd -- sh -c '(exec 3<>/dev/tty) 2>/dev/null && echo TTY_OPENED || echo NO_TTY' </dev/null" \
    /dev/null </dev/null 2>&1)"
expect_contains "$out" "NO_TTY" "L4: without the terminal handed over, /dev/tty cannot be opened"
out="$(as_user "$ME" script -qec "$rf_cmd -- sh -c 'test -t 0 && echo TTY_OK'" /dev/null </dev/null 2>&1)"
expect_contains "$out" "TTY_OK" "L4: handed the terminal, the command still has it"

# ---- L5: offline, a network socket as stdio is refused -----------------------------
direct_stdin_udp() { # json: the runner with a connected UDP socket as its stdin
    exec 8<>/dev/udp/127.0.0.1/9
    direct_in_fd=8 direct "$ME" "$1"
    exec 8<&-
}
direct_stdin_udp "$(request "$WS" '["true"]')"
expect_contains "$direct_report" "network socket" "L5: offline, a UDP socket as stdin is refused"
direct "$ME" "$(request "$WS" '["true"]')"
expect_eq "$direct_status" 0 "L5: offline, ordinary stdio runs"

# ---- L3: no root-privileged existence oracle through deny_read ---------------------
# A file in a folder closed to the caller: the run's view must not show whether it exists.
PRIV="$W/l3priv"
mkdir -p "$PRIV" && touch "$PRIV/there" && chown -R "$OTHER:$OTHER" "$PRIV" && chmod 0700 "$PRIV"
rm -f "$WS/l3.txt"
direct "$ME" "$(request "$WS" "[\"sh\",\"-c\",\"grep -c l3priv /proc/self/mountinfo > $WS/l3.txt\"]" |
    sed "s|\"deny_read\":\[\]|\"deny_read\":[\"$PRIV/there\",\"$PRIV/absent\"]|")"
expect_eq "$direct_status:$(cat "$WS/l3.txt" 2>/dev/null)" "0:0" \
    "L3: a deny_read path the caller cannot reach gets no mount (its existence stays hidden)"

# ---- L2: the caller's limits do not reach the root phase, but reach the command ------
rm -f "$WS/l2.txt"
direct_in_fd="" direct_limit="prlimit --nofile=11: --" direct "$ME" \
    "$(request "$WS" "[\"sh\",\"-c\",\"ulimit -n > $WS/l2.txt\"]")"
expect_eq "$direct_status:$(cat "$WS/l2.txt" 2>/dev/null)" "0:11" \
    "L2: with a soft RLIMIT_NOFILE of 11 the root phase still runs; the command gets the caller's 11"

# ---- M3: the caller cannot stop or signal the root-phase runner and the init ----------
children() { local c; c="$(cat "/proc/$1/task/$1/children" 2>/dev/null)"; echo ${c%% *}; }
m3="99${$}3"
(cd "$WS" && as_user "$ME" "$BIN/ringfence" run --backend elevated --workspace "$WS" -- sleep "$m3") >/dev/null 2>&1 &
bg=$!
cli="" runner="" init=""
for _ in $(seq 50); do
    for f in /proc/[0-9]*/cmdline; do
        p="${f#/proc/}" && p="${p%/cmdline}"
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = ringfence ] && tr '\0' ' ' <"$f" 2>/dev/null | grep -q "sleep $m3" && cli="$p"
    done
    [ -n "$cli" ] && runner="$(children "$cli")"
    [ -n "$runner" ] && init="$(children "$runner")"
    [ -n "$init" ] && [ -n "$(children "$init")" ] && break
    sleep 0.1
done
expect_eq "$([ -n "$init" ] && echo found || echo missing)" found "M3: the run started (cli $cli, runner $runner, init $init)"
for target in "runner:$runner" "init:$init"; do
    as_user "$ME" kill -STOP "${target#*:}" 2>/dev/null
    expect_eq "$?" 1 "M3: the caller cannot stop the ${target%%:*} (pid ${target#*:})"
    expect_lacks "$(grep State: "/proc/${target#*:}/status" 2>/dev/null)" "stopped" "M3: the ${target%%:*} runs on"
done
[ -n "$cli" ] && kill -TERM "$cli"
wait "$bg"
expect_eq "$?" 143 "M3: SIGTERM to the CLI still reaches the command (control channel): 128+15"

echo "elevated_attack_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
