#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL: initdb into a temporary folder (as an unprivileged
# user when run as root), a random port on 127.0.0.1, stopped and removed when the command ends.
# The command finds the server in CYBERCENTER_TEST_PG (an admin URL: tests create a database of
# their own on it) and can restart it with CYBERCENTER_TEST_PG_RESTART (a command line).
#
#   scripts/with-postgres.sh cargo test -p server --test '*'
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    echo "with-postgres: no PostgreSQL server under /usr/lib/postgresql (scripts/install-tools.sh installs Debian's postgresql)" >&2
    exit 1
fi

dir=$(mktemp -d /tmp/cybercenter-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root
    id -u cybercenter-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin cybercenter-pg
    chown cybercenter-pg "$dir"
    as_owner=(runuser -u cybercenter-pg --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -U cybercenter --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
# a throwaway cluster: no fsync (benchmarks set PG_SETTINGS, e.g. "-c synchronous_commit=off" for
# durable writes with SQLite's WAL/NORMAL trade-off); enough connections for tests in parallel
settings=${PG_SETTINGS:-"-c fsync=off -c synchronous_commit=off -c full_page_writes=off"}
options="-h 127.0.0.1 -p $port -k $dir $settings -c max_connections=400"
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$options" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }

export CYBERCENTER_TEST_PG="postgres://cybercenter@127.0.0.1:$port/postgres"
export CYBERCENTER_TEST_PG_RESTART="${as_owner[*]} $pgbin/pg_ctl -D $dir/data -l $dir/server.log -w -m fast -o '$options' restart"
echo "with-postgres: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
