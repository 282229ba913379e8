#!/usr/bin/env bash
# A real SMTP server on loopback that files every message it receives into a Maildir: the intake
# mailbox of PASS or Omère when their connector runs in `email` delivery mode. It is aiosmtpd's
# Mailbox handler, from Debian's python3-aiosmtpd (installed here when missing); no systemd needed.
#
# Usage:
#   deploy/smtp.sh [start] [PORT] [MAILDIR]   starts it in the background; does nothing when this
#                                             script's server for PORT and MAILDIR already answers
#   deploy/smtp.sh stop    [PORT] [MAILDIR]   stops it (nothing to do is not an error)
#   deploy/smtp.sh status  [PORT] [MAILDIR]   exit 0 when it answers, 3 when it does not
# PORT defaults to $SMTP_PORT, then 2525; MAILDIR to $SMTP_MAILDIR, then .data/maildir (from the
# current directory). The PID file and the server's log sit beside the Maildir:
# <MAILDIR>/../smtp-<PORT>.pid and smtp-<PORT>.log. SMTP_WAIT_SECONDS (default 20) bounds the wait
# for the port. Messages land in <MAILDIR>/new, one file each; the sandbox shows them on /courriels.
set -euo pipefail

ACTION=start
case "${1:-}" in
    start|stop|status) ACTION="$1"; shift ;;
esac
PORT="${1:-${SMTP_PORT:-2525}}"
MAILDIR="${2:-${SMTP_MAILDIR:-.data/maildir}}"
WAIT_SECONDS="${SMTP_WAIT_SECONDS:-20}"
# Debian's interpreter, where python3-aiosmtpd installs: `python3` may be another one (pyenv…).
PYTHON=/usr/bin/python3

log() { printf '[smtp] %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || fail "invalid port '$PORT' (usage: $0 [start|stop|status] [PORT] [MAILDIR])"
MAILDIR="$(realpath -m -- "$MAILDIR")"
PID_FILE="$(dirname "$MAILDIR")/smtp-$PORT.pid"
LOG_FILE="$(dirname "$MAILDIR")/smtp-$PORT.log"

# The PID from the PID file when that process is still our aiosmtpd (not a reused PID).
running_pid() {
    local pid
    [[ -f "$PID_FILE" ]] || return 1
    pid="$(cat "$PID_FILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'aiosmtpd' || return 1
    printf '%s' "$pid"
}

# True when something on the port greets with an SMTP banner (220).
answers() {
    local banner=""
    { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
    read -r -t 2 banner <&3 || true
    printf 'QUIT\r\n' >&3 2>/dev/null || true
    exec 3<&- 3>&-
    [[ "$banner" == 220* ]]
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        log "not running on 127.0.0.1:$PORT for $MAILDIR"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "PID $pid ignored SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    log "stopped (PID $pid)"
}

install_if_missing() {
    "$PYTHON" -c 'import aiosmtpd' 2>/dev/null && return 0
    log "installing python3-aiosmtpd from Debian's packages…"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null 2>&1; then
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null
    fi
    "$PYTHON" -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is installed but $PYTHON cannot import aiosmtpd"
}

start() {
    if running_pid >/dev/null; then
        answers || fail "PID $(cat "$PID_FILE") runs but 127.0.0.1:$PORT does not greet; see $LOG_FILE"
        log "already running on 127.0.0.1:$PORT → $MAILDIR"
        return 0
    fi
    port_taken && fail "127.0.0.1:$PORT is taken by another program (not this script's server for $MAILDIR)"

    install_if_missing
    mkdir -p "$MAILDIR/tmp" "$MAILDIR/new" "$MAILDIR/cur"
    # -n: keep running as the caller (aiosmtpd would switch to `nobody`, who cannot write the Maildir).
    # setsid: a Ctrl-C meant for the caller does not reach it; `stop` ends it.
    setsid "$PYTHON" -m aiosmtpd -n -c aiosmtpd.handlers.Mailbox -l "127.0.0.1:$PORT" "$MAILDIR" \
        </dev/null >>"$LOG_FILE" 2>&1 &
    local pid=$!
    printf '%s\n' "$pid" >"$PID_FILE"

    local deadline=$(( SECONDS + WAIT_SECONDS ))
    until answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            log "the server exited before listening; last lines of $LOG_FILE:"
            tail -n 20 "$LOG_FILE" >&2 || true
            exit 1
        fi
        if (( SECONDS >= deadline )); then
            log "127.0.0.1:$PORT did not answer within ${WAIT_SECONDS}s; stopping PID $pid. Last lines of $LOG_FILE:"
            tail -n 20 "$LOG_FILE" >&2 || true
            stop
            exit 1
        fi
        sleep 0.1
    done
    log "ready on 127.0.0.1:$PORT → $MAILDIR (PID $pid)"
}

case "$ACTION" in
    start) start ;;
    stop) stop ;;
    status)
        if running_pid >/dev/null && answers; then log "running on 127.0.0.1:$PORT → $MAILDIR"; else log "not running"; exit 3; fi ;;
esac
