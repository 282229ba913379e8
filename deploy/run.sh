#!/usr/bin/env bash
# Runs the whole TicketHub on this machine: RabbitMQ (installed and started on loopback unless
# RabbitMq__Host points elsewhere) and an SMTP server (the tools' intake mailboxes for the e-mail
# delivery mode), then builds and starts the sandbox (emulated GLPI, iTop, PASS and Omère), the
# classifier, intake, the four connectors, the portal and the gateway. Prints the URLs and the sandbox's
# sign-in accounts and API keys; Ctrl-C stops them all. A service that exits, or whose /health/live
# keeps failing (a bus that stopped consuming, ADR 12), is restarted with a back-off, and the script
# says so; the others keep running.
# PASS and Omère run in http mode against the sandbox; TICKETHUB_PASS_DELIVERY and
# TICKETHUB_OMERE_DELIVERY (http, email, manual) choose another mode. The gateway's signing key is
# made on the first run, in $DATA/keys; TICKETHUB_IDENTITY_SEED names another accounts file than
# the sandbox's (deploy/sandbox/identity.json).
#
# The infogérant's real GLPI or iTop instead of the sandbox's emulation (README « Brancher un vrai
# GLPI ou iTop »):
#   TICKETHUB_GLPI_URL (its apirest.php), TICKETHUB_GLPI_PUBLIC_URL, TICKETHUB_GLPI_APP_TOKEN,
#   TICKETHUB_GLPI_USER_TOKEN, TICKETHUB_GLPI_MAPPING (a file of Glpi__Mapping__… lines, like
#   deploy/sandbox/glpi-mapping.env, with the real entity and category ids);
#   TICKETHUB_ITOP_URL (its webservices/rest.php), TICKETHUB_ITOP_PUBLIC_URL, TICKETHUB_ITOP_USER,
#   TICKETHUB_ITOP_PASSWORD, TICKETHUB_ITOP_MAPPING (a file of Itop__Mapping__… lines);
#   TICKETHUB_INFOGERANT_TOOL (glpi or itop): which of the two the rule set sends the infogérant's tickets to.
# `deploy/run.sh --real-tools` installs and starts the real GLPI 10 and iTop 3.2 of deploy/peers.sh on
# this machine and points the connectors at them (GLPI for the infogérant unless TICKETHUB_INFOGERANT_TOOL says itop).
# `deploy/run.sh --postgres` gives every service a database of its own on TicketHub's PostgreSQL server
# (deploy/postgres.sh, installed and started here, 127.0.0.1:5433) instead of a SQLite file in .data.
set -euo pipefail

REAL_TOOLS=0
POSTGRES=0
for argument in "$@"; do
    case "$argument" in
        --real-tools) REAL_TOOLS=1 ;;
        --postgres) POSTGRES=1 ;;
        *) echo "usage: deploy/run.sh [--real-tools] [--postgres]" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CONFIGURATION="${CONFIGURATION:-Release}"
DATA="${TICKETHUB_DATA:-$ROOT/.data}"
LOGS="$DATA/logs"
GATEWAY_URL="${TICKETHUB_GATEWAY_URL:-http://localhost:8080}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The data folder (databases, logs, keys, mail) is for this user only (issue 12).
"$ROOT/deploy/secure-data.sh" "$DATA"

log() { printf '[tickethub] %s\n' "$*"; }

# --- Broker -------------------------------------------------------------------------------
export RabbitMq__Host="${RabbitMq__Host:-127.0.0.1}"
export RabbitMq__VirtualHost="${RabbitMq__VirtualHost:-tickethub}"
STARTED_BROKER=0
BROKER_SECRETS="$DATA/keys/rabbitmq"
if [[ "$RabbitMq__Host" == "127.0.0.1" || "$RabbitMq__Host" == "localhost" ]]; then
    if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then STARTED_BROKER=1; fi
    "$ROOT/deploy/rabbitmq.sh" "$RabbitMq__VirtualHost"
    # One user per service with only the permissions its queues and messages need; guest has no
    # access to the hub's vhost (issue 12, ADR 15). Passwords made once, kept in $BROKER_SECRETS.
    "$ROOT/deploy/rabbitmq-users.sh" "$RabbitMq__VirtualHost" "$BROKER_SECRETS"
else
    # Another broker: its operator creates the users (deploy/rabbitmq-users.sh shows the permissions)
    # and puts each password in $BROKER_SECRETS/rabbitmq-<service>.password.
    log "using the broker at $RabbitMq__Host (RabbitMq__Host), users ${RabbitMq__VirtualHost}-<service>"
fi
# broker_user SERVICE: the settings that give SERVICE its own broker user.
broker_user() {
    local file="$BROKER_SECRETS/rabbitmq-$1.password"
    [[ -s "$file" ]] || { log "missing $file: the broker password of $1"; exit 1; }
    local prefix="$RabbitMq__VirtualHost"
    [[ "$prefix" == "/" ]] && prefix=tickethub
    printf '%s\n' "RabbitMq__Username=$prefix-$1" "RabbitMq__Password=$(cat "$file")"
}

# --- Databases -----------------------------------------------------------------------------
[[ "$POSTGRES" == 1 ]] && "$ROOT/deploy/postgres.sh" start
# database NAME: sets DATABASE to the settings of service NAME's own database: a SQLite file in
# $DATA, or (--postgres) the database tickethub_NAME on the PostgreSQL server, with its password.
database() {
    if [[ "$POSTGRES" == 1 ]]; then
        DATABASE=(Database__Provider=PostgreSql
            "Database__ConnectionString=$("$ROOT/deploy/postgres.sh" connection-string "tickethub_${1//-/_}")")
    else
        DATABASE=(Database__Provider=Sqlite "Database__ConnectionString=Data Source=$DATA/$1.db")
    fi
}

# --- Intake mailbox for the e-mail mode (a real SMTP server, filing into a Maildir) ---------
SMTP_PORT="${SMTP_PORT:-2525}"
MAILDIR="$DATA/maildir"
"$ROOT/deploy/smtp.sh" start "$SMTP_PORT" "$MAILDIR"

# --- Tools the identity setup needs (present on most Debian installations) ------------------
for tool in openssl python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        log "installing $tool…"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$tool" >/dev/null
    fi
done

# --- The infogérant's tools: the sandbox's emulation, deploy/peers.sh's real ones, or the Département's ---
if [[ "$REAL_TOOLS" == 1 ]]; then
    "$ROOT/deploy/peers.sh" start all
    PEERS_RUN="${TICKETHUB_PEERS_ROOT:-/opt/tickethub-peers}/run"
    peer() { jq -r "$2" "$PEERS_RUN/$1.json"; }
    export TICKETHUB_GLPI_URL="${TICKETHUB_GLPI_URL:-$(peer glpi .api)}"
    export TICKETHUB_GLPI_PUBLIC_URL="${TICKETHUB_GLPI_PUBLIC_URL:-$(peer glpi .public_url)}"
    export TICKETHUB_GLPI_APP_TOKEN="${TICKETHUB_GLPI_APP_TOKEN:-$(peer glpi .app_token)}"
    export TICKETHUB_GLPI_USER_TOKEN="${TICKETHUB_GLPI_USER_TOKEN:-$(peer glpi .user_token)}"
    export TICKETHUB_ITOP_URL="${TICKETHUB_ITOP_URL:-$(peer itop .rest)}"
    export TICKETHUB_ITOP_PUBLIC_URL="${TICKETHUB_ITOP_PUBLIC_URL:-$(peer itop .url)}"
    export TICKETHUB_ITOP_USER="${TICKETHUB_ITOP_USER:-$(peer itop .user)}"
    export TICKETHUB_ITOP_PASSWORD="${TICKETHUB_ITOP_PASSWORD:-$(peer itop .password)}"
    # The mappings of the real tools' fixtures: the three collèges they know, two GLPI categories.
    mkdir -p "$DATA"
    jq -r '"Glpi__Mapping__DefaultEntityId=0", (.entities[] | "Glpi__Mapping__Entities__\(.uai)=\(.entities_id)"),
        "Glpi__Mapping__Categories__vpi=\(.categories["Matériel"])", "Glpi__Mapping__Categories__poste-pedagogique=\(.categories["Matériel"])",
        "Glpi__Mapping__Categories__imprimante=\(.categories["Matériel"])", "Glpi__Mapping__Categories__reseau=\(.categories["Réseau"])",
        "Glpi__Mapping__Categories__wifi=\(.categories["Réseau"])"' "$PEERS_RUN/glpi.json" >"$DATA/peers-glpi-mapping.env"
    jq -r '"Itop__Mapping__DefaultOrgId=\(.orgs[0].org_id)", "Itop__Mapping__CallerId=\(.orgs[0].caller_id)",
        (.orgs[] | "Itop__Mapping__Orgs__\(.code)=\(.org_id)", "Itop__Mapping__Callers__\(.code)=\(.caller_id)"),
        (.service as $s | ("vpi", "poste-pedagogique") | "Itop__Mapping__Services__\(.)=\($s.service_id)",
            "Itop__Mapping__IncidentSubcategories__\(.)=\($s.incident_subcategory_id)", "Itop__Mapping__RequestSubcategories__\(.)=\($s.request_subcategory_id)")' \
        "$PEERS_RUN/itop.json" >"$DATA/peers-itop-mapping.env"
    export TICKETHUB_GLPI_MAPPING="${TICKETHUB_GLPI_MAPPING:-$DATA/peers-glpi-mapping.env}"
    export TICKETHUB_ITOP_MAPPING="${TICKETHUB_ITOP_MAPPING:-$DATA/peers-itop-mapping.env}"
fi

# --- Build --------------------------------------------------------------------------------
log "building ($CONFIGURATION)…"
dotnet build TicketHub.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly

# From here on, what the services create (databases, journals, logs) is private too.
umask 077

# --- Sandbox secrets: made up for this run, shared by the emulated GLPI and its connector ---
random_token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
GLPI_APP_TOKEN="${GLPI_APP_TOKEN:-$(random_token)}"
GLPI_USER_TOKEN="${GLPI_USER_TOKEN:-$(random_token)}"
ITOP_PASSWORD="${ITOP_PASSWORD:-$(random_token)}"
PASS_TOKEN="${PASS_TOKEN:-$(random_token)}"
OMERE_TOKEN="${OMERE_TOKEN:-$(random_token)}"
PASS_DELIVERY="${TICKETHUB_PASS_DELIVERY:-http}"
OMERE_DELIVERY="${TICKETHUB_OMERE_DELIVERY:-http}"

# --- Identity: the gateway's key pair (made once, kept in $DATA/keys) and the accounts file ---
# The gateway signs an internal token (ES256) for every request it forwards; every service checks
# it with the public key, so a request that bypasses the gateway is refused.
KEYS="$DATA/keys"
SIGNING_KEY="$KEYS/gateway-signing.pem"
PUBLIC_KEY="$KEYS/gateway-public.pem"
mkdir -p "$KEYS"
chmod 700 "$KEYS"
if [[ ! -s "$SIGNING_KEY" ]]; then
    log "making the gateway's signing key (P-256) in $KEYS…"
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$SIGNING_KEY")
    rm -f "$PUBLIC_KEY"
fi
if [[ ! -s "$PUBLIC_KEY" ]]; then
    openssl pkey -in "$SIGNING_KEY" -pubout -out "$PUBLIC_KEY"
fi
# Every service reads the public key from this variable (the gateway too, harmlessly).
export Identity__Token__PublicKeyFile="$PUBLIC_KEY"
IDENTITY_SEED="${TICKETHUB_IDENTITY_SEED:-$ROOT/deploy/sandbox/identity.json}"
# seed_key ROLE: the plain API key of ROLE in the accounts file (the sandbox's file names them;
# a real file holds only hashes, and TICKETHUB_INFOGERANT_KEY / TICKETHUB_ADMIN_KEY give them).
seed_key() {
    python3 -c 'import json,sys; print(next((k["key"] for k in json.load(open(sys.argv[1])).get("apiKeys", []) if k["role"] == sys.argv[2] and "key" in k), ""))' "$IDENTITY_SEED" "$1"
}
INFOGERANT_KEY="${TICKETHUB_INFOGERANT_KEY:-$(seed_key infogerant)}"
ADMIN_KEY="${TICKETHUB_ADMIN_KEY:-$(seed_key admin)}"

PIDS=()
NAMES=()
cleanup() {
    trap - INT TERM EXIT
    log "stopping…"
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$ROOT/deploy/smtp.sh" stop "$SMTP_PORT" "$MAILDIR" >/dev/null 2>&1 || true
    if [[ "$STARTED_BROKER" == 1 ]]; then
        rabbitmqctl shutdown >/dev/null 2>&1 || true
        # epmd serves every Erlang node of the machine (a test run's own RabbitMQ nodes, say):
        # `epmd -kill` stops it only when no node is registered any more, unlike pkill, which left
        # those nodes unreachable by rabbitmqctl.
        epmd -kill >/dev/null 2>&1 || true
    fi
    log "stopped."
}
trap cleanup INT TERM EXIT

# start NAME PROJECT_FOLDER URL [KEY=VALUE...]: runs the built service from its output folder,
# under supervise.
start() {
    local name="$1" project="$2" url="$3"; shift 3
    local dll="$ROOT/$project/bin/$CONFIGURATION/net10.0/$(basename "$project").dll"
    : >"$LOGS/$name.log"
    supervise "$name" "$url" "$(dirname "$dll")" env Urls="$url" "$@" dotnet "$dll" &
    PIDS+=("$!"); NAMES+=("$name")
}

# supervise NAME URL FOLDER COMMAND...: runs COMMAND in FOLDER and runs it again whenever it exits,
# after 1 s, then 2, 4… up to 30 s while it keeps exiting (back to 1 s once it ran a minute); also
# restarts it when its /health/live fails three times in a row. Says so on the console.
supervise() {
    local name="$1" url="$2" folder="$3"; shift 3
    local delay=1 child=0 watcher=0 started code
    trap 'kill "$watcher" "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM
    while true; do
        started=$(date +%s)
        (cd "$folder" && exec "$@") >>"$LOGS/$name.log" 2>&1 &
        child=$!
        watch_liveness "$name" "$url" "$child" &
        watcher=$!
        code=0
        wait "$child" || code=$?
        kill "$watcher" 2>/dev/null || true
        wait "$watcher" 2>/dev/null || true
        if (( $(date +%s) - started >= 60 )); then delay=1; fi
        log "$name exited (code $code); restarting it in $delay s (log: $LOGS/$name.log)"
        sleep "$delay" & child=$!
        wait "$child" || true
        delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
    done
}

# watch_liveness NAME URL PID: stops PID (supervise then restarts it) when URL/health/live fails
# three checks in a row, 10 s apart, once the service had a minute to start.
watch_liveness() {
    local name="$1" url="$2" pid="$3" failures=0
    sleep 60
    while kill -0 "$pid" 2>/dev/null; do
        if curl -fsS -o /dev/null --max-time 5 "$url/health/live" 2>/dev/null; then
            failures=0
        else
            failures=$((failures + 1))
        fi
        if (( failures >= 3 )); then
            log "$name: /health/live failed 3 times in a row; stopping it to restart it"
            kill "$pid" 2>/dev/null || true
            return 0
        fi
        sleep 10
    done
}

wait_healthy() {
    local name="$1" url="$2"
    for _ in $(seq 1 240); do
        if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
        sleep 0.5
    done
    log "$name did not become healthy at $url; last lines of $LOGS/$name.log:"
    tail -n 30 "$LOGS/$name.log" || true
    exit 1
}

start sandbox deploy/sandbox/TicketHub.Sandbox http://127.0.0.1:5180 \
    Sandbox__Glpi__AppToken="$GLPI_APP_TOKEN" Sandbox__Glpi__UserToken="$GLPI_USER_TOKEN" \
    Sandbox__Glpi__StateFile="$DATA/sandbox-glpi.json" \
    Sandbox__Itop__AuthPassword="$ITOP_PASSWORD" Sandbox__Itop__StateFile="$DATA/sandbox-itop.json" \
    Sandbox__Pass__ApiToken="$PASS_TOKEN" Sandbox__Pass__StateFile="$DATA/sandbox-pass.json" \
    Sandbox__Omere__ApiToken="$OMERE_TOKEN" Sandbox__Omere__StateFile="$DATA/sandbox-omere.json" \
    Sandbox__Mail__Maildir="$MAILDIR"
database classifier
start classifier services/Classifier/TicketHub.Classifier http://127.0.0.1:5102 \
    "${DATABASE[@]}" Registry__SeedFile="$ROOT/deploy/colleges.csv" \
    Routing__RuleSet="${TICKETHUB_RULESET:-$ROOT/deploy/rulesets/seine-saint-denis.json}" \
    Routing__InfogerantTool="${TICKETHUB_INFOGERANT_TOOL:-}" $(broker_user classifier)
database intake
# The requesters' and followers' e-mails (issue 15) go through the same SMTP server (the sandbox shows
# them on /courriels); their links are signed with a key made once, kept in $KEYS. A reply sent to
# that server for reponses+…@tickethub.invalid lands in the same Maildir, where intake takes it.
if [[ ! -s "$KEYS/notifications.key" ]]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$KEYS/notifications.key")
fi
start intake services/Intake/TicketHub.Intake http://127.0.0.1:5101 \
    "${DATABASE[@]}" $(broker_user intake) \
    Notifications__Smtp__Host=127.0.0.1 Notifications__Smtp__Port="$SMTP_PORT" Notifications__Smtp__Security=None \
    Notifications__PortalUrl="$GATEWAY_URL" Notifications__SigningKey="$(cat "$KEYS/notifications.key")" \
    Notifications__ReplyAddress=reponses@tickethub.invalid Notifications__ReplyMaildir="$MAILDIR"
# mapping_lines FILE: the KEY=VALUE lines of a mapping file (comments and blank lines left out).
mapping_lines() { grep -E '^[A-Za-z_]+[^=]*=' "$1"; }
database connectors-glpi
start connectors-glpi services/Connectors/TicketHub.Connectors.Glpi http://127.0.0.1:5103 \
    "${DATABASE[@]}" $(broker_user connectors-glpi) \
    Glpi__BaseUrl="${TICKETHUB_GLPI_URL:-http://127.0.0.1:5180/glpi/apirest.php}" \
    Glpi__PublicUrl="${TICKETHUB_GLPI_PUBLIC_URL:-http://127.0.0.1:5180/glpi}" \
    Glpi__AppToken="${TICKETHUB_GLPI_APP_TOKEN:-$GLPI_APP_TOKEN}" Glpi__UserToken="${TICKETHUB_GLPI_USER_TOKEN:-$GLPI_USER_TOKEN}" \
    Intake__BaseUrl="$GATEWAY_URL" Intake__ApiKey="$INFOGERANT_KEY" \
    $(mapping_lines "${TICKETHUB_GLPI_MAPPING:-$ROOT/deploy/sandbox/glpi-mapping.env}")
if [[ -n "${TICKETHUB_ITOP_MAPPING:-}" ]]; then
    ITOP_MAPPING=($(mapping_lines "$TICKETHUB_ITOP_MAPPING"))
else
    ITOP_MAPPING=(Itop__Mapping__DefaultOrgId=1 Itop__Mapping__CallerId=1)
fi
database connectors-itop
start connectors-itop services/Connectors/TicketHub.Connectors.Itop http://127.0.0.1:5104 \
    "${DATABASE[@]}" $(broker_user connectors-itop) \
    Itop__BaseUrl="${TICKETHUB_ITOP_URL:-http://127.0.0.1:5180/itop/webservices/rest.php}" \
    Itop__PublicUrl="${TICKETHUB_ITOP_PUBLIC_URL:-http://127.0.0.1:5180/itop}" \
    Itop__AuthUser="${TICKETHUB_ITOP_USER:-tickethub-rest}" Itop__AuthPassword="${TICKETHUB_ITOP_PASSWORD:-$ITOP_PASSWORD}" \
    "${ITOP_MAPPING[@]}" \
    Intake__BaseUrl="$GATEWAY_URL" Intake__ApiKey="$INFOGERANT_KEY"
# tool_connector NAME SECTION PORT DELIVERY TOKEN: PASS or Omère, in the chosen delivery mode.
tool_connector() {
    local name="$1" section="$2" port="$3" delivery="$4" token="$5" path
    path="$(tr '[:upper:]' '[:lower:]' <<<"$section")"
    database "connectors-$path"
    start "connectors-$path" "services/Connectors/TicketHub.Connectors.$section" "http://127.0.0.1:$port" \
        "${DATABASE[@]}" $(broker_user "connectors-$path") \
        "${section}__Delivery=$delivery" \
        "${section}__Http__BaseUrl=http://127.0.0.1:5180/$path/api" "${section}__Http__ApiToken=$token" \
        "${section}__Email__Host=127.0.0.1" "${section}__Email__Port=$SMTP_PORT" "${section}__Email__Security=None"
}
tool_connector PASS Pass 5105 "$PASS_DELIVERY" "$PASS_TOKEN"
tool_connector Omère Omere 5106 "$OMERE_DELIVERY" "$OMERE_TOKEN"
# --- Portal (http://127.0.0.1:5107, reached through the gateway at /) -----------------------
# The gateway routes every path that is not /api, /health, /connexion or /deconnexion to it; the
# portal calls intake and the classifier directly with the caller's token (Identity__Token__PublicKeyFile
# is exported above).
start portal services/Portal/TicketHub.Portal http://127.0.0.1:5107 \
    Services__Intake=http://127.0.0.1:5101/ Services__Classifier=http://127.0.0.1:5102/

database gateway
start gateway gateway/TicketHub.Gateway "$GATEWAY_URL" \
    "${DATABASE[@]}" \
    Identity__Token__SigningKeyFile="$SIGNING_KEY" \
    Identity__SeedFile="$IDENTITY_SEED" \
    Identity__DataProtectionKeysFolder="$KEYS/data-protection"

wait_healthy sandbox http://127.0.0.1:5180/health/live
wait_healthy classifier http://127.0.0.1:5102/health/ready
wait_healthy intake http://127.0.0.1:5101/health/ready
wait_healthy connectors-glpi http://127.0.0.1:5103/health/ready
wait_healthy connectors-itop http://127.0.0.1:5104/health/ready
wait_healthy connectors-pass http://127.0.0.1:5105/health/ready
wait_healthy connectors-omere http://127.0.0.1:5106/health/ready
wait_healthy portal http://127.0.0.1:5107/health/ready
wait_healthy gateway "$GATEWAY_URL/health/live"

cat <<INFO

TicketHub is running.
  Portal (in a browser)        $GATEWAY_URL/   (sign in with an account below)
  Gateway (the public entry)   $GATEWAY_URL/api/v1/tickets
  Sign-in page                 $GATEWAY_URL/connexion
  Infogérant's GLPI           ${TICKETHUB_GLPI_PUBLIC_URL:-http://127.0.0.1:5180/glpi   (sandbox emulation)}
  Infogérant's iTop           ${TICKETHUB_ITOP_PUBLIC_URL:-http://127.0.0.1:5180/itop   (sandbox emulation)}   (the infogérant's tool when the rule set says itop)
  Sandbox: emulated PASS       http://127.0.0.1:5180/pass   (PASS delivery: $PASS_DELIVERY)
  Sandbox: emulated Omère      http://127.0.0.1:5180/omere  (Omère delivery: $OMERE_DELIVERY)
  Sandbox: intake mailboxes    http://127.0.0.1:5180/courriels   (SMTP 127.0.0.1:$SMTP_PORT, e-mail mode)
  Relay queue (manual mode)    $GATEWAY_URL/api/v1/relay?tool=pass
  RabbitMQ management          http://127.0.0.1:15672   (guest / guest, loopback only)
  Logs and databases           $DATA
Try it (with the sandbox admin key; the keys of the other roles are below):
  curl -s -X POST $GATEWAY_URL/api/v1/tickets -H 'X-Api-Key: $ADMIN_KEY' -H 'Content-Type: application/json' \\
    -d '{"collegeUai":"0931234X","requester":{"name":"Claire Martin","email":"claire.martin@ac-creteil.fr"},"zone":"ZP","category":"vpi","title":"Le VPI de la salle 12 ne s allume plus","description":"Depuis ce matin."}'
  curl -s -H 'X-Api-Key: $ADMIN_KEY' $GATEWAY_URL/api/v1/tickets/<id from the answer>
INFO

# The accounts and keys of the seed file, as the file names them (sandbox only: they are public).
python3 - "$IDENTITY_SEED" "$GATEWAY_URL" <<'PY'
import json, sys
seed = json.load(open(sys.argv[1]))
print(f"Sign in at {sys.argv[2]}/connexion (sandbox accounts, SANDBOX ONLY):")
for a in seed.get("accounts", []):
    if "password" in a:
        who = a["role"] + (" " + a["uai"] if a.get("uai") else "")
        print(f"  {a['login']:<24} {a['password']:<22} {who}")
print("API keys (header X-Api-Key):")
for k in seed.get("apiKeys", []):
    if "key" in k:
        who = k["role"] + (" " + k["uai"] if k.get("uai") else "")
        print(f"  {who:<20} {k['key']}")
PY
echo "A service that exits or stops answering /health/live is restarted (with a back-off); this console says so."
echo "Ctrl-C stops everything."

# Runs until Ctrl-C: a service that stops is restarted by its supervise loop (above).
wait
