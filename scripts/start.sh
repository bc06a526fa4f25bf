#!/usr/bin/env bash
# Starts the whole system: installs what is missing, then Postgres, the Temporal dev server,
# migrations, the worker and the API; prints their URLs. State lives in .data/ and survives restarts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh npm temporal postgres documents
exec node_modules/.bin/tsx scripts/stack.ts start
