#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (installed by tools.sh).
# Exits non-zero when actionlint reports anything.
#
# Usage: scripts/lint-workflows.sh [workflow files...]
#   (default: .github/workflows/*.yml and *.yaml)
# actionlint also runs shellcheck on `run:` scripts when shellcheck is on PATH.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo_root/scripts/tools.sh"
actionlint="${TOOLS_DIR:-$repo_root/.tools}/bin/actionlint"

cd "$repo_root"
if (($# > 0)); then
    files=("$@")
else
    shopt -s nullglob
    files=(.github/workflows/*.yml .github/workflows/*.yaml)
    shopt -u nullglob
fi
if ((${#files[@]} == 0)); then
    echo "lint-workflows.sh: no workflow files found under .github/workflows" >&2
    exit 1
fi

if ! command -v shellcheck >/dev/null 2>&1; then
    echo "lint-workflows.sh: shellcheck not on PATH; run: scripts are not shellchecked"
fi
echo "lint-workflows.sh: actionlint ${files[*]}"
"$actionlint" "${files[@]}"
echo "lint-workflows.sh: ${#files[@]} workflow file(s) clean"
