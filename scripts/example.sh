#!/usr/bin/env bash
# The main job from a fresh clone: installs, builds and previews an example stack offline.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x node_modules/.bin/node || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"
npm run -s build
node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON scripts/example.mts "$@"
