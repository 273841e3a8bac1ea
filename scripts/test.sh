#!/bin/bash
# Quick start, step 2: run the whole test suite and print "N passed, N failed".
# Extra arguments go to `bazel test` (e.g. --config=asan).
set -uo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

bazel test --test_output=errors "$@" //... 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One line per test target in Bazel's summary: "//pkg:name   PASSED in 1.2s".
passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log" || true)
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|FLAKY|INCOMPLETE)' "$log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build itself failed before any test ran: count that as a failure.
  failed=1
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
