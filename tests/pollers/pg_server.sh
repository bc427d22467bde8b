# A private PostgreSQL 15 server for one test, sourced by tests/pollers/history_pg.
# pg_start DIR: initdb in DIR (owned by an unprivileged user when run as root),
# password authentication only (scram-sha-256), listening on a Unix socket in
# DIR/sock and nowhere else. Sets PG_URL (no password in it), PG_PASSWORD,
# PG_PASSFILE (a .pgpass-style file, 0600), PG_SOCK. pg_stop stops it.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_as() { # run as the server's owner
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

pg_start() {
    PG_DIR=$1
    PG_SOCK=$PG_DIR/run   # the socket and the server log, owned by the server
    PG_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    mkdir -p "$PG_DIR/data" "$PG_SOCK"
    printf '%s\n' "$PG_PASSWORD" > "$PG_DIR/pw"
    [ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$PG_DIR/data" "$PG_SOCK" "$PG_DIR/pw" && chmod 0711 "$PG_DIR" "$(dirname "$PG_DIR")"
    pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U eraudit --auth=scram-sha-256 --pwfile="$PG_DIR/pw" -E UTF8 \
        --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
    rm -f "$PG_DIR/pw"
    pg_run_server || return 1
    PG_PASSFILE=$PG_DIR/pgpass
    printf '*:*:*:eraudit:%s\n' "$PG_PASSWORD" > "$PG_PASSFILE"
    chmod 0600 "$PG_PASSFILE"
    PG_URL="postgresql:///postgres?host=$PG_SOCK&user=eraudit"
}

pg_run_server() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_SOCK/server.log" -w -t 60 \
        -o "-c listen_addresses= -k $PG_SOCK -c fsync=off -c max_connections=40" start >/dev/null ||
        { cat "$PG_SOCK/server.log"; return 1; }
}

pg_stop() { # pg_stop [MODE]
    [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] &&
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "${1:-fast}" -w stop >/dev/null 2>&1
    return 0
}

pg_sql() { # pg_sql [DB] SQL: one value a line, as the test's user with the passfile
    local db=postgres
    [ $# = 2 ] && { db=$1; shift; }
    PGPASSFILE=$PG_PASSFILE psql -X -q -A -t -h "$PG_SOCK" -U eraudit -d "$db" -v ON_ERROR_STOP=1 -c "$1"
}
