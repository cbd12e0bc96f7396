#!/usr/bin/env bash
# Runs a cluster of Eventd on this machine: a private Redis (unless one is given; with
# --redis-cluster M, a private Redis Cluster of M masters), N silos, each on its own ports, and
# the gateway. Ctrl-C stops everything this script started, and nothing else.
# While it runs, another terminal can restart silos one at a time (a rolling restart):
#
#   deploy/local/cluster.sh 3                     # three silos: silo0, silo1, silo2
#   deploy/local/cluster.sh restart-silo 1        # SIGTERM silo1, wait, start it again on its ports
#   deploy/local/cluster.sh rolling-restart       # every silo in turn, /readyz 200 between
#   deploy/local/cluster.sh status | stop
#
# Silo i (0-based) listens on EVENTD_SILO_PORT+i, EVENTD_GATEWAY_PORT+i and EVENTD_METRICS_PORT+i.
# The running cluster keeps its PIDs, ports and a control channel under .data/cluster/; the
# control commands ask the running script (SIGUSR1) to do the restart, so it stays the parent of
# every process it started and still stops them all on Ctrl-C.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: deploy/local/cluster.sh [N] [--redis CONNSTRING | --redis-cluster M] [--no-build]
       deploy/local/cluster.sh restart-silo I | rolling-restart | status | stop

Starts Redis (private, unless --redis or Redis__ConnectionString is given), builds the
solution, starts N silos (default 3) and the gateway, and waits until the gateway is ready.
Ctrl-C stops everything it started.

  N                    number of silos, 1-20 (default 3); silo i uses base port + i
  --redis-cluster M    start a private Redis Cluster instead of one Redis: M masters, 3-20, no
                       replicas, on EVENTD_REDIS_PORT+j (cluster bus on +10000), AOF and
                       nodes.conf under .data/cluster/redis-cluster/; silos and gateway get
                       every node, comma-separated, as Redis:ConnectionString
EOF
    usage_options
    cat <<'EOF'

Control commands, for a cluster this script runs (from another terminal):
  restart-silo I       stop silo I gracefully (SIGTERM, wait), start it again on the same ports,
                       wait for its /healthz and the gateway's /readyz; also starts a silo that died
  rolling-restart      restart-silo for every silo, one at a time
  status               PIDs, ports and health of every process
  stop                 stop the cluster (as Ctrl-C would)

EOF
    usage_environment 90
}

log_tag=cluster
# This script's path, symlinks resolved: lib.sh is next to it, the repository two levels up.
script_path="$(readlink -f "${BASH_SOURCE[0]}" 2>/dev/null)" || script_path="${BASH_SOURCE[0]}"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$script_path")/lib.sh"
enter_repo
state="$repo/.data/cluster"
logs="$state/logs"
self="deploy/local/cluster.sh"

# Reads one value of .data/cluster/cluster.conf ("key=value" lines, never sourced).
conf() {
    local line
    while IFS= read -r line; do
        if [[ "$line" == "$1="* ]]; then
            printf '%s\n' "${line#*=}"
            return 0
        fi
    done <"$state/cluster.conf"
    return 1
}

# True when $1 is alive and its command line contains $2 (guards against a reused PID).
pid_runs() {
    local pid="$1" what="$2" cmdline
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 0
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    [[ "$cmdline" == *"$what"* ]]
}

read_pid() { cat "$state/$1.pid" 2>/dev/null || true; }

# The PID of the running cluster script, or nothing.
supervisor_pid() {
    local pid
    pid="$(read_pid supervisor)"
    pid_runs "$pid" cluster.sh && printf '%s\n' "$pid"
    return 0
}

# ---------------------------------------------------------------- control commands

require_cluster() {
    supervisor="$(supervisor_pid)"
    [[ -n "$supervisor" ]] || die "no cluster is running from $repo (start one with $self)"
    [[ "$(cat "$state/phase" 2>/dev/null)" == running ]] ||
        die "the cluster (pid $supervisor) is not ready yet; try again once it prints 'ready'"
    silos="$(conf silos)"
}

# Asks the running script to restart silo $1, and waits for its answer.
request_restart() {
    local index="$1" token answer status rest
    token="$$.$RANDOM.$(date +%s%N)"
    rm -f "$state/result"
    printf '%s restart %s\n' "$token" "$index" >"$state/request.tmp"
    mv -f "$state/request.tmp" "$state/request"
    kill -USR1 "$supervisor" 2>/dev/null || die "the cluster (pid $supervisor) is gone"
    log "asked the cluster (pid $supervisor) to restart silo$index; waiting"
    while :; do
        if [[ -f "$state/result" ]] && read -r answer status rest <"$state/result" && [[ "$answer" == "$token" ]]; then
            break
        fi
        kill -0 "$supervisor" 2>/dev/null || die "the cluster (pid $supervisor) stopped before answering"
        sleep 0.3
    done
    if [[ "$status" == ok ]]; then
        log "silo$index is back: $rest"
        return 0
    fi
    log "restarting silo$index failed: $rest"
    return 1
}

control_restart() {
    local index="${1:-}"
    require_cluster
    if ! [[ "$index" =~ ^[0-9]+$ ]] || ((index >= silos)); then
        die "restart-silo needs a silo number from 0 to $((silos - 1)), got '${index}'"
    fi
    exec {control_lock}>"$state/control.lock"
    flock "$control_lock"
    request_restart "$index"
}

control_rolling_restart() {
    local index started=$SECONDS
    require_cluster
    exec {control_lock}>"$state/control.lock"
    flock "$control_lock"
    for ((index = 0; index < silos; index++)); do
        request_restart "$index" || die "rolling restart stopped at silo$index (see the cluster's output)"
    done
    log "rolling restart of $silos silos done in $((SECONDS - started)) s"
}

control_status() {
    local supervisor index pid url alive silo_port gateway_port metrics_port
    supervisor="$(supervisor_pid)"
    if [[ -z "$supervisor" ]]; then
        log "no cluster is running from $repo"
        if compgen -G "$state/*.pid" >/dev/null; then
            log "PID files of a cluster that was killed remain; $self stop stops what is left of it"
        fi
        return 1
    fi
    url="$(conf url)"
    printf 'cluster   pid %s, %s, %s silos, Redis %s\n' "$supervisor" "$(cat "$state/phase" 2>/dev/null)" "$(conf silos)" "$(conf redis)"
    for ((index = 0; index < $(conf silos); index++)); do
        pid="$(read_pid "silo$index")"
        read -r silo_port gateway_port metrics_port <"$state/silo$index.ports"
        if pid_runs "$pid" Eventd.Silo.dll; then alive="pid $pid"; else alive="down"; fi
        printf 'silo%-5s %-10s silo %s  gateway %s  metrics %s  /healthz %s\n' "$index" "$alive" \
            "$silo_port" "$gateway_port" "$metrics_port" "$(http_code "http://127.0.0.1:$metrics_port/healthz")"
    done
    pid="$(read_pid gateway)"
    if pid_runs "$pid" Eventd.Gateway.dll; then alive="pid $pid"; else alive="down"; fi
    printf 'gateway   %-10s %s  /readyz %s\n' "$alive" "$url" "$(http_code "$url/readyz")"
}

# Stops the running cluster; with none running, stops what a killed one left behind.
control_stop() {
    local supervisor name pid what tick
    supervisor="$(supervisor_pid)"
    if [[ -n "$supervisor" ]]; then
        log "stopping the cluster (pid $supervisor)"
        kill -TERM "$supervisor"
        for ((tick = 0; tick < 600; tick++)); do
            kill -0 "$supervisor" 2>/dev/null || { log "stopped"; return 0; }
            sleep 0.2
        done
        die "the cluster (pid $supervisor) is still stopping after 120 s"
    fi
    # The gateway first, Redis last, as the cluster itself would.
    for file in "$state"/gateway.pid "$state"/silo*.pid "$state"/redis.pid "$state"/redis-node*.pid "$state"/supervisor.pid; do
        [[ -f "$file" ]] || continue
        name="$(basename "$file" .pid)"
        pid="$(cat "$file")"
        case "$name" in
            silo*) what=Eventd.Silo.dll ;;
            gateway) what=Eventd.Gateway.dll ;;
            redis*) what=redis-server ;;
            *) what=cluster.sh ;;
        esac
        if pid_runs "$pid" "$what"; then
            log "stopping $name (pid $pid), left behind by a cluster that was killed"
            kill -TERM "$pid" 2>/dev/null || true
            for ((tick = 0; tick < 200; tick++)); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.2
            done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        fi
        rm -f "$file"
    done
    rm -f "$state"/*.ports "$state/phase" "$state/cluster.conf" "$state/request" "$state/result"
    log "no cluster is running"
}

case "${1:-}" in
    restart-silo) shift; control_restart "$@"; exit ;;
    rolling-restart) control_rolling_restart; exit ;;
    status) control_status; exit ;;
    stop) control_stop; exit ;;
esac

# ---------------------------------------------------------------- arguments and settings

redis_conn="${Redis__ConnectionString:-}"
build=1
silos=3
redis_cluster=0
while (($#)); do
    common_option "$@"
    if ((shifted)); then shift "$shifted"; continue; fi
    case "$1" in
        --redis-cluster | --redis-cluster=*)
            if [[ "$1" == --redis-cluster ]]; then
                (($# >= 2)) || die "--redis-cluster needs a number of masters, e.g. --redis-cluster 3"
                masters="$2"
                shift 2
            else
                masters="${1#--redis-cluster=}"
                shift
            fi
            # redis-cli --cluster create wants three masters at least.
            if ! [[ "$masters" =~ ^[0-9]+$ ]] || ((masters < 3 || masters > 20)); then
                die "--redis-cluster needs 3-20 masters, got '$masters'"
            fi
            redis_cluster=$masters
            ;;
        [0-9]*)
            if ! [[ "$1" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > 20)); then
                die "the number of silos must be 1-20, got $1"
            fi
            silos=$1
            shift
            ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

redis_port="${EVENTD_REDIS_PORT:-6379}"
silo_base="${EVENTD_SILO_PORT:-11111}"
gateway_base="${EVENTD_GATEWAY_PORT:-30000}"
metrics_base="${EVENTD_METRICS_PORT:-9091}"
url="${EVENTD_URL:-http://127.0.0.1:8080}"
url="${url%/}"
ready_timeout="${EVENTD_READY_TIMEOUT:-90}"
env_name="${DOTNET_ENVIRONMENT:-Development}"

check_port_settings "$silos" " that leaves room for $silos silos" EVENTD_REDIS_PORT:"$redis_port" \
    EVENTD_SILO_PORT:"$silo_base" EVENTD_GATEWAY_PORT:"$gateway_base" EVENTD_METRICS_PORT:"$metrics_base"
if ((redis_cluster)); then
    [[ -z "$redis_conn" ]] ||
        die "--redis-cluster starts a private Redis Cluster; it cannot be used with --redis or Redis__ConnectionString"
    check_port_settings $((redis_cluster + 10000)) " that leaves room for $redis_cluster Redis masters and their cluster bus ports (+10000)" \
        EVENTD_REDIS_PORT:"$redis_port"
fi
[[ "$ready_timeout" =~ ^[0-9]+$ ]] || die "EVENTD_READY_TIMEOUT=$ready_timeout is not a number of seconds"
parse_url

require_tools

# One cluster per checkout: the lock is held by this script and its children.
mkdir -p "$logs"
if command -v flock >/dev/null 2>&1; then
    exec {cluster_lock}>"$state/.lock"
    flock -n "$cluster_lock" ||
        die "a cluster from this checkout is still running (or a killed one left processes behind): $self status, $self stop"
fi
rm -f "$state"/*.pid "$state"/*.ports "$state/request" "$state/result"
printf 'starting\n' >"$state/phase"
printf '%s\n' "$$" >"$state/supervisor.pid"

init_detach

silo_port() { echo $((silo_base + $1)); }
silo_gateway_port() { echo $((gateway_base + $1)); }
silo_metrics_port() { echo $((metrics_base + $1)); }

# ---------------------------------------------------------------- lifecycle

redis_pid="" gateway_pid=""
redis_node_pids=()
silo_pids=()
prefixer_pids=()
force=0
restart_requested=0

cleanup() {
    local rc=$? pid index stopped=""
    set +e
    trap - EXIT
    # A second Ctrl-C while stopping: stop waiting for graceful exits.
    trap 'force=1; log "forcing"' INT TERM HUP
    trap '' USR1
    printf 'stopping\n' >"$state/phase"
    stop_child gateway "$gateway_pid" 30
    stopped+="$gateway_pid"
    # Silos stop together: each hands its grains and reminders over while the others still run.
    for index in "${!silo_pids[@]}"; do
        pid="${silo_pids[index]}"
        [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && log "stopping silo$index (pid $pid)"
        stopped+="$pid"
    done
    for index in "${!silo_pids[@]}"; do
        await_exit "silo$index" "${silo_pids[index]}" 40
    done
    stop_child redis-server "$redis_pid" 30
    stopped+="$redis_pid"
    for index in "${!redis_node_pids[@]}"; do
        stop_child "redis-node$index" "${redis_node_pids[index]}" 30
        stopped+="${redis_node_pids[index]}"
    done
    wait_prefixers
    rm -f "$state"/*.pid "$state"/*.ports "$state/phase" "$state/request" "$state/result" "$state/cluster.conf"
    if [[ -n "$stopped" ]]; then log "stopped"; fi
    exit "$rc"
}
set_traps
# A control command (restart-silo) left a request in .data/cluster/request.
trap 'restart_requested=1' USR1

for ((index = 0; index < silos; index++)); do
    require_free "silo$index's silo port" 127.0.0.1 "$(silo_port "$index")" EVENTD_SILO_PORT "base port"
    require_free "silo$index's gateway port" 127.0.0.1 "$(silo_gateway_port "$index")" EVENTD_GATEWAY_PORT "base port"
    require_free "silo$index's metrics port" 127.0.0.1 "$(silo_metrics_port "$index")" EVENTD_METRICS_PORT "base port"
done
require_free "the gateway's HTTP port" "$probe_host" "$url_port" EVENTD_URL "base port"

# ---------------------------------------------------------------- Redis

start_redis() {
    ensure_redis_tools
    if ((redis_cluster)); then
        start_redis_cluster
        return
    fi
    require_free_redis_port " $silos"

    mkdir -p "$state/redis"
    log "starting redis-server on 127.0.0.1:$redis_port (data in .data/cluster/redis, log in .data/cluster/logs/redis.log)"
    launch_redis "$state/redis" "$logs/redis.log"
    printf '%s\n' "$redis_pid" >"$state/redis.pid"
    wait_for_redis "$logs/redis.log"
}

# Starts $redis_cluster redis-servers in cluster mode on redis_port and up (cluster bus on each port
# + 10000), AOF and nodes.conf under .data/cluster/redis-cluster/PORT/; creates the cluster the first
# time (a later run finds it in nodes.conf), waits for cluster_state:ok on every node, and sets
# redis_conn to every node, comma-separated.
start_redis_cluster() {
    local index port data="$state/redis-cluster" endpoints=() created
    mkdir -p "$data"
    if [[ -f "$data/masters" ]] && [[ "$(cat "$data/masters")" != "$redis_cluster" ]]; then
        die "$data holds a Redis Cluster of $(cat "$data/masters") masters: run with --redis-cluster $(cat "$data/masters"), or remove that directory to start afresh"
    fi
    for ((index = 0; index < redis_cluster; index++)); do
        port=$((redis_port + index))
        require_free "Redis master $index's port" 127.0.0.1 "$port" EVENTD_REDIS_PORT "base port"
        require_free "Redis master $index's cluster bus port" 127.0.0.1 $((port + 10000)) EVENTD_REDIS_PORT "base port"
    done
    for ((index = 0; index < redis_cluster; index++)); do
        port=$((redis_port + index))
        mkdir -p "$data/$port"
        log "starting redis-server $index in cluster mode on 127.0.0.1:$port (data in .data/cluster/redis-cluster/$port, log in .data/cluster/logs/redis-$port.log)"
        "${detach[@]}" redis-server --bind 127.0.0.1 --port "$port" --dir "$data/$port" --appendonly yes --daemonize no \
            --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
            --logfile "$logs/redis-$port.log" </dev/null >/dev/null 2>&1 &
        redis_node_pids[index]=$!
        printf '%s\n' "$!" >"$state/redis-node$index.pid"
        endpoints+=("127.0.0.1:$port")
    done
    for ((index = 0; index < redis_cluster; index++)); do
        # wait_for_redis reads redis_port and redis_pid: this node's, for the call.
        redis_port=$((redis_port + index)) redis_pid="${redis_node_pids[index]}" wait_for_redis "$logs/redis-$((redis_port + index)).log"
    done
    created="$(redis-cli -h 127.0.0.1 -p "$redis_port" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p')"
    if [[ "$created" == 0 ]]; then
        log "creating the Redis Cluster: redis-cli --cluster create ${endpoints[*]} --cluster-replicas 0"
        redis-cli --cluster create "${endpoints[@]}" --cluster-replicas 0 --cluster-yes >"$logs/redis-cluster-create.log" 2>&1 || {
            show_tail "redis-cli --cluster create" "$logs/redis-cluster-create.log"
            die "redis-cli --cluster create failed; stopping"
        }
        printf '%s\n' "$redis_cluster" >"$data/masters"
    fi
    wait_for_cluster_ok
    redis_conn="$(IFS=,; printf '%s' "${endpoints[*]}")"
}

# Waits up to 30 s until every node of the private Redis Cluster answers cluster_state:ok.
wait_for_cluster_ok() {
    local index port deadline=$((SECONDS + 30))
    for ((index = 0; index < redis_cluster; index++)); do
        port=$((redis_port + index))
        until redis-cli -h 127.0.0.1 -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; do
            ((SECONDS < deadline)) || {
                show_tail "redis-server $index" "$logs/redis-$port.log"
                die "the Redis Cluster node on port $port did not report cluster_state:ok within 30 s"
            }
            sleep 0.2
        done
    done
    log "the Redis Cluster is up: $redis_cluster masters, cluster_state:ok"
}

choose_redis

# ---------------------------------------------------------------- build

build_solution

cat >"$state/cluster.conf" <<EOF
silos=$silos
url=$url
redis=$redis_conn
EOF

# ---------------------------------------------------------------- silos and gateway

start_silo() {
    local index="$1" silo gateway metrics
    silo="$(silo_port "$index")" gateway="$(silo_gateway_port "$index")" metrics="$(silo_metrics_port "$index")"
    log "starting silo$index (silo port $silo, gateway port $gateway, metrics port $metrics)"
    launch_silo "silo$index" "$silo" "$gateway" "$metrics"
    silo_pids[index]=$child_pid
    printf '%s\n' "$child_pid" >"$state/silo$index.pid"
    printf '%s %s %s\n' "$silo" "$gateway" "$metrics" >"$state/silo$index.ports"
}

for ((index = 0; index < silos; index++)); do
    start_silo "$index"
done

launch_gateway
gateway_pid=$child_pid
printf '%s\n' "$gateway_pid" >"$state/gateway.pid"

# Reaps child $1, which has exited, into `status`.
reap() {
    status=0
    wait "$1" 2>/dev/null || status=$?
    sleep 0.3 # let its last lines reach the terminal first
}

# Exits (stopping the rest) if Redis or the gateway has died, or, during startup, any silo.
# After startup a silo that dies is reported and left down: the others carry on (a failover),
# and `restart-silo I` starts it again.
check_children() {
    local when="$1" index pid status
    if ((private_redis)) && [[ -n "$redis_pid" ]] && ! kill -0 "$redis_pid" 2>/dev/null; then
        pid=$redis_pid redis_pid=""
        reap "$pid"
        show_tail redis-server "$logs/redis.log"
        die "redis-server (pid $pid) exited $when with status $status; stopping the rest"
    fi
    for index in "${!redis_node_pids[@]}"; do
        pid="${redis_node_pids[index]}"
        if [[ -z "$pid" ]] || kill -0 "$pid" 2>/dev/null; then continue; fi
        redis_node_pids[index]=""
        reap "$pid"
        show_tail "redis-node$index" "$logs/redis-$((redis_port + index)).log"
        die "redis-server $index of the Redis Cluster (pid $pid) exited $when with status $status; stopping the rest"
    done
    if [[ -n "$gateway_pid" ]] && ! kill -0 "$gateway_pid" 2>/dev/null; then
        pid=$gateway_pid gateway_pid=""
        reap "$pid"
        show_tail gateway "$logs/gateway.log"
        die "the gateway (pid $pid) exited $when with status $status; stopping the rest"
    fi
    for index in "${!silo_pids[@]}"; do
        pid="${silo_pids[index]}"
        if [[ -z "$pid" ]] || kill -0 "$pid" 2>/dev/null; then continue; fi
        silo_pids[index]=""
        rm -f "$state/silo$index.pid"
        reap "$pid"
        show_tail "silo$index" "$logs/silo$index.log"
        [[ "$when" == "during startup" ]] && die "silo$index (pid $pid) exited $when with status $status; stopping the rest"
        log "silo$index (pid $pid) exited $when with status $status; the other silos carry on."
        log "start it again with: $self restart-silo $index"
    done
}

# Waits until $1 answers 200, checking the children meanwhile; false after $2 seconds, or as
# soon as silo $4 (when given) has exited.
wait_for_200() {
    local probe="$1" deadline=$((SECONDS + $2)) when="${3:-unexpectedly}" watched="${4:-}"
    last_code=000
    while :; do
        check_children "$when"
        if [[ -n "$watched" && -z "${silo_pids[watched]}" ]]; then
            last_code="none, it exited"
            return 1
        fi
        last_code="$(http_code "$probe")"
        [[ "$last_code" == 200 ]] && return 0
        ((SECONDS < deadline)) || return 1
        sleep 1
    done
}

# ---------------------------------------------------------------- readiness

log "waiting up to ${ready_timeout} s for every silo's /healthz and $url/readyz"
started=$SECONDS
for ((index = 0; index < silos; index++)); do
    probe="http://127.0.0.1:$(silo_metrics_port "$index")/healthz"
    if ! wait_for_200 "$probe" $((ready_timeout - (SECONDS - started))) "during startup"; then
        show_tail "silo$index" "$logs/silo$index.log"
        die "$probe did not answer 200 within ${ready_timeout} s (last answer: $last_code); stopping everything"
    fi
done
if ! wait_for_200 "$url/readyz" $((ready_timeout - (SECONDS - started))) "during startup"; then
    show_tail gateway "$logs/gateway.log"
    die "$url/readyz did not answer 200 within ${ready_timeout} s (last answer: $last_code); stopping everything"
fi

if ((redis_cluster)); then
    redis_line="$redis_conn  (private Redis Cluster of $redis_cluster masters, pids ${redis_node_pids[*]}, AOF data in .data/cluster/redis-cluster)"
elif ((private_redis)); then
    redis_line="$redis_conn  (private, pid $redis_pid, AOF data in .data/cluster/redis)"
else
    redis_line="$redis_conn  (external)"
fi
{
    printf '\n  Eventd is ready: %s silos and the gateway.\n' "$silos"
    printf '    API               %s/eventd/v1/events\n' "$url"
    printf '    Gateway           %s/metrics  %s/dashboard  (pid %s)\n' "$url" "$url" "$gateway_pid"
    for ((index = 0; index < silos; index++)); do
        metrics="http://127.0.0.1:$(silo_metrics_port "$index")"
        printf '    silo%-13s %s/metrics  %s/dashboard  (silo port %s, gateway port %s, pid %s)\n' "$index" \
            "$metrics" "$metrics" "$(silo_port "$index")" "$(silo_gateway_port "$index")" "${silo_pids[index]}"
    done
    printf '    Redis             %s\n' "$redis_line"
    printf '    Logs              .data/cluster/logs/\n'
    printf '    Environment       %s\n\n' "$env_name"
    printf '  Create an event (published on channel x in 2 s):\n'
    printf "    curl -s -H 'content-type: application/json' -d '{\"delay\":2,\"channel\":\"x\"}' %s/eventd/v1/events\n\n" "$url"
    printf '  From another terminal:\n'
    printf '    %s restart-silo 1     # SIGTERM silo1, wait, start it again on its ports\n' "$self"
    printf '    %s rolling-restart    # every silo in turn, /readyz 200 between\n' "$self"
    printf '    %s status\n\n' "$self"
    printf '  Press Ctrl-C to stop everything.\n\n'
} >&2
printf 'running\n' >"$state/phase"

# ---------------------------------------------------------------- control requests

answer() { printf '%s %s\n' "$1" "$2" >"$state/result.tmp" && mv -f "$state/result.tmp" "$state/result"; }

# Restarts silo $1 on the same ports; sets `outcome` to "ok ..." or "error ...".
restart_silo() {
    local index="$1" started=$SECONDS deadline port
    stop_child "silo$index" "${silo_pids[index]}" 40
    silo_pids[index]=""
    rm -f "$state/silo$index.pid"
    # The ports are free once the process has gone; wait a little for sockets still closing.
    deadline=$((SECONDS + 15))
    for port in "$(silo_port "$index")" "$(silo_gateway_port "$index")" "$(silo_metrics_port "$index")"; do
        while port_in_use 127.0.0.1 "$port"; do
            ((SECONDS < deadline)) || { outcome="error port $port is still in use by another process"; return; }
            sleep 0.3
        done
    done
    append=1 start_silo "$index"
    if ! wait_for_200 "http://127.0.0.1:$(silo_metrics_port "$index")/healthz" "$ready_timeout" unexpectedly "$index"; then
        outcome="error silo$index did not answer /healthz within ${ready_timeout} s (last answer: $last_code; see .data/cluster/logs/silo$index.log)"
        return
    fi
    if ! wait_for_200 "$url/readyz" "$ready_timeout"; then
        outcome="error $url/readyz did not answer 200 within ${ready_timeout} s (last answer: $last_code)"
        return
    fi
    outcome="ok pid ${silo_pids[index]}, ready after $((SECONDS - started)) s"
}

handle_request() {
    local token verb index outcome
    restart_requested=0
    [[ -f "$state/request" ]] || return 0
    read -r token verb index <"$state/request" || true
    rm -f "$state/request"
    if [[ "$verb" != restart ]] || ! [[ "$index" =~ ^[0-9]+$ ]] || ((index >= silos)); then
        answer "$token" "error unknown request '$verb $index'"
        return 0
    fi
    log "restarting silo$index (asked by $self restart-silo $index)"
    restart_silo "$index"
    log "restart of silo$index: ${outcome#* }"
    answer "$token" "$outcome"
}

# ---------------------------------------------------------------- run until stopped

while :; do
    # A request may have come while starting or while busy: the flag, or the file, says so.
    if ((restart_requested)) || [[ -f "$state/request" ]]; then
        handle_request
    fi
    check_children "unexpectedly"
    # `wait` on a short sleep returns at once when a signal arrives, so its trap runs now.
    sleep 1 &
    wait $! 2>/dev/null || true
done
