#!/bin/bash
# bench/elevated.sh — spawn latency of the elevated backend, beside unelevated
# and bare fork+exec, in one interleaved run (issue 7).
#
# The elevated backend only exists after `sudo ringfence setup`, and the runner
# refuses root callers, so this script (run as root) does what an admin and a
# user would do, and undoes it:
#   1. stages the built programs in a world-readable folder (/root is 0700);
#   2. in a network namespace of its own (so the nftables table never reaches
#      the host's ruleset), runs `ringfence setup` with a temporary user
#      `rftest-bench` as the invoking user (it joins the sandbox group);
#   3. runs bench's spawn phase as that user on a workspace it owns;
#   4. `ringfence uninstall`, removes the user and the staging folder, and
#      checks that /etc/passwd and /etc/group are as before.
# Setup creates the real sandbox users (ringfence-offline, ringfence-online)
# and group for the length of the run: do not run it on a machine where
# ringfence is already set up (the script refuses).
#
# With --probe, it also runs `ringfence probe --all --markdown` as the member
# (the escape matrix with the elevated column: the README's table) into
# DIR/matrix.md.
#
# Usage: bench/elevated.sh [--n N] [--out DIR] [--probe]
#        (after `bazel build //:ringfence //bench //backends/linux/elevated:all`)
set -euo pipefail

n=200
probe=0
out="$(pwd)/bench/out-elevated"
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --probe) probe=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "elevated.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || { echo "elevated.sh: run as root (it runs ringfence setup)" >&2; exit 2; }
[ ! -e /etc/ringfence/setup.json ] || {
  echo "elevated.sh: ringfence is already set up here; refusing to touch it" >&2; exit 2; }
bin="$(pwd)/bazel-bin"
for f in ringfence bench/bench bench/landlock_launcher backends/linux/elevated/ringfence-setup \
         backends/linux/elevated/ringfence-runner backends/linux/elevated/ringfence-grant \
         probe/rf-probe; do
  [ -x "$bin/$f" ] || { echo "elevated.sh: $bin/$f missing: bazel build //:ringfence //bench" >&2; exit 2; }
done

user=rftest-bench
# Not under /tmp: the sandboxes give the command a private /tmp, and the
# probe program must stay reachable inside them.
stage=$(mktemp -d /var/tmp/rfbench.XXXXXX)
passwd_before=$(mktemp) group_before=$(mktemp)
cp /etc/passwd "$passwd_before"; cp /etc/group "$group_before"
libexec_existed=0; [ -d /usr/local/libexec ] && libexec_existed=1

cleanup() {
  set +e
  if [ -e /etc/ringfence/setup.json ] || getent group ringfence >/dev/null; then
    unshare --net "$stage/ringfence" uninstall >/dev/null 2>&1 \
      || echo "elevated.sh: uninstall failed: run '$stage/ringfence uninstall'" >&2
  fi
  getent passwd "$user" >/dev/null && userdel "$user"
  [ "$libexec_existed" -eq 0 ] && rmdir /usr/local/libexec 2>/dev/null
  rm -rf "$stage"
  if cmp -s /etc/passwd "$passwd_before" && cmp -s /etc/group "$group_before"; then
    echo "elevated.sh: /etc/passwd and /etc/group are as before"
  else
    echo "elevated.sh: WARNING: /etc/passwd or /etc/group differ from before" >&2
    diff "$passwd_before" /etc/passwd >&2; diff "$group_before" /etc/group >&2
  fi
  rm -f "$passwd_before" "$group_before"
}
trap cleanup EXIT

# 1. Stage: the same relative layout rf_install_find expects beside the CLI.
chmod 755 "$stage"
mkdir -p "$stage/bench" "$stage/backends/linux/elevated" "$stage/probe" "$stage/denybin" "$stage/home" "$stage/out"
cp "$bin/ringfence" "$stage/"
cp "$bin/bench/bench" "$bin/bench/landlock_launcher" "$stage/bench/"
cp "$bin"/backends/linux/elevated/ringfence-{setup,runner,grant} "$stage/backends/linux/elevated/"
cp "$bin/probe/rf-probe" "$stage/probe/"
cp -r "$bin/denybin/stubs" "$stage/denybin/"
chmod -R a+rX "$stage"

# 2. A user to run as, and setup with it as the invoking user.
useradd --system --no-create-home --home-dir "$stage/home" --shell /usr/sbin/nologin "$user"
uid=$(id -u "$user")
chown "$user:" "$stage/home" "$stage/out"
# The network namespace keeps the table (and everything the runs do) off the host.
unshare --net bash -euo pipefail -c '
  ip link set lo up
  SUDO_UID='"$uid"' SUDO_USER='"$user"' "$0/ringfence" setup
  "$0/ringfence" setup --check
  # 3. The spawn phase as the member (group membership as setup made it).
  setpriv --reuid '"$uid"' --regid "$(id -g '"$user"')" --init-groups --inh-caps=-all \
    env -i HOME="$0/home" PATH=/usr/bin:/bin USER='"$user"' LOGNAME='"$user"' \
    XDG_STATE_HOME="$0/home/state" XDG_CONFIG_HOME="$0/home/config" \
    bash -c "cd \"\$0/home\" && \"\$0/bench/bench\" --ringfence \"\$0/ringfence\" \
      --phases spawn,scale,workload --only landlock,rf-lib-elevated,rf-cli-elevated,rf-lib-unelevated,rf-cli-unelevated \
      --n '"$n"' --scratch \"\$0/home/scratch\" --out \"\$0/out\" && \
      if [ '"$probe"' = 1 ]; then \"\$0/ringfence\" probe --all --markdown > \"\$0/out/matrix.md\" 2> \"\$0/out/matrix.log\" || echo \"probe exit status \$?\" >> \"\$0/out/matrix.log\"; fi" "$0"
' "$stage"
mkdir -p "$out"
cp -r "$stage/out/." "$out/"
echo "elevated.sh: results in $out"
