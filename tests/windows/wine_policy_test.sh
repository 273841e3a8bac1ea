#!/bin/sh
# wine_policy_test.sh RINGFENCE_EXE WIN_HELPER_EXE — `ringfence run` on
# Windows under Wine, through core's policy loader: the policy file (given,
# or the default %APPDATA%\ringfence\policy.json), the managed policy in
# %ProgramData%, the flags and their merge; exit codes; the environment
# (env/ shim table, scrub); the denybin stubs first on PATH; --read-only;
# ungrant.
#
# Wine does not enforce restricted SIDs or file DACLs: nothing here shows
# that a write is blocked.  These checks cover the plumbing only.
set -u
here=$(dirname "$0")
. "$here/wine_env.sh"
exe=$(readlink -f "$1")
helper=$(readlink -f "$2")
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
has() { # has TEXT PATTERN -> yes/no (grep -E, case-insensitive, per line)
    if printf '%s\n' "$1" | grep -qiE "$2"; then echo yes; else echo no; fi
}
echo "wine_policy_test: Wine $(wine --version 2>/dev/null) enforces no restricted SID and no DACL;"
echo "wine_policy_test: these checks cover policy, exit codes, environment and PATH only."

ws="$wine_scratch/ws"
mkdir -p "$ws"
wws=$(winpath "$ws")
cd "$ws" || exit 1
users="$WINEPREFIX/drive_c/users/$(id -un)"
state="$users/AppData/Local/ringfence/state.json"
denybin="$users/AppData/Local/ringfence/denybin"
managed_dir="$WINEPREFIX/drive_c/ProgramData/ringfence"
run_set() { # the command's environment, one NAME=VALUE per line
    wine "$exe" run "$@" -- cmd /c set 2>/dev/null | tr -d '\r'
}

# ---- exit codes ------------------------------------------------------------
wine "$exe" run -- cmd /c "exit 7" >/dev/null 2>&1
check "the command's status" 7 $?
wine "$exe" run -- no-such-program-here >/dev/null 2>&1
check "not found is 127" 127 $?
echo "not a program" >"$ws/notes.txt"
wine "$exe" run -- "$(winpath "$ws/notes.txt")" >/dev/null 2>&1
check "a file that is not a program is 126" 126 $?
printf '@echo off\r\nexit /b 0\r\n' >"$ws/ok.cmd"
wine "$exe" run -- "$(winpath "$ws/ok.cmd")" 'a%b' >/dev/null 2>&1
check "a batch argument cmd.exe would misread is refused: 126" 126 $?
wine "$exe" run -- "$(winpath "$ws/ok.cmd")" ab >/dev/null 2>&1
check "the same batch file with a plain argument runs" 0 $?
wine "$exe" run --timeout 1 -- "$(winpath "$helper")" sleep 30000 >/dev/null 2>&1
check "timeout is 124" 124 $?
wine "$exe" run --no-such-flag -- cmd /c "exit 0" >/dev/null 2>&1
check "an unknown option is 125" 125 $?
wine "$exe" run --timeout -3 -- cmd /c "exit 0" >/dev/null 2>&1
check "a bad --timeout is 125" 125 $?
wine "$exe" frobnicate >/dev/null 2>&1
check "an unknown command is 2" 2 $?
out=$(wine "$exe" status --json 2>/dev/null | tr -d '\r')
check "status --json exit" 0 $?
check "status --json says writes are absent under Wine" absent \
    "$(printf '%s' "$out" | jq -r '.backends[0].guarantees.writes.level' 2>&1)"
wine "$exe" status --bogus >/dev/null 2>&1
check "status with a bad option is 2" 2 $?

# ---- the policy: file, flags, managed, default file --------------------------
printf '{"version": 1, "network": "on", "env": {"set": {"RF_FROM_POLICY": "yes"}}}\n' \
    >"$wine_scratch/on.json"
out=$(run_set --policy "$(winpath "$wine_scratch/on.json")")
check "policy file: env.set applied" yes "$(has "$out" '^RF_FROM_POLICY=yes$')"
check "policy file: network on, no proxy shim" no "$(has "$out" '^HTTPS_PROXY=')"
out=$(run_set --policy "$(winpath "$wine_scratch/on.json")" --network off)
check "--network off overrides the file" yes "$(has "$out" '^HTTPS_PROXY=http://127\.0\.0\.1:9$')"

printf '{"version": 1, "network": "maybe"}\n' >"$wine_scratch/bad.json"
out=$(wine "$exe" run --policy "$(winpath "$wine_scratch/bad.json")" -- cmd /c "exit 0" 2>&1)
check "a bad policy is 125" 125 $?
check "the message names the field" yes "$(has "$out" 'network.*expected "off" or "on"')"

out=$(wine "$exe" policy check "$(winpath "$wine_scratch/bad.json")" 2>&1)
check "policy check of a bad file is 125" 125 $?
check "policy check names the field" yes "$(has "$out" 'network')"
out=$(wine "$exe" policy check "$(winpath "$wine_scratch/on.json")" 2>&1 | tr -d '\r')
check "policy check of a good file" yes "$(has "$out" 'on\.json: ok$')"

printf '{"version": 1, "require": ["deny_read"]}\n' >"$wine_scratch/dr.json"
out=$(wine "$exe" run --policy "$(winpath "$wine_scratch/dr.json")" -- cmd /c "exit 0" 2>&1)
check "require deny_read fails closed (125)" 125 $?
check "and says the elevated backend provides it" yes \
    "$(has "$out" "deny_read.*absent.*elevated backend.*provides it")"
wine "$exe" run --require deny_read -- cmd /c "exit 0" >/dev/null 2>&1
check "--require deny_read fails closed too" 125 $?
wine "$exe" run --require process_tree -- cmd /c "exit 0" >/dev/null 2>&1
check "require process_tree (enforced by the job) runs" 0 $?

printf '{"version": 1, "deny_read": ["~\\\\secret"]}\n' >"$wine_scratch/drlist.json"
out=$(wine "$exe" run --policy "$(winpath "$wine_scratch/drlist.json")" -- cmd /c "exit 0" 2>&1)
check "a deny_read list without require still runs" 0 $?
check "with a warning that it is not enforced" yes "$(has "$out" 'warning: deny_read is absent.*secret.*stays readable')"
wine "$exe" run --backend elevated -- cmd /c "exit 0" >/dev/null 2>&1
check "--backend elevated is not available: 125" 125 $?
wine "$exe" run --backend none -- cmd /c "exit 4" >/dev/null 2>&1
check "--backend none runs the command" 4 $?

mkdir -p "$managed_dir"
printf '{"version": 1, "network": "off"}\n' >"$managed_dir/managed.json"
out=$(run_set --policy "$(winpath "$wine_scratch/on.json")" --network on)
check "managed network off wins over the file and the flag" yes \
    "$(has "$out" '^RINGFENCE_NETWORK=off$')"
printf '{"version": 1, "require": ["deny_read"]}\n' >"$managed_dir/managed.json"
wine "$exe" run -- cmd /c "exit 0" >/dev/null 2>&1
check "a managed require of deny_read fails closed" 125 $?
printf '{"version": 1, "workspace": "C:\\\\x"}\n' >"$managed_dir/managed.json"
out=$(wine "$exe" run -- cmd /c "exit 0" 2>&1)
check "a bad managed policy is 125" 125 $?
check "and the message names the managed file" yes "$(has "$out" 'managed policy.*managed\.json')"
rm -f "$managed_dir/managed.json"

mkdir -p "$users/AppData/Roaming/ringfence"
printf '{"version": 1, "env": {"set": {"RF_DEFAULT_FILE": "1"}}}\n' \
    >"$users/AppData/Roaming/ringfence/policy.json"
out=$(run_set)
check "%APPDATA%\\ringfence\\policy.json is the default policy" yes \
    "$(has "$out" '^RF_DEFAULT_FILE=1$')"
rm -f "$users/AppData/Roaming/ringfence/policy.json"

# ---- the environment: shims and scrub ----------------------------------------
parent=$(GITHUB_TOKEN=t1 No_Proxy=example.invalid wine cmd /c set 2>/dev/null | tr -d '\r')
check "precondition: Wine passes GITHUB_TOKEN to Windows programs" yes \
    "$(has "$parent" '^GITHUB_TOKEN=t1$')"
out=$(GITHUB_TOKEN=t1 No_Proxy=example.invalid run_set)
check "HTTPS_PROXY points at the closed loopback port" yes \
    "$(has "$out" '^HTTPS_PROXY=http://127\.0\.0\.1:9$')"
check "GIT_SSH_COMMAND fails at once" yes "$(has "$out" "^GIT_SSH_COMMAND=sh -c .*ssh blocked.*exit 1")"
check "GIT_ALLOW_PROTOCOL=file" yes "$(has "$out" '^GIT_ALLOW_PROTOCOL=file$')"
check "No_Proxy is removed whatever its case" no "$(has "$out" '^NO_PROXY=')"
check "GITHUB_TOKEN is scrubbed" no "$(has "$out" '^GITHUB_TOKEN=')"
check "PATHEXT lists .CMD" yes "$(has "$out" '^PATHEXT=(.*;)?\.cmd(;.*)?$')"
check "the current folder is not searched first" yes \
    "$(has "$out" '^NoDefaultCurrentDirectoryInExePath=1$')"
check "denybin is first on PATH" yes "$(has "$out" '^PATH=C:\\users\\[^;]*\\AppData\\Local\\ringfence\\denybin;')"
out=$(run_set --network on)
check "network on: no denybin on PATH" no "$(has "$out" '^PATH=.*ringfence\\denybin')"

# ---- denybin: the stub wins over a real ssh.exe later on PATH ------------------
mkdir -p "$wine_scratch/fakebin"
cp "$helper" "$wine_scratch/fakebin/ssh.exe"
fakebin=$(winpath "$wine_scratch/fakebin")
WINEPATH="$fakebin" wine "$exe" run --network on -- ssh exit 5 >/dev/null 2>&1
check "precondition: with the network on, ssh is the ssh.exe on PATH" 5 $?
WINEPATH="$fakebin" wine "$exe" run -- ssh exit 5 >/dev/null 2>"$wine_scratch/ssh.err"
check "network off: the ssh stub runs first and fails" 1 $?
err=$(tr -d '\r' <"$wine_scratch/ssh.err")
check "with the clear message" yes "$(has "$err" '^ringfence: network is off by policy \(ssh blocked\)$')"
n=$(ls "$denybin" | grep -c '\.cmd$')
check "all ten stubs are installed" 10 "$n"
before=$(stat -c %Y.%i "$denybin/ssh.cmd")
sleep 1
wine "$exe" run -- cmd /c "exit 0" >/dev/null 2>&1
check "installing again leaves an unchanged stub alone" "$before" "$(stat -c %Y.%i "$denybin/ssh.cmd")"
printf 'exit /b 0\r\n' >"$denybin/ssh.cmd"
WINEPATH="$fakebin" wine "$exe" run -- ssh exit 5 >/dev/null 2>&1
check "a changed stub is rewritten before the run" 1 $?

# ---- read-only ------------------------------------------------------------------
ro="$wine_scratch/ro"
mkdir -p "$ro"
(cd "$ro" && wine "$exe" run --read-only -- cmd /c "exit 3" >/dev/null 2>&1)
check "a read-only run returns the command's status" 3 $?
r=no
jq -r '.readonly_sid' "$state" 2>/dev/null | grep -q '^S-1-5-21-' && r=yes
check "the read-only SID is recorded" yes "$r"
in_state() { # in_state DIR -> yes when the state file names DIR (JSON-escaped)
    if grep -qiF "$(winpath "$1" | sed 's/\\/\\\\/g')\"" "$state"; then echo yes; else echo no; fi
}
check "a read-only run grants nothing on its folder" no "$(in_state "$ro")"
check "while a normal run's workspace is recorded" yes "$(in_state "$ws")"
r=no
[ -d "$ro/.git" ] || r=yes
check "a read-only run creates no protected folder" yes "$r"
(cd "$ro" && wine "$exe" run --read-only --backend none -- cmd /c "exit 0" >/dev/null 2>&1)
check "--read-only with backend none fails closed" 125 $?

# ---- ungrant ----------------------------------------------------------------------
wine "$exe" run -- cmd /c "exit 0" >/dev/null 2>&1
out=$(wine "$exe" ungrant "$wws" 2>&1)
check "ungrant exit" 0 $?
n=$(printf '%s' "$out" | sed -n 's/.*removed \([0-9]*\) ACEs.*/\1/p')
check "ungrant removed the workspace's ACEs" yes "$([ "${n:-0}" -gt 0 ] && echo yes || echo "$out")"
out=$(wine "$exe" ungrant "$wws" 2>&1)
check "a second ungrant finds nothing" yes "$(has "$out" 'removed 0 ACEs')"

wineserver -w
echo "wine_policy_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
