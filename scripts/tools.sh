#!/usr/bin/env bash
# Installs the repository's developer tools into .tools/bin (git-ignored).
#
# Currently: actionlint, built from source through the Go module proxy with
# `go install`, so a fresh machine needs nothing but a Go toolchain.
#
# Idempotent: a stamp file records the installed version; when it matches
# and the binary is present, the build is skipped.
#
# Overrides (environment):
#   ACTIONLINT_VERSION  module version to install (default pinned below)
#   TOOLS_DIR           install root (default: <repo>/.tools)
set -euo pipefail

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
ACTIONLINT_MODULE="github.com/rhysd/actionlint"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${TOOLS_DIR:-$repo_root/.tools}"
bin_dir="$tools_dir/bin"
stamp_dir="$tools_dir/stamps"
mkdir -p "$bin_dir" "$stamp_dir"

log() { printf 'tools.sh: %s\n' "$*"; }

# Serialise concurrent runs (parallel test workers, two terminals) so only one
# of them builds; the others then see the fresh stamp.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$tools_dir/.lock"
    flock 9
fi

install_actionlint() {
    local bin="$bin_dir/actionlint"
    local stamp="$stamp_dir/actionlint"
    local want="$ACTIONLINT_MODULE $ACTIONLINT_VERSION"

    if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        log "actionlint $ACTIONLINT_VERSION already installed at $bin (stamp hit, nothing to do)"
        return 0
    fi

    if ! command -v go >/dev/null 2>&1; then
        log "error: Go is required to build actionlint $ACTIONLINT_VERSION (https://go.dev/dl/)" >&2
        return 1
    fi

    if [[ -f "$stamp" ]]; then
        log "actionlint stamp says '$(cat "$stamp")', want '$want': rebuilding"
    fi
    log "building actionlint $ACTIONLINT_VERSION with $(go version | awk '{print $3}') into $bin_dir ..."
    local start=$SECONDS
    rm -f "$stamp"
    # GOBIN decides where `go install` puts the binary; GOFLAGS is cleared so a
    # caller's -mod=vendor or similar cannot break a module-mode install.
    GOBIN="$bin_dir" GOFLAGS="" go install "$ACTIONLINT_MODULE/cmd/actionlint@$ACTIONLINT_VERSION"
    printf '%s\n' "$want" >"$stamp"
    log "installed $("$bin" -version | head -n 1) at $bin in $((SECONDS - start))s"
}

install_actionlint
