#!/usr/bin/env bash
# Run once by the postgres image, on its first start (an empty data volume): one database per
# service, owned by a role of its own whose password comes from the environment (.env). The role
# names are those of the services' connection strings in compose.yaml: tickethub_<service>.
set -euo pipefail

for service in gateway intake classifier connectors_glpi connectors_itop connectors_pass connectors_omere; do
    variable="DB_PASSWORD_${service^^}"
    password="${!variable:-}"
    if [ -z "$password" ]; then
        echo "[tickethub] $variable is not set (.env)" >&2
        exit 1
    fi
    # psql's variables quote the name (:"name") and the password (:'password') safely.
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v name="tickethub_$service" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
