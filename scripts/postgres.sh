#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and trials, in a directory of its own:
#   scripts/postgres.sh start [DIR]   initdb + pg_ctl start on a free port of 127.0.0.1 (trust auth);
#                                     prints PGURL=postgres://USER@127.0.0.1:PORT/postgres, PGDIR=DIR, PGPORT=PORT
#   scripts/postgres.sh stop DIR      stops that cluster and removes DIR
#   scripts/postgres.sh halt DIR      pg_ctl stop -m fast, keeping DIR (a database outage in a fault test)
#   scripts/postgres.sh resume DIR    starts a halted cluster again on the port it had
# Uses the machine's PostgreSQL (Debian's postgresql package: /usr/lib/postgresql/NN/bin); PG_BIN overrides.
# initdb refuses to run as root, so as root the cluster belongs to an unprivileged user (postgres, else nobody).
set -euo pipefail

log() { echo "[postgres] $*" >&2; }

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return 0; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return 0; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

owner() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  local user="$1"; shift
  if [ "$(id -u)" != 0 ]; then "$@"; return; fi
  if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"; else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"; fi
}

# Starts the cluster in DIR on PORT (the server's settings in one place, for start and resume).
serve() {
  local bin="$1" user="$2" dir="$3" port="$4"
  # Throwaway data: durability settings off make each test's CREATE DATABASE and commits fast.
  as_owner "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null 2>&1
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

start() {
  local bin dir user port
  bin="$(find_bin)" || { log "initdb not found: install PostgreSQL (apt-get install postgresql) or set PG_BIN"; exit 2; }
  dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/duban-pg.XXXXXX")}"
  mkdir -p "$dir"
  user="$(owner)"
  # The owner must reach the directory: a mktemp directory is 0700 root's.
  chmod 0755 "$dir"
  [ "$(id -u)" = 0 ] && chown "$user" "$dir"
  as_owner "$user" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 1; }
  local tries=0
  while :; do
    port="$(free_port)"
    if serve "$bin" "$user" "$dir" "$port"; then break; fi
    tries=$((tries + 1))
    if [ "$tries" -ge 3 ]; then cat "$dir/server.log" >&2 || true; log "pg_ctl start failed"; exit 1; fi
  done
  echo "$port" >"$dir/port"
  echo "PGURL=postgres://$user@127.0.0.1:$port/postgres"
  echo "PGDIR=$dir"
  echo "PGPORT=$port"
}

stop() {
  local dir="${1:?usage: postgres.sh stop DIR}" bin user
  bin="$(find_bin)" || exit 2
  user="$(owner)"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

halt() {
  local dir="${1:?usage: postgres.sh halt DIR}" bin
  bin="$(find_bin)" || exit 2
  as_owner "$(owner)" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

resume() {
  local dir="${1:?usage: postgres.sh resume DIR}" bin
  bin="$(find_bin)" || exit 2
  serve "$bin" "$(owner)" "$dir" "$(cat "$dir/port")" || { cat "$dir/server.log" >&2 || true; log "pg_ctl start failed"; exit 1; }
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  halt) shift; halt "$@" ;;
  resume) shift; resume "$@" ;;
  *) echo "usage: $0 start [DIR] | stop DIR | halt DIR | resume DIR" >&2; exit 64 ;;
esac
