#!/bin/bash
# Installs every build and test dependency of ringfence from Debian 12's
# packages.  Idempotent: safe to run again; it only adds what is missing.
set -euo pipefail

packages=(
  # build
  bazel-bootstrap bazel-rules-java gcc libc6-dev pkg-config
  libcjson-dev libseccomp-dev libacl1-dev libnftables-dev libcap-dev nettle-dev
  # fuzzing (libFuzzer ships with clang's runtime)
  clang libclang-rt-14-dev
  # tests: a terminal (script), process tools, JSON checks, the probes' tools
  util-linux procps jq git curl bash coreutils iproute2 acl openssh-client
  # elevated setup: shadow tools (useradd, ...) it runs; nft CLI its test tampers with
  passwd nftables
  # Windows side: cross-compiler and Wine for the process-plumbing tests;
  # dpkg-source unpacks Debian's cJSON source for the Windows build (@cjson_src)
  gcc-mingw-w64-x86-64 wine wine64 dpkg-dev
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The Windows build's @cjson_src fetches cJSON's source from the Debian
# archives apt's lists name (apt-get indextargets): make sure there are lists.
if ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q 'Release$'; then
  echo "install-deps: apt has no package lists yet; running apt-get update"
  $SUDO apt-get update -q
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
