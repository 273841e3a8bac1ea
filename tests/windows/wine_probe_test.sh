#!/bin/sh
# wine_probe_test.sh RF_PROBE_EXE RINGFENCE_WIN_EXE DENYBIN_STUB — rf-probe.exe
# under Wine: the probe table, the unconfined pass and the driver's plumbing
# (world up and down, both passes run, JSON well-formed, roots ungranted).
#
# Wine enforces no restricted SIDs, no file DACLs and no firewall, and
# reports success anyway: nothing here asserts that anything is blocked, and
# the driver must say that its confined column is no evidence (exit 3).
# Probes Wine cannot run are listed below and printed, not hidden: if Wine
# starts running one (or stops running another) the test fails so that the
# list is looked at again.
set -u
here=$(dirname "$0")
. "$here/wine_env.sh"
probe=$(readlink -f "$1")
launcher=$(readlink -f "$2")
denybin=$(dirname "$(readlink -f "$3")")
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

# What Wine 8 cannot do, so the unconfined pass cannot show it either:
# junctions (FSCTL_SET_REPARSE_POINT unsupported, so the .git swap too),
# symlinks (created, but a write through one does not arrive), `::$DATA`
# stream names, and SMB to loopback.
wine_cannot="deny_read.ads_secret network.named_pipe_remote protected.git_junction_swap writes.junction_out writes.symlink_out"

# ---- the table -------------------------------------------------------------
wine "$probe" --list >"$wine_scratch/list.jsonl" 2>&1
check "--list exit" 0 $?
n=$(jq -s 'length' "$wine_scratch/list.jsonl" 2>/dev/null || echo "not JSON")
r=no
[ "$n" -ge 40 ] 2>/dev/null && r=yes
check "--list gives at least 40 probes as JSON lines (got $n)" yes "$r"
r=$(jq -rs '[.[].id] | (length == (unique | length))' "$wine_scratch/list.jsonl")
check "probe ids are unique" true "$r"
r=$(jq -rs '[.[] | select((.id | split(".")[0]) as $p |
        ($p != (if .guarantee == "process_tree" then "process" else .guarantee end)))] | length' \
    "$wine_scratch/list.jsonl")
check "every id starts with its guarantee" 0 "$r"
for g in writes protected deny_read network process_tree; do
    c=$(jq -rs --arg g "$g" '[.[] | select(.guarantee == $g)] | length' "$wine_scratch/list.jsonl")
    r=no
    [ "$c" -ge 3 ] && r=yes
    check "guarantee $g has at least 3 probes ($c)" yes "$r"
done
for id in writes.junction_out writes.ads_outside writes.long_path_prefix writes.short_name \
    writes.physical_drive protected.git_case_variant protected.git_trailing_dot \
    deny_read.named_pipe process.console_inject process.debug_attach process.duplicate_handle; do
    r=$(jq -rs --arg id "$id" 'any(.[]; .id == $id)' "$wine_scratch/list.jsonl")
    check "the Windows variant $id is in the table" true "$r"
done
wine "$probe" --only no.such.probe --world x >/dev/null 2>&1
check "an unknown probe id is refused" 2 $?

# ---- the whole matrix --------------------------------------------------------
# Under `script`, Wine gets a terminal and so a console: the console probe
# (WriteConsoleInputW, the TIOCSTI twin) can run.  Output goes to files.
cat >"$wine_scratch/matrix.sh" <<EOF
exec wine '$probe' --matrix --json --launcher '$(winpath "$launcher")' \\
    --denybin '$(winpath "$denybin")' >'$wine_scratch/matrix.json' 2>'$wine_scratch/matrix.err'
EOF
script -qec "sh '$wine_scratch/matrix.sh'" /dev/null >/dev/null 2>&1
check "--matrix under Wine refuses to count (exit 3)" 3 $?
cat "$wine_scratch/matrix.err"
m="$wine_scratch/matrix.json"
check "the matrix is one JSON document" object "$(jq -r 'type' "$m" 2>/dev/null)"
check "the matrix names Wine" true "$(jq -r '.wine != null' "$m")"
check "the matrix says it is no evidence" false "$(jq -r '.evidence' "$m")"
case "$(jq -r '.note' "$m")" in *"no evidence"*) r=yes ;; *) r=no ;; esac
check "the note says why" yes "$r"
case "$(cat "$wine_scratch/matrix.err")" in *"no evidence"*) r=yes ;; *) r=no ;; esac
check "stderr says it too" yes "$r"
check "the unconfined pass ran" true "$(jq -r '.backends[0].ran' "$m")"
check "the pass under ringfence-win ran" true "$(jq -r '.backends[1].ran' "$m")"
check "the backend's table is the Wine one (writes absent)" absent \
    "$(jq -r '.backends[1].levels.writes' "$m")"
check "every probe has both cells" 0 "$(jq '[.probes[] | select((.cells | length) != 2)] | length' "$m")"
check "probe count matches --list" "$n" "$(jq '.probes | length' "$m")"

# Unconfined, every probe Wine can run must work (skipped: a tool not
# installed, or a privilege missing).
broken=$(jq -r '[.probes[] | select(.cells[0].verdict != "ok" and .cells[0].verdict != "skipped")
    | .id] | sort | join(" ")' "$m")
echo "probes Wine cannot run (reported as error with the reason, listed here):"
jq -r '.probes[] | select(.cells[0].verdict != "ok" and .cells[0].verdict != "skipped")
    | "  \(.id): \(.cells[0].outcome): \(.cells[0].detail)"' "$m"
check "exactly the known probes fail unconfined under Wine" "$wine_cannot" "$broken"
echo "probes skipped on this machine:"
jq -r '.probes[] | select(.cells[0].verdict == "skipped") | "  \(.id): \(.cells[0].detail)"' "$m"
check "controls work under ringfence-win (plumbing: roots granted, private TEMP)" 0 \
    "$(jq '[.probes[] | select(.kind == "control") | select(.cells[1].outcome != "allowed")] | length' "$m")"
case "$(jq -r '.probes[] | select(.id == "writes.temp") | .cells[1].detail' "$m")" in
*'\ringfence\tmp\S-1-5-21-'*) r=yes ;; *) r=no ;; esac
check "the confined probe saw ringfence-win's private TEMP" yes "$r"

# ---- teardown ------------------------------------------------------------------
user_tmp=$(ls -d "$WINEPREFIX"/drive_c/users/*/Temp 2>/dev/null | head -1)
check "the world folder is gone" 0 "$(ls -d "$user_tmp"/rf-probe-* 2>/dev/null | wc -l)"
case "$(cat "$wine_scratch/matrix.err")" in *"ungrant"*"failed"*) r=no ;; *) r=yes ;; esac
check "every root was ungranted" yes "$r"
check "the user's own ringfence state file was not touched" 0 \
    "$(ls "$WINEPREFIX"/drive_c/users/*/AppData/Local/ringfence/state.json 2>/dev/null | wc -l)"
# The target and every listener are gone: the prefix's server has nothing
# left to wait for.
timeout 60 wineserver -w
check "no process of the world outlives the run" 0 $?

# A markdown matrix for a subset: the table and the Wine note.
out=$(wine "$probe" --matrix --markdown --launcher "$(winpath "$launcher")" \
    --only writes.inside --only writes.outside_create 2>/dev/null)
check "--markdown --only exit under Wine" 3 $?
case "$out" in *"| probe | guarantee (level) | none | windows-unelevated |"*"writes.outside_create"*"no evidence"*) r=yes ;;
*"no evidence"*"| probe | guarantee (level) | none | windows-unelevated |"*"writes.outside_create"*) r=yes ;;
*) r="$out" ;; esac
check "--markdown prints the table with the Wine note" yes "$r"

# A launcher that cannot start: the run fails (2), the world still goes.
out=$(wine "$probe" --matrix --launcher 'C:\no\such\ringfence-win.exe' --only writes.inside 2>&1)
check "a missing launcher fails the run (exit 2)" 2 $?
case "$out" in *"did not run: could not start"*) r=yes ;; *) r="$out" ;; esac
check "and says so" yes "$r"
check "the world folder is gone after a failed run" 0 "$(ls -d "$user_tmp"/rf-probe-* 2>/dev/null | wc -l)"

wineserver -w
echo "wine_probe_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
