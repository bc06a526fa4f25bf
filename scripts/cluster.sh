#!/usr/bin/env bash
# Starts the production topology on this machine, without Docker: installs what is missing (the
# Temporal server is built with Go into .tools/temporal-server the first time), then Postgres,
# Temporal's four services as separate processes (deploy/temporal/temporal.yaml.tmpl, the file
# docker-compose.yml runs), the namespace and search attributes, two workers and two APIs; prints
# the URLs. State lives in .data/cluster/. Ctrl-C stops everything. See deploy/README.md "Topology".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh npm temporal temporal-server postgres
exec node_modules/.bin/tsx scripts/stack.ts cluster
