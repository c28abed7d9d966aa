#!/usr/bin/env bash
# The main job: deploys an example stack with the real Pulumi engine.
#
#   npm run example                         offline: examples/service-platform-ts against the stand-in
#   npm run example -- authorizer-yaml      another example (any folder in examples/ with a Pulumi.yaml)
#   npm run example -- --destroy            destroy the example stack
#   RAMPART_TARGET=aws npm run example      against AWS, with your AWS credentials and the real providers
#
# Offline, the aws, tls and random providers are replaced by the project's stand-in plugin
# (tests/standin): nothing is created in any cloud; state is kept in .state/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

example=service-platform-ts
action=up
for arg in "$@"; do
  case "$arg" in
    --destroy) action=destroy ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) example=$arg ;;
  esac
done
dir="$root/examples/$example"
[[ -f "$dir/Pulumi.yaml" ]] || { echo "no example $example (no $dir/Pulumi.yaml)" >&2; exit 2; }

if [[ ! -x node_modules/.bin/node || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
export PATH="$root/node_modules/.bin:$PATH"
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
npm run -s build
bash scripts/toolchain.sh
export PATH="$root/.tools/pulumi/bin:$PATH" PULUMI_SKIP_UPDATE_CHECK=true

target=${RAMPART_TARGET:-offline}
if [[ "$target" == "aws" ]]; then
  if [[ -z "${AWS_ACCESS_KEY_ID:-}${AWS_PROFILE:-}${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]]; then
    echo "RAMPART_TARGET=aws needs AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID or a web identity token)" >&2
    exit 2
  fi
  echo "==> deploying examples/$example to AWS with your credentials (real resources, real costs)"
  mkdir -p "$root/.state/aws"
  export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$root/.state/aws}"
else
  bash tests/standin/build.sh >/dev/null
  echo "==> OFFLINE: examples/$example runs through the real Pulumi engine, but the aws, tls and random"
  echo "    providers are rampart's stand-in plugin (tests/standin): no cloud calls, nothing is created."
  mkdir -p "$root/.state/offline/home"
  export PATH="$root/tests/.work/standin/bin:$PATH"
  export PULUMI_HOME="$root/.state/offline/home" PULUMI_BACKEND_URL="file://$root/.state/offline"
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-offline-example}"
  # The simulated account gets what the README's one-time account setup creates on AWS.
  node tests/.work/standin/seedAccount.js "$root/.state/offline/standin-aws-accounts.json" >/dev/null
fi

if [[ -f "$dir/package.json" ]]; then
  mkdir -p "$dir/node_modules/@rampart-iac"
  [[ -e "$dir/node_modules/@rampart-iac/pulumi-rampart" ]] || ln -s "$root" "$dir/node_modules/@rampart-iac/pulumi-rampart"
elif [[ -f "$dir/requirements.txt" ]]; then
  venv="$root/tests/.work/venv"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check pulumi==3.270.0 "$root/sdk/python"
  [[ -e "$dir/venv" ]] || ln -s "$venv" "$dir/venv"
fi

cd "$dir"
stack=${RAMPART_STACK:-dev}
pulumi stack select "$stack" --create --non-interactive >/dev/null
if grep -qs 'signingKey' index.ts __main__.py main.go && ! pulumi config get signingKey >/dev/null 2>&1; then
  pulumi config set --secret signingKey "$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')" >/dev/null
fi
# Offline only: the examples' required config that names existing AWS resources (hosted zone, network, secrets,
# roles) gets stand-in values when the stack has none. On AWS, set them yourself (the examples' READMEs list them).
if [[ "$target" != aws ]]; then
  offline_config=(
    "hostedZoneId=Z0OFFLINEEXAMPLE"
    "secretKeyArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:offline/secret-key-Pq7Rs9"
    "otelEndpointSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:offline/otel-endpoint-Xy12Zq"
    "otelHeadersSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:offline/otel-headers-Qw34Er"
    "vpcId=vpc-0123456789abcdef0"
    'subnetIds=["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]'
    "managementCiRoleArn=arn:aws:iam::111111111111:role/GitHubActionsOIDCRole"
  )
  for entry in "${offline_config[@]}"; do
    key=${entry%%=*}
    if grep -qs "\"$key\"" index.ts __main__.py main.go && ! pulumi config get "$key" >/dev/null 2>&1; then
      pulumi config set --plaintext "$key" "${entry#*=}" >/dev/null
    fi
  done
fi
started=$SECONDS
if [[ "$action" == destroy ]]; then
  pulumi destroy --yes --non-interactive
else
  pulumi up --yes --non-interactive
fi
echo "==> pulumi $action of examples/$example ($target) took $((SECONDS - started)) s"
