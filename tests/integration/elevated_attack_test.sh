#!/bin/bash
# elevated_attack_test — attacks on the setuid runner by a member of the group
# (the review of the runner, H/M/L findings), in the world of elevated_world.sh.
# Each section names the finding; each fails on the runner before its fix.
#
# Args: ringfence_testbuild  ringfence-runner_testbuild  ringfence-grant_testbuild
#       runner_orphan_probe  denybin-stub...
# Needs root.
set -u

RF_SRC="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
RUNNER_SRC="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
GRANT_SRC="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
PROBE="$(cd "$(dirname "$4")" && pwd)/$(basename "$4")"
shift 4
STUBS=("$@")
# shellcheck source=elevated_world.sh
. "$(dirname "$0")/elevated_world.sh"

WS="$W/ws"
mkdir -p "$WS" && chown "$ME:$ME" "$WS" && grant "$WS"

req_tmpl() { # workspace argv-json [tmp_private]: a request whose parent_pid is %d
    printf '{"format":1,"parent_pid":%%d,"argv":%s,"env":["PATH=/usr/bin:/bin"],"cwd":"/","network":false,' "$2"
    printf '"tmp_private":%s,"tty":false,"workspace":"%s","writable_roots":[],"protected":[],"deny_read":[]}' \
        "${3:-true}" "$1"
}

# ---- H2: a run never outlives its runner ---------------------------------------------
# The init is stopped (here by root, standing for anything that delays it) before it
# arms its parent-death signal; the runner releases it and is killed; the init goes on.
out="$("$PROBE" "$RUNNER" "$(uid "$ME")" "$(gid "$ME")" "$(req_tmpl "$WS" '["sleep","7"]')" 60 2>&1)"
expect_eq "$out" "none" "H2: an init whose runner died before it armed the parent-death signal does not go on"

echo "elevated_attack_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
