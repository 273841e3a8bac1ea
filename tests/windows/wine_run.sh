#!/bin/sh
# wine_run.sh EXE ARGS... — runs a Windows test program under Wine in a fresh,
# private prefix (headless), then removes the prefix.  Wine does not enforce
# restricted SIDs or file DACLs: what passes here is plumbing, not the boundary.
set -eu
if ! command -v wine >/dev/null 2>&1; then
    echo "wine_run.sh: wine is not installed (Debian package: wine)" >&2
    exit 1
fi
exe=$(readlink -f "$1")
shift
scratch=$(mktemp -d "${TEST_TMPDIR:-/tmp}/rf-wine.XXXXXX")
export WINEPREFIX="$scratch/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# wineserver -k ends only the server of this private prefix.
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
wineboot -i >/dev/null 2>&1
wineserver -w
# Z: is Wine's view of /; arguments that name files are passed as Z:<path>.
args=""
for a in "$@"; do
    case "$a" in
    /*) a="Z:$a" ;;
    esac
    args="$args $a"
done
# shellcheck disable=SC2086 # word splitting of the path list is intended
wine "$exe" $args
status=$?
wineserver -w
exit $status
