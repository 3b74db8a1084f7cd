#!/usr/bin/env bash
# The whole ManifestBuild story on this machine, with no setup beyond the .NET SDK:
#   1. packs ManifestBuild and ManifestBuild.Runtime into a local folder feed (.dsrs-demo/feed),
#   2. `dsrs demo` starts the embedded relay and a seller (dev Lightning nodes + the L402 endpoint)
#      on 127.0.0.1, publishes the sample manifests (one free, one paid), builds
#      samples/ComplexityAgent (search, select, pay, verify, cache, dsrs.lock.json) and runs it,
#      then stops everything it started.
# Everything is written under .dsrs-demo/ (ignored by git); run it again to start afresh. The agent
# restores into .dsrs-demo/nuget-packages (reading everything else from your global packages folder),
# so no demo package is left in NuGet's global packages folder.
# DEMO_VERBOSE=1 shows the full output of every dotnet command.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
demo="$root/.dsrs-demo"
verbose="${DEMO_VERBOSE:-0}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1

say() { echo "demo: $*"; }

# Minimal MSBuild output turned into one progress line per project built (once) or package created;
# errors and warnings pass through. DEMO_VERBOSE=1 shows everything instead.
progress() {
  while IFS= read -r line; do
    case "$line" in
      *": error "* | *": warning "* | *"error:"*) echo "$line" ;;
      *"Successfully created package"*) file="${line##*/}"; say "  packed ${file%\'.}" ;;
      *" -> "*)
        name="${line%% -> *}"; name="${name##* }"
        # Each pack lists the projects it references again: name each one once (the pipe is a subshell, hence a file).
        if ! grep -qxF "$name" "$demo/built.txt" 2>/dev/null; then echo "$name" >> "$demo/built.txt"; say "  built $name"; fi ;;
    esac
  done
}

run_dotnet() {
  if [ "$verbose" = 1 ]; then
    dotnet "$@" -v:n
  else
    dotnet "$@" -v:m -clp:NoSummary 2>&1 | progress
  fi
}

started=$SECONDS
rm -rf "$demo"
mkdir -p "$demo/feed"
# One fixed version: the demo's packages are restored into its own folder, never the global one.
version="0.1.0-demo"
# The Release build of the tool and packages is kept between runs (incremental); artifacts/ is ignored by git.
export DSRS_ARTIFACTS="${DSRS_DEMO_ARTIFACTS:-$root/artifacts/demo-build}"

say "packing ManifestBuild $version into .dsrs-demo/feed (minutes the first time; the Release build is incremental after)"
run_dotnet pack src/ManifestBuild.Runtime/ManifestBuild.Runtime.csproj -c Release -nodeReuse:false -p:PackageVersion="$version" -o "$demo/feed"
run_dotnet pack src/ManifestBuild.Tasks/ManifestBuild.Tasks.csproj -c Release -nodeReuse:false -p:PackageVersion="$version" -o "$demo/feed"

say "building the dsrs tool"
run_dotnet build src/ManifestBuild.Cli/ManifestBuild.Cli.csproj -c Release -nodeReuse:false
dsrs="$DSRS_ARTIFACTS/bin/ManifestBuild.Cli/release/dsrs.dll"
say "ready after $((SECONDS - started)) s"

unset DSRS_ARTIFACTS
global="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
export NUGET_PACKAGES="$demo/nuget-packages" RestoreAdditionalProjectFallbackFolders="$global"
flags=()
if [ "$verbose" = 1 ]; then flags+=(--verbose); fi
dotnet "$dsrs" demo --work "$demo" --feed "$demo/feed" --version "$version" --sample "$root/samples/ComplexityAgent" --seller-manifests "$root/samples/seller" "${flags[@]}"
say "done in $((SECONDS - started)) s"
