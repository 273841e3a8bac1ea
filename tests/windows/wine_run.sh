#!/bin/sh
# wine_run.sh EXE ARGS... — runs a Windows test program under Wine; arguments
# that are absolute paths are passed as Windows paths (Z:...).
set -eu
here=$(dirname "$0")
. "$here/wine_env.sh"
exe=$(readlink -f "$1")
shift
args=""
for a in "$@"; do
    case "$a" in
    /* | bazel-out/* | tests/*) a=$(winpath "$a") ;;
    esac
    args="$args $a"
done
status=0
# shellcheck disable=SC2086 # the argument list is split on purpose
wine "$exe" $args || status=$?
wineserver -w
exit $status
