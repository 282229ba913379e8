#!/usr/bin/env bash
# The broker of deploy/compose: starts RabbitMQ, gives each service its own user on the hub's virtual
# host with deploy/rabbitmq-users.sh (the permissions deploy/run.sh uses; mounted beside this script),
# the passwords from the environment (.env), and only then reports ready (the file the compose health
# check looks for). Forwards the container's stop to the broker.
set -euo pipefail

READY=/tmp/tickethub-users-ready
rm -f "$READY"

rabbitmq-server &
server=$!
trap 'rabbitmqctl stop >/dev/null 2>&1 || kill "$server" 2>/dev/null; wait "$server"; exit 0' TERM INT

until rabbitmqctl await_startup --timeout 60 >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { echo "[tickethub] rabbitmq-server exited" >&2; wait "$server"; exit 1; }
    sleep 1
done

# rabbitmq-users.sh reads each password from SECRETS/rabbitmq-<service>.password: written from the
# environment into a private folder, removed once the users are set.
secrets="$(mktemp -d)"
chmod 700 "$secrets"
for service in intake classifier connectors-glpi connectors-itop connectors-pass connectors-omere; do
    variable="RABBITMQ_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"$service")"
    if [ -z "${!variable:-}" ]; then
        echo "[tickethub] $variable is not set (.env)" >&2
        exit 1
    fi
    printf '%s' "${!variable}" >"$secrets/rabbitmq-$service.password"
done
bash /opt/tickethub/rabbitmq-users.sh "${TICKETHUB_VHOST:-tickethub}" "$secrets"
rm -rf "$secrets"
touch "$READY"

wait "$server"
