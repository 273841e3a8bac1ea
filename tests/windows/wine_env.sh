# wine_env.sh — sourced by the Wine tests: a fresh, private, headless Wine
# prefix for this test only, removed on exit.  Wine does not enforce
# restricted SIDs or file DACLs: what passes under it is plumbing, never the
# boundary.

if ! command -v wine >/dev/null 2>&1; then
    echo "$0: wine is not installed (Debian package: wine)" >&2
    exit 1
fi
wine_scratch=$(mktemp -d "${TEST_TMPDIR:-/tmp}/rf-wine.XXXXXX")
export WINEPREFIX="$wine_scratch/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# wineserver -k ends only the server of this private prefix.
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$wine_scratch"' EXIT
wineboot -i >/dev/null 2>&1
wineserver -w

# Z: is Wine's view of /.
winpath() {
    printf 'Z:%s' "$(readlink -f "$1")" | tr / '\\'
}
