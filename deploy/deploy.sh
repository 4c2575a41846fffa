#!/usr/bin/env bash
# Deploys serverless.template: `sam deploy` when the SAM CLI is installed, else `aws cloudformation package` + `deploy`.
#
#   deploy/deploy.sh --stack-name NAME --region REGION --s3-bucket BUCKET [--arch x86_64|arm64] [Name=Value ...]
#
# Name=Value pairs are template parameters (SlackWebhookParameterName, ExemptionTag, GuardPrincipalPatterns,
# OrganizationId, NotifyOnly, AuditRetentionDays); Architecture comes from --arch. Run deploy/package.sh first.
# Deploy the IAM guard in us-east-1 (IAM events arrive only there); other regions get the other guards.
set -euo pipefail
cd "$(dirname "$0")/.."

stack="" region="" bucket="" arch=x86_64 params=()
while [ $# -gt 0 ]; do
    case "$1" in
        --stack-name) stack="${2:-}"; shift 2 ;;
        --region) region="${2:-}"; shift 2 ;;
        --s3-bucket) bucket="${2:-}"; shift 2 ;;
        --arch) arch="${2:-}"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *=*) params+=("$1"); shift ;;
        *) echo "deploy.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
# Never guess where a guard with write access to IAM goes.
[ -n "$stack" ] || { echo "deploy.sh: --stack-name is required" >&2; exit 2; }
[ -n "$region" ] || { echo "deploy.sh: --region is required (the IAM guard exists only in us-east-1)" >&2; exit 2; }
case "$arch" in x86_64|arm64) ;; *) echo "deploy.sh: --arch must be x86_64 or arm64" >&2; exit 2 ;; esac

# The template's patterns must match the rules the binaries embed.
dotnet run --project functions/Remediator.Cli -c Release -- synth --check
dotnet run --project functions/Remediator.Cli -c Release -- check-template serverless.template

# Stage the chosen architecture where CodeUri points.
rm -rf deploy/artifacts/lambda && mkdir -p deploy/artifacts/lambda
missing=0
for p in Remediator.Functions.Iam Remediator.Functions.EventBus Remediator.Functions.Timeouts Remediator.Functions.Tables Remediator.Functions.Notifier; do
    if [ -x "deploy/artifacts/$arch/$p/bootstrap" ]; then
        cp -r "deploy/artifacts/$arch/$p" deploy/artifacts/lambda/
    else
        echo "deploy.sh: deploy/artifacts/$arch/$p/bootstrap missing: run deploy/package.sh --arch $arch" >&2
        missing=1
    fi
done
[ "$missing" -eq 0 ] || exit 1

params+=("Architecture=$arch")
if command -v sam >/dev/null 2>&1; then
    args=(deploy --template-file serverless.template --stack-name "$stack" --region "$region"
          --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset --parameter-overrides "${params[@]}")
    if [ -n "$bucket" ]; then args+=(--s3-bucket "$bucket"); else args+=(--resolve-s3); fi
    sam "${args[@]}"
else
    [ -n "$bucket" ] || { echo "deploy.sh: without the SAM CLI, --s3-bucket is required for aws cloudformation package" >&2; exit 2; }
    packaged=$(mktemp --suffix=.template)
    trap 'rm -f "$packaged"' EXIT
    aws cloudformation package --template-file serverless.template --s3-bucket "$bucket" --output-template-file "$packaged" --region "$region"
    aws cloudformation deploy --template-file "$packaged" --stack-name "$stack" --region "$region" \
        --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset --parameter-overrides "${params[@]}"
fi
