#!/bin/bash
# The CLI stays lean: it links neither libacl nor libnftables (the root-only
# and ACL work lives in programs it execs).  ringfence-grant must link libacl,
# so the check cannot pass by reading the wrong file.
set -uo pipefail
cli="$1" grant="$2"
passed=0 failed=0
check() { # check REASON COMMAND...
  local reason="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $reason"; fi
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
cli_libs="$(needed "$cli")"
grant_libs="$(needed "$grant")"
echo "ringfence needs: $(echo $cli_libs)"
echo "ringfence-grant needs: $(echo $grant_libs)"
check "the CLI does not link libacl" bash -c "! grep -q '^libacl' <<<'$cli_libs'"
check "the CLI does not link libnftables" bash -c "! grep -q '^libnftables' <<<'$cli_libs'"
check "ringfence-grant links libacl" grep -q '^libacl' <<<"$grant_libs"
echo "cli_lean_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
