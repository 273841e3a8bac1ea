#!/bin/bash
# elevated_world.sh — sourced by the elevated tests: a test world of their own.
#
#   users    group $GRP; sandbox users $OFF and $ON (own groups); a member
#            $ME and a non-member $OTHER — all named rftest<pid>*, removed
#            on exit (also on failure, with any process still running as
#            them, ended by pid)
#   $W       a folder under /var/tmp (the sandbox's private /tmp would hide
#            one under /tmp), removed on exit
#   $BIN     the CLI ($BIN/ringfence), its denybin stubs, the test build of
#            ringfence-grant, the test runner
#            installed root:$GRP 4750, and setup.json beside it
#   $HOMEDIR the caller's home; as_user USER CMD runs CMD as USER with a
#            clean environment that points the CLI at $BIN/setup.json
#
# Before sourcing: RF_SRC, RUNNER_SRC, GRANT_SRC (absolute paths), STUBS (array).
# Provides: uid, gid, as_user, grant, write_record, expect_* and counters.
# Not root: skipped (exit 0, like setup_test.sh and grant_acl_test); as root it runs fully.
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: $(basename "$0") needs root (creates users and a setuid runner)"
    exit 0
fi

tag="rftest$$"
GRP="${tag}g" OFF="${tag}off" ON="${tag}on" ME="${tag}u" OTHER="${tag}x"
W=""
cleanup() {
    # A run the test could not end would keep its user busy (userdel
    # refuses): end the test users' own processes, by pid.
    for u in "$ME" "$OTHER" "$OFF" "$ON"; do
        id -u "$u" >/dev/null 2>&1 || continue
        for p in $(ps -o pid= -u "$(id -u "$u")" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    done
    for u in "$ME" "$OTHER" "$OFF" "$ON"; do
        getent passwd "$u" >/dev/null && userdel "$u" >/dev/null 2>&1
        getent group "$u" >/dev/null && groupdel "$u" >/dev/null 2>&1
    done
    getent group "$GRP" >/dev/null && groupdel "$GRP" >/dev/null 2>&1
    # What ringfence-setup's test build made, when a test used it ($SP) and failed before uninstall.
    if [ -n "${SP:-}" ]; then
        for u in "$SP-offline" "$SP-online"; do getent passwd "$u" >/dev/null && userdel "$u" >/dev/null 2>&1; done
        getent group "$SP" >/dev/null && groupdel "$SP" >/dev/null 2>&1
    fi
    [ -n "$W" ] && rm -rf "$W"
    [ -n "${OTHER_HOME:-}" ] && rm -rf "$OTHER_HOME"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3 (got '$1', want '$2')"; fi; }
expect_contains() { case "$1" in *"$2"*) ok ;; *) bad "$3 (lacks '$2'): $1" ;; esac; }
expect_lacks() { case "$1" in *"$2"*) bad "$3 (contains '$2'): $1" ;; *) ok ;; esac; }

# ---- the world -----------------------------------------------------------------
groupadd --system "$GRP" || exit 1
for u in "$OFF" "$ON"; do
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group "$u" || exit 1
done
useradd --system --no-create-home --home-dir /nonexistent --shell /bin/sh --user-group --groups "$GRP" "$ME" || exit 1
useradd --system --no-create-home --home-dir /nonexistent --shell /bin/sh --user-group "$OTHER" || exit 1
uid() { id -u "$1"; }
gid() { getent group "$1" | cut -d: -f3; }

# Not under /tmp: the sandbox's private /tmp would hide it.
W="$(mktemp -d /var/tmp/rf-elevated.XXXXXX)" || exit 1
chmod 0755 "$W"
BIN="$W/bin"
mkdir -p "$BIN/denybin/stubs" "$BIN/backends/linux/elevated"
cp "$RF_SRC" "$BIN/ringfence"
# Beside the CLI, where it looks for the test build of ringfence-grant.
cp "$GRANT_SRC" "$BIN/backends/linux/elevated/ringfence-grant_testbuild"
for s in "${STUBS[@]}"; do cp "$s" "$BIN/denybin/stubs/"; done
chmod -R a+rX "$BIN"
install -o root -g "$GRP" -m 4750 "$RUNNER_SRC" "$BIN/ringfence-runner"
RUNNER="$BIN/ringfence-runner"

write_record() { # path runner
    cat >"$1" <<EOF
{"format": 1, "version": "0.1.0",
 "group": {"name": "$GRP", "id": $(gid "$GRP")},
 "offline": {"name": "$OFF", "id": $(uid "$OFF"), "home": "/var/lib/ringfence/$OFF"},
 "online": {"name": "$ON", "id": $(uid "$ON"), "home": "/var/lib/ringfence/$ON"},
 "firewall": {"table": "$tag", "sha256": "$(printf '0%.0s' $(seq 64))",
              "restore_unit": "/etc/systemd/system/$tag.service", "proxy_ports": []},
 "runner": {"path": "$2", "sha256": "$(sha256sum "$2" | cut -d' ' -f1)"}}
EOF
    chmod 0644 "$1"
}
write_record "$BIN/setup.json" "$RUNNER"

grant() { setfacl -m "u:$OFF:rwx,u:$ON:rwx,d:u:$OFF:rwx,d:u:$ON:rwx,d:u:$ME:rwx" "$1"; }
HOMEDIR="$W/home"
mkdir -p "$HOMEDIR" && chown "$ME:$ME" "$HOMEDIR"
as_user() { # user cmd...
    local u="$1"
    shift
    setpriv --reuid="$(uid "$u")" --regid="$(gid "$u")" --init-groups -- \
        env -i PATH=/usr/bin:/bin HOME="$HOMEDIR" USER="$u" LOGNAME="$u" \
        XDG_STATE_HOME="$HOMEDIR/state" XDG_CONFIG_HOME="$HOMEDIR/config" \
        RINGFENCE_TEST_SETUP_RECORD="$BIN/setup.json" "$@"
}
