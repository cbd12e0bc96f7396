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

# This script's path, symlinks resolved: lib.sh is next to it, the repository two levels up.
script_path="$(readlink -f "${BASH_SOURCE[0]}" 2>/dev/null)" || script_path="${BASH_SOURCE[0]}"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$script_path")/lib.sh"

usage() {
    cat <<'EOF'
Usage: deploy/local/run.sh [--redis CONNSTRING] [--no-build]

Starts Redis (private, unless --redis or Redis__ConnectionString is given), builds the
solution, starts one silo and the gateway, and waits until the gateway is ready.
Ctrl-C stops everything it started.

EOF
    usage_options
    echo
    usage_environment 60
}

log_tag=run

# ---------------------------------------------------------------- arguments and settings

redis_conn="${Redis__ConnectionString:-}"
build=1
while (($#)); do
    common_option "$@"
    ((shifted)) || { usage >&2; die "unknown argument: $1"; }
    shift "$shifted"
done

redis_port="${EVENTD_REDIS_PORT:-6379}"
silo_port="${EVENTD_SILO_PORT:-11111}"
gateway_port="${EVENTD_GATEWAY_PORT:-30000}"
metrics_port="${EVENTD_METRICS_PORT:-9091}"
url="${EVENTD_URL:-http://127.0.0.1:8080}"
url="${url%/}"
ready_timeout="${EVENTD_READY_TIMEOUT:-60}"
env_name="${DOTNET_ENVIRONMENT:-Development}"

check_port_settings 1 "" EVENTD_REDIS_PORT:"$redis_port" EVENTD_SILO_PORT:"$silo_port" \
    EVENTD_GATEWAY_PORT:"$gateway_port" EVENTD_METRICS_PORT:"$metrics_port"
[[ "$ready_timeout" =~ ^[0-9]+$ ]] || die "EVENTD_READY_TIMEOUT=$ready_timeout is not a number of seconds"
parse_url

enter_repo
data="$repo/.data"
logs="$data/logs"
mkdir -p "$logs"

require_tools
init_detach

# ---------------------------------------------------------------- lifecycle

redis_pid="" silo_pid="" gateway_pid=""
prefixer_pids=()
force=0

cleanup() {
    local rc=$?
    set +e
    trap - EXIT
    # A second Ctrl-C while stopping: stop waiting for graceful exits.
    trap 'force=1; log "forcing"' INT TERM HUP
    stop_child gateway "$gateway_pid" 30
    stop_child silo "$silo_pid" 30
    stop_child redis-server "$redis_pid" 30
    wait_prefixers
    if [[ -n "$redis_pid$silo_pid$gateway_pid" ]]; then log "stopped"; fi
    exit "$rc"
}
set_traps

require_free "the silo port" 127.0.0.1 "$silo_port" EVENTD_SILO_PORT
require_free "the silo's gateway port" 127.0.0.1 "$gateway_port" EVENTD_GATEWAY_PORT
require_free "the silo's metrics port" 127.0.0.1 "$metrics_port" EVENTD_METRICS_PORT
require_free "the gateway's HTTP port" "$probe_host" "$url_port" EVENTD_URL

# ---------------------------------------------------------------- Redis

just_installed=0
start_redis() {
    ensure_redis_tools
    if ((just_installed)) && port_in_use 127.0.0.1 "$redis_port" && redis_ping "$redis_port"; then
        log "note: installing redis-server may also have started the system Redis service on port 6379"
    fi
    require_free_redis_port ""

    mkdir -p "$data/redis"
    # One private Redis per data directory: the lock is held by this script and its children.
    if command -v flock >/dev/null 2>&1; then
        exec {redis_lock}>"$data/redis/.lock"
        flock -n "$redis_lock" ||
            die "another run.sh from this checkout is using $data/redis (its Redis is still running); stop it first"
    fi

    log "starting redis-server on 127.0.0.1:$redis_port (data in .data/redis, log in .data/redis.log)"
    launch_redis "$data/redis" "$data/redis.log"
    wait_for_redis "$data/redis.log"
}

choose_redis

# ---------------------------------------------------------------- build

build_solution

# ---------------------------------------------------------------- silo and gateway

log "starting the silo (silo port $silo_port, gateway port $gateway_port, metrics port $metrics_port)"
launch_silo silo "$silo_port" "$gateway_port" "$metrics_port"
silo_pid=$child_pid

launch_gateway
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
    code="$(http_code "$url/readyz")"
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
