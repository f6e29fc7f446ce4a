#!/usr/bin/env bash
# Provides Temporal's own server (the one production runs, here on PostgreSQL) without downloads at run time:
#   TEMPORAL_SERVER      temporal-server, built from go.temporal.io/server/cmd/server
#   TEMPORAL_SQL_TOOL    temporal-sql-tool, which creates and migrates its databases
#   TEMPORAL_SCHEMA      the module's schema/postgresql/v12 (temporal/ and visibility/, each with versioned/)
# Built once with `go install` (about 6 minutes on 2 cores; the Go module proxy is the only source) into a
# cache outside the clone, so every clone and CI run on a machine reuses it. Prints KEY=VALUE lines on stdout
# (and writes them to $CACHE/cluster.env); progress goes to stderr.
set -euo pipefail

VERSION="v1.29.1"   # pinned: the schema and temporal-cluster/server.yaml are for this release
CACHE="${DUBAN_TEMPORAL_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/duban/temporal-server-${VERSION#v}}"

log() { echo "[temporal-cluster] $*" >&2; }

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return 0; fi
  local g
  for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do [ -x "$g" ] && { echo "$g"; return 0; }; done
  return 1
}

SERVER="$CACHE/bin/server"
SQL_TOOL="$CACHE/bin/sql"
SCHEMA="$CACHE/schema/postgresql/v12"

if [ ! -x "$SERVER" ] || [ ! -x "$SQL_TOOL" ] || [ ! -f "$SCHEMA/temporal/schema.sql" ]; then
  GO="$(find_go)" || { log "Go is needed once to build Temporal's server: install it (https://go.dev/dl) or put it on PATH"; exit 2; }
  mkdir -p "$CACHE/bin"
  # Its own module cache: the schema is read from it, and `go clean -modcache` elsewhere cannot take it away.
  export GOMODCACHE="$CACHE/gomod" GOBIN="$CACHE/bin" GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
  log "building go.temporal.io/server@$VERSION with $("$GO" version) (once; about 6 minutes) into $CACHE"
  "$GO" install "go.temporal.io/server/cmd/server@$VERSION" "go.temporal.io/server/cmd/tools/sql@$VERSION" >&2
  src="$("$GO" env GOMODCACHE)/go.temporal.io/server@$VERSION/schema/postgresql/v12"
  [ -f "$src/temporal/schema.sql" ] || { log "the module has no schema at $src"; exit 1; }
  rm -rf "$CACHE/schema/postgresql"
  mkdir -p "$CACHE/schema/postgresql"
  cp -R "$src" "$SCHEMA"
  chmod -R u+w "$CACHE/schema"
fi

"$SERVER" --help >/dev/null 2>&1 || { log "$SERVER does not run; remove $CACHE to build again"; exit 1; }
{
  echo "TEMPORAL_SERVER=$SERVER"
  echo "TEMPORAL_SQL_TOOL=$SQL_TOOL"
  echo "TEMPORAL_SCHEMA=$SCHEMA"
} | tee "$CACHE/cluster.env"
