#!/bin/bash
# Quick start, step 1: install what ringfence needs, build it, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
bazel build //:ringfence
./bazel-bin/ringfence demo
