#!/bin/sh
# wine_bench_test.sh BENCH_WINDOWS_EXE RINGFENCE_WIN_EXE — bench_windows.exe
# runs ringfence-win.exe's `bench` verb and writes results-windows.json and
# results-windows.md in the Linux results' shape.  This checks the FORMAT
# only.  Wine figures are not Windows figures: Wine enforces neither
# restricted SIDs nor DACLs and schedules processes its own way, and the
# output must say so; no number measured here is compared with anything.
set -u
here=$(dirname "$0")
. "$here/wine_env.sh"
bench=$(readlink -f "$1")
rfwin=$(readlink -f "$2")
failed=0
passed=0
check() { # check NAME WANT GOT
    if [ "$2" = "$3" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: want '$2', got '$3'" >&2
    fi
}

out="$wine_scratch/out"
mkdir -p "$out"
wine "$bench" --n 4 --scale-n 2 --sizes 100,200 --ringfence-win "$(winpath "$rfwin")" \
    --out "$(winpath "$out")" >"$wine_scratch/stdout" 2>"$wine_scratch/stderr"
check "bench_windows exit" 0 $?
json="$out/results-windows.json"
md="$out/results-windows.md"

check "results-windows.json is JSON" 0 "$(jq -e . "$json" >/dev/null 2>&1; echo $?)"
check "platform says wine" wine "$(jq -r .machine.platform "$json" 2>/dev/null)"
r=no
jq -r .machine.caveat "$json" 2>/dev/null | grep -q "not Windows figures" && r=yes
check "the JSON says Wine figures are not Windows figures" yes "$r"
check "three Windows launchers" "bare rf-win-unelevated rf-win-elevated" \
    "$(jq -r '[.spawn.launchers[].id] | join(" ")' "$json" 2>/dev/null)"
for id in bare rf-win-unelevated; do
    check "$id: measured, 4 samples, median/p90/p99 numbers" true \
        "$(jq -r --arg id "$id" '.spawn.launchers[] | select(.id == $id) |
            (.measured and .latency.n == 4 and ([.latency.median_ms, .latency.p90_ms, .latency.p99_ms,
             .overhead_ms, .ratio_to_bare] | all(type == "number")))' "$json" 2>/dev/null)"
done
check "elevated: skipped with a reason" true \
    "$(jq -r '.spawn.launchers[] | select(.id == "rf-win-elevated") | (.measured == false and
        (.skipped | type == "string" and length > 0))' "$json" 2>/dev/null)"
check "ACL grant per size, with the cost per 1,000 files" "100 200" \
    "$(jq -r '[.acl_apply[] | select([.first_ms, .first_ms_per_1000_files, .again_ms,
        .per_command.bare_median_ms] | all(type == "number")) | .files] | map(tostring) | join(" ")' "$json" 2>/dev/null)"

# The Markdown rows are the Linux table's (bench/stats.c writes both).
header='| launcher | median ms | p90 ms | p99 ms | over bare ms | × bare | peak RSS | write outside | write .git |'
check "spawn table header as on Linux" 1 "$(grep -cxF "$header" "$md")"
rows=$(grep -E '^\| (CreateProcess|ringfence windows-unelevated)' "$md" | awk -F'|' '{print NF}' | sort -u)
check "measured rows have the table's 9 cells" 11 "$rows"
check "the skipped row says so" 1 "$(grep -c '^| ringfence windows-elevated | skipped: ' "$md")"
r=no
grep -q "not Windows figures" "$md" && r=yes
check "the Markdown says Wine figures are not Windows figures" yes "$r"

echo "wine_bench_test: $passed passed, $failed failed (format only: Wine figures are not Windows figures)"
[ "$failed" -eq 0 ]
