#!/bin/bash
# Builds the policy fuzzer with clang's libFuzzer and runs it for a bounded
# time over the seed corpus; fails when the fuzzer finds a crash, a leak, or
# undefined behaviour.
set -euo pipefail

seconds="${RF_FUZZ_SECONDS:-20}"
src="${TEST_SRCDIR:?}/${TEST_WORKSPACE:?}"
work="${TEST_TMPDIR:?}/policy_fuzz"
out="${TEST_UNDECLARED_OUTPUTS_DIR:-$work}"
mkdir -p "$work/corpus" "$out"

clang="$(command -v clang || true)"
if [[ -z "$clang" ]]; then
    echo "policy_fuzz_test: clang not found (apt-get install clang)" >&2
    exit 1
fi

sources=(
    fuzz/policy_fuzz.c
    core/error.c core/guarantee.c core/policy_list.c
    core/path_resolve.c core/policy_flags.c core/policy_json.c core/policy_load.c
    core/policy_merge.c core/policy_parse.c core/policy_quote.c core/policy_raw.c
    core/policy_file.c core/protected_name.c
    env/env_glob.c env/env_scrub_defaults.c
)
paths=()
for s in "${sources[@]}"; do paths+=("$src/$s"); done

echo "policy_fuzz_test: compiling with $("$clang" --version | head -1)"
"$clang" -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I"$src" "${paths[@]}" -lcjson -o "$work/policy_fuzz"

# The seed corpus is read-only in runfiles; the fuzzer grows a copy.
cp "$src"/fuzz/corpus/* "$work/corpus/"

echo "policy_fuzz_test: fuzzing for ${seconds}s"
"$work/policy_fuzz" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_len=4096 \
    -print_final_stats=1 \
    -artifact_prefix="$out/" \
    "$work/corpus"
echo "policy_fuzz_test: no crash in ${seconds}s"
