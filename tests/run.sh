#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs redis-server when missing, builds the solution
# in Release, runs every test project (unit, TestCluster, integration over real processes) and
# ends with one summary line, "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is missing: installing it from Debian's packages"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "cannot install redis-server: run as root or install it yourself" >&2
    exit 1
  fi
fi

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
