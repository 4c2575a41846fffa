#!/usr/bin/env bash
# Publishes each guard function as a NativeAOT `bootstrap` for the custom runtime provided.al2023, into
#   deploy/artifacts/<arch>/<Project>/bootstrap
# deploy/deploy.sh stages one architecture into deploy/artifacts/lambda/<Project>/, the folder serverless.template's
# CodeUri names (CodeUri cannot depend on a parameter, so the staging step ties code and Architecture together).
# The rules travel inside each binary: the function projects embed rules/*.yaml as resources, like the CLI does, so a
# deployed guard applies exactly the rules that `remediator synth` wrote into the template's EventBridge patterns.
#
#   deploy/package.sh [--arch x86_64|arm64|both]      (default x86_64)
set -euo pipefail
cd "$(dirname "$0")/.."

arch=x86_64
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch="${2:-}"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "package.sh: unknown argument '$1' (use --arch x86_64|arm64|both)" >&2; exit 2 ;;
    esac
done
case "$arch" in
    x86_64) arches=(x86_64) ;;
    arm64) arches=(arm64) ;;
    both) arches=(x86_64 arm64) ;;
    *) echo "package.sh: --arch must be x86_64, arm64 or both, not '$arch'" >&2; exit 2 ;;
esac

projects=(Remediator.Functions.Iam Remediator.Functions.EventBus Remediator.Functions.Timeouts Remediator.Functions.Tables Remediator.Functions.Notifier Remediator.Functions.Slack)

# NativeAOT links with the platform's linker: building arm64 on an x64 machine needs a cross toolchain.
arm64_ready() {
    [ "$(uname -m)" = "aarch64" ] && return 0
    command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 \
        && [ -d /usr/aarch64-linux-gnu/lib ] && return 0
    return 1
}

failed=0
for a in "${arches[@]}"; do
    rid=linux-x64; [ "$a" = arm64 ] && rid=linux-arm64
    if [ "$a" = arm64 ] && ! arm64_ready; then
        echo "arm64: no cross toolchain for NativeAOT on $(uname -m). Install it, then run again:" >&2
        echo "    sudo dpkg --add-architecture arm64 && sudo apt-get update" >&2
        echo "    sudo apt-get install -y clang llvm binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu zlib1g-dev:arm64" >&2
        echo "  (or build on an arm64 machine, e.g. a Graviton CI runner). Skipping arm64." >&2
        failed=1
        continue
    fi
    for p in "${projects[@]}"; do
        csproj="functions/$p/$p.csproj"
        if [ ! -f "$csproj" ]; then
            echo "$a: $p: not found ($csproj), skipped"
            continue
        fi
        out="deploy/artifacts/$a/$p"
        rm -rf "$out" && mkdir -p "$out"
        echo "$a: publishing $p -> $out/bootstrap"
        dotnet publish "$csproj" -c Release -r "$rid" -p:PublishAot=true -o "$out" --nologo -v quiet
        # Only the native executable is deployed; debug symbols stay here.
        find "$out" -type f ! -name bootstrap -delete
        [ -x "$out/bootstrap" ] || { echo "$a: $p: publish produced no bootstrap" >&2; failed=1; }
    done
done
exit "$failed"
