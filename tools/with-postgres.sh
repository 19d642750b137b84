#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster that exists only for that command:
#   tools/with-postgres.sh npx vitest run
# The cluster lives in a temp folder, listens on a free loopback port, and is stopped and
# deleted however the command ends. The command sees TEST_DATABASE_URL (a superuser URL on
# the `postgres` database; tests create their own databases from it).
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 64
fi

find_pg_bin() {
  local candidate
  for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

PG_BIN="$(find_pg_bin || true)"
if [[ -z "$PG_BIN" ]]; then
  if [[ "$(id -u)" -eq 0 && "${CI:-}" == "true" ]]; then
    echo "with-postgres: PostgreSQL not found; installing it (CI, running as root)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    PG_BIN="$(find_pg_bin)"
  else
    echo "with-postgres: PostgreSQL server binaries (initdb, pg_ctl) were not found." >&2
    echo "  Install them, e.g. 'sudo apt-get install -y postgresql', then run this again." >&2
    exit 69
  fi
fi

# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
as_cluster_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

CLUSTER_DIR="$(mktemp -d -t with-postgres.XXXXXX)"
[[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$CLUSTER_DIR"
PORT="$(free_port)"
DATA_DIR="$CLUSTER_DIR/data"
STARTED=0

cleanup() {
  local status=$?
  if [[ "$STARTED" -eq 1 ]]; then
    as_cluster_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$CLUSTER_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_cluster_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  >"$CLUSTER_DIR/initdb.log" 2>&1 || { cat "$CLUSTER_DIR/initdb.log" >&2; exit 1; }
# fsync off: the cluster is thrown away, so durability only costs time here.
as_cluster_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$CLUSTER_DIR/server.log" -w -t 30 \
  -o "-p $PORT -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$CLUSTER_DIR/server.log" >&2; exit 1; }
STARTED=1

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
# The same server's Unix socket directory (DATABASE_URL can name it with ?host=, see db/).
export TEST_DATABASE_SOCKET_DIR="$CLUSTER_DIR"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PORT" >&2
"$@"
