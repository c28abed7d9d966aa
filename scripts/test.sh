#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (npm packages including Node 22,
# actionlint from the Go module proxy), builds, checks generated files, type-checks and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [[ "${CI:-}" == "true" || ! -x node_modules/.bin/node || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
fi
export PATH="$root/node_modules/.bin:$PATH"
echo "==> node $(node --version) (from the npm package node@22), npm $(npm --version)"

echo "==> build"
npm run -s build
echo "==> type-check tests and scripts"
tsc -p tsconfig.test.json
echo "==> schema.json drift"
node scripts/schema.mts --check

echo "==> tools (actionlint)"
bash scripts/tools.sh

echo "==> vitest"
mkdir -p tests/.work
set +e
vitest run --reporter=default --reporter=json --outputFile.json=tests/.work/vitest.json "$@"
status=$?
set -e
node -e '
const r = require(process.argv[1]);
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' "$root/tests/.work/vitest.json"
exit $status
