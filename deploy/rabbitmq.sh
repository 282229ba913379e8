#!/usr/bin/env bash
# Makes sure a RabbitMQ broker listens on 127.0.0.1:5672 (installing it from Debian's packages if
# needed, started without systemd) and that the virtual host given as $1 (default "/") exists.
# Used by deploy/run.sh and tests/run.sh. Idempotent: does nothing when the broker already answers.
set -euo pipefail

VHOST="${1:-/}"
CONF_DIR=/etc/rabbitmq
CONF_FILE="$CONF_DIR/rabbitmq.conf"

log() { printf '[rabbitmq] %s\n' "$*" >&2; }

port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "installing rabbitmq-server from Debian's packages (about a minute)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
fi

if [ ! -f "$CONF_FILE" ] || ! grep -q '127.0.0.1:5672' "$CONF_FILE"; then
    mkdir -p "$CONF_DIR"
    cat > "$CONF_FILE" <<'CONF'
# Written by TicketHub's deploy/rabbitmq.sh: loopback only.
listeners.tcp.default = 127.0.0.1:5672
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672
loopback_users.guest = true
CONF
fi

# Erlang's own ports on loopback too (issue 12): the distribution port (25672, cluster and
# rabbitmqctl traffic, guarded only by the cookie) and epmd (4369), when this script starts them.
# The distribution listens on the loopback address the host name resolves to (rabbitmqctl reaches
# the node by that name); a host name that resolves elsewhere keeps Erlang's default, with a warning.
DIST_ADDRESS="$(getent ahostsv4 "$(hostname -s)" 2>/dev/null | awk 'NR == 1 { print $1 }')"
case "$DIST_ADDRESS" in
    127.*) export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {${DIST_ADDRESS//./,}}" ERL_EPMD_ADDRESS=127.0.0.1 ;;
    *) log "warning: $(hostname -s) does not resolve to a loopback address: Erlang's distribution port listens on every interface (firewall it)" ;;
esac

rabbitmq-plugins enable --offline rabbitmq_management >/dev/null 2>&1 || true

if ! rabbitmqctl await_startup --timeout 2 >/dev/null 2>&1; then
    log "starting the broker…"
    RABBITMQ_CONFIG_FILE="${CONF_FILE%.conf}" rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do
        rabbitmqctl await_startup --timeout 60 >/dev/null 2>&1 && break
        sleep 0.5
    done
fi

# The app may be stopped (rabbitmqctl stop_app) while the node runs: start it.
if ! port_open; then
    rabbitmqctl start_app >/dev/null 2>&1 || true
fi

for _ in $(seq 1 120); do
    port_open && break
    sleep 0.5
done
if ! port_open; then
    log "RabbitMQ did not open 127.0.0.1:5672"; exit 1
fi

if [ "$VHOST" != "/" ]; then
    rabbitmqctl list_vhosts -q 2>/dev/null | grep -qx "$VHOST" || rabbitmqctl add_vhost "$VHOST" >/dev/null
    rabbitmqctl set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
fi
log "ready on 127.0.0.1:5672 (vhost $VHOST, management http://127.0.0.1:15672)"
