#!/usr/bin/env bash
# A PostgreSQL server of TicketHub's own, on loopback, for the tests and for `deploy/run.sh --postgres`
# (issue 13): Debian's PostgreSQL 15 (installed when missing), its own data folder and port, no
# systemd. One role `tickethub` that may create databases (each service, and each test, gets its own
# database); its password is made once (256 random bits) and kept in TICKETHUB_POSTGRES_HOME/password
# (mode 600), never on a command line.
#
#   deploy/postgres.sh start                 start the server if needed (idempotent)
#   deploy/postgres.sh connection-string DB  start if needed, create database DB if missing, print an
#                                            ADO.NET connection string for it (Npgsql syntax)
#   deploy/postgres.sh psql [ARGS...]        psql as the superuser, on the server
#   deploy/postgres.sh stop                  stop the server
#
# Environment: TICKETHUB_POSTGRES_PORT (5433: 5432 is left to a system cluster), TICKETHUB_POSTGRES_HOME
# (/var/lib/tickethub-postgres/PORT).
set -euo pipefail

ACTION="${1:?start|connection-string|psql|stop}"
PORT="${TICKETHUB_POSTGRES_PORT:-5433}"
HOME_DIR="${TICKETHUB_POSTGRES_HOME:-/var/lib/tickethub-postgres/$PORT}"
DATA="$HOME_DIR/data"
SOCKETS="$HOME_DIR/run"
ROLE=tickethub

log() { printf '[postgres %s] %s\n' "$PORT" "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    [ -n "$dir" ] && [ -x "$dir/postgres" ] && { echo "$dir"; return 0; }
    return 1
}

as_postgres() { runuser -u postgres -- "$@"; }

superuser_psql() { as_postgres "$(bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKETS" -p "$PORT" -U postgres -d postgres "$@"; }

install() {
    bin_dir >/dev/null && return 0
    log "installing postgresql from Debian's packages…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }
    bin_dir >/dev/null || { log "PostgreSQL did not install"; return 1; }
}

start() {
    # One start at a time (test processes may call this together on a fresh machine).
    mkdir -p "$(dirname "$HOME_DIR")"
    exec 9>"$HOME_DIR.lock"
    flock 9
    install
    local bin
    bin="$(bin_dir)"
    mkdir -p "$HOME_DIR" "$SOCKETS"
    chown postgres:postgres "$HOME_DIR" "$SOCKETS"
    chmod 700 "$HOME_DIR"
    if [ ! -s "$DATA/PG_VERSION" ]; then
        log "creating a cluster in $DATA…"
        mkdir -p "$DATA"
        chown postgres:postgres "$DATA"
        # The superuser is reached only through the Unix socket of this folder (peer authentication);
        # TCP, on loopback only, asks every role for its password (SCRAM).
        as_postgres "$bin/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 >/dev/null
        cat >> "$DATA/postgresql.conf" <<CONF
# Written by TicketHub's deploy/postgres.sh
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKETS'
max_connections = 300
shared_buffers = 128MB
fsync = on
CONF
    fi
    if ! port_open "$PORT"; then
        log "starting on 127.0.0.1:$PORT…"
        # 9>&-: the server must not inherit the start lock, or it would hold it for its whole life.
        as_postgres "$bin/pg_ctl" -D "$DATA" -l "$HOME_DIR/server.log" -w -t 60 start >/dev/null 9>&- \
            || { tail -20 "$HOME_DIR/server.log" >&2; return 1; }
    fi
    local password_file="$HOME_DIR/password"
    if [ ! -s "$password_file" ]; then
        (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > "$password_file")
    fi
    chmod 600 "$password_file"
    # The password goes to psql on stdin (letters and digits only), never on a command line.
    {
        printf '\\set pw %s\n' "$(cat "$password_file")"
        cat <<'SQL'
SELECT format('CREATE ROLE tickethub LOGIN CREATEDB PASSWORD %L', :'pw') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tickethub') \gexec
SELECT format('ALTER ROLE tickethub LOGIN CREATEDB PASSWORD %L', :'pw') \gexec
SQL
    } | superuser_psql >/dev/null
    log "ready on 127.0.0.1:$PORT (role $ROLE, password in $password_file)"
}

case "$ACTION" in
    start)
        start
        ;;
    connection-string)
        DB="${2:?database name}"
        [[ "$DB" =~ ^[a-z][a-z0-9_]{0,62}$ ]] || { log "database names are lower-case letters, digits and _"; exit 2; }
        port_open "$PORT" && [ -s "$HOME_DIR/password" ] || start
        exists() { superuser_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; }
        # Several test processes may ask for the same database at once: one creates it, the others
        # find it made (their CREATE fails on the name).
        if ! exists && ! superuser_psql -c "CREATE DATABASE $DB OWNER $ROLE" >/dev/null 2>&1 && ! exists; then
            log "could not create database $DB"; exit 1
        fi
        printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s\n' "$PORT" "$DB" "$ROLE" "$(cat "$HOME_DIR/password")"
        ;;
    psql)
        shift
        superuser_psql "$@"
        ;;
    stop)
        if [ -s "$DATA/PG_VERSION" ] && port_open "$PORT"; then
            as_postgres "$(bin_dir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
            log "stopped"
        fi
        ;;
    *)
        echo "usage: $0 start|connection-string DB|psql|stop" >&2
        exit 2
        ;;
esac
