#!/usr/bin/env bash
# Runs every TicketHub test on a fresh machine of this kind: installs and starts what the tests
# need (a RabbitMQ node of the tests' own on loopback, with a clean virtual host; PostgreSQL; the
# real GLPI and iTop; Chromium), builds the
# solution, runs all test projects,
# and ends with one plain line "N passed, N failed, N skipped". Exits non-zero if anything failed
# or if no test ran.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CONFIGURATION="${CONFIGURATION:-Release}"
RESULTS="$ROOT/TestResults"
export TICKETHUB_TEST_VHOST="${TICKETHUB_TEST_VHOST:-tickethub-tests}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

step "Broker"
# The end-to-end tests (the chaos test, the broker outages) stop and start their broker: a RabbitMQ
# node of their own (deploy/rabbitmq-node.sh, port 5690), so that nobody else's tests on this
# machine, which use the shared broker on 5672, ever see it stop. A clean test virtual host: queues
# left by an earlier run must not feed this one. The node is shut down when the run ends.
export TICKETHUB_E2E_NODE="${TICKETHUB_E2E_NODE:-tickethub-e2e}" TICKETHUB_E2E_PORT="${TICKETHUB_E2E_PORT:-5690}"
"$ROOT/deploy/rabbitmq-node.sh" start "$TICKETHUB_E2E_NODE" "$TICKETHUB_E2E_PORT" || { echo "0 passed, 1 failed"; exit 1; }
trap '"$ROOT/deploy/rabbitmq-node.sh" shutdown "$TICKETHUB_E2E_NODE"' EXIT
"$ROOT/deploy/rabbitmq-node.sh" ctl "$TICKETHUB_E2E_NODE" delete_vhost "$TICKETHUB_TEST_VHOST" >/dev/null 2>&1 || true
"$ROOT/deploy/rabbitmq-node.sh" start "$TICKETHUB_E2E_NODE" "$TICKETHUB_E2E_PORT" "$TICKETHUB_TEST_VHOST" || { echo "0 passed, 1 failed"; exit 1; }

step "PostgreSQL"
# The stores, the migrations and the replica tests run on PostgreSQL as well as SQLite (issue 13):
# TicketHub's own server (deploy/postgres.sh: Debian's package, 127.0.0.1:5433, its own role), where
# each test makes and drops a database of its own. Left running, like the real tools.
"$ROOT/deploy/postgres.sh" start && "$ROOT/deploy/postgres.sh" connection-string tickethub_tests >/dev/null \
    || { echo "Could not start PostgreSQL."; echo "0 passed, 1 failed"; exit 1; }

step "Real GLPI and iTop"
# The connectors' contract and end-to-end tests run against the real tools: GLPI 10 and iTop 3.2
# (ITIL), installed unattended from the archives in TICKETHUB_PEERS_ARCHIVES (.ci/run sets it),
# or downloaded from their official releases without it.
"$ROOT/deploy/peers.sh" start all || { echo "Could not start the real GLPI and iTop."; echo "0 passed, 1 failed"; exit 1; }

step "Browser tools"
# The browser tests drive Debian's Chromium through Playwright (its own browser download does not
# work on these machines) and inject axe-core, installed from the npm registry with the lock file.
if [ ! -x /usr/bin/chromium ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null \
        || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null; } \
        || { echo "Could not install chromium."; echo "0 passed, 1 failed"; exit 1; }
fi
(cd "$ROOT/tests/browser" && npm ci --no-audit --no-fund --loglevel=error) \
    || { echo "Could not install the browser tests' npm packages."; echo "0 passed, 1 failed"; exit 1; }
export TICKETHUB_SCREENSHOTS="${TICKETHUB_SCREENSHOTS:-$RESULTS/screenshots}"

step "Build ($CONFIGURATION)"
if ! dotnet build TicketHub.sln -c "$CONFIGURATION" -nologo -v minimal; then
    echo "Build failed."
    echo "0 passed, 1 failed"
    exit 1
fi

step "Tests"
rm -rf "$RESULTS"
mkdir -p "$TICKETHUB_SCREENSHOTS"
# Performance measurements (category Performance, minutes each) are not tests of the build: they
# are run by hand, as docs/performance.md says, and left out here rather than reported as skipped.
# A test that hangs (none should: every wait has its own limit) is stopped after 15 minutes and its
# project counted as failed below, rather than holding the run until CI's own limit.
dotnet test TicketHub.sln -c "$CONFIGURATION" --no-build --nologo --filter "TestCategory!=Performance" \
    --blame-hang-timeout 15min --blame-hang-dump-type none \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS"
test_exit=$?

step "Summary"
passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
    [ -f "$trx" ] || continue
    files=$((files + 1))
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
    x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
    skipped=$((skipped + ${t:-0} - ${x:-0}))
done
projects=$(find tests -name '*.Tests.csproj' | wc -l)
if [ "$files" -lt "$projects" ]; then
    echo "Only $files of $projects test projects reported results (a test host crashed?)."
    failed=$((failed + projects - files))
fi
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "dotnet test exited with $test_exit without a failed test: counting it as a failure."
    failed=1
fi
echo "Took $(( $(date +%s) - started )) s."
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
