#!/bin/sh
# wine_audit_test.sh RINGFENCE_EXE — the audit log of `ringfence run` on
# Windows under Wine: %LOCALAPPDATA%\ringfence\audit.jsonl gets run.start and
# run.end (same fields and format as on Linux) and policy.error; concurrent
# runs never interleave; a log inside a writable root (as written, or where
# a link leads) or a folder at the log's name is refused before the command
# runs (exit 125).
#
# Wine does not enforce restricted SIDs or DACLs: nothing here shows that
# the sandboxed command cannot write the log.  These checks cover the file,
# the records and the refusals, which are ringfence's own checks.
set -u
here=$(dirname "$0")
. "$here/wine_env.sh"
exe=$(readlink -f "$1")
wexe=$(winpath "$exe")
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
echo "wine_audit_test: Wine $(wine --version 2>/dev/null) enforces no restricted SID and no DACL;"
echo "wine_audit_test: these checks cover the log file, its records and ringfence's refusals."

ws="$wine_scratch/ws"
mkdir -p "$ws"
cd "$ws" || exit 1
users="$WINEPREFIX/drive_c/users/$(id -un)"
log="$users/AppData/Local/ringfence/audit.jsonl"
lines() { [ -f "$log" ] && wc -l <"$log" | tr -d ' ' || echo 0; }

# ---- one run: run.start and run.end ------------------------------------------
wine "$exe" run -- cmd /c "exit 3" >/dev/null 2>&1
check "the command's status" 3 $?
check "two records" 2 "$(lines)"
start=$(sed -n 1p "$log")
end=$(sed -n 2p "$log")
q() { printf '%s' "$1" | jq -r "$2" 2>&1; }
check "run.start" run.start "$(q "$start" .event)"
check "run.end" run.end "$(q "$end" .event)"
check "one run id for both" "$(q "$start" .run_id)" "$(q "$end" .run_id)"
check "the run id is 32 hex digits" yes "$(q "$start" .run_id | grep -qE '^[0-9a-f]{32}$' && echo yes)"
check "the fields of run.start, in Linux's order" \
    "event,time,user,uid,sid,pid,run_id,backend,cwd,argv,policy_sha256,guarantees,gaps" \
    "$(q "$start" 'keys_unsorted | join(",")')"
check "the fields of run.end, in Linux's order" \
    "event,time,user,uid,sid,pid,run_id,exit,status,signal,duration_ms,timed_out" \
    "$(q "$end" 'keys_unsorted | join(",")')"
check "uid is null on Windows" null "$(q "$start" .uid)"
check "sid is the user's SID" yes "$(q "$start" .sid | grep -qE '^S-1-5-' && echo yes)"
check "time is a UTC stamp" yes \
    "$(q "$start" .time | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$' && echo yes)"
check "backend" windows-unelevated "$(q "$start" .backend)"
check "argv" 'cmd|/c|exit 3' "$(q "$start" '.argv | join("|")')"
check "the policy digest is a SHA-256" yes \
    "$(q "$start" .policy_sha256 | grep -qE '^[0-9a-f]{64}$' && echo yes)"
check "the guarantee table (Wine: writes absent)" "absent enforced" \
    "$(q "$start" '.guarantees.writes + " " + .guarantees.process_tree')"
check "gaps are listed as in status --json" \
    "$(wine "$exe" status --json 2>/dev/null | tr -d '\r' | jq -c '.backends[0].gaps')" \
    "$(q "$start" '.gaps' | jq -c .)"
check "exit and status" "3 3 0 false" "$(q "$end" '"\(.exit) \(.status) \(.signal) \(.timed_out)"')"
check "duration_ms is a number" number "$(q "$end" '.duration_ms | type')"
d1=$(q "$start" .policy_sha256)
wine "$exe" run --network on -- cmd /c "exit 0" >/dev/null 2>&1
check "another policy, another digest" yes "$([ "$(tail -n 2 "$log" | head -n 1 | jq -r .policy_sha256)" != "$d1" ] && echo yes)"
wine "$exe" run -- cmd /c "exit 0" >/dev/null 2>&1
check "the same policy, the same digest" "$d1" "$(tail -n 2 "$log" | head -n 1 | jq -r .policy_sha256)"

# ---- not found, timeout, backend none, a refused policy ------------------------
wine "$exe" run -- no-such-program-here >/dev/null 2>&1
check "not found is 127" 127 $?
check "and recorded with status null" "127 null" "$(tail -n 1 "$log" | jq -r '"\(.exit) \(.status)"')"
wine "$exe" run --timeout 1 -- cmd /c "ping -n 30 127.0.0.1 >NUL" >/dev/null 2>&1
check "timeout is 124" 124 $?
check "and recorded as timed out" "124 true" "$(tail -n 1 "$log" | jq -r '"\(.exit) \(.timed_out)"')"
wine "$exe" run --backend none -- cmd /c "exit 0" >/dev/null 2>&1
check "backend none is recorded too" none "$(tail -n 2 "$log" | head -n 1 | jq -r .backend)"
printf '{"version": 1, "network": "maybe"}\n' >"$wine_scratch/bad.json"
wine "$exe" run --policy "$(winpath "$wine_scratch/bad.json")" -- cmd /c "exit 0" >/dev/null 2>&1
check "a bad policy is 125" 125 $?
check "policy.error names the field" "policy.error network" \
    "$(tail -n 1 "$log" | jq -r '"\(.event) \(.field)"')"
check "every line is JSON" "$(lines)" "$(jq -c . "$log" 2>/dev/null | wc -l | tr -d ' ')"

# ---- a log other users may read ----------------------------------------------------
# Wine reports a DACL made from the Unix mode bits: o+r is Everyone's read.
chmod o+r "$log"
out=$(wine "$exe" run -- cmd /c "exit 0" 2>&1)
check "a log other users may read is refused (125)" 125 $?
check "saying why" yes "$(printf '%s' "$out" | grep -qi 'another user could read or alter' && echo yes)"
chmod o-r "$log"
wine "$exe" run -- cmd /c "exit 0" >/dev/null 2>&1
check "private again: accepted" 0 $?

# ---- concurrent runs never interleave ---------------------------------------------
before=$(lines)
i=0
while [ $i -lt 8 ]; do
    wine "$exe" run -- cmd /c "exit $i" >/dev/null 2>&1 &
    i=$((i + 1))
done
wait
check "8 concurrent runs add 16 lines" $((before + 16)) "$(lines)"
check "every line is still one JSON record" "$(lines)" "$(jq -c . "$log" 2>/dev/null | wc -l | tr -d ' ')"
check "each run id twice" 8 "$(tail -n 16 "$log" | jq -r .run_id | sort | uniq -c | awk '$1 == 2' | wc -l | tr -d ' ')"

# ---- refused locations: the command must not run ----------------------------------
marker="$ws/ran"
wmarker=$(winpath "$marker")
before=$(lines)
local_dir="$(winpath "$users/AppData/Local")\\ringfence"
out=$(wine "$exe" run --backend none --allow-write "$local_dir" -- cmd /c mkdir "$wmarker" 2>&1)
check "a log inside a writable root is refused (125)" 125 $?
check "naming the writable root" yes "$(printf '%s' "$out" | grep -qi 'audit log.*inside the writable root' && echo yes)"
check "and the command did not run" no "$([ -e "$marker" ] && echo yes || echo no)"
check "and nothing was logged" "$before" "$(lines)"

# %LOCALAPPDATA% inside the workspace (cmd sets it: Wine resets it for its
# own programs).  The log is checked before anything changes on disk: no
# state file, no stubs, no grant.
mkdir -p "$ws/state"
out=$(wine cmd /c "set LOCALAPPDATA=$(winpath "$ws/state")&& $wexe run -- cmd /c mkdir $wmarker" 2>&1)
check "%LOCALAPPDATA% inside the workspace: refused" yes \
    "$(printf '%s' "$out" | grep -qi 'audit log.*inside the writable root' && echo yes)"
check "and the command did not run" no "$([ -e "$marker" ] && echo yes || echo no)"
check "and nothing was written there (state, stubs, log)" "" "$(ls -A "$ws/state")"

# A link outside the workspace that leads into it.
ln -s "$ws/state" "$wine_scratch/outside-link"
out=$(wine cmd /c "set LOCALAPPDATA=$(winpath "$wine_scratch")\\outside-link&& $wexe run --backend none -- cmd /c mkdir $wmarker" 2>&1)
check "a link that leads into a writable root: refused" yes \
    "$(printf '%s' "$out" | grep -qi 'audit log.*leads to.*inside the writable root' && echo yes)"
check "and the command did not run" no "$([ -e "$marker" ] && echo yes || echo no)"

# A folder where the log should be.
mkdir -p "$wine_scratch/dirlog/ringfence/audit.jsonl"
out=$(wine cmd /c "set LOCALAPPDATA=$(winpath "$wine_scratch/dirlog")&& $wexe run --backend none -- cmd /c mkdir $wmarker" 2>&1)
check "a folder at the log's name: refused" yes \
    "$(printf '%s' "$out" | grep -qiE 'audit log' && echo yes)"
check "and the command did not run" no "$([ -e "$marker" ] && echo yes || echo no)"

wine "$exe" run --backend none -- cmd /c mkdir "$wmarker" >/dev/null 2>&1
check "precondition of the above: the same command, allowed, leaves its marker" yes \
    "$([ -d "$marker" ] && echo yes || echo no)"

wineserver -w
echo "wine_audit_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
