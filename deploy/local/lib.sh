# shellcheck shell=bash
# Functions shared by deploy/local/run.sh and deploy/local/cluster.sh, which source it. Sourcing
# this file only defines functions: it sets no variable, starts nothing and changes no directory.
#
# The functions read and set these variables of the sourcing script:
#   log_tag          the prefix of every message, "run" or "cluster" (set before the first one)
#   script_path      the path of the sourcing script, symlinks resolved (read by enter_repo)
#   repo             set by enter_repo: the repository root, which becomes the working directory
#   logs             the directory of the children's logs (read by start_child)
#   redis_conn       the Redis to use: set by common_option (--redis), launch_redis
#   build            0 after --no-build (set by common_option, read by build_solution)
#   shifted          set by common_option: how many arguments it used
#   redis_port       the port of the private Redis
#   redis_pid        set by launch_redis
#   private_redis    set by choose_redis: 1 when the script starts its own Redis
#   just_installed   set to 1 by ensure_redis_tools when it installed redis-server
#   url url_host url_port probe_host   EVENTD_URL, split by parse_url
#   detach           set by init_detach: the command that runs a child in its own session
#   force            1 once a second Ctrl-C asks to stop waiting for graceful exits
#   prefixer_pids    the PIDs of the log prefixers (start_child adds to it)
#   child_pid        set by start_child to the PID of the child
#   append           when 1, start_child appends to the child's log instead of truncating it
#   silo_dll gateway_dll env_name   set by build_solution / read by launch_silo, launch_gateway
#
#   usage_options, usage_environment TIMEOUT   the shared parts of the usage texts
#   log MESSAGE...                    print "[$log_tag] MESSAGE" on stderr
#   die MESSAGE...                    print "[$log_tag] error: MESSAGE" on stderr and exit 1
#   common_option ARGS...             handle --redis, --no-build, -h; sets `shifted`
#   check_port_settings ROOM TEXT NAME:VALUE...   die unless every VALUE is a port (+ROOM-1)
#   parse_url                         validate EVENTD_URL and split it
#   enter_repo                        cd to the repository root, set `repo`
#   require_tools                     die unless dotnet and curl are installed
#   init_detach                       set `detach` (setsid when available)
#   port_in_use HOST PORT             true when something accepts TCP connections there
#   require_free WHAT HOST PORT VAR [NOUN]   die if that port is taken
#   http_code URL                     the HTTP status of a GET (000 when none)
#   stop_child NAME PID GRACE         SIGTERM, wait up to GRACE s, then SIGKILL
#   await_exit NAME PID GRACE         the waiting half of stop_child
#   wait_prefixers                    let the log prefixers print the last lines
#   set_traps                         EXIT runs `cleanup` (the script's); INT/TERM/HUP exit
#   show_tail NAME FILE               the last lines of a log, to explain a failure
#   install_redis, redis_ping PORT, ensure_redis_tools, require_free_redis_port ARGS,
#   launch_redis DIR LOGFILE, wait_for_redis LOGFILE   the private redis-server
#   choose_redis                      the Redis given, or the script's start_redis; sets private_redis
#   build_solution                    dotnet build unless --no-build; check the DLLs
#   start_child NAME COMMAND...       start a child with its output prefixed and logged
#   launch_silo NAME SILO GATEWAY METRICS, launch_gateway   start_child for Eventd's programs
#
# The variables belong to the sourcing scripts, which set and read them:
# shellcheck disable=SC2034,SC2154

# The options both scripts take, for their usage().
usage_options() {
    cat <<'EOF'
  --redis CONNSTRING   use this Redis (StackExchange.Redis syntax, e.g. 127.0.0.1:6379)
                       and start none; Redis__ConnectionString in the environment does the same
  --no-build           skip `dotnet build` (use the binaries already built)
  -h, --help           show this help
EOF
}

# The environment both scripts read, for their usage(); $1 is EVENTD_READY_TIMEOUT's default.
usage_environment() {
    cat <<EOF
Environment (defaults):
  EVENTD_REDIS_PORT=6379  EVENTD_SILO_PORT=11111  EVENTD_GATEWAY_PORT=30000
  EVENTD_METRICS_PORT=9091  EVENTD_URL=http://127.0.0.1:8080  EVENTD_READY_TIMEOUT=$1
  DOTNET_ENVIRONMENT=Development
EOF
}

log() { printf '[%s] %s\n' "$log_tag" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$log_tag" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- arguments and settings

# Handles an option both scripts take; sets `shifted` to the number of arguments it used, or 0
# when $1 is none of them.
common_option() {
    case "$1" in
        --redis)
            if (($# < 2)) || [[ -z "$2" ]]; then
                die "--redis needs a connection string, e.g. --redis 127.0.0.1:6379"
            fi
            redis_conn="$2"
            shifted=2
            ;;
        --redis=*)
            redis_conn="${1#--redis=}"
            [[ -n "$redis_conn" ]] || die "--redis needs a connection string, e.g. --redis 127.0.0.1:6379"
            shifted=1
            ;;
        --no-build) build=0; shifted=1 ;;
        -h | --help) usage; exit 0 ;;
        *) shifted=0 ;;
    esac
}

# Dies unless every NAME:VALUE is a port number that leaves room for ROOM consecutive ports;
# TEXT goes after "is not a port number" in the message.
check_port_settings() {
    local room="$1" text="$2" setting value
    shift 2
    for setting in "$@"; do
        value="${setting#*:}"
        if ! [[ "$value" =~ ^[0-9]+$ ]] || ((value < 1 || value + room - 1 > 65535)); then
            die "${setting%%:*}=$value is not a port number$text (1-65535)"
        fi
    done
}

# Validates $url (EVENTD_URL) and sets url_host, url_port and probe_host (where to test the port).
parse_url() {
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
}

# Makes the repository root (two levels above $script_path) the working directory; sets repo.
enter_repo() {
    cd -P "$(dirname "$script_path")/../.." || exit
    repo="$(pwd -P)"
    [[ -f "$repo/Eventd.Orleans.sln" ]] || die "cannot find Eventd.Orleans.sln in $repo"
}

require_tools() {
    command -v dotnet >/dev/null 2>&1 ||
        die "dotnet is not installed; install the .NET 10 SDK (https://dot.net), see global.json"
    command -v curl >/dev/null 2>&1 || die "curl is not installed (apt-get install -y curl)"
}

# Runs a child in its own session when possible, so a Ctrl-C in the terminal reaches only the
# script, which then stops the children in order (gateway, silos, Redis).
init_detach() {
    if command -v setsid >/dev/null 2>&1; then detach=(setsid); else detach=(); fi
}

# ---------------------------------------------------------------- ports and probes

# True when something accepts TCP connections on host:port.
port_in_use() {
    if command -v timeout >/dev/null 2>&1; then
        # shellcheck disable=SC2016 # expanded by the inner bash
        timeout 2 bash -c ': </dev/tcp/"$1"/"$2"' _ "$1" "$2" 2>/dev/null
    else
        (: </dev/tcp/"$1"/"$2") 2>/dev/null
    fi
}

# Fail early, before starting anything, if a port is taken: $1 names it, $4 is the variable
# that moves it, $5 what to set that variable to ("port" unless given).
require_free() {
    if port_in_use "$2" "$3"; then
        die "port $3 ($1) is already in use by another process; set $4 to a free ${5:-port}"
    fi
}

http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------- lifecycle

# Stops one child by PID: SIGTERM, up to $3 seconds for a graceful exit, then SIGKILL.
stop_child() {
    local name="$1" pid="$2" grace="$3"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || return 0
    await_exit "$name" "$pid" "$grace"
}

# Waits up to $3 seconds for child $2, already sent SIGTERM, to exit; then SIGKILL.
await_exit() {
    local name="$1" pid="$2" grace="$3" tick
    [[ -n "$pid" ]] || return 0
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

# Lets the log prefixers print the last lines (they end once their process has exited).
wait_prefixers() {
    local pid tick
    for pid in "${prefixer_pids[@]}"; do
        for ((tick = 0; tick < 20; tick++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    done
}

# The script's `cleanup` runs on exit; a signal exits with 128 + its number.
set_traps() {
    trap cleanup EXIT
    trap 'log "interrupted"; exit 130' INT
    trap 'log "terminated"; exit 143' TERM
    trap 'exit 129' HUP
}

# Prints the last lines of a log file, to explain a failure.
show_tail() {
    local name="$1" file="$2"
    [[ -s "$file" ]] || return 0
    printf '[%s] ---- last lines of %s (%s) ----\n' "$log_tag" "$name" "$file" >&2
    tail -n 25 "$file" >&2
}

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

# Installs redis-server when it or redis-cli is missing; sets just_installed=1 when it did.
ensure_redis_tools() {
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        install_redis
        just_installed=1
        if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
            die "redis-server or redis-cli is still missing after installing redis-server"
        fi
    fi
}

# Dies if $redis_port is taken, telling how to go on; $1 goes after "$0" in those hints.
require_free_redis_port() {
    local args="$1"
    if port_in_use 127.0.0.1 "$redis_port"; then
        if redis_ping "$redis_port"; then
            die "a Redis server is already listening on 127.0.0.1:$redis_port (not started by this script).
    Use it:                 $0$args --redis 127.0.0.1:$redis_port
    or start a private one: EVENTD_REDIS_PORT=$((redis_port + 1)) $0$args"
        fi
        die "port $redis_port is already in use; choose another port for the private Redis: EVENTD_REDIS_PORT=$((redis_port + 1)) $0$args"
    fi
}

# Starts redis-server on 127.0.0.1:$redis_port, data in $1, log in $2; sets redis_pid, redis_conn.
launch_redis() {
    "${detach[@]}" redis-server --bind 127.0.0.1 --port "$redis_port" \
        --dir "$1" --appendonly yes --daemonize no \
        --logfile "$2" </dev/null >/dev/null 2>&1 &
    redis_pid=$!
    redis_conn="127.0.0.1:$redis_port"
}

# Waits up to 20 s for the Redis just launched to answer PING; $1 is its log file.
wait_for_redis() {
    local logfile="$1" deadline=$((SECONDS + 20))
    until redis_ping "$redis_port"; do
        if ! kill -0 "$redis_pid" 2>/dev/null; then
            wait "$redis_pid" 2>/dev/null || true
            redis_pid=""
            show_tail redis-server "$logfile"
            die "redis-server exited during startup"
        fi
        ((SECONDS < deadline)) || { show_tail redis-server "$logfile"; die "redis-server did not answer PING within 20 s"; }
        sleep 0.2
    done
    log "redis-server is up (pid $redis_pid)"
}

# Uses the Redis given (--redis or Redis__ConnectionString), or starts a private one with the
# sourcing script's own start_redis; sets private_redis to 0 or 1.
choose_redis() {
    if [[ -n "$redis_conn" ]]; then
        log "using Redis at $redis_conn (not starting one)"
        private_redis=0
    else
        private_redis=1
        start_redis
    fi
}

# ---------------------------------------------------------------- build and children

# Builds the solution unless --no-build; sets silo_dll and gateway_dll, and checks they exist.
build_solution() {
    local dll
    if ((build)); then
        log "building (dotnet build -c Release Eventd.Orleans.sln)"
        dotnet build -c Release -nologo -v q Eventd.Orleans.sln || die "the build failed (errors above)"
    fi
    silo_dll="Silo/bin/Release/net10.0/Eventd.Silo.dll"
    gateway_dll="Gateway/bin/Release/net10.0/Eventd.Gateway.dll"
    for dll in "$silo_dll" "$gateway_dll"; do
        [[ -f "$dll" ]] || die "$dll is missing; build the solution (run without --no-build)"
    done
}

# Starts "$@" in the background with stdout/stderr prefixed by "[$1] " on the terminal and
# copied to $logs/$1.log (appended to when append=1); sets child_pid to the PID of the process.
start_child() {
    local name="$1" fd
    shift
    if [[ "${append:-0}" == 1 ]]; then
        printf -- '---- %s restarted at %s ----\n' "$name" "$(date -u +%FT%TZ)" >>"$logs/$name.log"
    else
        : >"$logs/$name.log"
    fi
    exec {fd}> >(
        trap '' INT
        tee -a "$logs/$name.log" | sed -u "s/^/[$name] /"
    )
    prefixer_pids+=("$!")
    "${detach[@]}" "$@" </dev/null >&"$fd" 2>&1 {fd}>&- &
    child_pid=$!
    exec {fd}>&-
}

# Starts a silo named $1 on silo port $2, gateway port $3 and metrics port $4; sets child_pid.
launch_silo() {
    start_child "$1" env -u ASPNETCORE_URLS \
        Redis__ConnectionString="$redis_conn" \
        Orleans__SiloPort="$2" \
        Orleans__GatewayPort="$3" \
        Orleans__MetricsPort="$4" \
        DOTNET_ENVIRONMENT="$env_name" \
        ASPNETCORE_ENVIRONMENT="$env_name" \
        dotnet "$silo_dll"
}

# Starts the gateway on $url; sets child_pid.
launch_gateway() {
    log "starting the gateway on $url"
    start_child gateway env \
        Redis__ConnectionString="$redis_conn" \
        ASPNETCORE_URLS="$url" \
        DOTNET_ENVIRONMENT="$env_name" \
        ASPNETCORE_ENVIRONMENT="$env_name" \
        dotnet "$gateway_dll"
}
