# Sourced by .ci/run: a throwaway PostgreSQL cluster on loopback for the test run.
# Installs PostgreSQL from Debian's packages if it is missing, initdb's into a temporary
# folder (as the postgres user when run as root: PostgreSQL refuses to run as root),
# starts it on a free port on 127.0.0.1, exports PIERPOINT_TEST_POSTGRES_URL for the
# tests, and stops and deletes it when the shell exits.

# The server's folder (with initdb), not just the client's: psql alone installs /usr/lib/postgresql/N/bin too.
pg_bin() { for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && echo "$d"; done | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ]; then
    echo "ci: installing PostgreSQL from Debian's packages" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi
PG_BIN="$(pg_bin)"
PG_DIR="$(mktemp -d /tmp/pierpoint-ci-pg.XXXXXX)"
PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U pierpoint -A trust --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; exit 1; }
stop_postgres() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PG_DIR"; }
trap stop_postgres EXIT
export PIERPOINT_TEST_POSTGRES_URL="postgresql://pierpoint@127.0.0.1:$PG_PORT/postgres"
echo "ci: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT for the tests" >&2
