#!/usr/bin/env bash
# Runs the whole suite: installs what is missing, starts the servers the tests need on free ports,
# runs typecheck, lint, the docker-compose check, vitest and the schemathesis pass, stops everything,
# and ends with "N passed, N failed". Extra arguments go to vitest (and skip the static checks and
# the schemathesis pass).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh npm temporal temporal-server testserver postgres schemathesis chromium documents
# R-O7: the development secret and payload key are accepted only where NODE_ENV says test.
export NODE_ENV=test
exec node_modules/.bin/tsx scripts/stack.ts test "$@"
