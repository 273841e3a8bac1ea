#!/bin/sh
# setup_test.sh — ringfence-setup end to end, as root, in a network namespace
# of its own (the host's nftables ruleset is never touched), with users and
# groups named rftest<pid>* and every path under a temporary folder.
#
# usage: setup_test.sh CLI_TESTBUILD SETUP_TESTBUILD TRAFFIC_CHECK RUNNER_STANDIN
#
# Asserts: setup -> check all ok -> uninstall leaves /etc/passwd, /etc/group,
# /etc/shadow, /etc/gshadow and the namespace's `nft list tables` byte-identical;
# check reports `changed` after tampering with the table or the runner, and
# setup repairs it; the offline user's traffic is rejected fast; a setup
# killed after any step, or at a random moment, ends complete on re-run.
set -u

if [ "$(id -u)" != 0 ]; then
    echo "SKIP: setup_test needs root"
    exit 0
fi
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
if [ -z "${RF_SETUP_TEST_IN_NETNS:-}" ]; then
    # Re-run this script inside a new network namespace; it dies with us.
    RF_SETUP_TEST_IN_NETNS=1 exec unshare --net sh "$(abs "$0")" "$(abs "$1")" "$(abs "$2")" \
        "$(abs "$3")" "$(abs "$4")"
fi
CLI=$1 SETUP=$2 TRAFFIC=$3 STANDIN=$4
ip link set lo up || { echo "FAIL: cannot bring up lo in the test namespace"; exit 1; }

P=rftest$$
T=$(mktemp -d /tmp/rf-setup-test.XXXXXX)
ROOT=$T/root
mkdir "$ROOT"
cleanup() {
    for u in "$P-offline" "$P-online"; do
        id "$u" >/dev/null 2>&1 && userdel "$u" 2>/dev/null
    done
    getent group "$P" >/dev/null && groupdel "$P"
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

failures=0 passes=0
pass() { passes=$((passes + 1)); }
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }
expect() { # expect WHAT CONDITION-EXIT-STATUS
    if [ "$2" = 0 ]; then pass; else fail "$1"; fi
}

TESTOPTS="--test-root $ROOT --test-prefix $P"
setup() {
    "$SETUP" $TESTOPTS --test-runner "$STANDIN" setup --proxy-port 3128 --invoking-uid 65534
}
check() { "$SETUP" $TESTOPTS setup --check --invoking-uid 65534; }
uninstall() { "$SETUP" $TESTOPTS uninstall; }
state_of() { # state_of ITEM: the state check reports for that item
    check | awk -v item="$1" '$1 == item { print $2; exit }'
}

# Other tests on this machine may add their own rftest* accounts meanwhile:
# their lines are left out; every other line, ours included, must match.
snapshot() {
    mkdir -p "$T/$1"
    for f in passwd group shadow gshadow; do
        grep -v "^rftest" "/etc/$f" > "$T/$1/$f"
        grep "^$P[:-]" "/etc/$f" >> "$T/$1/$f"
    done
    nft list tables > "$T/$1/tables"
}
snapshot before

# --- the CLI hands over to ringfence-setup, and only as root -----------------
out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$CLI" setup 2>&1)
expect "CLI setup as nobody must fail and say to run as root: $out" \
    "$(echo "$out" | grep -q 'run it as root' && echo 0)"
out=$("$CLI" setup $TESTOPTS --check 2>&1)
expect "CLI setup --check before setup reports the record missing: $out" \
    "$(echo "$out" | grep -q '^record *missing' && echo 0)"

# A copy of the CLI beside a ringfence-setup that another user owns (or that
# anyone may write): the CLI run as root must refuse to run it.
mkdir -p "$T/tree/backends/linux/elevated"
cp "$CLI" "$T/tree/ringfence_testbuild"
cp "$SETUP" "$T/tree/backends/linux/elevated/ringfence-setup_testbuild"
for how in "chown 65534" "chmod 0757"; do
    f=$T/tree/backends/linux/elevated/ringfence-setup_testbuild
    chown 0 "$f" && chmod 0755 "$f" && $how "$f"
    out=$("$T/tree/ringfence_testbuild" setup $TESTOPTS --check 2>&1); rc=$?
    expect "the CLI as root must refuse to run a ringfence-setup after '$how' (rc $rc): $out" \
        "$([ $rc != 0 ] && echo "$out" | grep -q 'refusing to run' && echo 0)"
done
chown 0 "$f" && chmod 0755 "$f"
out=$("$T/tree/ringfence_testbuild" setup $TESTOPTS --check 2>&1)
expect "the CLI copy runs a root-owned ringfence-setup beside it: $out" \
    "$(echo "$out" | grep -q '^record *missing' && echo 0)"

# --- refusals: names and tables that are not ours ----------------------------
nft add table inet "$P"
out=$(setup 2>&1); rc=$?
expect "setup must refuse a table of our name without our comment (rc $rc): $out" \
    "$([ $rc != 0 ] && echo "$out" | grep -q 'not made by ringfence-setup' && echo 0)"
nft list table inet "$P" >/dev/null 2>&1
expect "the foreign table must be left in place" $?
nft delete table inet "$P"
uninstall >/dev/null 2>&1
groupadd --system "$P"
out=$(setup 2>&1); rc=$?
expect "setup must refuse to adopt a group it did not create (rc $rc): $out" \
    "$([ $rc != 0 ] && echo "$out" | grep -q 'not made by ringfence setup' && echo 0)"
groupdel "$P"

# --- setup, check, traffic ------------------------------------------------------
setup >"$T/setup.out" 2>&1
expect "setup: $(cat "$T/setup.out")" $?
out=$(check); rc=$?
expect "check after setup must be all ok (rc $rc):
$out" "$([ $rc = 0 ] && [ "$(echo "$out" | grep -c ' ok ')" = 8 ] && echo 0)"
expect "the CLI test build runs the same check" "$("$CLI" setup $TESTOPTS --check \
    >/dev/null 2>&1; echo $?)"
grep -q '"complete":	true' "$ROOT/etc/ringfence/setup.json"
expect "the record says complete" $?
expect "nobody was added to the group" "$(getent group "$P" | grep -q nobody; echo $?)"
expect "sandbox users are not in the sandbox group" \
    "$(id -nG "$P-offline" "$P-online" | tr ' ' '\n' | grep -qx "$P" && echo 1 || echo 0)"
runner=$ROOT/usr/local/libexec/ringfence/ringfence-runner
expect "runner is 4750 root:$P" "$([ "$(stat -c '%a %U %G' "$runner")" = "4750 root $P" ] \
    && echo 0)"
# A veth pair inside the test namespace (nothing answers on it) gives
# non-loopback destinations in documentation ranges; removed before setup runs
# again (the test build refuses to touch nftables beside any interface but lo).
ip link add rftd0 type veth peer name rftd1 && ip link set rftd0 up &&
    ip link set rftd1 up && ip addr add 192.0.2.1/24 dev rftd0 &&
    ip addr add 2001:db8::1/64 dev rftd0 nodad
expect "creating a veth pair in the test namespace" $?
"$TRAFFIC" "$(id -u "$P-offline")" "$(id -u "$P-online")" 3128 192.0.2.2 2001:db8::2
expect "traffic check" $?
ip link del rftd0

# --- tampering is reported as changed and repaired ------------------------------
nft insert rule inet "$P" output accept
expect "check reports the tampered table as changed" "$([ "$(state_of table)" = changed ] \
    && echo 0)"
setup >/dev/null 2>&1 && [ "$(state_of table)" = ok ]
expect "setup repairs the table" $?
nft delete table inet "$P"
expect "check reports a deleted table as missing" "$([ "$(state_of table)" = missing ] \
    && echo 0)"
"$SETUP" $TESTOPTS restore-firewall >/dev/null && [ "$(state_of table)" = ok ]
expect "restore-firewall re-creates the recorded table" $?
state_snapshot() { # everything check could change, in one text
    find "$ROOT" -printf '%p %m %u %g %s %T@\n' | sort
    nft list ruleset
    grep "^$P" /etc/passwd /etc/group /etc/shadow /etc/gshadow
}
nft insert rule inet "$P" output accept
state_snapshot > "$T/state.before"
check > /dev/null
check > /dev/null
state_snapshot > "$T/state.after"
cmp -s "$T/state.before" "$T/state.after"
expect "check changes nothing (tampered table left as it is): $(diff "$T/state.before" \
    "$T/state.after")" $?
setup >/dev/null 2>&1
"$SETUP" $TESTOPTS --test-runner "$STANDIN" setup --invoking-uid 65534 >/dev/null 2>&1 &&
    nft list table inet "$P" | grep -q 'tcp dport 3128 accept'
expect "setup without --proxy-port keeps the recorded proxy ports" $?
out=$(env -u SUDO_UID "$SETUP" $TESTOPTS --test-runner "$STANDIN" setup 2>&1)
expect "setup with no invoking user says so: $out" \
    "$(echo "$out" | grep -q 'no invoking user' && echo 0)"
printf 'x' >> "$runner"
expect "check reports the tampered runner as changed" "$([ "$(state_of runner)" = changed ] \
    && echo 0)"
setup >/dev/null 2>&1 && [ "$(state_of runner)" = ok ]
expect "setup repairs the runner" $?
chmod 4755 "$runner"
expect "check reports a runner executable by all as changed" \
    "$([ "$(state_of runner)" = changed ] && echo 0)"
setup >/dev/null 2>&1 && [ "$(state_of runner)" = ok ]
expect "setup repairs the runner's mode" $?
usermod --shell /bin/sh "$P-online"
expect "check reports a sandbox user with a login shell as changed" \
    "$(check | grep -q "^user *changed *$P-online: login shell" && echo 0)"
setup >/dev/null 2>&1 && check >/dev/null
expect "setup repairs the user" $?

# --- the file installed setuid root must be root's and writable by no one else --
cp "$STANDIN" "$T/foreign-runner" && printf x >> "$T/foreign-runner" # other bytes
for how in "chown 65534" "chmod 0757"; do
    chown 0 "$T/foreign-runner" && chmod 0755 "$T/foreign-runner" && $how "$T/foreign-runner"
    out=$("$SETUP" $TESTOPTS --test-runner "$T/foreign-runner" setup --invoking-uid 65534 2>&1)
    rc=$?
    expect "setup must refuse to install a runner after '$how' (rc $rc): $out" \
        "$([ $rc != 0 ] && echo "$out" | grep -q 'refusing to install' && echo 0)"
    cmp -s "$runner" "$STANDIN"
    expect "the installed runner is still the trusted one after '$how'" $?
done
setup >/dev/null 2>&1 && check >/dev/null
expect "setup with a trusted runner ends all ok again" $?

# --- an account of our name that setup did not make is neither adopted nor deleted --
free_id() { # free_id passwd|group: an id in 59000-59999 that no entry has
    i=59999
    while getent "$1" "$i" >/dev/null; do i=$((i - 1)); done
    echo "$i"
}
setup >/dev/null 2>&1
fuid=$(free_id passwd)
userdel "$P-online" && useradd --system --no-create-home --shell /bin/sh -u "$fuid" "$P-online"
expect "re-creating $P-online under uid $fuid (not the one setup made)" $?
out=$(setup 2>&1); rc=$?
expect "setup must refuse to adopt $P-online re-created under another uid (rc $rc): $out" \
    "$([ $rc != 0 ] && echo "$out" | grep -q 'records' && echo 0)"
expect "setup left the re-created user's shell alone" \
    "$([ "$(getent passwd "$P-online" | cut -d: -f7)" = /bin/sh ] && echo 0)"
out=$(uninstall 2>&1); rc=$?
expect "uninstall leaves the re-created $P-online (rc $rc): $out" \
    "$([ $rc = 0 ] && [ "$(id -u "$P-online" 2>/dev/null)" = "$fuid" ] && echo 0)"
expect "uninstall removed the offline user setup made" \
    "$(id "$P-offline" >/dev/null 2>&1 && echo 1 || echo 0)"
userdel "$P-online"
setup >/dev/null 2>&1
fgid=$(free_id group)
groupdel "$P" && groupadd --system -g "$fgid" "$P"
expect "re-creating group $P under gid $fgid" $?
out=$(uninstall 2>&1); rc=$?
expect "uninstall leaves the re-created group $P (rc $rc): $out" \
    "$([ $rc = 0 ] && [ "$(getent group "$P" | cut -d: -f3)" = "$fgid" ] && echo 0)"
groupdel "$P"

setup >/dev/null 2>&1
nft delete table inet "$P" && nft add table inet "$P"
out=$(uninstall 2>&1); rc=$?
expect "uninstall leaves a table of our name that setup did not make, removes the rest \
(rc $rc): $out" "$([ $rc = 0 ] && nft list table inet "$P" >/dev/null 2>&1 &&
    ! id "$P-offline" >/dev/null 2>&1 && echo 0)"
nft delete table inet "$P"

# --- interrupted setups end complete on re-run ---------------------------------
uninstall >/dev/null
for step in 0 1 2 3 4 5 6 7; do
    RF_SETUP_TEST_STOP_AFTER=$step setup >/dev/null 2>&1
    rc=$?
    expect "setup stopped after step $step must have been killed (rc $rc)" \
        "$([ $rc = 137 ] && echo 0)"
    check >/dev/null
    expect "check after a setup killed at step $step must not be all ok" \
        "$([ $? != 0 ] && echo 0)"
    setup >/dev/null 2>&1 && check >/dev/null
    expect "re-running setup after a kill at step $step ends all ok" $?
    if [ $((step % 2)) = 0 ]; then # half of them resumed, half undone from the partial state
        uninstall >/dev/null
    else
        uninstall >/dev/null && RF_SETUP_TEST_STOP_AFTER=$step setup >/dev/null 2>&1
        uninstall >/dev/null
        expect "uninstall after a kill at step $step" $?
    fi
done
for delay in 0.01 0.05 0.1 0.2; do # kill -9 at moments the test does not choose
    # The program itself in the background (not a shell function, whose $! is
    # a subshell that a kill would leave ringfence-setup running under).
    "$SETUP" $TESTOPTS --test-runner "$STANDIN" setup --proxy-port 3128 \
        --invoking-uid 65534 >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    out=$(setup 2>&1 && check)
    expect "setup re-run after kill -9 at ${delay}s ends all ok: $out" $?
    uninstall >/dev/null
done

# --- interrupted uninstalls end complete on re-run ----------------------------
for step in 100 101 102 103; do
    setup >/dev/null 2>&1
    RF_SETUP_TEST_STOP_AFTER=$step uninstall >/dev/null 2>&1
    rc=$?
    expect "uninstall stopped after step $step must have been killed (rc $rc)" \
        "$([ $rc = 137 ] && echo 0)"
    uninstall >/dev/null
    left=$(grep -h "^$P" /etc/passwd /etc/group; nft list tables | grep -w "$P";
        find "$ROOT" ! -type d)
    expect "uninstall re-run after a kill at step $step leaves nothing: $left" \
        "$([ -z "$left" ] && echo 0)"
done

# --- two setups at once serialize on the record folder's lock -------------------
setup >"$T/a.out" 2>&1 &
pa=$!
setup >"$T/b.out" 2>&1
rb=$?
wait "$pa"
ra=$?
out=$(check)
expect "two concurrent setups both succeed ($ra, $rb) and end all ok: $out" \
    "$([ $ra = 0 ] && [ $rb = 0 ] && [ "$(echo "$out" | grep -c ' ok ')" = 8 ] && echo 0)"
uninstall >/dev/null

# --- uninstall leaves the machine as before ---------------------------------------
setup >/dev/null 2>&1 && "$CLI" uninstall $TESTOPTS >/dev/null
expect "setup then uninstall through the CLI" $?
snapshot after
for f in passwd group shadow gshadow tables; do
    cmp -s "$T/before/$f" "$T/after/$f"
    expect "$f must be byte-identical after uninstall: $(diff "$T/before/$f" "$T/after/$f")" $?
done
left=$(find "$ROOT" ! -type d)
expect "uninstall leaves no file under the test root: $left" "$([ -z "$left" ] && echo 0)"
expect "uninstall removes the record folder" "$([ ! -e "$ROOT/etc/ringfence" ] && echo 0)"

echo "setup_test: $passes passed, $failures failed"
[ "$failures" = 0 ]
