#!/usr/bin/env bash
# A RabbitMQ node of its own beside the shared one (127.0.0.1:5672), for the tests that stop and
# start a broker (the chaos test, the broker-outage tests): stopping it never disturbs the other test
# assemblies, which run at the same time on the shared broker. Same Debian package, its own node
# name, AMQP port, distribution port (AMQP + 20000), data, logs and configuration, no management
# plugin. Installs RabbitMQ when missing, like deploy/rabbitmq.sh.
#
#   deploy/rabbitmq-node.sh start NAME PORT [VHOST]   start the node if needed (idempotent), make VHOST
#   deploy/rabbitmq-node.sh stop-app NAME             stop the broker application: connections closed
#                                                     (320 CONNECTION_FORCED), the port closes
#   deploy/rabbitmq-node.sh start-app NAME PORT       start it again and wait for the port
#   deploy/rabbitmq-node.sh shutdown NAME             stop the node
#   deploy/rabbitmq-node.sh kill NAME                 SIGKILL the node's Erlang VM (a machine lost);
#                                                     "start NAME PORT" brings it back into its cluster
#   deploy/rabbitmq-node.sh forget NAME               stop the node and delete its data (a new node next time)
#   deploy/rabbitmq-node.sh join NAME SEED            make NAME a member of SEED's cluster (idempotent)
#   deploy/rabbitmq-node.sh ctl NAME ARGS...          rabbitmqctl against the node
set -euo pipefail

ACTION="${1:?start|stop-app|start-app|shutdown|kill|forget|join|ctl}"
NAME="${2:?node name, e.g. tickethub-chaos}"
NODE="$NAME@$(hostname -s)"
BASE="${TICKETHUB_RABBITMQ_NODES:-/tmp/tickethub-rabbitmq}/$NAME"

log() { printf '[rabbitmq %s] %s\n' "$NAME" "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctl() { rabbitmqctl -n "$NODE" "$@"; }
wait_port() {
    for _ in $(seq 1 240); do
        port_open "$1" && return 0
        sleep 0.25
    done
    log "127.0.0.1:$1 did not open"; return 1
}

case "$ACTION" in
    start)
        PORT="${3:?AMQP port}"
        VHOST="${4:-/}"
        if ! command -v rabbitmq-server >/dev/null 2>&1; then
            log "installing rabbitmq-server from Debian's packages (about a minute)…"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq >/dev/null
            apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
        fi
        # A listening port means a running node (rabbitmqctl costs a second or two each call).
        if ! port_open "$PORT" && ! ctl await_startup --timeout 2 >/dev/null 2>&1; then
            log "starting node $NODE on 127.0.0.1:$PORT…"
            mkdir -p "$BASE/mnesia" "$BASE/log"
            cat > "$BASE/rabbitmq.conf" <<CONF
# Written by TicketHub's deploy/rabbitmq-node.sh: loopback only, a test node.
listeners.tcp.default = 127.0.0.1:$PORT
loopback_users.guest = true
CONF
            echo '[].' > "$BASE/enabled_plugins"
            chown -R rabbitmq:rabbitmq "$BASE" 2>/dev/null || true
            # Erlang's own ports on loopback too (issue 12): the distribution port (cluster and
            # rabbitmqctl traffic, guarded only by the cookie) on the loopback address the host name
            # resolves to (rabbitmqctl reaches the node by that name), and epmd when this node starts it.
            DIST_ADDRESS="$(getent ahostsv4 "$(hostname -s)" 2>/dev/null | awk 'NR == 1 { print $1 }')"
            DIST_ARGS=""
            case "$DIST_ADDRESS" in
                127.*) DIST_ARGS="-kernel inet_dist_use_interface {${DIST_ADDRESS//./,}}" ;;
                *) log "warning: $(hostname -s) does not resolve to a loopback address: the distribution port listens on every interface" ;;
            esac
            ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$DIST_ARGS" \
            RABBITMQ_NODENAME="$NODE" RABBITMQ_NODE_PORT="$PORT" RABBITMQ_DIST_PORT="$((PORT + 20000))" \
                RABBITMQ_CONFIG_FILE="$BASE/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$BASE/enabled_plugins" \
                RABBITMQ_MNESIA_BASE="$BASE/mnesia" RABBITMQ_LOG_BASE="$BASE/log" RABBITMQ_PID_FILE="$BASE/pid" \
                rabbitmq-server -detached >/dev/null 2>&1 || true
            for _ in $(seq 1 120); do
                ctl await_startup --timeout 60 >/dev/null 2>&1 && break
                sleep 0.5
            done
        fi
        # The application may have been left stopped (stop-app) by an interrupted run.
        port_open "$PORT" || ctl start_app >/dev/null
        wait_port "$PORT"
        if [ "$VHOST" != "/" ]; then
            ctl list_vhosts -q 2>/dev/null | grep -qx "$VHOST" || ctl add_vhost "$VHOST" >/dev/null
            ctl set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
        fi
        log "ready on 127.0.0.1:$PORT (vhost $VHOST)"
        ;;
    stop-app)
        ctl stop_app >/dev/null
        ;;
    start-app)
        ctl start_app >/dev/null
        wait_port "${3:?AMQP port}"
        ;;
    shutdown)
        ctl shutdown >/dev/null 2>&1 || true
        ;;
    kill)
        if [ -s "$BASE/pid" ]; then
            kill -9 "$(cat "$BASE/pid")" 2>/dev/null || true
        fi
        ;;
    forget)
        ctl shutdown >/dev/null 2>&1 || true
        [ -s "$BASE/pid" ] && kill -9 "$(cat "$BASE/pid")" 2>/dev/null || true
        rm -rf "$BASE"
        ;;
    join)
        SEED="${3:?the name of a node of the cluster to join}@$(hostname -s)"
        if ctl cluster_status --formatter json 2>/dev/null | grep -q "\"$SEED\""; then
            exit 0
        fi
        log "joining the cluster of $SEED…"
        ctl stop_app >/dev/null
        ctl join_cluster "$SEED" >/dev/null 2>&1
        ctl start_app >/dev/null
        ;;
    ctl)
        shift 2
        ctl "$@"
        ;;
    *)
        echo "unknown action $ACTION" >&2; exit 2
        ;;
esac
