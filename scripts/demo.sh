#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The main job on the bundled data: everything kommute can do so far.
set -euo pipefail
cd "$(dirname "$0")/.."
K=build/kommute
mkdir -p build/demo
echo "== kommute $($K --version)"
