#!/usr/bin/env bash
# Generates the Python, Go and Node.js SDKs from schema.json with the Pulumi CLI built by
# scripts/toolchain.sh: `npm run sdk` writes sdk/<language>; `--check` regenerates into a
# temporary folder and fails when the committed SDKs differ.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/toolchain.sh >/dev/null
pulumi="$root/.tools/pulumi/bin/pulumi"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="${PULUMI_HOME:-$root/.tools/pulumi/home}"

out="$root/sdk"
check=false
if [[ "${1:-}" == "--check" ]]; then
  check=true
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

for language in nodejs python go; do
  rm -rf "${out:?}/$language"
  "$pulumi" package gen-sdk "$root/schema.json" --language "$language" --out "$out" >/dev/null
done
# sdk/go.mod and sdk/go.sum (the Go SDK's module, tagged sdk/vX.Y.Z on release) are maintained
# by hand and left alone.

if $check; then
  stale=false
  for language in nodejs python go; do
    diff -r -q "$root/sdk/$language" "$out/$language" -x node_modules -x bin -x '*.egg-info' -x __pycache__ -x build || stale=true
  done
  if $stale; then
    echo "sdk/ is stale; run \`npm run sdk\`" >&2
    exit 1
  fi
  echo "sdk/ is up to date"
else
  echo "wrote sdk/nodejs, sdk/python, sdk/go"
fi
