#!/usr/bin/env bash
# Lints the gateway's OpenAPI document with Redocly CLI's recommended rules, as a client tool
# would see it: starts a private Redis, one silo and the gateway on free ports, fetches
# /openapi/v1.json, stops everything it started (by PID) and runs the linter on the file.
#
#   bash tests/lint-openapi.sh               # builds Release first
#   bash tests/lint-openapi.sh --no-build    # uses the binaries already built
#
# Needs redis-server, the .NET SDK and npx (network, for @redocly/cli) unless REDOCLY names a
# redocly executable already installed. Kept out of tests/run.sh so the suite needs no npm;
# OpenApiLintTests checks in the suite what the code can guarantee of the same rules.
# Environment: REDOCLY (default: npx -y @redocly/cli@latest), OPENAPI_OUT (where the
# document is kept; default a temporary file removed at exit).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build=1
[[ "${1:-}" == --no-build ]] && build=0

work="$(mktemp -d)"
pids=()
stop_started() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}
trap 'stop_started; rm -rf "$work"' EXIT

say() { printf 'lint-openapi: %s\n' "$*" >&2; }

# A port nothing listens on now; a random start keeps two runs at once apart.
used=()
free_port() {
    local port=$((20000 + RANDOM % 30000))
    while (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || [[ " ${used[*]} " == *" $port "* ]]; do
        port=$((port + 1))
    done
    used+=("$port")
    echo "$port"
}

if ((build)); then
    say "building (Release)"
    dotnet build -c Release -nologo -v q Eventd.Orleans.sln >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi

redis_port="$(free_port)"
silo_port="$(free_port)"
gateway_port="$(free_port)"
metrics_port="$(free_port)"
http_port="$(free_port)"
url="http://127.0.0.1:$http_port"

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
export Redis__ConnectionString="127.0.0.1:$redis_port" DOTNET_ENVIRONMENT=Development
Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway_port" Orleans__MetricsPort="$metrics_port" \
    dotnet Silo/bin/Release/net10.0/Eventd.Silo.dll >"$work/silo.log" 2>&1 &
pids+=($!)
dotnet Gateway/bin/Release/net10.0/Eventd.Gateway.dll --urls "$url" >"$work/gateway.log" 2>&1 &
pids+=($!)

say "waiting for $url/readyz"
deadline=$((SECONDS + 120))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" == 200 ]]; do
    if ((SECONDS >= deadline)); then
        tail -n 20 "$work/silo.log" "$work/gateway.log" >&2
        say "the service did not become ready within 120 s"
        exit 1
    fi
    sleep 1
done

document="${OPENAPI_OUT:-$work/openapi.json}"
curl -sf "$url/openapi/v1.json" -o "$document"
stop_started
say "linting $document (Redocly recommended rules)"
read -r -a redocly <<<"${REDOCLY:-npx -y @redocly/cli@latest}"
"${redocly[@]}" lint --extends recommended "$document"
