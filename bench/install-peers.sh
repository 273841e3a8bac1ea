#!/bin/bash
# install-peers.sh — installs the sandboxes that the benchmark compares
# ringfence with, so that they run side by side in one run of //bench.
#
#   Debian: bubblewrap, firejail (--no-install-recommends), socat, ripgrep
#           (sandbox-runtime needs the last two), nodejs + npm when missing,
#           gnuplot-nox (charts), git, make, gcc (workloads).
#   npm:    @openai/codex and @anthropic-ai/sandbox-runtime, into
#           bench/peers/ (git-ignored), never globally.
#
# Idempotent: it only adds what is missing.  A peer that fails to install is
# reported here and, later, listed by the benchmark as skipped with the reason;
# this script never fails the whole run for one peer.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="${RINGFENCE_BENCH_PEERS:-$here/peers}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

debian=(bubblewrap socat ripgrep gnuplot-nox git make gcc procps)
missing=()
for p in "${debian[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# firejail pulls a desktop's worth of recommends; the bench needs only the binary.
firejail_missing=0
dpkg-query -W -f='${Status}' firejail 2>/dev/null | grep -q "install ok installed" || firejail_missing=1
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ "${#missing[@]}" -gt 0 ] || [ "$firejail_missing" -eq 1 ]; then
  $SUDO apt-get update -q || echo "install-peers: apt-get update failed" >&2
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-peers: apt-get install ${missing[*]}"
  for p in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$p" \
      || echo "install-peers: could not install $p (its peer will be skipped)" >&2
  done
fi
if [ "$firejail_missing" -eq 1 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends firejail \
    || echo "install-peers: could not install firejail (it will be skipped)" >&2
fi

mkdir -p "$peers"
if ! command -v npm >/dev/null 2>&1; then
  echo "install-peers: npm is missing: codex and srt will be skipped" >&2
  exit 0
fi
[ -f "$peers/package.json" ] || printf '{ "name": "ringfence-bench-peers", "private": true }\n' >"$peers/package.json"
for pkg in @openai/codex @anthropic-ai/sandbox-runtime; do
  if [ -f "$peers/node_modules/$pkg/package.json" ]; then
    echo "install-peers: $pkg already installed"
    continue
  fi
  echo "install-peers: npm install $pkg"
  (cd "$peers" && npm install --no-audit --no-fund --loglevel=error "$pkg") \
    || echo "install-peers: could not install $pkg (it will be skipped)" >&2
done
# Codex refuses a CODEX_HOME under /tmp; keep its state beside the packages.
mkdir -p "$peers/codex-home"
echo "install-peers: done ($peers)"
