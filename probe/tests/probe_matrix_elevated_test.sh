#!/bin/bash
# probe_matrix_elevated_test — the strength suite under the elevated backend:
# `ringfence probe --backend elevated --json` run by a member of the group in
# the elevated test world (tests/integration/elevated_world.sh).  Fails on any
# mismatch between the backend's guarantee table (every guarantee enforced)
# and what the probes saw, and on any broken probe.
#
# Args: ringfence_testbuild  ringfence-runner_testbuild  rf-probe  elevated_world.sh
#       ringfence-grant_testbuild  denybin-stub...
# Needs root (it builds users and installs a setuid runner).
set -u

RF_SRC="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
RUNNER_SRC="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
PROBE_SRC="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
WORLD_SH="$4"
GRANT_SRC="$(cd "$(dirname "$5")" && pwd)/$(basename "$5")"
shift 5
STUBS=("$@")
# shellcheck source=../../tests/integration/elevated_world.sh
. "$WORLD_SH"

mkdir -p "$BIN/probe"
cp "$PROBE_SRC" "$BIN/probe/rf-probe"
chmod -R a+rX "$BIN/probe"
PROBES="$W/probes"
mkdir -p "$PROBES" && chown "$ME:$ME" "$PROBES"

out="$W/probe-matrix.json"
(cd "$PROBES" && as_user "$ME" env RINGFENCE_PROBE_DIR="$PROBES" "$BIN/ringfence" probe --backend elevated --json) \
    >"$out" 2>"$W/probe.err"
status=$?
check() { # description, condition
    if eval "$2"; then ok; echo "ok   $1"; else bad "$1"; fi
}
check "exit status 0 (got $status)" '[ "$status" -eq 0 ]'
check "the elevated column ran" 'jq -e ".backends[] | select(.name == \"elevated\") | .ran" "$out" >/dev/null'
check "every guarantee of elevated is enforced" \
    '[ "$(jq -r ".backends[] | select(.name == \"elevated\") | .guarantees[]" "$out" | sort -u)" = enforced ]'
check "at least 40 probes blocked under elevated" \
    '[ "$(jq "[.probes[].results.elevated.outcome | select(. == \"blocked\")] | length" "$out")" -ge 40 ]'
check "no mismatches" 'grep -q "\"mismatches\":[[:space:]]*0" "$out"'
check "no broken probes" 'grep -q "\"broken\":[[:space:]]*0" "$out"'
check "at least 40 probes" '[ "$(grep -c "\"kind\":" "$out")" -ge 40 ]'
if [ "$failed" -ne 0 ]; then
    echo "--- stderr:"
    cat "$W/probe.err"
    echo "--- the matrix as text:"
    (cd "$PROBES" && as_user "$ME" env RINGFENCE_PROBE_DIR="$PROBES" "$BIN/ringfence" probe --backend elevated)
fi
cp "$out" "${TEST_UNDECLARED_OUTPUTS_DIR:-$W}/" 2>/dev/null
echo "outcomes under elevated: $(jq -r '[.probes[].results.elevated.outcome] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$out" 2>/dev/null)"
echo "probe_matrix_elevated: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
