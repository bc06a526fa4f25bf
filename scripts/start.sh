#!/usr/bin/env bash
# Starts the whole system: installs what is missing, then Postgres, the Temporal dev server,
# migrations, the worker and the API; prints their URLs. State lives in .data/ and survives restarts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh npm temporal postgres documents
# R-O7: the development secret and payload key are accepted only where NODE_ENV says development.
export NODE_ENV=development
exec node_modules/.bin/tsx scripts/stack.ts start
