#!/usr/bin/env bash
# Starts the whole Eventd service on this machine: a private Redis (unless one is given),
# one silo and the gateway. Ctrl-C stops everything this script started, and nothing else.
#
#   deploy/local/run.sh                      # private Redis on 127.0.0.1:${EVENTD_REDIS_PORT:-6379}
#   deploy/local/run.sh --redis host:6379    # use an existing Redis (or set Redis__ConnectionString)
#
# Environment: EVENTD_REDIS_PORT (6379), EVENTD_SILO_PORT (11111), EVENTD_GATEWAY_PORT (30000),
# EVENTD_METRICS_PORT (9091), EVENTD_URL (http://127.0.0.1:8080), EVENTD_READY_TIMEOUT (60 s),
# DOTNET_ENVIRONMENT (Development: webhooks may reach private/loopback targets).
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: deploy/local/run.sh [--redis CONNSTRING] [--no-build]

Starts Redis (private, unless --redis or Redis__ConnectionString is given), builds the
solution, starts one silo and the gateway, and waits until the gateway is ready.
Ctrl-C stops everything it started.

  --redis CONNSTRING   use this Redis (StackExchange.Redis syntax, e.g. 127.0.0.1:6379)
                       and start none; Redis__ConnectionString in the environment does the same
  --no-build           skip `dotnet build` (use the binaries already built)
  -h, --help           show this help

Environment (defaults):
  EVENTD_REDIS_PORT=6379  EVENTD_SILO_PORT=11111  EVENTD_GATEWAY_PORT=30000
  EVENTD_METRICS_PORT=9091  EVENTD_URL=http://127.0.0.1:8080  EVENTD_READY_TIMEOUT=60
  DOTNET_ENVIRONMENT=Development
EOF
}

log() { printf '[run] %s\n' "$*" >&2; }
die() { printf '[run] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- arguments and settings

redis_conn="${Redis__ConnectionString:-}"
build=1
while (($#)); do
    case "$1" in
        --redis)
            if (($# < 2)) || [[ -z "$2" ]]; then
                die "--redis needs a connection string, e.g. --redis 127.0.0.1:6379"
            fi
            redis_conn="$2"
            shift 2
            ;;
        --redis=*)
            redis_conn="${1#--redis=}"
            [[ -n "$redis_conn" ]] || die "--redis needs a connection string, e.g. --redis 127.0.0.1:6379"
            shift
            ;;
        --no-build) build=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

redis_port="${EVENTD_REDIS_PORT:-6379}"
silo_port="${EVENTD_SILO_PORT:-11111}"
gateway_port="${EVENTD_GATEWAY_PORT:-30000}"
metrics_port="${EVENTD_METRICS_PORT:-9091}"
url="${EVENTD_URL:-http://127.0.0.1:8080}"
url="${url%/}"
ready_timeout="${EVENTD_READY_TIMEOUT:-60}"
env_name="${DOTNET_ENVIRONMENT:-Development}"

for setting in EVENTD_REDIS_PORT:"$redis_port" EVENTD_SILO_PORT:"$silo_port" \
    EVENTD_GATEWAY_PORT:"$gateway_port" EVENTD_METRICS_PORT:"$metrics_port"; do
    value="${setting#*:}"
    if ! [[ "$value" =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
        die "${setting%%:*}=$value is not a port number (1-65535)"
    fi
done
[[ "$ready_timeout" =~ ^[0-9]+$ ]] || die "EVENTD_READY_TIMEOUT=$ready_timeout is not a number of seconds"
[[ "$url" =~ ^https?://([^/:]+|\[[^]]+\])(:([0-9]+))?$ ]] ||
    die "EVENTD_URL=$url should look like http://127.0.0.1:8080"
url_host="${BASH_REMATCH[1]}"
url_port="${BASH_REMATCH[3]}"
if [[ -z "$url_port" ]]; then
    if [[ "$url" == https:* ]]; then url_port=443; else url_port=80; fi
fi
case "$url_host" in
    0.0.0.0 | '*' | '+' | '[::]' | localhost) probe_host=127.0.0.1 ;;
    '['*']') probe_host="${url_host:1:${#url_host}-2}" ;;
    *) probe_host="$url_host" ;;
esac

# The repository root, wherever this is started from.
script_path="${BASH_SOURCE[0]}"
if command -v readlink >/dev/null 2>&1 && readlink -f / >/dev/null 2>&1; then
    script_path="$(readlink -f "$script_path")"
fi
cd -P "$(dirname "$script_path")/../.."
repo="$(pwd -P)"
[[ -f "$repo/Eventd.Orleans.sln" ]] || die "cannot find Eventd.Orleans.sln in $repo"
data="$repo/.data"
logs="$data/logs"
mkdir -p "$logs"

command -v dotnet >/dev/null 2>&1 ||
    die "dotnet is not installed; install the .NET 10 SDK (https://dot.net), see global.json"
command -v curl >/dev/null 2>&1 || die "curl is not installed (apt-get install -y curl)"

# Runs a child in its own session when possible, so a Ctrl-C in the terminal reaches only this
# script, which then stops the children in order (gateway, silo, Redis).
if command -v setsid >/dev/null 2>&1; then detach=(setsid); else detach=(); fi

# True when something accepts TCP connections on host:port.
port_in_use() {
    if command -v timeout >/dev/null 2>&1; then
        # shellcheck disable=SC2016 # expanded by the inner bash
        timeout 2 bash -c ': </dev/tcp/"$1"/"$2"' _ "$1" "$2" 2>/dev/null
    else
        (: </dev/tcp/"$1"/"$2") 2>/dev/null
    fi
}

# ---------------------------------------------------------------- lifecycle

redis_pid="" silo_pid="" gateway_pid=""
prefixer_pids=()
force=0

# Stops one child by PID: SIGTERM, up to $3 seconds for a graceful exit, then SIGKILL.
stop_child() {
    local name="$1" pid="$2" grace="$3" tick
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((tick = 0; tick < grace * 5; tick++)); do
        kill -0 "$pid" 2>/dev/null || break
        ((force)) && break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not exit; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? pid tick
    set +e
    trap - EXIT
    # A second Ctrl-C while stopping: stop waiting for graceful exits.
    trap 'force=1; log "forcing"' INT TERM HUP
    stop_child gateway "$gateway_pid" 30
    stop_child silo "$silo_pid" 30
    stop_child redis-server "$redis_pid" 30
    # Let the log prefixers print the last lines (they end once their process has exited).
    for pid in "${prefixer_pids[@]}"; do
        for ((tick = 0; tick < 20; tick++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    done
    if [[ -n "$redis_pid$silo_pid$gateway_pid" ]]; then log "stopped"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM
trap 'exit 129' HUP

# Prints the last lines of a log file, to explain a failure.
show_tail() {
    local name="$1" file="$2"
    [[ -s "$file" ]] || return 0
    printf '[run] ---- last lines of %s (%s) ----\n' "$name" "$file" >&2
    tail -n 25 "$file" >&2
}

# Fail early, before starting anything, if a port is taken.
require_free() {
    if port_in_use "$2" "$3"; then
        die "port $3 (the $1) is already in use by another process; set $4 to a free port"
    fi
}
require_free "silo port" 127.0.0.1 "$silo_port" EVENTD_SILO_PORT
require_free "silo's gateway port" 127.0.0.1 "$gateway_port" EVENTD_GATEWAY_PORT
require_free "silo's metrics port" 127.0.0.1 "$metrics_port" EVENTD_METRICS_PORT
require_free "gateway's HTTP port" "$probe_host" "$url_port" EVENTD_URL

# ---------------------------------------------------------------- Redis

install_redis() {
    command -v apt-get >/dev/null 2>&1 ||
        die "redis-server is not installed and apt-get is not available: install Redis yourself, or pass --redis HOST:PORT"
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 ||
            die "redis-server is not installed; run this as root, or install it (apt-get install -y redis-server), or pass --redis HOST:PORT"
        sudo=(sudo)
    fi
    log "redis-server is not installed; installing it with apt-get"
    "${sudo[@]}" apt-get update || die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server ||
        die "apt-get install redis-server failed"
}

redis_ping() {
    redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG
}

just_installed=0
start_redis() {
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        install_redis
        just_installed=1
        if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
            die "redis-server or redis-cli is still missing after installing redis-server"
        fi
    fi

    if port_in_use 127.0.0.1 "$redis_port"; then
        if redis_ping "$redis_port"; then
            if ((just_installed)); then
                log "note: installing redis-server may also have started the system Redis service on port 6379"
            fi
            die "a Redis server is already listening on 127.0.0.1:$redis_port (not started by this script).
    Use it:                 $0 --redis 127.0.0.1:$redis_port
    or start a private one: EVENTD_REDIS_PORT=$((redis_port + 1)) $0"
        fi
        die "port $redis_port is already in use; choose another port for the private Redis: EVENTD_REDIS_PORT=$((redis_port + 1)) $0"
    fi

    mkdir -p "$data/redis"
    # One private Redis per data directory: the lock is held by this script and its children.
    if command -v flock >/dev/null 2>&1; then
        exec {redis_lock}>"$data/redis/.lock"
        flock -n "$redis_lock" ||
            die "another run.sh from this checkout is using $data/redis (its Redis is still running); stop it first"
    fi

    log "starting redis-server on 127.0.0.1:$redis_port (data in .data/redis, log in .data/redis.log)"
    "${detach[@]}" redis-server --bind 127.0.0.1 --port "$redis_port" \
        --dir "$data/redis" --appendonly yes --daemonize no \
        --logfile "$data/redis.log" </dev/null >/dev/null 2>&1 &
    redis_pid=$!
    redis_conn="127.0.0.1:$redis_port"

    local deadline=$((SECONDS + 20))
    until redis_ping "$redis_port"; do
        if ! kill -0 "$redis_pid" 2>/dev/null; then
            wait "$redis_pid" 2>/dev/null || true
            redis_pid=""
            show_tail redis-server "$data/redis.log"
            die "redis-server exited during startup"
        fi
        ((SECONDS < deadline)) || { show_tail redis-server "$data/redis.log"; die "redis-server did not answer PING within 20 s"; }
        sleep 0.2
    done
    log "redis-server is up (pid $redis_pid)"
}

if [[ -n "$redis_conn" ]]; then
    log "using Redis at $redis_conn (not starting one)"
    private_redis=0
else
    private_redis=1
    start_redis
fi

# ---------------------------------------------------------------- build

if ((build)); then
    log "building (dotnet build -c Release Eventd.Orleans.sln)"
    dotnet build -c Release -nologo -v q Eventd.Orleans.sln || die "the build failed (errors above)"
fi
silo_dll="Silo/bin/Release/net10.0/Eventd.Silo.dll"
gateway_dll="Gateway/bin/Release/net10.0/Eventd.Gateway.dll"
for dll in "$silo_dll" "$gateway_dll"; do
    [[ -f "$dll" ]] || die "$dll is missing; build the solution (run without --no-build)"
done

# ---------------------------------------------------------------- silo and gateway


# Starts "$@" in the background with stdout/stderr prefixed by "[$1] " on the terminal and
# copied to .data/logs/$1.log; sets child_pid to the PID of the process itself.
start_child() {
    local name="$1" fd
    shift
    : >"$logs/$name.log"
    exec {fd}> >(
        trap '' INT
        tee -a "$logs/$name.log" | sed -u "s/^/[$name] /"
    )
    prefixer_pids+=("$!")
    "${detach[@]}" "$@" </dev/null >&"$fd" 2>&1 {fd}>&- &
    child_pid=$!
    exec {fd}>&-
}

log "starting the silo (silo port $silo_port, gateway port $gateway_port, metrics port $metrics_port)"
start_child silo env -u ASPNETCORE_URLS \
    Redis__ConnectionString="$redis_conn" \
    Orleans__SiloPort="$silo_port" \
    Orleans__GatewayPort="$gateway_port" \
    Orleans__MetricsPort="$metrics_port" \
    DOTNET_ENVIRONMENT="$env_name" \
    ASPNETCORE_ENVIRONMENT="$env_name" \
    dotnet "$silo_dll"
silo_pid=$child_pid

log "starting the gateway on $url"
start_child gateway env \
    Redis__ConnectionString="$redis_conn" \
    ASPNETCORE_URLS="$url" \
    DOTNET_ENVIRONMENT="$env_name" \
    ASPNETCORE_ENVIRONMENT="$env_name" \
    dotnet "$gateway_dll"
gateway_pid=$child_pid

# Names of the children to watch, and their PIDs.
watched() {
    ((private_redis)) && printf 'redis-server %s\n' "$redis_pid"
    printf 'silo %s\ngateway %s\n' "$silo_pid" "$gateway_pid"
}

# Exits (stopping the rest) if a child has died; $1 says when.
check_children() {
    local name pid status
    while read -r name pid; do
        if ! kill -0 "$pid" 2>/dev/null; then
            status=0
            wait "$pid" 2>/dev/null || status=$?
            case "$name" in
                redis-server) redis_pid="" ;;
                silo) silo_pid="" ;;
                gateway) gateway_pid="" ;;
            esac
            sleep 0.3 # let its last lines reach the terminal first
            if [[ "$name" == redis-server ]]; then
                show_tail "$name" "$data/redis.log"
            else
                show_tail "$name" "$logs/$name.log"
            fi
            die "$name (pid $pid) exited $1 with status $status; stopping the rest"
        fi
    done < <(watched)
}

# ---------------------------------------------------------------- readiness

log "waiting up to ${ready_timeout} s for $url/readyz"
deadline=$((SECONDS + ready_timeout))
code=000
while :; do
    check_children "during startup"
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/readyz" 2>/dev/null)" || true
    [[ "$code" == 200 ]] && break
    if ((SECONDS >= deadline)); then
        show_tail silo "$logs/silo.log"
        show_tail gateway "$logs/gateway.log"
        ((private_redis)) && show_tail redis-server "$data/redis.log"
        die "$url/readyz did not answer 200 within ${ready_timeout} s (last answer: $code); stopping everything"
    fi
    sleep 1
done

if ((private_redis)); then
    redis_line="$redis_conn  (private, pid $redis_pid, AOF data in .data/redis, log .data/redis.log)"
else
    redis_line="$redis_conn  (external)"
fi
cat <<EOF

  Eventd is ready.
    API               $url/eventd/v1/events
    Gateway metrics   $url/metrics
    Silo metrics      http://127.0.0.1:$metrics_port/metrics
    Dashboards        $url/dashboard
                      http://127.0.0.1:$metrics_port/dashboard
    Redis             $redis_line
    Logs              .data/logs/silo.log, .data/logs/gateway.log
    Environment       $env_name

  Create an event (fires in 2 s):
    curl -s -H 'content-type: application/json' -d '{"delay":2,"url":"http://127.0.0.1:9999/hook","data":{"hello":"world"}}' $url/eventd/v1/events

  Press Ctrl-C to stop everything.

EOF

# ---------------------------------------------------------------- run until stopped

mapfile -t watch_pids < <(watched | cut -d' ' -f2)
while :; do
    if ((BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1))); then
        # Returns when one of them exits (or a signal arrives, whose trap then runs).
        wait -n "${watch_pids[@]}" 2>/dev/null || true
    else
        sleep 1
    fi
    check_children "unexpectedly"
done
