#!/usr/bin/env bash
# Makes the data folder private to the user that runs the hub: the databases hold every ticket,
# the gateway's holds password hashes and sessions, the logs name people, $DATA/keys the signing
# key. Creates DATA and DATA/logs if needed, then takes every permission away from group and
# others on what is already there (files of an earlier run made before this script existed).
# Used by deploy/run.sh, which also runs the services under umask 077 so that what they create
# later (databases, journals, logs) is private too. Idempotent.
#
#   deploy/secure-data.sh DATA_FOLDER
set -euo pipefail

DATA="${1:?data folder}"
umask 077
mkdir -p "$DATA" "$DATA/logs"
chmod -R go-rwx "$DATA"
