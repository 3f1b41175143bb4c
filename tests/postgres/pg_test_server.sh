#!/usr/bin/env bash
# Starts and stops the PostgreSQL server Retort's test suite runs against: a fresh
# cluster (initdb) per ctest run, a unix socket and a free TCP port on 127.0.0.1,
# password (SCRAM) authentication over TCP and trust on the socket, run as the
# `postgres` OS user when the suite runs as root. CTest calls it through the
# fixture tests PostgresFixture.cmake adds; it can be run by hand too.
#
#   pg_test_server.sh start <state-dir> [<postgres-bin-dir>]
#   pg_test_server.sh stop  <state-dir> [<postgres-bin-dir>]
#   pg_test_server.sh url   <state-dir>          # prints the URL tests use
#   pg_test_server.sh createdb <state-dir> <name> # creates a database, prints its URL
#   pg_test_server.sh dropdb   <state-dir> <name> # drops it (WITH (FORCE))
#   pg_test_server.sh exec <state-dir> <name> <command> [<arg>...]
#        runs the command with every @PGURL@ in its arguments replaced by the URL of
#        database <name> on the server (CTest cases whose URL is known only when
#        the fixture has started the server: the round trips of the example)
#
# <state-dir>/url holds the URL tests connect to (user retort_test, a random
# password, database postgres, which is only used to create each test's own
# database); <state-dir>/socket-url the same server through its socket;
# <state-dir>/server.log the server's log once stopped. When RETORT_TEST_POSTGRES_URL
# is set, start writes it to <state-dir>/url and starts nothing, and stop does nothing.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|url <state-dir> [<postgres-bin-dir>]" >&2
  echo "       $0 createdb|dropdb <state-dir> <name>" >&2
  echo "       $0 exec <state-dir> <name> <command> [<arg>...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
command=$1
state=$2
bindir=${3:-}

mkdir -p "$state"
state=$(cd "$state" && pwd)

if [ "$command" = url ]; then
  cat "$state/url"
  exit 0
fi

# The server URL with its database replaced (the URL ends in /<database>[?query]).
url_for() {
  local server base query
  server=${RETORT_TEST_POSTGRES_URL:-$(cat "$state/url")}
  base=${server%%\?*}
  query=${server#"$base"}
  echo "${base%/*}/$1$query"
}

if [ "$command" = exec ]; then
  name=${3:?a database name}
  shift 3
  [ $# -ge 1 ] || usage
  args=()
  url=""
  for arg in "$@"; do
    if [[ "$arg" == *@PGURL@* ]]; then
      # Read only when needed: listing the tests at build time needs no server.
      [ -n "$url" ] || url=$(url_for "$name")
      arg=${arg//@PGURL@/$url}
    fi
    args+=("$arg")
  done
  exec "${args[@]}"
fi

# createdb / dropdb: for tests that drive the CLI, each with a database of its own.
if [ "$command" = createdb ] || [ "$command" = dropdb ]; then
  name=${3:?a database name}
  server=${RETORT_TEST_POSTGRES_URL:-$(cat "$state/url")}
  psql=psql
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
    [ -x "$d/psql" ] && psql="$d/psql" && break
  done
  if [ "$command" = createdb ]; then
    "$psql" -X -q -v ON_ERROR_STOP=1 -d "$server" -c "CREATE DATABASE \"$name\"" >/dev/null
    url_for "$name"
  else
    "$psql" -X -q -d "$server" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
  fi
  exit 0
fi

if [ -n "${RETORT_TEST_POSTGRES_URL:-}" ]; then
  if [ "$command" = start ]; then
    printf '%s\n' "$RETORT_TEST_POSTGRES_URL" >"$state/url"
    rm -f "$state/socket-url"
    echo "pg_test_server: using the external server given by RETORT_TEST_POSTGRES_URL"
  fi
  exit 0
fi

find_bindir() {
  if [ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ]; then
    echo "$bindir"
    return
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then
      echo "$d"
      return
    fi
  done
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  echo "pg_test_server: no PostgreSQL server programs (initdb, pg_ctl) found; install the server" \
    "(Debian: apt-get install postgresql) or point the tests at a server with RETORT_TEST_POSTGRES_URL" >&2
  exit 1
}

# The server refuses to run as root: as root, run it (and initdb) as `postgres`.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

stop_server() {
  local dir
  [ -f "$state/server-dir" ] || return 0
  dir=$(cat "$state/server-dir")
  if [ -f "$dir/data/postmaster.pid" ]; then
    local bin
    bin=$(find_bindir)
    as_server_user "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null 2>&1 ||
      as_server_user "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
  fi
  [ -f "$dir/server.log" ] && cp "$dir/server.log" "$state/server.log" 2>/dev/null || true
  rm -rf "$dir"
  rm -f "$state/server-dir" "$state/url" "$state/socket-url"
}

case "$command" in
stop)
  if [ -f "$state/server-dir" ]; then
    stop_server
    echo "pg_test_server: stopped (log: $state/server.log)"
  else
    echo "pg_test_server: no server to stop"
  fi
  exit 0
  ;;
start) ;;
*) usage ;;
esac

bin=$(find_bindir)
stop_server # a server left behind by an interrupted run

# The cluster lives in the build tree when the server user can use it there and the
# socket path fits in sun_path (107 bytes); otherwise in a private directory in /tmp.
dir="$state/server"
socket_suffix="/socket/.s.PGSQL.65535"
socket_ok=$(( ${#dir} + ${#socket_suffix} < 100 ))
mkdir -p "$dir"
usable=1
if [ "$socket_ok" -ne 1 ]; then
  usable=0
elif [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir" 2>/dev/null || usable=0
  [ "$usable" -eq 1 ] && as_server_user test -w "$dir" || usable=0
fi
if [ "$usable" -ne 1 ]; then
  rm -rf "$dir"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/retort-pg.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
fi
echo "$dir" >"$state/server-dir"
mkdir -p "$dir/socket"
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir/socket"

password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" >"$dir/pwfile"
chmod 600 "$dir/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pwfile"

if ! as_server_user "$bin/initdb" -D "$dir/data" -U retort_test --pwfile="$dir/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
  echo "pg_test_server: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
rm -f "$dir/pwfile"

# A free port: try random ones until the server binds one.
started=0
for attempt in $(seq 1 20); do
  port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  : >"$dir/server.log"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/server.log"
  if as_server_user "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB" \
    >/dev/null 2>&1; then
    started=1
    break
  fi
  if ! grep -q -e "could not bind" -e "Address already in use" -e "could not create lock file" "$dir/server.log"; then
    break
  fi
done
if [ "$started" -ne 1 ]; then
  echo "pg_test_server: the server did not start; its log:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

printf 'postgresql://retort_test:%s@127.0.0.1:%s/postgres\n' "$password" "$port" >"$state/url"
printf 'postgresql://retort_test@/postgres?host=%s&port=%s\n' "$dir/socket" "$port" >"$state/socket-url"
chmod 600 "$state/url"
version=$("$bin/postgres" --version 2>/dev/null || echo PostgreSQL)
echo "pg_test_server: $version listening on 127.0.0.1:$port and in $dir/socket (cluster in $dir/data)"
