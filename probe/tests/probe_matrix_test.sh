#!/bin/sh
# probe_matrix_test — `ringfence probe --all --json` through the built binary.
# Fails on any mismatch between a backend's guarantee table and its outcomes,
# and on any broken probe (one that does not succeed under `none`).
set -u
ringfence=$1
if [ "${2:-}" = nouserns ]; then
    # The backend's own test switch: behave as if unprivileged user
    # namespaces were not allowed on this machine.
    export RINGFENCE_DISABLE_USERNS=1
fi
out=${TEST_TMPDIR:-/tmp}/probe-matrix.json
"$ringfence" probe --all --json >"$out"
status=$?
fails=0
check() { # description, condition
    if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi
}
check "exit status 0 (got $status)" '[ "$status" -eq 0 ]'
check "the none baseline ran" 'grep -q "\"name\":[[:space:]]*\"none\"" "$out"'
check "no mismatches" 'grep -q "\"mismatches\":[[:space:]]*0" "$out"'
check "no broken probes" 'grep -q "\"broken\":[[:space:]]*0" "$out"'
check "at least 40 probes" '[ "$(grep -c "\"kind\":" "$out")" -ge 40 ]'
check "--help works" '"$ringfence" probe --help | grep -q "usage: ringfence probe"'
check "a bad option is a usage error" '"$ringfence" probe --bogus >/dev/null 2>&1; [ $? -eq 2 ]'
if [ "$fails" -ne 0 ]; then
    echo "--- the matrix as text:"
    "$ringfence" probe --all
fi
echo "probe_matrix: $fails failed"
[ "$fails" -eq 0 ]
