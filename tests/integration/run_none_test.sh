#!/bin/bash
# Integration tests of `ringfence run` and the other subcommands with the
# `none` backend: exit codes, signals, timeout, terminal, audit log, help.
# Table-driven where the cases are alike; every case prints its reason on failure.
set -u

RF="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
T="$(mktemp -d "${TEST_TMPDIR:-/tmp}/rf-run.XXXXXX")"
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME="$T/state"
export XDG_CONFIG_HOME="$T/config"
unset RINGFENCE_TEST_MANAGED_POLICY
WS="$T/ws"
mkdir -p "$WS"
cd "$WS" || exit 1

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
expect_eq() { # got want reason
  if [ "$1" = "$2" ]; then ok; else bad "$3 (got '$1', want '$2')"; fi
}
expect_contains() { # haystack needle reason
  case "$1" in *"$2"*) ok ;; *) bad "$3 (output lacks '$2'): $1" ;; esac
}

run_none() { "$RF" run --backend none --workspace "$WS" "$@"; }

# --- exit codes: command, expected exit, reason ---------------------------------
printf '#!/bin/sh\necho hi\n' > "$T/noexec.sh"; chmod 0644 "$T/noexec.sh"
while IFS='|' read -r want reason cmd; do
  [ -z "$want" ] && continue
  eval "run_none -- $cmd" >/dev/null 2>&1
  expect_eq "$?" "$want" "$reason"
done <<EOF
0|a command that succeeds exits 0|true
7|the command's own exit status passes through|sh -c 'exit 7'
143|killed by SIGTERM is 128+15|sh -c 'kill -TERM \$\$'
137|killed by SIGKILL is 128+9|sh -c 'kill -KILL \$\$'
127|a command that is not found is 127|ringfence-no-such-command-xyz
127|a missing absolute path is 127|/nonexistent/ringfence/cmd
126|a file without execute permission is 126|$T/noexec.sh
126|a directory is not executable: 126|/
EOF

# --- ringfence's own failures are 125 ---------------------------------------------
while IFS='|' read -r reason args; do
  [ -z "$reason" ] && continue
  eval "\"$RF\" run $args" >/dev/null 2>&1
  expect_eq "$?" 125 "$reason"
done <<EOF
no command given|--backend none
an unknown option|--no-such-option -- true
a bad --network value|--network maybe --backend none -- true
an unknown backend|--backend warp-drive -- true
a workspace that does not exist|--backend none --workspace $T/missing -- true
a policy file that does not exist|--backend none --policy $T/missing.json -- true
a bad timeout|--backend none --timeout -3 -- true
EOF

# The error names the field and the value.
echo '{"version": 1, "network": "sometimes"}' > "$T/bad.json"
out=$("$RF" run --backend none --policy "$T/bad.json" -- true 2>&1); code=$?
expect_eq "$code" 125 "an invalid policy value is a ringfence failure"
expect_contains "$out" "network" "the error names the field"
expect_contains "$out" "sometimes" "the error names the value"

# `auto` never picks none, and a requirement nobody meets fails closed naming it.
out=$("$RF" run --backend none --require network -- true 2>&1); code=$?
expect_eq "$code" 125 "none cannot satisfy a requirement"
expect_contains "$out" "network" "the refusal names the missing guarantee"

# --- signals are forwarded ---------------------------------------------------------
for sig in TERM INT HUP; do
  # Started directly (not through the run_none function) so $! is ringfence
  # itself, not a subshell that would take the signal instead.
  "$RF" run --backend none --workspace "$WS" -- sh -c "trap 'exit 42' $sig; echo ready > '$T/ready.$sig'; while :; do sleep 0.05; done" &
  pid=$!
  for _ in $(seq 100); do [ -s "$T/ready.$sig" ] && break; sleep 0.05; done
  kill -s "$sig" "$pid"
  wait "$pid"
  expect_eq "$?" 42 "SIG$sig sent to ringfence reaches the command's handler"
done

# --- timeout ends the whole tree, grandchildren and escaped sessions included -----
start=$(date +%s)
run_none --timeout 1 -- sh -c "sleep 300 & echo \$! > '$T/gc1'; setsid sleep 301 & echo \$! > '$T/gc2'; (sleep 302.5 &) ; wait" >/dev/null 2>&1
code=$?
elapsed=$(( $(date +%s) - start ))
expect_eq "$code" 124 "a timeout exits 124"
if [ "$elapsed" -le 10 ]; then ok; else bad "the timeout took ${elapsed}s"; fi
sleep 0.2
for f in gc1 gc2; do
  p=$(cat "$T/$f" 2>/dev/null)
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then bad "grandchild $f ($p) survived the timeout"; kill -9 "$p"; else ok; fi
done
# The doubly forked `sleep 302` had no recorded pid: look for it among our own processes.
p=$(pgrep -fx 'sleep 302.5'); if [ -n "$p" ]; then bad "a double-forked grandchild survived"; kill -9 $p; else ok; fi

# --- the terminal passes through ----------------------------------------------------
if command -v script >/dev/null; then
  out=$(script -qec "\"$RF\" run --backend none --workspace \"$WS\" -- sh -c 'test -t 0 && test -t 1 && echo TTY_OK'" /dev/null </dev/null 2>&1)
  expect_contains "$out" "TTY_OK" "the command sees a terminal on stdin and stdout"
  out=$(printf 'echo hello-$((40+2))\nexit 3\n' | script -qec "\"$RF\" run --backend none --workspace \"$WS\" -- sh -i" /dev/null 2>&1)
  code=$?
  expect_contains "$out" "hello-42" "an interactive shell reads commands from the terminal"
  expect_eq "$code" 3 "the interactive shell's exit status passes through script"
else
  bad "script(1) is missing (util-linux): the terminal case cannot run"
fi

# --- stdin, stdout, stderr pass through --------------------------------------------
out=$(echo piped-input | run_none -- cat)
expect_eq "$out" "piped-input" "stdin and stdout pass through"
out=$(run_none -- sh -c 'echo to-stderr >&2' 2>&1 >/dev/null)
expect_eq "$out" "to-stderr" "stderr passes through"

# --- 50 concurrent runs leave an intact audit log ----------------------------------
rm -rf "$XDG_STATE_HOME"
for i in $(seq 50); do run_none -- sh -c "exit $((i % 5))" & done
wait
log="$XDG_STATE_HOME/ringfence/audit.jsonl"
expect_eq "$(wc -l < "$log" | tr -d ' ')" 100 "50 runs write 50 start and 50 end records"
expect_eq "$(jq -c . "$log" 2>/dev/null | wc -l | tr -d ' ')" 100 "every audit line is valid JSON"
expect_eq "$(jq -r 'select(.event=="run.start") | .run_id' "$log" | sort -u | wc -l | tr -d ' ')" 50 "50 distinct run ids"
expect_eq "$(jq -r 'select(.event=="run.end") | .run_id' "$log" | sort -u | wc -l | tr -d ' ')" 50 "every run has an end record"
expect_eq "$(stat -c %a "$log")" 600 "the audit log is private to the user"
expect_eq "$(jq -r 'select(.event=="run.end" and .exit==3) | .run_id' "$log" | wc -l | tr -d ' ')" 10 "exit codes are recorded"
expect_eq "$(jq -r 'select(.event=="run.start") | .guarantees.writes' "$log" | sort -u)" absent "the guarantee table is recorded"

# An audit log inside a writable root is refused.
out=$(XDG_STATE_HOME="$WS/state" run_none -- true 2>&1); code=$?
expect_eq "$code" 125 "an audit log inside the workspace is refused"
expect_contains "$out" "$WS" "the refusal names the location"

# A bad policy is recorded as policy.error.
"$RF" run --backend none --policy "$T/bad.json" -- true >/dev/null 2>&1
expect_eq "$(jq -r 'select(.event=="policy.error") | .field' "$log" | tail -1)" network "policy errors reach the audit log"

# --- help and version ----------------------------------------------------------------
for sub in run status "policy" "policy show" demo probe; do
  out=$($RF $sub --help 2>&1); code=$?
  expect_eq "$code" 0 "'$sub --help' succeeds"
  expect_contains "$out" "usage: ringfence" "'$sub --help' prints usage"
done
out=$("$RF" --version); expect_contains "$out" "ringfence " "--version prints the version"
"$RF" no-such-subcommand >/dev/null 2>&1; expect_eq "$?" 2 "an unknown subcommand is a usage error"

# --- status ---------------------------------------------------------------------------
out=$("$RF" status --json)
expect_eq "$(echo "$out" | jq -r '.backends[] | select(.name=="none") | .guarantees.writes.level')" absent "none reports writes absent"
expect_eq "$(echo "$out" | jq -r '.backends[] | select(.name=="none") | .available')" true "none is always available"
out=$("$RF" status)
expect_contains "$out" "process_tree" "status prints the guarantee table"

echo "run_none_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
