#!/bin/bash
# stubs_test.sh — every denybin stub, checked against the one list:
#   POSIX: prints exactly "ringfence: network is off by policy (<name> blocked)"
#   on stderr, nothing on stdout, exits 1, and returns at once even with
#   arguments and an endless or never-closed stdin;
#   Windows: the same message, `exit /b 1`, CRLF line ends.
#   No stub exists that the list does not name.
# Usage: stubs_test.sh TOOLS_LIST STUB_PATH...
set -u

list=$1
shift
passed=0 failed=0
check() { # check CONDITION-RESULT(0/1) MESSAGE
    if [ "$1" -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $2" >&2
    fi
}

declare -A given=()
for path in "$@"; do given[$path]=1; done
names=()
while IFS= read -r line; do
    case "$line" in '' | '#'*) continue ;; esac
    names+=("$line")
done <"$list"
check $((${#names[@]} < 8)) "the list names the ${#names[@]} tools, at least ssh..netcat"
for required in ssh scp sftp rsync telnet nc ncat netcat; do
    printf '%s\n' "${names[@]}" | grep -qx "$required"
    check $? "$required is in the list"
done

posix_dir=$(dirname "$1")
windows_dir=$(dirname "$posix_dir")/windows
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/fifo"
# Slowest acceptable stub, in ms: a shell starting and exiting takes a few.
limit_ms=500

now_ms() { echo $(($(date +%s%N) / 1000000)); }

for name in "${names[@]}"; do
    stub=$posix_dir/$name
    want="ringfence: network is off by policy ($name blocked)"
    check $((given[$stub] != 1)) "$stub is a declared output"
    check "$([ -x "$stub" ] && echo 0 || echo 1)" "$stub is executable"
    check "$([ "$(head -n1 "$stub")" = '#!/bin/sh' ] && echo 0 || echo 1)" "$stub starts with #!/bin/sh"

    # Arguments and the three kinds of stdin: endless, never closed, closed.
    for stdin_kind in zero pipe null; do
        start=$(now_ms)
        case $stdin_kind in
        zero) timeout 5 "$stub" -p 22 user@127.0.0.1 'echo remote-command' </dev/zero >"$tmp/out" 2>"$tmp/err" ;;
        pipe)
            # A writer that holds the pipe open and never writes.
            sleep 5 >"$tmp/fifo" &
            writer=$!
            timeout 5 "$stub" host <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err"
            status=$?
            kill "$writer" 2>/dev/null
            wait "$writer" 2>/dev/null
            (exit $status)
            ;;
        null) timeout 5 "$stub" </dev/null >"$tmp/out" 2>"$tmp/err" ;;
        esac
        status=$?
        elapsed=$(($(now_ms) - start))
        check $((status != 1)) "$name ($stdin_kind stdin): exit status $status, want 1"
        check "$([ "$(cat "$tmp/err")" = "$want" ] && echo 0 || echo 1)" \
            "$name ($stdin_kind stdin): stderr '$(cat "$tmp/err")', want '$want'"
        check "$([ "$(wc -l <"$tmp/err")" -eq 1 ] && echo 0 || echo 1)" "$name: exactly one line on stderr"
        check "$([ -s "$tmp/out" ] && echo 1 || echo 0)" "$name ($stdin_kind stdin): nothing on stdout"
        check $((elapsed >= limit_ms)) "$name ($stdin_kind stdin): took ${elapsed} ms, limit ${limit_ms} ms"
    done

    cmd=$windows_dir/$name.cmd
    check "$([ -f "$cmd" ] && echo 0 || echo 1)" "$cmd exists"
    grep -qxF ">&2 echo $want"$'\r' "$cmd"
    check $? "$cmd prints the message on stderr"
    grep -qxF 'exit /b 1'$'\r' "$cmd"
    check $? "$cmd exits 1"
    check "$(grep -c $'[^\r]$' "$cmd")" "$cmd has CRLF line ends only"
done

# No stub beyond the list, on either platform.
extra=$(comm -13 <(printf '%s\n' "${names[@]}" | sort) <(ls "$posix_dir" | sort))
check "$([ -z "$extra" ] && echo 0 || echo 1)" "no POSIX stub outside the list: $extra"
extra=$(comm -13 <(printf '%s.cmd\n' "${names[@]}" | sort) <(ls "$windows_dir" | sort))
check "$([ -z "$extra" ] && echo 0 || echo 1)" "no Windows stub outside the list: $extra"
check $(($# != ${#names[@]})) "$# stubs declared for ${#names[@]} names"

# The generator refuses names that could inject into a script or escape the folder.
gen=$(dirname "$list")/gen_stubs.sh
while IFS='|' read -r want entry reason; do
    [ -z "$want" ] && continue
    printf '%b' "$entry" >"$tmp/list"
    rm -rf "$tmp/gen"
    sh "$gen" posix "$tmp/list" "$tmp/gen" 2>"$tmp/gen.err"
    status=$?
    check $((status != want)) "gen_stubs.sh: $reason: exit $status, want $want ($(cat "$tmp/gen.err"))"
    if [ "$want" -eq 0 ]; then
        check "$([ -x "$tmp/gen/ssh" ] && echo 0 || echo 1)" "gen_stubs.sh: $reason: ssh written"
    fi
done <<'CASES'
0|ssh\n# comment\n\nnc\n|plain names, comments and blank lines
0|ssh|a last line without a newline
1|a;b\n|a shell metacharacter
1|../x\n|a path
1|-rf\n|a leading dash
1|Ssh\n|upper case
1|$(id)\n|command substitution
1|# only a comment\n|a list that names no tool
CASES

echo "stubs_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
