#!/usr/bin/env bash
# Builds the Pulumi CLI and its language hosts from Go modules (through the Go
# module proxy), at one pinned Pulumi version, into .tools/pulumi/bin/
# (git-ignored):
#
#   pulumi                        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
#   pulumi-language-nodejs        scripts/toolchain/langhost (see below)
#   pulumi-language-python        same binary (hard link), runtime from its name
#   pulumi-language-python-exec   script shipped in github.com/pulumi/pulumi/sdk/v3
#   pulumi-language-go            same binary as nodejs (hard link)
#   pulumi-language-yaml          github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
#                                 (optional: skipped with a warning if it fails; the
#                                 stamp notes it, and only --force retries it)
#
# The pinned versions live in scripts/toolchain/go.mod (a tools module whose
# go.sum is committed); PULUMI_VERSION below must match its pkg/v3 and sdk/v3
# requirement. v3.276.0 is the newest github.com/pulumi/pulumi/pkg/v3 the proxy
# serves (on 2026-11-30; pulumi-yaml v1.38.1 builds against it unchanged), and must
# stay at or above the @pulumi/pulumi version in
# package.json: the CLI should never be older than the SDK it runs.
#
# The upstream language-host modules (sdk/nodejs/cmd/pulumi-language-nodejs/v3,
# sdk/python/cmd/pulumi-language-python/v3, sdk/go/pulumi-language-go/v3) are
# not served by the proxy at any version, so scripts/toolchain/langhost is a
# small host of our own over the sdk/v3 and pkg/v3 libraries (Run, RunPlugin,
# InstallDependencies, GeneratePackage, Link; see its doc comment for what it
# omits).
#
# Idempotent: a stamp records the version and a hash of the tools module; when
# it matches and the binaries exist the build is skipped ("up to date"). A
# flock on .tools/pulumi/.lock makes concurrent callers wait for one build.
# GOPATH/GOCACHE stay at Go's defaults so CI can reuse its caches.
#
# Usage: scripts/toolchain.sh            build if needed
#        scripts/toolchain.sh --force    rebuild
# Then:  export PATH="$PWD/.tools/pulumi/bin:$PATH"
#
# Overrides (environment): PULUMI_TOOLCHAIN_DIR (default <repo>/.tools/pulumi),
# GO (go binary; default `go` on PATH, else /usr/local/go/bin/go).
set -euo pipefail

PULUMI_VERSION="v3.276.0"
YAML_PKG="github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
CLI_PKG="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
SDK_MOD="github.com/pulumi/pulumi/sdk/v3"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_mod="$repo_root/scripts/toolchain"
out_dir="${PULUMI_TOOLCHAIN_DIR:-$repo_root/.tools/pulumi}"
bin_dir="$out_dir/bin"
stamp="$out_dir/stamp"

log() { printf 'toolchain.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

force=0
case "${1:-}" in
    --force) force=1 ;;
    "") ;;
    *) die "unknown argument: $1 (usage: $0 [--force])" ;;
esac

if [[ -z "${GO:-}" ]]; then
    if command -v go >/dev/null 2>&1; then GO=go
    elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go
    else die "Go is required (1.25.11 or newer) to build the Pulumi toolchain"
    fi
fi

# What the stamp must say for the binaries to count as current.
want_stamp() {
    printf 'pulumi %s\n' "$PULUMI_VERSION"
    (cd "$tools_mod" && cat go.mod go.sum langhost/*.go | sha256sum | cut -d' ' -f1)
}

required=(pulumi pulumi-language-nodejs pulumi-language-python pulumi-language-python-exec pulumi-language-go)

up_to_date() {
    [[ $force == 0 && -f "$stamp" ]] || return 1
    local b
    for b in "${required[@]}"; do [[ -x "$bin_dir/$b" ]] || return 1; done
    # The first two lines are the inputs; later lines are notes (yaml status).
    [[ "$(head -n 2 "$stamp")" == "$(want_stamp)" ]]
}

sdk_version="$(sed -n 's#.*"@pulumi/pulumi": *"[^0-9]*\([0-9][0-9.]*\)".*#\1#p' "$repo_root/package.json" | head -n 1)"
[[ -n "$sdk_version" ]] || die "no @pulumi/pulumi dependency found in package.json"
[[ "$(printf '%s\n%s\n' "$sdk_version" "${PULUMI_VERSION#v}" | sort -V | head -n 1)" == "$sdk_version" ]] \
    || die "Pulumi CLI $PULUMI_VERSION is older than @pulumi/pulumi $sdk_version in package.json"

mkdir -p "$out_dir"
if up_to_date; then
    log "up to date: Pulumi $PULUMI_VERSION in $bin_dir"
    exit 0
fi

exec 9>"$out_dir/.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
    # Somebody else may have finished the build while we waited.
    if up_to_date; then
        log "up to date: Pulumi $PULUMI_VERSION in $bin_dir (built by a concurrent run)"
        exit 0
    fi
fi

started=$(date +%s)
step_started=$started
step() {
    local now
    now=$(date +%s)
    log "$1 ($((now - step_started)) s)"
    step_started=$now
}

log "building Pulumi $PULUMI_VERSION with $($GO version) (GOMODCACHE=$($GO env GOMODCACHE), GOCACHE=$($GO env GOCACHE))"
grep -q "github.com/pulumi/pulumi/pkg/v3 $PULUMI_VERSION" "$tools_mod/go.mod" \
    || die "scripts/toolchain/go.mod does not require pkg/v3 $PULUMI_VERSION"

ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
stage="$out_dir/bin.new"
rm -rf "$stage"
mkdir -p "$stage"

gobuild() { # gobuild <output> <package>
    (cd "$tools_mod" && "$GO" build -mod=readonly -ldflags "$ldflags" -o "$1" "$2")
}

gobuild "$stage/pulumi" "$CLI_PKG"
step "built pulumi"

gobuild "$stage/pulumi-language-nodejs" ./langhost
ln -f "$stage/pulumi-language-nodejs" "$stage/pulumi-language-python"
ln -f "$stage/pulumi-language-nodejs" "$stage/pulumi-language-go"
sdk_dir="$(cd "$tools_mod" && "$GO" list -mod=readonly -m -f '{{.Dir}}' "$SDK_MOD")"
cp "$sdk_dir/python/cmd/pulumi-language-python-exec" "$stage/pulumi-language-python-exec"
chmod 0755 "$stage/pulumi-language-python-exec"
step "built language hosts (nodejs, python, go)"

yaml_note="yaml: built"
yaml_log="$out_dir/yaml-build.log"
if gobuild "$stage/pulumi-language-yaml" "$YAML_PKG" >"$yaml_log" 2>&1; then
    rm -f "$yaml_log"
    step "built pulumi-language-yaml"
else
    yaml_note="yaml: skipped (go build failed, see $yaml_log)"
    rm -f "$stage/pulumi-language-yaml"
    log "warning: pulumi-language-yaml did not build; continuing without it. Last lines of $yaml_log:"
    tail -n 5 "$yaml_log" >&2 || true
    step "yaml attempt"
fi

for b in "${required[@]}"; do [[ -x "$stage/$b" ]] || die "missing $b after build"; done
got="$("$stage/pulumi" version)"
[[ "$got" == "$PULUMI_VERSION" ]] || die "built pulumi reports version '$got', expected $PULUMI_VERSION"

rm -rf "$bin_dir"
mv "$stage" "$bin_dir"
{ want_stamp; echo "$yaml_note"; } >"$stamp"

log "done in $(( $(date +%s) - started )) s: $(cd "$bin_dir" && ls | tr '\n' ' ')"
log "sizes: $(cd "$bin_dir" && stat -c '%n %s' -- * | awk '{ if ($2 < 1048576) printf "%s=%.0fKB ", $1, $2 / 1024; else printf "%s=%.1fMB ", $1, $2 / 1048576 }')"
log "use: export PATH=\"$bin_dir:\$PATH\""
