#!/usr/bin/env bash
# Builds every release artifact offline (package registries only) into dist/ (git-ignored):
#
#   dist/rampart-iac-pulumi-rampart-X.Y.Z.tgz                 npm package (npm pack)
#   dist/pulumi_rampart-X.Y.Z-py3-none-any.whl, .tar.gz        Python wheel and sdist of sdk/python
#   dist/go/sdk/                                               the Go SDK module (sdk/go.mod), as tagged sdk/vX.Y.Z
#   dist/pulumi-rampart-sdk-go-vX.Y.Z.tar.gz                   the same module as an archive
#   dist/pulumi-resource-rampart-vX.Y.Z-<os>-<arch>.tar.gz     the provider plugin (linux/darwin, amd64/arm64)
#   dist/SHA256SUMS
#
# The provider plugin (scripts/plugin.sh) is a launcher plus bundled JavaScript: `pulumi-resource-rampart`
# is a small POSIX shell script that runs `node bin/host/main.js`, which turns on Node's compile cache
# and runs bin/host/plugin.bundle.js (one esbuild bundle of the plugin host, the components and
# @pulumi/pulumi), next to schema.json, the authorizer Lambda bundle and cedar-wasm (JavaScript +
# WebAssembly). It needs Node.js 22 or newer on PATH, which the TypeScript SDK needs anyway; nothing
# in it is platform-specific, so one build serves every platform tarball.
# See docs/installation-configuration.md for why this rather than a Node single executable.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/node_modules/.bin:$PATH"
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
started=$SECONDS
step() { echo "dist: $* ($((SECONDS - started)) s)"; }

version=$(node -p 'require("./package.json").version')
out="$root/dist"
rm -rf "$out"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

step "build (tsc + Lambda bundle) for version $version"
npm run -s build

# Every artifact must carry the package.json version (npm run version-packages regenerates them).
node -e '
const [version] = process.argv.slice(1);
const fs = require("fs");
const schema = JSON.parse(fs.readFileSync("schema.json", "utf8"));
const places = {
  "schema.json": schema.version,
  "sdk/nodejs/package.json": JSON.parse(fs.readFileSync("sdk/nodejs/package.json", "utf8")).version,
  "sdk/python/pyproject.toml": /^\s*version = "([^"]+)"/m.exec(fs.readFileSync("sdk/python/pyproject.toml", "utf8"))?.[1],
  "sdk/go/rampart/pulumi-plugin.json": JSON.parse(fs.readFileSync("sdk/go/rampart/pulumi-plugin.json", "utf8")).version,
};
const wrong = Object.entries(places).filter(([, v]) => v !== version);
if (wrong.length) { console.error(`dist: package.json is ${version} but ${wrong.map(([p, v]) => `${p} is ${v}`).join(", ")}: run npm run version-packages (or npm run schema && npm run sdk)`); process.exit(1); }
' "$version"

step "npm package (npm pack)"
npm pack --silent --pack-destination "$out" >/dev/null

step "Python wheel and sdist (python -m build)"
venv="$root/.tools/python-build"
python=${PYTHON:-python3}
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import build, setuptools' 2>/dev/null; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check build==1.6.1 setuptools==84.2.1 wheel==0.48.0
fi
cp -r sdk/python "$stage/python"
rm -rf "$stage/python/build" "$stage/python"/*.egg-info
# pyproject.toml names README.md for the long description; the generator writes it inside the package.
cp sdk/python/pulumi_rampart/README.md "$stage/python/README.md"
(cd "$stage/python" && "$venv/bin/python" -m build --no-isolation --outdir "$out" . >"$stage/python-build.log" 2>&1) ||
  { cat "$stage/python-build.log" >&2; exit 1; }

step "Go SDK module (sdk/go.mod) for tag sdk/v$version"
mkdir -p "$out/go/sdk"
cp sdk/go.mod sdk/go.sum "$out/go/sdk/"
cp -r sdk/go "$out/go/sdk/go"
find "$out/go/sdk" -name '*_test.go' -delete
tar -C "$out/go" -czf "$out/pulumi-rampart-sdk-go-v$version.tar.gz" sdk

step "provider plugin (launcher + esbuild bundle)"
plugin="$stage/plugin"
bash scripts/plugin.sh "$plugin"
for platform in linux-amd64 linux-arm64 darwin-amd64 darwin-arm64; do
  tar -C "$plugin" --owner=0 --group=0 --numeric-owner -czf "$out/pulumi-resource-rampart-v$version-$platform.tar.gz" .
done

(cd "$out" && sha256sum ./*.tgz ./*.whl ./*.tar.gz | sed 's| \./| |' >SHA256SUMS)
step "done"
(cd "$out" && ls -l --block-size=K ./*.tgz ./*.whl ./*.tar.gz | awk '{print "  " $5 "  " $NF}')
