#!/bin/bash
# landlock_launcher_test.sh — the Landlock floor must really confine writes,
# or the floor it sets for the benchmark means nothing.  Each case: the
# command, the exit status wanted, and why.
set -u
launcher="$1"
tmp="$(mktemp -d "${TEST_TMPDIR:-/tmp}/ll.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ws" "$tmp/out"
passed=0
failed=0
check() { # reason, wanted status, command...
  local reason="$1" want="$2"
  shift 2
  "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" -eq "$want" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $reason: exit $got, want $want" >&2
  fi
}
if ! "$launcher" --abi >/dev/null 2>&1; then
  echo "landlock_launcher_test: Landlock is not available on this kernel: nothing to test" >&2
  echo "landlock_launcher_test: 0 passed, 0 failed, 1 skipped"
  exit 0
fi
check "a write inside the allowed folder succeeds" 0 \
  "$launcher" -w "$tmp/ws" -- /bin/sh -c ": > '$tmp/ws/inside'"
check "a write outside the allowed folders is refused" 1 \
  "$launcher" -w "$tmp/ws" -- /bin/sh -c "touch '$tmp/out/outside'"
check "a rename out of the allowed folder is refused (REFER)" 1 \
  "$launcher" -w "$tmp/ws" -- /bin/sh -c "mv '$tmp/ws/inside' '$tmp/out/moved' || exit 1"
check "without the launcher the same write succeeds (the probe works)" 0 \
  /bin/sh -c ": > '$tmp/out/outside'"
check "a missing command exits 127" 127 "$launcher" -w "$tmp/ws" -- /nonexistent/command
check "a missing -w argument is a usage error (125)" 125 "$launcher" -w
echo "landlock_launcher_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
