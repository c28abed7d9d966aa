#!/usr/bin/env bash
# Does, once and outside any timed test, what a first run of the examples would otherwise download or
# compile: the Python virtualenv (pulumi from PyPI and the generated SDK from sdk/python) and every Go
# example compiled exactly as the language host compiles it (scripts/toolchain/langhost, buildGo), so
# that Go's build cache holds it. On a cold 2-core machine the Go part takes minutes; warm, seconds.
# scripts/test.sh runs it before the tests, and the end-to-end tests run it again in beforeAll
# (idempotent) so they also work when started alone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

venv="$root/tests/.work/venv"
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check pulumi==3.270.0 pytest "$root/sdk/python"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$root/sdk/python"
"$venv/bin/python" -c "import pulumi_rampart as r; assert r.ServicePlatform and r.ZeroTrustIdentity and r.AuthorizerWithPolicyStore"
echo "prepare-examples.sh: Python venv ready ($((SECONDS - started)) s)"

for dir in examples/*-go tests/e2e/programs/*-go; do
  [[ -f "$dir/go.mod" ]] || continue
  (cd "$dir" && go build -buildvcs=false -trimpath -ldflags "-w -s" -o /dev/null .)
  echo "prepare-examples.sh: compiled $dir ($((SECONDS - started)) s)"
done
