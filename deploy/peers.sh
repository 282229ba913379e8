#!/usr/bin/env bash
# The real GLPI 10 and iTop 3.2 (ITIL modules) the connectors' contract and end-to-end tests run
# against, installed unattended on this machine and started on loopback:
#
#   deploy/peers.sh [start] [glpi|itop|all]   install PHP + MariaDB (Debian), unpack, install, start, fixtures
#   deploy/peers.sh stop [glpi|itop|all]      stop the PHP servers started here (and MariaDB if started here)
#   deploy/peers.sh status                    what runs where
#
# Archives: TICKETHUB_PEERS_ARCHIVES names a folder holding glpi-10.0.11.tar.xz and itop-3.2.tar.xz
# (.ci/run points it at ../shared/peers). Without it the official release archives are downloaded
# (TICKETHUB_GLPI_DOWNLOAD_URL, TICKETHUB_ITOP_DOWNLOAD_URL), and the script says so.
# Where: TICKETHUB_PEERS_ROOT (default /opt/tickethub-peers) holds the unpacked trees, logs and
# run/glpi.json, run/itop.json: the addresses, credentials and fixture ids the tests read.
# Ports: GLPI 127.0.0.1:${TICKETHUB_GLPI_PORT:-8092}, iTop 127.0.0.1:${TICKETHUB_ITOP_PORT:-8091},
# MariaDB 127.0.0.1:3306 (databases tickethub_glpi and tickethub_itop).
# Idempotent: an installed tool is started again with its data; a tool already answering on its port
# with the fixtures' credentials is used as it is.
#
# The credentials below are test fixtures of these throw-away instances, not secrets of a deployment.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="${TICKETHUB_PEERS_ROOT:-/opt/tickethub-peers}"
RUN="$ROOT_DIR/run"
LOGS="$ROOT_DIR/logs"
ARCHIVES="${TICKETHUB_PEERS_ARCHIVES:-}"
GLPI_PORT="${TICKETHUB_GLPI_PORT:-8092}"
ITOP_PORT="${TICKETHUB_ITOP_PORT:-8091}"
GLPI_DIR="$ROOT_DIR/glpi"
ITOP_DIR="$ROOT_DIR/itop"
GLPI_DB="${TICKETHUB_GLPI_DB:-tickethub_glpi}"
ITOP_DB="${TICKETHUB_ITOP_DB:-tickethub_itop}"
DB_PASSWORD="tickethub-peers-db"
SOCKET=/run/mysqld/mysqld.sock

# GLPI fixtures: the API client's App-Token and the API account's user_token.
GLPI_APP_TOKEN="0dbfc9978d747197f4a633004d51578de1bcf8d2"
GLPI_API_LOGIN="hub-api"
GLPI_API_PASSWORD="Hub-Api-2026!"
GLPI_API_USER_TOKEN="ad38423fa76319d5f3b341e65f5d2c62175588c8"
GLPI_ADMIN_USER_TOKEN="9b6eba699271d95535328ec606bf7b086168d5e1"
# iTop fixtures: the REST account (Administrator + REST Services User) and a support agent's.
ITOP_ADMIN_PASSWORD="Admin-pass-2026!"
ITOP_REST_USER="hub-rest"
ITOP_REST_PASSWORD="Hub-Rest-2026!"
ITOP_AGENT_USER="hub-agent"
ITOP_AGENT_PASSWORD="Hub-Agent-2026!"

mkdir -p "$RUN" "$LOGS"
say() { printf '[peers] %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -f "$RUN/$1.pid" ] && cat "$RUN/$1.pid" || true; }

packages() {
    local wanted=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || wanted+=("$p")
    done
    [ ${#wanted[@]} -eq 0 ] && return 0
    say "installing ${wanted[*]} from Debian's packages…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${wanted[@]}" >"$LOGS/apt.log" 2>&1 \
        || { apt-get -o DPkg::Lock::Timeout=600 update >>"$LOGS/apt.log" 2>&1 \
            && apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${wanted[@]}" >>"$LOGS/apt.log" 2>&1; } \
        || fail "apt-get failed, see $LOGS/apt.log"
}

PHP_PACKAGES=(php-cli php-mysql php-xml php-gd php-zip php-mbstring php-curl php-soap php-ldap php-intl php-apcu php-bcmath php-bz2
    mariadb-server mariadb-client tzdata curl jq xz-utils unzip graphviz)

# --- MariaDB ---------------------------------------------------------------------------------
mariadb_up() { mariadb-admin --socket="$SOCKET" ping >/dev/null 2>&1; }

start_mariadb() {
    mariadb_up && return 0
    mkdir -p /run/mysqld "$LOGS/mariadb"
    chown mysql /run/mysqld "$LOGS/mariadb"
    [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >"$LOGS/mariadb-install.log" 2>&1
    say "starting MariaDB on 127.0.0.1:3306…"
    (cd / && exec setsid /usr/sbin/mariadbd --user=mysql --bind-address=127.0.0.1 --port=3306 --socket="$SOCKET" \
        --pid-file=/run/mysqld/mysqld.pid --log-error="$LOGS/mariadb/error.log" </dev/null >/dev/null 2>&1) &
    echo $! >"$RUN/mariadb.pid"
    for _ in $(seq 1 300); do mariadb_up && return 0; sleep 0.1; done
    fail "MariaDB did not start, see $LOGS/mariadb/error.log"
}

sql() { mariadb --socket="$SOCKET" -N "$@"; }

database() { # name
    sql -e "CREATE DATABASE IF NOT EXISTS \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
        CREATE USER IF NOT EXISTS '$1'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
        CREATE USER IF NOT EXISTS '$1'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
        GRANT ALL ON \`$1\`.* TO '$1'@'localhost'; GRANT ALL ON \`$1\`.* TO '$1'@'127.0.0.1';
        GRANT SELECT ON mysql.time_zone_name TO '$1'@'localhost'; GRANT SELECT ON mysql.time_zone_name TO '$1'@'127.0.0.1';
        FLUSH PRIVILEGES;"
}

# --- Archives --------------------------------------------------------------------------------
# unpack TOOL DIR ARCHIVE_NAME DOWNLOAD_URL: the tree of TOOL in DIR, from the archives folder or the download.
unpack() {
    local tool=$1 dir=$2 name=$3 url=$4 archive
    if [ -n "$ARCHIVES" ] && [ -f "$ARCHIVES/$name" ]; then
        archive="$ARCHIVES/$name"
    else
        [ -n "$ARCHIVES" ] && say "no $name in $ARCHIVES (TICKETHUB_PEERS_ARCHIVES)"
        archive="$ROOT_DIR/downloads/$(basename "${url%%\?*}")"
        if [ ! -s "$archive" ]; then
            say "downloading $tool's official release archive from $url (set TICKETHUB_PEERS_ARCHIVES to use a local one)…"
            mkdir -p "$ROOT_DIR/downloads"
            curl -fsSL --retry 3 -o "$archive.part" "$url" || fail "could not download $url"
            mv "$archive.part" "$archive"
        fi
    fi
    say "unpacking $archive into $dir…"
    rm -rf "$dir.unpacking" && mkdir -p "$dir.unpacking"
    case "$archive" in
        *.zip) unzip -q "$archive" -d "$dir.unpacking" ;;
        *) tar -xaf "$archive" -C "$dir.unpacking" ;;
    esac
    # The archives hold one top folder (glpi/, itop/, iTop-…/), or a web/ folder in iTop's release zip.
    local top
    top=$(find "$dir.unpacking" -mindepth 1 -maxdepth 1 -type d | head -1)
    [ -d "$top/web" ] && top="$top/web"
    rm -rf "$dir" && mv "$top" "$dir" && rm -rf "$dir.unpacking"
}

# --- PHP's built-in server -----------------------------------------------------------------
serve() { # name port docroot [router]
    local name=$1 port=$2 docroot=$3 router=${4:-} pid
    pid=$(pid_of "$name")
    if alive "$pid" && listening "$port"; then return 0; fi
    listening "$port" && fail "port $port is taken by something that is not this script's $name"
    say "starting $name on http://127.0.0.1:$port/…"
    (cd "$docroot" && PHP_CLI_SERVER_WORKERS=4 exec setsid php -d date.timezone=Europe/Paris -d memory_limit=512M \
        -S "127.0.0.1:$port" -t "$docroot" $router </dev/null >"$LOGS/$name.log" 2>&1) &
    echo $! >"$RUN/$name.pid"
    for _ in $(seq 1 300); do listening "$port" && return 0; sleep 0.1; done
    fail "$name did not listen on $port, see $LOGS/$name.log"
}

unserve() {
    local name=$1 pid
    pid=$(pid_of "$name")
    if alive "$pid"; then
        say "stopping $name (pid $pid)"
        pkill -P "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$name.pid"
}

# === GLPI ====================================================================================
GLPI_API="http://127.0.0.1:$GLPI_PORT/apirest.php"
glpi_console() { (cd "$GLPI_DIR" && php bin/console --no-ansi -n "$@"); }
GLPI_SESSION=""
glpi() { # METHOD PATH [JSON]
    curl -sS -H "App-Token: $GLPI_APP_TOKEN" -H "Session-Token: $GLPI_SESSION" -H 'Content-Type: application/json' \
        -X "$1" "$GLPI_API$2" ${3:+--data "$3"}
}
glpi_login() { # user_token
    GLPI_SESSION=$(curl -sS -H "App-Token: $GLPI_APP_TOKEN" -H "Authorization: user_token $1" "$GLPI_API/initSession" | jq -r '.session_token // empty' 2>/dev/null || true)
    [ -n "$GLPI_SESSION" ]
}
glpi_find() { # itemtype field value → id (exact match) or nothing
    local value; value=$(jq -rn --arg v "^$3\$" '$v|@uri')
    glpi GET "/$1/?searchText%5B$2%5D=$value&range=0-0" | jq -r 'if type == "array" and length > 0 then .[0].id else empty end'
}
glpi_ensure() { # itemtype field value input-json → id
    local id; id=$(glpi_find "$1" "$2" "$3")
    if [ -z "$id" ]; then
        id=$(glpi POST "/$1" "{\"input\":$4}" | jq -r '.id // empty')
        [ -n "$id" ] || fail "GLPI refused to create $1 '$3'"
    fi
    echo "$id"
}

glpi_install() {
    if [ ! -f "$GLPI_DIR/vendor/autoload.php" ]; then
        unpack GLPI "$GLPI_DIR" glpi-10.0.11.tar.xz \
            "${TICKETHUB_GLPI_DOWNLOAD_URL:-https://github.com/glpi-project/glpi/releases/download/10.0.11/glpi-10.0.11.tgz}"
    fi
    [ -f "$GLPI_DIR/vendor/autoload.php" ] || fail "$GLPI_DIR is not a GLPI release tree (no vendor/)"
    local d
    for d in _cache _cron _dumps _graphs _inventories _locales _lock _log _pictures _plugins _rss _sessions _tmp _uploads; do
        mkdir -p "$GLPI_DIR/files/$d"
    done
    mkdir -p "$GLPI_DIR/plugins" "$GLPI_DIR/marketplace"
    database "$GLPI_DB"
    if [ -f "$GLPI_DIR/config/config_db.php" ] \
        && [ -n "$(sql "$GLPI_DB" -e "SELECT value FROM glpi_configs WHERE context='core' AND name='version'" 2>/dev/null || true)" ]; then
        return 0
    fi
    if [ "$(sql -e 'SELECT COUNT(*) FROM mysql.time_zone_name')" = 0 ]; then
        mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | sql mysql
    fi
    say "installing GLPI's database (a few seconds)…"
    glpi_console db:install -H 127.0.0.1 -d "$GLPI_DB" -u "$GLPI_DB" -p "$DB_PASSWORD" -L fr_FR --no-telemetry -r -f \
        >"$LOGS/glpi-install.log" 2>&1 || fail "GLPI's db:install failed, see $LOGS/glpi-install.log"
    glpi_console db:enable_timezones >>"$LOGS/glpi-install.log" 2>&1 || fail "GLPI's db:enable_timezones failed"
    local setting
    for setting in enable_api=1 enable_api_login_credentials=1 enable_api_login_external_token=1 \
        "url_base_api=$GLPI_API" "url_base=http://127.0.0.1:$GLPI_PORT" timezone=Europe/Paris; do
        glpi_console config:set "${setting%%=*}" "${setting#*=}" >>"$LOGS/glpi-install.log" 2>&1
    done
    # The installer's API client #1 ("full access from localhost") gets the fixtures' App-Token.
    sql "$GLPI_DB" -e "UPDATE glpi_apiclients SET app_token='$GLPI_APP_TOKEN', app_token_date=NOW(), name='TicketHub tests',
        is_active=1, ipv4_range_start=2130706433, ipv4_range_end=2130706433, ipv6='::1' WHERE id=1;
        UPDATE glpi_users SET api_token='$GLPI_ADMIN_USER_TOKEN', api_token_date=NOW() WHERE name='glpi';"
}

glpi_fixtures() {
    glpi_login "$GLPI_ADMIN_USER_TOKEN" || fail "GLPI at $GLPI_API refused the fixtures' administrator token"
    local out entities='[]' line name uai login first last mail entity user id
    while IFS='|' read -r name uai login first last; do
        entity=$(glpi_ensure Entity registration_number "$uai" \
            "$(jq -nc --arg n "$name" --arg u "$uai" '{name:$n, entities_id:0, registration_number:$u, comment:("UAI "+$u)}')")
        mail="$login@$(tr 'A-Z' 'a-z' <<<"$uai").example.fr"
        user=$(glpi_ensure User name "$login" \
            "$(jq -nc --arg l "$login" --arg f "$first" --arg r "$last" --arg m "$mail" --argjson e "$entity" \
                '{name:$l, firstname:$f, realname:$r, is_active:1, _useremails:[$m], _profiles_id:1, _entities_id:$e, _is_recursive:0}')")
        entities=$(jq -c --arg n "$name" --arg u "$uai" --argjson e "$entity" --arg l "$login" --argjson i "$user" --arg m "$mail" \
            '. + [{name:$n, uai:$u, entities_id:$e, requester_login:$l, requester_users_id:$i, requester_email:$m}]' <<<"$entities")
    done <<'COLLEGES'
Collège Jean Moulin|0931234X|claire.dubois|Claire|Dubois
Collège Louise Michel|0931235A|karim.benali|Karim|Benali
Collège Paul Éluard|0931236B|sophie.lefevre|Sophie|Lefèvre
COLLEGES
    local categories='{}'
    for name in "Matériel" "Réseau"; do
        id=$(glpi_ensure ITILCategory name "$name" \
            "$(jq -nc --arg n "$name" '{name:$n, entities_id:0, is_recursive:1, is_incident:1, is_request:1, is_helpdeskvisible:1}')")
        categories=$(jq -c --arg n "$name" --argjson i "$id" '. + {($n): $i}' <<<"$categories")
    done
    # The connector's account: Technician (profile 6) on the root entity, recursive.
    id=$(glpi_ensure User name "$GLPI_API_LOGIN" "$(jq -nc --arg l "$GLPI_API_LOGIN" --arg p "$GLPI_API_PASSWORD" \
        '{name:$l, password:$p, password2:$p, firstname:"Hub", realname:"API", is_active:1, _profiles_id:6, _entities_id:0, _is_recursive:1}')")
    [ -d "$GLPI_DIR" ] && [ -f "$GLPI_DIR/config/config_db.php" ] && sql "$GLPI_DB" -e \
        "UPDATE glpi_users SET api_token='$GLPI_API_USER_TOKEN', api_token_date=COALESCE(api_token_date, NOW()) WHERE name='$GLPI_API_LOGIN'"
    glpi GET /killSession >/dev/null || true
    glpi_login "$GLPI_API_USER_TOKEN" || fail "GLPI refused $GLPI_API_LOGIN's user_token"
    glpi GET /killSession >/dev/null || true
    out=$(jq -n --arg api "$GLPI_API" --arg url "http://127.0.0.1:$GLPI_PORT" --arg at "$GLPI_APP_TOKEN" --arg ut "$GLPI_API_USER_TOKEN" \
        --arg admin "$GLPI_ADMIN_USER_TOKEN" --argjson entities "$entities" --argjson categories "$categories" --argjson hub "$id" \
        '{api:$api, public_url:$url, app_token:$at, user_token:$ut, admin_user_token:$admin, hub_api_users_id:$hub, entities:$entities, categories:$categories}')
    echo "$out" >"$RUN/glpi.json"
}

glpi_start() {
    if ! (alive "$(pid_of glpi)" && listening "$GLPI_PORT") && listening "$GLPI_PORT"; then
        # Something else serves the port: used as it is if it is a GLPI that knows the fixtures' tokens.
        glpi_login "$GLPI_ADMIN_USER_TOKEN" || fail "port $GLPI_PORT is taken by something that is not a GLPI with the fixtures' tokens"
        say "a GLPI already answers on $GLPI_PORT: using it"
        glpi_fixtures
        return 0
    fi
    packages "${PHP_PACKAGES[@]}"
    start_mariadb
    glpi_install
    serve glpi "$GLPI_PORT" "$GLPI_DIR/public" "$HERE/peers/glpi-router.php"
    if ! glpi_login "$GLPI_ADMIN_USER_TOKEN"; then
        # Seen once, after a day of test runs: this script's GLPI, still up, refused the token that a
        # restart of its PHP server accepted again. Restart it once before giving up.
        say "GLPI refuses the fixtures' administrator token: restarting its server once"
        unserve glpi
        for _ in $(seq 1 100); do listening "$GLPI_PORT" || break; sleep 0.1; done
        serve glpi "$GLPI_PORT" "$GLPI_DIR/public" "$HERE/peers/glpi-router.php"
    fi
    glpi_fixtures
    say "GLPI 10 ready: $GLPI_API ($RUN/glpi.json)"
}

# === iTop ====================================================================================
ITOP_URL="http://127.0.0.1:$ITOP_PORT/"
ITOP_REST="${ITOP_URL}webservices/rest.php?version=1.3"
itop_rest() { # json [user] [password]
    curl -sS "$ITOP_REST" --data-urlencode "auth_user=${2:-$ITOP_REST_USER}" --data-urlencode "auth_pwd=${3:-$ITOP_REST_PASSWORD}" \
        --data-urlencode "json_data=$1"
}

itop_installed() {
    [ -f "$ITOP_DIR/conf/production/config-itop.php" ] \
        && [ "$(sql -e "SELECT COUNT(*) FROM \`$ITOP_DB\`.priv_user WHERE login='admin'" 2>/dev/null || echo 0)" = 1 ]
}

itop_install() {
    if [ ! -f "$ITOP_DIR/approot.inc.php" ]; then
        unpack iTop "$ITOP_DIR" itop-3.2.tar.xz \
            "${TICKETHUB_ITOP_DOWNLOAD_URL:-https://github.com/Combodo/iTop/archive/refs/heads/support/3.2.tar.gz}"
    fi
    [ -f "$ITOP_DIR/approot.inc.php" ] || fail "$ITOP_DIR is not an iTop tree"
    database "$ITOP_DB"
    itop_installed && return 0
    # The ITIL modules, as an infogérant installs them: user requests and incidents as two classes.
    cat >"$RUN/itop-install.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<installation>
  <mode>install</mode>
  <source_dir>datamodels/2.x/</source_dir>
  <datamodel_version>3.2.0</datamodel_version>
  <previous_configuration_file></previous_configuration_file>
  <extensions_dir>extensions</extensions_dir>
  <target_env>production</target_env>
  <workspace_dir></workspace_dir>
  <database>
    <server>127.0.0.1</server><user>$ITOP_DB</user><pwd>$DB_PASSWORD</pwd><name>$ITOP_DB</name>
    <db_tls_enabled></db_tls_enabled><db_tls_ca></db_tls_ca><prefix></prefix>
  </database>
  <url>$ITOP_URL</url>
  <graphviz_path>/usr/bin/dot</graphviz_path>
  <admin_account><user>admin</user><pwd>$ITOP_ADMIN_PASSWORD</pwd><language>FR FR</language></admin_account>
  <language>FR FR</language>
  <selected_extensions type="array">
    <item>itop-config-mgmt-core</item>
    <item>itop-config-mgmt-datacenter</item>
    <item>itop-config-mgmt-end-user</item>
    <item>itop-config-mgmt-storage</item>
    <item>itop-config-mgmt-virtualization</item>
    <item>itop-service-mgmt-enterprise</item>
    <item>itop-ticket-mgmt-itil</item>
    <item>itop-ticket-mgmt-itil-user-request</item>
    <item>itop-ticket-mgmt-itil-incident</item>
    <item>itop-ticket-mgmt-itil-enhanced-portal</item>
    <item>itop-change-mgmt-itil</item>
    <item>itop-kown-error-mgmt</item>
  </selected_extensions>
  <sample_data>0</sample_data>
  <old_addon></old_addon>
  <options type="array"/>
  <mysql_bindir></mysql_bindir>
</installation>
XML
    say "installing iTop unattended (about 20 s)…"
    rm -f "$ITOP_DIR/data/.maintenance" "$ITOP_DIR/data/.readonly"
    (cd "$ITOP_DIR" && php -d memory_limit=512M setup/unattended-install/unattended-install.php --param-file="$RUN/itop-install.xml" \
        --installation_xml="$ITOP_DIR/datamodels/2.x/installation.xml" --clean=1) >"$LOGS/itop-install.log" 2>&1 \
        || fail "iTop's unattended install failed, see $LOGS/itop-install.log"
    itop_installed || fail "iTop's unattended install did not finish, see $LOGS/itop-install.log"
}

itop_fixtures_in_process() {
    (cd "$ITOP_DIR" && php "$HERE/peers/itop-fixtures.php" "$ITOP_DIR" "$ITOP_REST_USER" "$ITOP_REST_PASSWORD" "$ITOP_AGENT_USER" "$ITOP_AGENT_PASSWORD") \
        >"$RUN/itop-fixtures.json" 2>"$LOGS/itop-fixtures.log" || fail "iTop fixtures failed, see $LOGS/itop-fixtures.log"
}

# itop.json from what the REST API says (the fixtures exist: made in-process, or by whoever runs this iTop).
itop_describe() {
    local orgs people team agent subcategories
    orgs=$(itop_rest '{"operation":"core/get","class":"Organization","key":"SELECT Organization WHERE code IN (\"0931234X\",\"0931235A\",\"0931236B\")","output_fields":"id,name,code"}')
    people=$(itop_rest '{"operation":"core/get","class":"Person","key":"SELECT Person","output_fields":"id,first_name,name,email,org_id"}')
    team=$(itop_rest '{"operation":"core/get","class":"Team","key":"SELECT Team WHERE name = \"Support Hub N1\"","output_fields":"id"}')
    subcategories=$(itop_rest '{"operation":"core/get","class":"ServiceSubcategory","key":"SELECT ServiceSubcategory AS c JOIN Service AS s ON c.service_id = s.id WHERE s.name = \"Matériel pédagogique\"","output_fields":"id,service_id,request_type"}')
    [ "$(jq -r .code <<<"$orgs")" = 0 ] || fail "iTop refused the REST account $ITOP_REST_USER: $(jq -c . <<<"$orgs")"
    jq -n --arg rest "${ITOP_URL}webservices/rest.php" --arg url "${ITOP_URL%/}" \
        --arg user "$ITOP_REST_USER" --arg password "$ITOP_REST_PASSWORD" --arg agent_user "$ITOP_AGENT_USER" --arg agent_password "$ITOP_AGENT_PASSWORD" \
        --argjson orgs "$orgs" --argjson people "$people" --argjson team "$team" --argjson subcategories "$subcategories" '
        ($people.objects // {} | [.[] | .fields + {id: (.fields.id | tonumber)}]) as $persons
        | {rest: $rest, url: $url, user: $user, password: $password, agent_user: $agent_user, agent_password: $agent_password,
           team_id: ($team.objects // {} | [.[] | .fields.id | tonumber] | first),
           agent_id: ($persons | map(select(.email == "thomas.agent@hub.example.fr")) | first | .id),
           service: ($subcategories.objects // {} | [.[] | .fields] as $c
                     | {service_id: ($c | first | .service_id | tonumber),
                        incident_subcategory_id: ($c | map(select(.request_type == "incident")) | first | .id | tonumber),
                        request_subcategory_id: ($c | map(select(.request_type == "service_request")) | first | .id | tonumber)}),
           orgs: ($orgs.objects // {} | [.[] | .fields | {name, code, org_id: (.id | tonumber)}] | sort_by(.code)
                  | map(. as $o | . + {caller_id: ($persons | map(select(.org_id == ($o.org_id | tostring))) | first | .id),
                                       caller_email: ($persons | map(select(.org_id == ($o.org_id | tostring))) | first | .email)}))}' \
        >"$RUN/itop.json"
    [ "$(jq '.orgs | length' "$RUN/itop.json")" = 3 ] || fail "iTop lacks the three collèges' organizations (see $RUN/itop.json)"
    jq -e '.service.service_id and .service.incident_subcategory_id and .service.request_subcategory_id' "$RUN/itop.json" >/dev/null \
        || fail "iTop lacks the service « Matériel pédagogique » and its two subcategories (see $RUN/itop.json)"
}

itop_start() {
    if ! (alive "$(pid_of itop)" && listening "$ITOP_PORT") && listening "$ITOP_PORT"; then
        say "an iTop already answers on $ITOP_PORT: using it"
        itop_describe
        return 0
    fi
    packages "${PHP_PACKAGES[@]}"
    start_mariadb
    itop_install
    itop_fixtures_in_process
    serve itop "$ITOP_PORT" "$ITOP_DIR"
    curl -fsS -o /dev/null "$ITOP_REST" || fail "iTop's REST endpoint does not answer"
    itop_describe
    say "iTop 3.2 ready: $ITOP_REST ($RUN/itop.json)"
}

# === Commands ================================================================================
status() {
    echo "MariaDB $(mariadb_up && echo up || echo down) 127.0.0.1:3306"
    echo "GLPI    $(listening "$GLPI_PORT" && echo up || echo down) $GLPI_API"
    echo "iTop    $(listening "$ITOP_PORT" && echo up || echo down) $ITOP_REST"
}

command="${1:-start}"
case "$command" in start | stop | status) shift || true ;; *) command=start ;; esac
which="${1:-all}"
case "$command" in
    start)
        case "$which" in
            glpi) glpi_start ;;
            itop) itop_start ;;
            all) glpi_start; itop_start ;;
            *) fail "unknown tool '$which' (glpi, itop, all)" ;;
        esac ;;
    stop)
        [ "$which" = itop ] || unserve glpi
        [ "$which" = glpi ] || unserve itop
        if [ "$which" = all ] && alive "$(pid_of mariadb)"; then
            say "stopping MariaDB"; kill "$(pid_of mariadb)"; rm -f "$RUN/mariadb.pid"
        fi ;;
    status) status ;;
esac
