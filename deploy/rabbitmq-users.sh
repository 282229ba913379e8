#!/usr/bin/env bash
# One broker user per service on a virtual host, each allowed only what its queues and messages need
# (issue 12), and no access for guest there. Used by deploy/run.sh (the hub's vhost on the broker
# deploy/rabbitmq.sh runs) and by the end-to-end tests (their vhost on their own node).
#
#   deploy/rabbitmq-users.sh VHOST SECRETS_FOLDER [NODE_NAME]
#
# Users are named <vhost>-<service> ("tickethub-intake"; "/" counts as "tickethub"), so that the hub
# and the tests' vhosts on one broker never share a user. Each password is made once (256 random
# bits), kept in SECRETS_FOLDER/rabbitmq-<service>.password (mode 600) and set again at each run:
# idempotent. Prints nothing secret. With NODE_NAME, talks to that node (deploy/rabbitmq-node.sh's).
#
# Permissions, as RabbitMQ regular expressions on exchange and queue names. MassTransit names a
# service's queues (and the exchange of the same name in front of each) with its prefix
# ("intake-ticket-routed", "intake-ticket-routed_error"), and each message type's exchange by the
# type ("TicketHub.Contracts:TicketRouted"). A service may:
#   configure: its own queues and exchanges, and the exchanges of the types it sends or receives;
#   write:     its own queues and exchanges (binding, redelivery), the exchanges of the types it sends;
#   read:      its own queues, the exchanges of the types it receives (to bind them).
# So the classifier cannot publish a reply from a tool, a connector cannot submit a ticket, and no
# service can read another's queue.
set -euo pipefail

VHOST="${1:?virtual host}"
SECRETS="${2:?secrets folder}"
NODE="${3:-}"
ctl() { if [ -n "$NODE" ]; then rabbitmqctl -n "$NODE@$(hostname -s)" "$@"; else rabbitmqctl "$@"; fi; }
log() { printf '[rabbitmq-users] %s\n' "$*" >&2; }

PREFIX="$([ "$VHOST" = "/" ] && echo tickethub || echo "$VHOST")"
(umask 077 && mkdir -p "$SECRETS")

# service | messages it sends | messages it receives
SERVICES=(
    "intake|TicketSubmitted TicketCommentAdded TicketRerouted TicketStatusChanged TicketClosedAsDuplicate NotificationMailRequested RelayItemAcknowledged DeadLetterReplayRequested MessageDeadLettered|NotificationMailRequested TicketRouted TicketForwarded TicketForwardingFailed TicketAttachmentNotDelivered ExternalTicketUpdated RelayItemRequested MessageDeadLettered DeadLetterReplayRequested"
    "classifier|TicketRouted MessageDeadLettered|TicketSubmitted TicketRerouted TicketStatusChanged DeadLetterReplayRequested"
    "connectors-glpi|TicketForwarded TicketForwardingFailed ExternalTicketUpdated TicketAttachmentNotDelivered MessageDeadLettered|TicketRouted TicketRerouted TicketCommentAdded TicketClosedAsDuplicate DeadLetterReplayRequested"
    "connectors-itop|TicketForwarded TicketForwardingFailed ExternalTicketUpdated TicketAttachmentNotDelivered MessageDeadLettered|TicketRouted TicketRerouted TicketCommentAdded TicketClosedAsDuplicate DeadLetterReplayRequested"
    "connectors-pass|TicketForwarded TicketForwardingFailed ExternalTicketUpdated RelayItemRequested TicketAttachmentNotDelivered MessageDeadLettered|TicketRouted TicketRerouted TicketCommentAdded TicketClosedAsDuplicate RelayItemAcknowledged DeadLetterReplayRequested"
    "connectors-omere|TicketForwarded TicketForwardingFailed ExternalTicketUpdated RelayItemRequested TicketAttachmentNotDelivered MessageDeadLettered|TicketRouted TicketRerouted TicketCommentAdded TicketClosedAsDuplicate RelayItemAcknowledged DeadLetterReplayRequested"
)

types() { printf 'TicketHub\\.Contracts:(%s)' "$(echo "$*" | tr ' ' '\n' | sort -u | paste -sd '|')"; }

ctl list_vhosts -q 2>/dev/null | grep -qx -- "$VHOST" || ctl add_vhost "$VHOST" >/dev/null
existing="$(ctl list_users -q 2>/dev/null | awk '{print $1}')"
for entry in "${SERVICES[@]}"; do
    IFS='|' read -r service sends receives <<<"$entry"
    user="$PREFIX-$service"
    file="$SECRETS/rabbitmq-$service.password"
    if [ ! -s "$file" ]; then
        (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
    fi
    password="$(cat "$file")"
    own="$service-.*"
    # The password goes through stdin, never on a command line that ps would show.
    if grep -qx -- "$user" <<<"$existing"; then
        printf '%s' "$password" | ctl change_password "$user" >/dev/null
    else
        printf '%s' "$password" | ctl add_user "$user" >/dev/null
    fi
    ctl set_permissions -p "$VHOST" "$user" \
        "^($own|$(types $sends $receives))\$" \
        "^($own|$(types $sends))\$" \
        "^($own|$(types $receives))\$" >/dev/null
done

# guest (administrator, well-known password) has nothing to do on this vhost.
if grep -qx guest <<<"$existing"; then
    ctl clear_permissions -p "$VHOST" guest >/dev/null 2>&1 || true
fi
log "users $PREFIX-<service> ready on vhost $VHOST (passwords in $SECRETS), guest has no access there"
