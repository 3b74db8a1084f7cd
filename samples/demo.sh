#!/usr/bin/env bash
# The whole ManifestBuild story on this machine, with no setup beyond the .NET SDK:
#   1. packs ManifestBuild and ManifestBuild.Runtime into a local folder feed (.dsrs-demo/feed),
#   2. `dsrs demo` starts the embedded relay and a seller (dev Lightning nodes + the L402 endpoint)
#      on 127.0.0.1, publishes the sample manifests (one free, one paid), builds
#      samples/ComplexityAgent (search, select, pay, verify, cache, dsrs.lock.json) and runs it,
#      then stops everything it started.
# Everything is written under .dsrs-demo/ (ignored by git); run it again to start afresh.
# The demo's installed packages (ManifestBuild 0.1.0-demo.*) stay in NuGet's global packages folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
demo="$root/.dsrs-demo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1

rm -rf "$demo"
mkdir -p "$demo/feed"
# A unique version, so NuGet's global packages folder never serves an older demo's package.
version="0.1.0-demo.$(date -u +%Y%m%d%H%M%S)"
# The Release build of the tool and packages is kept between runs (incremental); artifacts/ is ignored by git.
export DSRS_ARTIFACTS="${DSRS_DEMO_ARTIFACTS:-$root/artifacts/demo-build}"

echo "demo: packing ManifestBuild $version"
dotnet pack src/ManifestBuild.Runtime/ManifestBuild.Runtime.csproj -c Release -nodeReuse:false -v:q -p:PackageVersion="$version" -o "$demo/feed"
dotnet pack src/ManifestBuild.Tasks/ManifestBuild.Tasks.csproj -c Release -nodeReuse:false -v:q -p:PackageVersion="$version" -o "$demo/feed"

echo "demo: building the dsrs tool"
dotnet build src/ManifestBuild.Cli/ManifestBuild.Cli.csproj -c Release -nodeReuse:false -v:q
dsrs="$DSRS_ARTIFACTS/bin/ManifestBuild.Cli/release/dsrs.dll"

unset DSRS_ARTIFACTS
dotnet "$dsrs" demo --work "$demo" --feed "$demo/feed" --version "$version" --sample "$root/samples/ComplexityAgent" --seller-manifests "$root/samples/seller"
