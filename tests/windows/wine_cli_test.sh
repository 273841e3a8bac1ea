#!/bin/sh
# wine_cli_test.sh RINGFENCE_WIN_EXE — ringfence-win.exe under Wine: status
# says Wine enforces nothing, selftest refuses to count (exit 3), run passes
# exit codes / 124 / 127 through and grants; ungrant removes what was added.
set -u
here=$(dirname "$0")
. "$here/wine_env.sh"
exe=$(readlink -f "$1")
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

out=$(wine "$exe" status 2>&1)
check "status exit" 0 $?
case "$out" in *"writes        absent"*"Wine"*) r=yes ;; *) r=no ;; esac
check "status says writes are not enforced under Wine" yes "$r"

out=$(wine "$exe" selftest 2>&1)
check "selftest refuses to count under Wine" 3 $?
case "$out" in *"prove nothing about the boundary"*) r=yes ;; *) r=no ;; esac
check "selftest says why" yes "$r"

ws="$wine_scratch/ws"
mkdir -p "$ws"
wws=$(winpath "$ws")
wine "$exe" run --root "$wws" -- cmd /c "exit 7" >/dev/null 2>&1
check "run returns the command's status" 7 $?
out=$(wine "$exe" run --root "$wws" -- cmd /c "echo %TEMP%" 2>/dev/null | tr -d '\r')
case "$out" in *'\ringfence\tmp\S-1-5-21-'*) r=yes ;; *) r="$out" ;; esac
check "TEMP points at the private temporary folder" yes "$r"
wine "$exe" run --root "$wws" -- no-such-program-here >/dev/null 2>&1
check "run: not found is 127" 127 $?
wine "$exe" run --root "$wws" --timeout 1 -- cmd /c "ping -n 30 127.0.0.1 >NUL" >/dev/null 2>&1
check "run: timeout is 124" 124 $?
r=no
[ -d "$ws/.git" ] && [ -d "$ws/.codex" ] && r=yes
check "absent protected folders were created" yes "$r"
state="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/ringfence/state.json"
n=$(jq '[.grants[] | select(.type == "deny")] | length' "$state" 2>&1)
check "four deny grants recorded (.git .codex .agents .ringfence)" 4 "$n"
out=$(wine "$exe" ungrant "$wws" 2>&1)
check "ungrant exit" 0 $?
case "$out" in *"removed 7 ACEs"*) r=yes ;; *) r="$out" ;; esac
check "ungrant removes the 7 recorded ACEs (root, 4 protected, TEMP, NUL)" yes "$r"
n=$(jq '.grants | length' "$state" 2>&1)
check "no grant left in the state file" 0 "$n"

# A git worktree: .git is a file.
wt="$wine_scratch/worktree"
mkdir -p "$wt" && echo "gitdir: elsewhere" >"$wt/.git"
wine "$exe" run --root "$(winpath "$wt")" -- cmd /c "exit 0" >/dev/null 2>&1
check "a .git file is protected without error" 0 $?
r=no
[ -f "$wt/.git" ] && r=yes
check "the .git file stays a file" yes "$r"

out=$(wine "$exe" bench 150 3 2>&1)
check "bench exit" 0 $?
echo "$out"
# Format of backends/windows/bench_win.h (read by bench/windows/bench_windows.exe).
case "$out" in *"ringfence-win-bench 1"*"files 150"*"acl_apply_again_ms "*"spawns 3"*"spawn_restricted_median_ms "*) r=yes ;; *) r="$out" ;; esac
check "bench prints ACL and spawn figures" yes "$r"

wineserver -w
echo "wine_cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
