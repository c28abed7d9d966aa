#!/usr/bin/env bash
# Builds the provider plugin directory (what the plugin tarballs hold) into OUT from the compiled bin/
# (run `npm run build` first). Used by scripts/dist.sh and tests/bench/startup.mts.
#
#   bash scripts/plugin.sh OUT
#
# The plugin is a launcher plus bundled JavaScript: `pulumi-resource-rampart` is a small POSIX shell
# script that runs `node bin/host/main.js`, which turns on Node's module compile cache and then runs
# bin/host/plugin.bundle.js: one esbuild bundle of the plugin host, the components, @pulumi/pulumi and
# the AWS/TLS/random SDKs (scripts/bundle-plugin.mts). Next to them: schema.json, the authorizer
# Lambda bundle and cedar-wasm (JavaScript + WebAssembly).
set -euo pipefail
out=${1:?usage: bash scripts/plugin.sh OUT}
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
for f in bin/host/main.js bin/host/plugin.bundle.js bin/lambda/authorizer/index.js; do
  [[ -f $f ]] || { echo "plugin: $f is missing; run npm run build first" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/bin/host" "$out/node_modules/@cedar-policy/cedar-wasm"
# main.js is the compiled loader as it is (it needs only Node's own modules); the bundle is a separate
# file so that the compile cache, which main.js turns on, covers it.
grep -v '^//# sourceMappingURL=' bin/host/main.js >"$out/bin/host/main.js"
cp bin/host/plugin.bundle.js "$out/bin/host/plugin.bundle.js"
cp -r bin/lambda "$out/bin/lambda"
find "$out/bin/lambda" -name '*.map' -delete
cp schema.json "$out/schema.json"
# cedar-wasm reads its .wasm next to its JavaScript, so it ships as a package rather than in the bundle.
cp node_modules/@cedar-policy/cedar-wasm/package.json "$out/node_modules/@cedar-policy/cedar-wasm/"
cp -r node_modules/@cedar-policy/cedar-wasm/nodejs "$out/node_modules/@cedar-policy/cedar-wasm/nodejs"
cp LICENSE "$out/" 2>/dev/null || true
# The components find their package root (and the Lambda bundle) through the nearest package.json.
node -e '
const pkg = require("./package.json");
process.stdout.write(JSON.stringify({ name: "pulumi-resource-rampart", version: pkg.version, private: true,
  description: "The rampart Pulumi provider plugin (bundled). Needs Node.js >= 22 on PATH.", license: pkg.license }, null, 2) + "\n");
' >"$out/package.json"
cat >"$out/pulumi-resource-rampart" <<'LAUNCHER'
#!/bin/sh
# rampart provider plugin launcher: runs the bundled plugin host with the Node.js on PATH (>= 22).
dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
node=${RAMPART_NODE:-node}
if ! command -v "$node" >/dev/null 2>&1; then
  echo "pulumi-resource-rampart: Node.js 22 or newer is required on PATH (https://nodejs.org)" >&2
  exit 1
fi
# `node --version` answers without starting JavaScript (`node -p` would add about 0.1 s to every start).
version=$("$node" --version 2>/dev/null)
major=${version#v}
major=${major%%.*}
case $major in ''|*[!0-9]*) major=0 ;; esac
# Node.js 20 and 21 run the plugin far enough to answer the engine, and every Construct then fails with
# the one clean line "Node.js 22 or newer is required ..." (provider/src/host/provider.ts). Exiting here
# instead would make the engine print the line under "Detected that ... exited prematurely. This is
# *always* a bug in the provider" with the plugin's output dumped. Older Node.js cannot load the bundle.
if [ "$major" -lt 20 ]; then
  echo "pulumi-resource-rampart: Node.js 22 or newer is required; found ${version:-no version} at $(command -v "$node")" >&2
  exit 1
fi
exec "$node" "$dir/bin/host/main.js" "$@"
LAUNCHER
chmod 755 "$out/pulumi-resource-rampart"
