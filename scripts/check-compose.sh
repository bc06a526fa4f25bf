#!/usr/bin/env bash
# Validate docker-compose.yml without a Docker engine.
#
#   1. docker-compose (Debian bookworm's package, Compose v1.29; installed with
#      apt-get if the command is missing) must accept the file:
#      `docker-compose -f docker-compose.yml config -q`, with a dummy JWT_JWKS_URL.
#   2. With JWT_JWKS_URL unset the same command must refuse the file (the
#      required `${JWT_JWKS_URL:?...}` interpolation really is required).
#   3. Compose v2's own loader (compose-spec/compose-go, the library behind
#      `docker compose config`) must accept it too, so the file is known to work
#      with both; and the Dockerfile must parse with BuildKit's parser and
#      linter, warning-free. These need Go and the Go module proxy on first use
#      (the helper is cached after). CHECK_COMPOSE_V2=0 skips them, =1 makes a
#      missing toolchain an error; the default (auto) skips them with a notice
#      when Go is absent or the fetch fails.
#   4. The environment the file gives migrate, worker and api must pass the
#      app's own config/env.ts validation (skipped without node_modules).
#   5. Every target deploy/prometheus.yml scrapes is a service of the file that
#      listens on that port on all its interfaces (API_METRICS_PORT,
#      WORKER_METRICS_PORT, TEMPORAL_METRICS_PORT), and the search attributes the
#      namespace job registers are the workflows' (workflows/contracts/search-attributes.ts).
#
# Exit status: 0 when every check that ran passed, non-zero otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE_FILE_PATH=docker-compose.yml
COMPOSE_GO_VERSION=v2.16.2 # the compose-go that Docker Compose v5.7.0 uses
BUILDKIT_VERSION=v0.34.2   # Dockerfile parser and linter
CHECK_COMPOSE_V2="${CHECK_COMPOSE_V2:-auto}"

log() { printf '[check-compose] %s\n' "$*"; }
die() {
	printf '[check-compose] ERROR: %s\n' "$*" >&2
	exit 1
}

# --- 1. docker-compose v1 --------------------------------------------------
ensure_docker_compose() {
	if command -v docker-compose >/dev/null 2>&1; then
		log "docker-compose present: $(command -v docker-compose)"
		return
	fi
	log "docker-compose not found: installing Debian's docker-compose package"
	command -v apt-get >/dev/null 2>&1 ||
		die "docker-compose is missing and apt-get is unavailable; install Docker Compose by hand"
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || die "docker-compose is missing and this is not root (no sudo either)"
		sudo=(sudo -n)
	fi
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-cache show docker-compose >/dev/null 2>&1; then
		log "package lists do not know docker-compose: running apt-get update"
		"${sudo[@]}" apt-get update -qq || die "apt-get update failed"
	fi
	# --no-install-recommends: the package recommends docker.io (the engine),
	# which this check does not need.
	log "running: apt-get install -y --no-install-recommends docker-compose"
	local apt_log
	apt_log="$(mktemp)"
	if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends docker-compose >"$apt_log" 2>&1; then
		tail -n 20 "$apt_log" >&2
		rm -f "$apt_log"
		die "apt-get install docker-compose failed (output above)"
	fi
	rm -f "$apt_log"
	command -v docker-compose >/dev/null 2>&1 || die "docker-compose still not on PATH after install"
	log "installed: $(command -v docker-compose)"
}

ensure_docker_compose
# The passwords have no defaults (R-O7): the checks below render the file with stand-ins.
export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-check-only}" APP_DB_PASSWORD="${APP_DB_PASSWORD:-check-only}"
log "version: $(docker-compose version --short 2>/dev/null || docker-compose --version)"

log "running: JWT_JWKS_URL=<dummy> docker-compose -f $COMPOSE_FILE_PATH config -q"
JWT_JWKS_URL="${JWT_JWKS_URL:-https://idp.example/jwks.json}" \
	docker-compose -f "$COMPOSE_FILE_PATH" config -q || die "docker-compose rejected $COMPOSE_FILE_PATH"
log "ok: docker-compose accepts $COMPOSE_FILE_PATH"

log "services: $(JWT_JWKS_URL=https://idp.example/jwks.json docker-compose -f "$COMPOSE_FILE_PATH" config --services | sort | tr '\n' ' ')"

# --- 2. JWT_JWKS_URL is required ----------------------------------------------
log "running: docker-compose -f $COMPOSE_FILE_PATH config -q with JWT_JWKS_URL unset (must fail)"
if refusal="$(env -u JWT_JWKS_URL docker-compose -f "$COMPOSE_FILE_PATH" config -q 2>&1)"; then
	die "docker-compose accepted $COMPOSE_FILE_PATH without JWT_JWKS_URL"
fi
printf '%s\n' "$refusal" | grep -q JWT_JWKS_URL || die "unexpected refusal without JWT_JWKS_URL: $refusal"
log "ok: refused without JWT_JWKS_URL ($(printf '%s' "$refusal" | tr '\n' ' ' | tail -c 110))"

# --- 2b. The database passwords are required ---------------------------------
for var in POSTGRES_PASSWORD APP_DB_PASSWORD; do
	if refusal="$(env -u "$var" JWT_JWKS_URL=https://idp.example/jwks.json docker-compose -f "$COMPOSE_FILE_PATH" config -q 2>&1)"; then
		die "docker-compose accepted $COMPOSE_FILE_PATH without $var (a default password)"
	fi
	printf '%s\n' "$refusal" | grep -q "$var" || die "unexpected refusal without $var: $refusal"
	log "ok: refused without $var"
done

# --- 3. Compose v2 loader, Dockerfile parser --------------------------------
go_unavailable() {
	if [ "$CHECK_COMPOSE_V2" = 1 ]; then
		die "Go checks required (CHECK_COMPOSE_V2=1) but $*"
	fi
	log "SKIP compose v2 and Dockerfile checks: $*"
}

# Prints the path of the helper binary, building it when missing or stale.
build_go_helper() {
	local dir="${XDG_CACHE_HOME:-$HOME/.cache}/dibao-check-compose/compose-go-$COMPOSE_GO_VERSION-buildkit-$BUILDKIT_VERSION"
	mkdir -p "$dir"
	cat >"$dir/main.go.new" <<'EOF'
// compose FILE...: load compose files the way `docker compose config` does
// (schema validation, interpolation, consistency checks); list the services.
// dockerfile FILE: parse a Dockerfile with BuildKit's parser and linter.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func main() {
	if len(os.Args) < 3 {
		fail(fmt.Errorf("usage: %s compose|dockerfile FILE", os.Args[0]))
	}
	switch os.Args[1] {
	case "compose":
		compose(os.Args[2:])
	case "dockerfile":
		dockerfile(os.Args[2])
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}

func compose(files []string) {
	opts, err := cli.NewProjectOptions(files, cli.WithOsEnv, cli.WithName("dibao"))
	if err != nil {
		fail(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	for _, n := range names {
		s := project.Services[n]
		var deps []string
		for d, c := range s.DependsOn {
			deps = append(deps, d+":"+c.Condition)
		}
		sort.Strings(deps)
		fmt.Printf("  %-26s %-30s %s\n", n, s.Image, strings.Join(deps, " "))
	}
}

func dockerfile(path string) {
	f, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		fail(err)
	}
	problems := 0
	for _, w := range res.Warnings {
		fmt.Println("  warning:", w.Short)
		problems++
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, _ []parser.Range) {
		fmt.Printf("  lint %s: %s\n", rule, msg)
		problems++
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		fail(err)
	}
	for _, s := range stages {
		fmt.Printf("  stage %-10s FROM %s (%d instructions)\n", s.Name, s.BaseName, len(s.Commands))
	}
	if problems > 0 {
		fail(fmt.Errorf("%d warning(s) in %s", problems, path))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
EOF
	if [ -x "$dir/helper" ] && cmp -s "$dir/main.go.new" "$dir/main.go"; then
		rm -f "$dir/main.go.new"
		echo "$dir/helper"
		return
	fi
	mv "$dir/main.go.new" "$dir/main.go"
	rm -f "$dir/helper"
	log "building the Go helper (compose-go $COMPOSE_GO_VERSION, buildkit $BUILDKIT_VERSION) in $dir" >&2
	(
		cd "$dir" &&
			export GOTOOLCHAIN=local GOFLAGS=-mod=mod &&
			{ [ -f go.mod ] || go mod init dibao/check-compose >/dev/null 2>&1; } &&
			go get "github.com/compose-spec/compose-go/v2@$COMPOSE_GO_VERSION" \
				"github.com/moby/buildkit@$BUILDKIT_VERSION" >build.log 2>&1 &&
			go build -o helper . >>build.log 2>&1
	) || {
		tail -n 5 "$dir/build.log" >&2 || true
		return 1
	}
	echo "$dir/helper"
}

go_checks() {
	case "$CHECK_COMPOSE_V2" in 0 | false | no)
		log "SKIP compose v2 and Dockerfile checks (CHECK_COMPOSE_V2=$CHECK_COMPOSE_V2)"
		return
		;;
	esac
	if ! command -v go >/dev/null 2>&1; then
		go_unavailable "go is not installed"
		return
	fi
	local helper
	if ! helper="$(build_go_helper)"; then
		go_unavailable "could not fetch or build the Go helper (Go module proxy unreachable?)"
		return
	fi
	log "running: compose v2 loader (compose-go $COMPOSE_GO_VERSION) on $COMPOSE_FILE_PATH"
	JWT_JWKS_URL="${JWT_JWKS_URL:-https://idp.example/jwks.json}" "$helper" compose "$COMPOSE_FILE_PATH" ||
		die "the compose v2 loader rejected $COMPOSE_FILE_PATH"
	log "ok: the compose v2 loader accepts $COMPOSE_FILE_PATH"
	log "running: BuildKit parser and linter (buildkit $BUILDKIT_VERSION) on Dockerfile"
	"$helper" dockerfile Dockerfile || die "Dockerfile does not parse cleanly"
	log "ok: Dockerfile parses with no warnings"
}

go_checks

# --- 4. App services' environment vs config/env.ts ---------------------------
# The app validates its environment at start (zod schema in config/env.ts);
# run the rendered environment of migrate, worker and api through it, so a
# variable the app needs but the compose file lacks fails here, not at 3 a.m.
app_env_check() {
	if [ ! -x node_modules/.bin/tsx ] || [ ! -f config/env.ts ]; then
		log "SKIP app environment check: needs node_modules (npm install) and config/env.ts"
		return
	fi
	local work
	work="$(mktemp -d)"
	# Debian's docker-compose depends on python3-yaml, so /usr/bin/python3 has it.
	# R-O7: dummy payload keys, as for JWT_JWKS_URL (the compose file leaves them empty when unset).
	JWT_JWKS_URL="${JWT_JWKS_URL:-https://idp.example/jwks.json}" \
		PAYLOAD_KEYS="${PAYLOAD_KEYS:-check:Y2hlY2stY29tcG9zZS1kdW1teS1rZXktMDEyMzQ1Njc=}" PAYLOAD_KEY_ID="${PAYLOAD_KEY_ID:-check}" \
		ID_KEYS="${ID_KEYS:-check:Y2hlY2stY29tcG9zZS1kdW1teS1rZXktMDEyMzQ1Njc=}" ID_KEY_ID="${ID_KEY_ID:-check}" \
		docker-compose -f "$COMPOSE_FILE_PATH" config | /usr/bin/python3 -c '
import json, sys, yaml
services = yaml.safe_load(sys.stdin)["services"]
# `config` prints "$" escaped as "$$"; the containers see "$".
json.dump({name: {k: str(v).replace("$$", "$") for k, v in services[name]["environment"].items()}
           for name in ("migrate", "worker", "api")}, sys.stdout)
' >"$work/env.json" || die "could not render the app services' environment"
	cat >"$work/check.ts" <<EOF
import { readFileSync } from 'node:fs';
import { parseConfig } from '$PWD/config/env.ts';
const envs: Record<string, Record<string, string>> = JSON.parse(readFileSync('$work/env.json', 'utf8'));
let failed = false;
for (const [service, env] of Object.entries(envs)) {
  try {
    const c = parseConfig(env);
    console.log('  ' + service.padEnd(8) + ' NODE_ENV=' + c.NODE_ENV + ' TEMPORAL_ADDRESS=' + c.TEMPORAL_ADDRESS +
      ' HTTP_HOST=' + c.HTTP_HOST + ' HTTP_PORT=' + c.HTTP_PORT);
  } catch (err) {
    failed = true;
    console.error('  ' + service + ': ' + (err as Error).message);
  }
}
process.exit(failed ? 1 : 0);
EOF
	log "running: config/env.ts parseConfig on the environment of migrate, worker, api"
	if ! node_modules/.bin/tsx "$work/check.ts"; then
		rm -rf "$work"
		die "config/env.ts rejects the environment docker-compose.yml gives the app"
	fi
	rm -rf "$work"
	log "ok: config/env.ts accepts the app services' environment"
}

app_env_check

# --- 5. Scrape targets, search attributes --------------------------------------
scrape_check() {
	log "running: deploy/prometheus.yml targets against the services' metrics ports"
	JWT_JWKS_URL=https://idp.example/jwks.json docker-compose -f "$COMPOSE_FILE_PATH" config | /usr/bin/python3 -c '
import sys, yaml
services = yaml.safe_load(sys.stdin)["services"]
prom = yaml.safe_load(open("deploy/prometheus.yml"))
bad = []
def ports_of(name):
    env = {k: str(v) for k, v in (services[name].get("environment") or {}).items()}
    open_to_all = env.get("METRICS_HOST") == "0.0.0.0" or env.get("BIND_ON_IP") == "0.0.0.0"
    keys = ("API_METRICS_PORT", "WORKER_METRICS_PORT", "TEMPORAL_METRICS_PORT")
    return {env[k] for k in keys if k in env} if open_to_all else set()
targets = []
for job in prom["scrape_configs"]:
    for sd in job.get("dns_sd_configs", []):
        targets += [(job["job_name"], n, str(sd["port"])) for n in sd["names"]]
    for sc in job.get("static_configs", []):
        targets += [(job["job_name"],) + tuple(t.rsplit(":", 1)) for t in sc["targets"]]
for job, host, port in targets:
    if host not in services:
        bad.append(f"{job}: {host}:{port} is no service of the compose file")
    elif port not in ports_of(host):
        bad.append(f"{job}: {host} does not serve metrics on 0.0.0.0:{port} (it has {sorted(ports_of(host)) or 'none'})")
    else:
        print(f"  {job:9s} {host}:{port}")
if "prometheus" not in services:
    bad.append("no prometheus service mounts deploy/prometheus.yml")
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
' || die "deploy/prometheus.yml scrapes something the compose file does not serve"
	log "ok: every scrape target is served on the compose network"
	if [ ! -x node_modules/.bin/tsx ]; then
		log "SKIP search attribute check: needs node_modules"
		return
	fi
	local want have
	want="$(node_modules/.bin/tsx -e "import { searchAttributeFlags } from './workflows/contracts/search-attributes.ts';
const f = searchAttributeFlags(); const o = [];
for (let i = 1; i < f.length; i += 2) o.push(f[i].replace('=', ':'));
console.log(o.sort().join(' '));")"
	have="$(JWT_JWKS_URL=https://idp.example/jwks.json docker-compose -f "$COMPOSE_FILE_PATH" config | /usr/bin/python3 -c '
import sys, yaml
print(" ".join(sorted(yaml.safe_load(sys.stdin)["services"]["temporal-create-namespace"]["environment"]["SEARCH_ATTRIBUTES"].split())))')"
	[ "$want" = "$have" ] || die "SEARCH_ATTRIBUTES ($have) differ from workflows/contracts/search-attributes.ts ($want)"
	log "ok: the namespace job registers the workflows' search attributes"
}

scrape_check

log "all checks passed in ${SECONDS}s"
