#!/usr/bin/env bash
# Builds the SPIRE server and agent from the Go module proxy into .tools/spire/bin (git-ignored),
# for tests/spire/spire.test.ts (spire-server validate, a local server and agent on loopback).
#
# SPIRE's go.mod has no replace directives, so a throwaway tools module that requires
# github.com/spiffe/spire at one version (`go get -tool`) can `go build` both commands. The tools
# module starts from SPIRE's go.sum, since the checksum database does not answer for every
# dependency SPIRE pins.
#
# Idempotent: a stamp file records the built version; when it matches and both binaries are
# present, nothing is built.
#
# Overrides (environment):
#   SPIRE_VERSION   module version to build (default pinned below; the proxy serves v1.13.3)
#   TOOLS_DIR       install root (default: <repo>/.tools)
set -euo pipefail

SPIRE_VERSION="${SPIRE_VERSION:-v1.13.3}"
SPIRE_MODULE="github.com/spiffe/spire"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${TOOLS_DIR:-$repo_root/.tools}"
spire_dir="$tools_dir/spire"
bin_dir="$spire_dir/bin"
module_dir="$spire_dir/module"
stamp="$spire_dir/stamp"
mkdir -p "$bin_dir" "$module_dir"

log() { printf 'spire.sh: %s\n' "$*"; }

if command -v flock >/dev/null 2>&1; then
    exec 9>"$spire_dir/.lock"
    flock 9
fi

want="$SPIRE_MODULE $SPIRE_VERSION"
if [[ -x "$bin_dir/spire-server" && -x "$bin_dir/spire-agent" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "SPIRE $SPIRE_VERSION already built in $bin_dir (stamp hit, nothing to do)"
    exit 0
fi

if ! command -v go >/dev/null 2>&1; then
    log "error: Go is required to build SPIRE $SPIRE_VERSION (https://go.dev/dl/)" >&2
    exit 1
fi

log "building spire-server and spire-agent $SPIRE_VERSION with $(go version | awk '{print $3}') into $bin_dir ..."
start=$SECONDS
rm -f "$stamp"
cd "$module_dir"
rm -f go.mod go.sum
GOFLAGS="" go mod init rampart.local/spire-tools >/dev/null 2>&1
# Start from SPIRE's own go.sum: the tools module resolves to exactly SPIRE's dependency versions,
# and some of them (cloudsql-proxy v1.37.9) are not answered by the checksum database.
spire_src="$(GOFLAGS="" go mod download -json "$SPIRE_MODULE@$SPIRE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
cp "$spire_src/go.sum" go.sum
chmod u+w go.sum
GOFLAGS="" go get -tool "$SPIRE_MODULE/cmd/spire-server@$SPIRE_VERSION" "$SPIRE_MODULE/cmd/spire-agent@$SPIRE_VERSION"
GOFLAGS="" go build -trimpath -ldflags "-X $SPIRE_MODULE/pkg/common/version.gittag=${SPIRE_VERSION#v}" \
    -o "$bin_dir/" "$SPIRE_MODULE/cmd/spire-server" "$SPIRE_MODULE/cmd/spire-agent"
printf '%s\n' "$want" >"$stamp"
log "built $("$bin_dir/spire-server" --version 2>&1 | head -n 1) in $((SECONDS - start))s"
