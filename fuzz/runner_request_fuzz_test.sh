#!/bin/bash
# Builds the runner request fuzzer with clang's libFuzzer and runs it for a
# bounded time over the seed corpus; fails on a crash, a leak, undefined
# behaviour, or an accepted request that breaks the runner's assumptions.
set -euo pipefail

seconds="${RF_FUZZ_SECONDS:-20}"
src="${TEST_SRCDIR:?}/${TEST_WORKSPACE:?}"
work="${TEST_TMPDIR:?}/runner_request_fuzz"
out="${TEST_UNDECLARED_OUTPUTS_DIR:-$work}"
mkdir -p "$work/corpus" "$out"

clang="$(command -v clang || true)"
if [[ -z "$clang" ]]; then
    echo "runner_request_fuzz_test: clang not found (apt-get install clang)" >&2
    exit 1
fi

sources=(
    fuzz/runner_request_fuzz.c
    backends/linux/elevated/runner_request.c
    core/error.c
)
paths=()
for s in "${sources[@]}"; do paths+=("$src/$s"); done

echo "runner_request_fuzz_test: compiling with $("$clang" --version | head -1)"
"$clang" -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I"$src" "${paths[@]}" -lcjson -o "$work/runner_request_fuzz"

cp "$src"/fuzz/runner_corpus/* "$work/corpus/"

echo "runner_request_fuzz_test: fuzzing for ${seconds}s"
"$work/runner_request_fuzz" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_len=8192 \
    -print_final_stats=1 \
    -artifact_prefix="$out/" \
    "$work/corpus"
echo "runner_request_fuzz_test: no crash in ${seconds}s"
