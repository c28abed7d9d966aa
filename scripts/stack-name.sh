#!/usr/bin/env bash
# Per-PR ephemeral stack naming and bookkeeping, shared by .github/workflows/ephemeral-stack.yml and
# tests/unit/stackName.test.ts. The rules are rampart's own (provider/src/shared/validation.ts):
#
#   stack-name.sh name <account-alias> <region> <pr-number>
#       prints <account-alias>-<region>-pr-<number>; exits 2 naming every invalid part:
#       alias ^[a-z0-9-]{1,20}$, region an AWS region id, stage pr-<number> ^[a-z0-9]+(-[a-z0-9]+)*$ (1-32 characters).
#   stack-name.sh count <account-alias>     (stdin: `pulumi stack ls --json`)
#       prints how many PR stacks of that account alias exist (any region).
#   stack-name.sh list <account-alias>      (stdin: `pulumi stack ls --json`)
#       prints those stack names, one a line.
#   stack-name.sh expires-at <ttl-hours> [now-epoch-seconds]
#       prints the UTC time (ISO 8601) <ttl-hours> from now, for the stack's TTL tag.
#   stack-name.sh expired <expires-at> [now-epoch-seconds]
#       exits 0 when <expires-at> (ISO 8601) has passed, 1 when not; 2 when it cannot be read.
set -euo pipefail

ALIAS_RE='^[a-z0-9-]{1,20}$'
REGION_RE='^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$'
STAGE_RE='^[a-z0-9]+(-[a-z0-9]+)*$'
PR_RE='^[1-9][0-9]*$'

die() { echo "stack-name.sh: $*" >&2; exit 2; }

# Stack names of PR stacks for an alias, from `pulumi stack ls --json` on stdin. Names may carry an
# org/project prefix (Pulumi Cloud): only the last path segment counts.
pr_stacks() {
  local alias=$1
  [[ "$alias" =~ $ALIAS_RE ]] || die "account alias: got \"$alias\"; lowercase letters, digits and hyphens, 1-20 characters ($ALIAS_RE)"
  local json
  json=$(cat)
  # Plain text parsing keeps the script dependency-free (no jq on every machine).
  grep -oE '"name"[[:space:]]*:[[:space:]]*"[^"]*"' <<<"$json" | sed -E 's/.*"([^"]*)"$/\1/' | sed -E 's|.*/||' |
    grep -E "^${alias}-[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]-pr-[1-9][0-9]*\$" || true
}

command=${1:-}
shift || true
case "$command" in
  name)
    (($# == 3)) || die "usage: stack-name.sh name <account-alias> <region> <pr-number>"
    alias=$1 region=$2 pr=$3
    problems=()
    [[ "$alias" =~ $ALIAS_RE ]] || problems+=("account alias: got \"$alias\"; lowercase letters, digits and hyphens, 1-20 characters ($ALIAS_RE)")
    [[ "$region" =~ $REGION_RE ]] || problems+=("region: got \"$region\"; an AWS region id such as us-east-1 ($REGION_RE)")
    if [[ "$pr" =~ $PR_RE ]]; then
      stage="pr-$pr"
      [[ "$stage" =~ $STAGE_RE && ${#stage} -le 32 ]] || problems+=("stage: got \"$stage\"; lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters ($STAGE_RE)")
    else
      problems+=("pull request number: got \"$pr\"; a positive integer")
    fi
    if ((${#problems[@]})); then
      echo "stack-name.sh: ${#problems[@]} invalid part(s) of the stack name:" >&2
      printf '  %s\n' "${problems[@]}" >&2
      exit 2
    fi
    echo "$alias-$region-pr-$pr"
    ;;
  count)
    (($# == 1)) || die "usage: stack-name.sh count <account-alias> < stacks.json"
    names=$(pr_stacks "$1")
    if [[ -z "$names" ]]; then echo 0; else wc -l <<<"$names" | tr -d ' '; fi
    ;;
  list)
    (($# == 1)) || die "usage: stack-name.sh list <account-alias> < stacks.json"
    pr_stacks "$1"
    ;;
  expires-at)
    (($# >= 1)) || die "usage: stack-name.sh expires-at <ttl-hours> [now-epoch-seconds]"
    [[ "$1" =~ ^[1-9][0-9]*$ ]] || die "ttl hours: got \"$1\"; a positive integer"
    now=${2:-$(date -u +%s)}
    date -u -d "@$((now + $1 * 3600))" +%Y-%m-%dT%H:%M:%SZ
    ;;
  expired)
    (($# >= 1)) || die "usage: stack-name.sh expired <expires-at> [now-epoch-seconds]"
    at=$(date -u -d "$1" +%s 2>/dev/null) || die "expires-at: got \"$1\"; an ISO 8601 time"
    now=${2:-$(date -u +%s)}
    ((now >= at))
    ;;
  *)
    die "usage: stack-name.sh name|count|list|expires-at|expired ... (see the header of this script)"
    ;;
esac
