#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs redis-server and chromium when missing, builds the solution
# in Release, runs every test project (unit, TestCluster, integration over real processes) and
# ends with one summary line, "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Installs a Debian package when its command is missing: a fresh machine has neither.
require() {
  local command=$1 package=$2
  if command -v "$command" >/dev/null 2>&1; then
    return
  fi
  echo "$command is missing: installing $package from Debian's packages"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "cannot install $package: run as root or install it yourself" >&2
    exit 1
  fi
}

require redis-server redis-server
# The console's browser tests drive it headless (tests/Eventd.IntegrationTests/Browser).
require chromium chromium

dotnet build -c Release -nologo -v q Eventd.Orleans.sln

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Eventd.Orleans.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, ..." line per test project.
count() { grep -oE "$1: +[0-9]+" "$log" | awk '{ sum += $2 } END { print sum + 0 }'; }
passed=$(count Passed)
failed=$(count Failed)
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "${passed:-0}" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
