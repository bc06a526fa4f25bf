#!/usr/bin/env bash
# Installs what the project needs and is missing: npm packages, the Temporal CLI (dev server),
# the Java time-skipping test server, PostgreSQL, schemathesis (API fuzzer), Chromium (the dashboard's
# browser test), the notices' CJK font and poppler's PDF tools, the real Temporal server (the cluster).
# Every step prints what it does, is skipped when its result is already there, and stops with a message
# saying what failed and how to fix it.
# Usage: scripts/install.sh [npm] [temporal] [temporal-server] [testserver] [postgres] [schemathesis] [chromium] [documents] [compose]
#        (default: all but temporal-server and compose; the cluster and its test pass ask for temporal-server)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
TEMPORAL_CLI_VERSION=1.5.1
TESTSERVER_POM="$ROOT/scripts/testserver/pom.xml"
SCHEMATHESIS_VERSION=4.32.5
# The Temporal server of the clustered topology (scripts/stack.ts cluster): docker-compose.yml's tag
# first, then the nearest others, in case a tag does not build here with this Go toolchain.
TEMPORAL_SERVER_VERSIONS="1.31.2 1.31.5 1.32.2 1.30.9 1.29.1"

say() { printf '[install] %s\n' "$*"; }
fail() { printf '[install] FAILED: %s\n[install] fix: %s\n' "$1" "$2" >&2; exit 1; }
timed() { local t0=$SECONDS rc=0; "$@" || rc=$?; say "  took $((SECONDS - t0)) s"; return $rc; }
# Fingerprint of a file, so a changed lockfile or pom re-runs its step.
stamp_of() { sha256sum "$1" | cut -c1-16; }

step_npm() {
  local want; want=$(stamp_of package-lock.json)
  if [ -f node_modules/.install-stamp ] && [ "$(cat node_modules/.install-stamp)" = "$want" ]; then
    say "npm packages: up to date (skipped)"; return
  fi
  command -v npm >/dev/null || fail "npm not found" "install Node.js 20 with npm"
  # npm ci refuses this lockfile: the registry served here lacks the other platforms' optional
  # binaries (@swc/core-darwin-*, @biomejs/cli-win32-*), so they have no lock entries. npm install
  # with the committed lockfile installs the same pinned tree.
  say "npm packages: npm install (from package-lock.json)"
  timed npm install --no-audit --no-fund --loglevel=error \
    || fail "npm ci" "check the npm registry is reachable (npm config get registry) and package-lock.json is committed"
  stamp_of package-lock.json > node_modules/.install-stamp
}

step_temporal() {
  local bin="$TOOLS/bin/temporal"
  # go install leaves the version unset (0.0.0-DEV), so a stamp file records which tag was built.
  if [ -x "$bin" ] && [ "$(cat "$TOOLS/bin/.temporal-version" 2>/dev/null)" = "$TEMPORAL_CLI_VERSION" ]; then
    say "Temporal CLI $TEMPORAL_CLI_VERSION: present (skipped)"; return
  fi
  command -v go >/dev/null || fail "go not found" "install Go (1.23+) to build the Temporal CLI"
  say "Temporal CLI $TEMPORAL_CLI_VERSION: go install into .tools/bin (a few minutes the first time)"
  mkdir -p "$TOOLS/bin"
  # Later CLI tags carry a replace directive and cannot be go-installed; v1.5.1 can.
  timed env GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" \
    || fail "go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" \
            "check the Go module proxy is reachable (go env GOPROXY) and there is disk space"
  echo "$TEMPORAL_CLI_VERSION" > "$TOOLS/bin/.temporal-version"
}

# temporal-server and temporal-sql-tool into .tools/temporal-server/bin, and the Postgres schema
# files of the same module into .tools/temporal-server/schema. The stamp names the version built.
step_temporal-server() {
  local dir="$TOOLS/temporal-server" v built=""
  if [ -x "$dir/bin/temporal-server" ] && [ -x "$dir/bin/temporal-sql-tool" ] && [ -d "$dir/schema/postgresql/v12" ]; then
    built=$(cat "$dir/.version" 2>/dev/null || true)
    for v in $TEMPORAL_SERVER_VERSIONS; do
      [ "$built" = "$v" ] && { say "Temporal server $v: present (skipped)"; return; }
    done
  fi
  command -v go >/dev/null || fail "go not found" "install Go (1.23+) to build the Temporal server"
  rm -rf "$dir.new"; mkdir -p "$dir.new/bin"
  for v in $TEMPORAL_SERVER_VERSIONS; do
    say "Temporal server $v: go install server and tools/sql into .tools/temporal-server (about 4 minutes, niced)"
    if timed nice -n 10 env GOBIN="$dir.new/bin" GOFLAGS=-mod=mod go install \
        "go.temporal.io/server/cmd/server@v$v" "go.temporal.io/server/cmd/tools/sql@v$v"; then
      built=$v; break
    fi
    say "  v$v did not build; trying the next version"
  done
  [ -n "$built" ] || fail "go install go.temporal.io/server/cmd/server (tried $TEMPORAL_SERVER_VERSIONS)" \
    "check the Go module proxy is reachable (go env GOPROXY), the Go version (go version) and disk space"
  mv "$dir.new/bin/server" "$dir.new/bin/temporal-server"
  mv "$dir.new/bin/sql" "$dir.new/bin/temporal-sql-tool"
  cp -r "$(go env GOMODCACHE)/go.temporal.io/server@v$built/schema" "$dir.new/schema"
  chmod -R u+w "$dir.new/schema"
  echo "$built" > "$dir.new/.version"
  rm -rf "$dir"; mv "$dir.new" "$dir"
  say "Temporal server $built: built ($(du -sh "$dir/bin" | cut -f1) of binaries)"
}

step_testserver() {
  local lib="$TOOLS/testserver/lib" want; want=$(stamp_of "$TESTSERVER_POM")
  if [ -f "$lib/.stamp" ] && [ "$(cat "$lib/.stamp")" = "$want" ]; then
    say "Temporal time-skipping test server: present (skipped)"; return
  fi
  command -v mvn >/dev/null || fail "mvn not found" "install Maven and Java 17"
  command -v java >/dev/null || fail "java not found" "install Java 17"
  say "Temporal time-skipping test server: resolving io.temporal:temporal-test-server with Maven"
  rm -rf "$lib"; mkdir -p "$lib"
  timed mvn -q -B -f "$TESTSERVER_POM" dependency:copy-dependencies -DoutputDirectory="$lib" -DincludeScope=runtime \
    || fail "mvn dependency:copy-dependencies (temporal-test-server)" "check Maven Central is reachable (mvn -v, ~/.m2/settings.xml)"
  echo "$want" > "$lib/.stamp"
}

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

step_postgres() {
  if [ -n "$(pg_bindir)" ] && [ -x "$(pg_bindir)/initdb" ] && [ -x "$(pg_bindir)/postgres" ]; then
    say "PostgreSQL server: $(pg_bindir) (skipped)"; return
  fi
  say "PostgreSQL server: apt-get install postgresql"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  timed bash -c "$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null" \
    || fail "apt-get install postgresql" "run it by hand as root and read apt's message"
  # Debian's package starts its own cluster on 5432; the project runs a private one and does not need it.
  [ -n "$(pg_bindir)" ] || fail "PostgreSQL binaries not found after install" "look under /usr/lib/postgresql"
}

# R-A7, R-M9: the printed notices embed Noto Serif CJK (Debian's fonts-noto-cjk; the API reads it from
# NOTICE_FONT_DIR); the tests read the PDFs back with pdftotext and render them with pdftoppm.
NOTO_CJK_DIR=/usr/share/fonts/opentype/noto
step_documents() {
  if [ -f "$NOTO_CJK_DIR/NotoSerifCJK-Regular.ttc" ] && [ -f "$NOTO_CJK_DIR/NotoSerifCJK-Bold.ttc" ] \
     && command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then
    say "CJK font and PDF tools: fonts-noto-cjk, poppler-utils present (skipped)"; return
  fi
  say "CJK font and PDF tools: apt-get install fonts-noto-cjk poppler-utils"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  timed bash -c "$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends fonts-noto-cjk poppler-utils >/dev/null" \
    || fail "apt-get install fonts-noto-cjk poppler-utils" "run it by hand as root and read apt's message"
  [ -f "$NOTO_CJK_DIR/NotoSerifCJK-Regular.ttc" ] || fail "Noto Serif CJK not found after install" "look under /usr/share/fonts"
}

step_compose() {
  if command -v docker-compose >/dev/null; then say "docker-compose: present (skipped)"; return; fi
  say "docker-compose: apt-get install docker-compose (only to validate docker-compose.yml)"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  timed bash -c "$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >/dev/null" \
    || fail "apt-get install docker-compose" "run it by hand as root and read apt's message"
}

# The dashboard's browser test drives Debian's Chromium through playwright-core (never a browser
# download of Playwright's own).
step_chromium() {
  if [ -x /usr/bin/chromium ]; then say "Chromium: /usr/bin/chromium (skipped)"; return; fi
  say "Chromium: apt-get install chromium fonts-wqy-zenhei (a Chinese font for the page)"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  timed bash -c "$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium fonts-wqy-zenhei >/dev/null" \
    || fail "apt-get install chromium" "run it by hand as root and read apt's message"
  [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium not found after install" "dpkg -L chromium"
}

step_schemathesis() {
  local venv="$TOOLS/venv"
  # The stamp names the pinned version, so a bump of SCHEMATHESIS_VERSION re-runs pip.
  # It must also run: a venv moved or copied from another directory keeps scripts pointing at the old one.
  if "$venv/bin/schemathesis" --version >/dev/null 2>&1 \
    && [ "$(cat "$venv/.schemathesis-version" 2>/dev/null)" = "$SCHEMATHESIS_VERSION" ]; then
    say "schemathesis $SCHEMATHESIS_VERSION: present (skipped)"; return
  fi
  # A venv that does not run is made again.
  [ -x "$venv/bin/python" ] && ! "$venv/bin/python" -c '' 2>/dev/null && rm -rf "$venv"
  [ -e "$venv/bin/schemathesis" ] && ! "$venv/bin/schemathesis" --version >/dev/null 2>&1 && rm -rf "$venv"
  command -v python3 >/dev/null || fail "python3 not found" "install Python 3.10+ with the venv module"
  say "schemathesis $SCHEMATHESIS_VERSION: pip install into .tools/venv"
  [ -x "$venv/bin/python" ] || timed python3 -m venv "$venv" \
    || fail "python3 -m venv $venv" "install the venv module (Debian: apt-get install python3-venv)"
  timed "$venv/bin/python" -m pip install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
    || fail "pip install schemathesis==$SCHEMATHESIS_VERSION" "check PyPI is reachable (pip config list) and there is disk space"
  echo "$SCHEMATHESIS_VERSION" > "$venv/.schemathesis-version"
}

steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(npm temporal testserver postgres schemathesis chromium documents)
for s in "${steps[@]}"; do "step_$s"; done
