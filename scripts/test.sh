#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (npm packages including Node 22;
# from the Go module proxy the Pulumi CLI and language hosts, actionlint and SPIRE; pulumi and pytest
# from PyPI), builds, checks generated files, type-checks and runs every test: unit tests, the
# SPIRE tests, language-native example tests (pytest, go test) and the end-to-end runs of every
# example through the real Pulumi engine against the offline AWS stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS
step() { echo "==> $* ($((SECONDS - started)) s)"; }

if [[ "${CI:-}" == "true" || ! -x node_modules/.bin/node || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi
export PATH="$root/node_modules/.bin:$PATH"
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
step "node $(node --version) (from the npm package node@22), $(go version | cut -d' ' -f3)"

step "build"
npm run -s build
step "type-check tests and scripts"
tsc -p tsconfig.test.json
step "schema.json drift"
node scripts/schema.mts --check

step "tools: actionlint, Pulumi CLI + language hosts, SPIRE (Go module proxy; cached in .tools/)"
bash scripts/tools.sh
bash scripts/toolchain.sh
bash scripts/spire.sh
step "sdk/ drift"
bash scripts/sdk.sh --check
step "docs/reference drift (npm run reference)"
node scripts/reference.mts --check
step "offline stand-in for the aws, tls and random providers"
bash tests/standin/build.sh

step "SDK builds: nodejs (tsc), go (go build), python (pip install + import)"
tsc -p sdk/nodejs/tsconfig.json --noEmit
(cd sdk && GOFLAGS=-mod=mod go build ./...)
step "example programs prepared outside the timed tests: Python venv + SDK, Go examples compiled as the language host compiles them"
bash scripts/prepare-examples.sh
venv="$root/tests/.work/venv"

mkdir -p tests/.work
summary=()
failed=0

step "language-native example tests: pytest"
for dir in examples/*-py; do
  [[ -d "$dir/tests" ]] || continue
  if (cd "$dir" && "$venv/bin/python" -m pytest -q tests 2>&1 | tee "$root/tests/.work/pytest.log"); then :; else failed=1; fi
  summary+=("pytest $dir: $(grep -E '[0-9]+ (passed|failed)' "$root/tests/.work/pytest.log" | tail -1)")
done
step "language-native example tests: go test"
for dir in examples/*-go; do
  if (cd "$dir" && GOFLAGS=-mod=mod go test ./... 2>&1 | tee "$root/tests/.work/gotest.log"); then :; else failed=1; fi
  summary+=("go test $dir: $(tail -1 "$root/tests/.work/gotest.log")")
done

step "release artifacts into dist/ (npm run dist) for the installation tests"
bash scripts/dist.sh

step "vitest: unit, SPIRE, installation and end-to-end tests"
set +e
vitest run --reporter=default --reporter=json --outputFile.json=tests/.work/vitest.json "$@"
status=$?
set -e
[[ $status -eq 0 ]] || failed=1
for line in "${summary[@]}"; do echo "$line"; done
node -e '
const r = require(process.argv[1]);
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' "$root/tests/.work/vitest.json"
step "done"
exit $failed
