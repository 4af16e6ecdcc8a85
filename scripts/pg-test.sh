#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Runs a command against a throwaway PostgreSQL cluster:
#   bash scripts/pg-test.sh CMD [ARGS...]
# When PostgreSQL's server binaries are installed (bootstrap.sh --test), it
# initdb's a cluster as the postgres user in a temporary folder, starts it on
# a free loopback port (unix socket in the same folder), creates the database
# `kommute_test` owned by the non-superuser role `kommute`, exports
# KMT_TEST_PG=<conninfo> and runs CMD. The cluster is always stopped and
# removed afterwards (trap), whatever CMD's outcome. Without PostgreSQL, CMD
# runs with KMT_TEST_PG unset (the PostgreSQL tests then skip with a reason).
# The exit code is CMD's.
set -uo pipefail

bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
if [ -z "$bindir" ] || ! id postgres >/dev/null 2>&1; then
  echo "pg-test: no PostgreSQL server installed (bash scripts/bootstrap.sh --test); PostgreSQL tests skip" >&2
  unset KMT_TEST_PG
  exec "$@"
fi

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

dir="$(mktemp -d /tmp/kommute-pg-XXXXXX)"
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
cleanup() {
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# a free port: ask the kernel for one
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null)"
[ -n "$port" ] || port=$((20000 + RANDOM % 20000))

if ! as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2; echo "pg-test: initdb failed" >&2; exit 1
fi
# tests need no durability (fsync off: faster on a shared disk); benchmarks ask for
# the defaults with KMT_PG_DURABLE=1
fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${KMT_PG_DURABLE:-}" = "1" ] && fast=""
if ! as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
     -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $fast" start >/dev/null; then
  cat "$dir/server.log" >&2; echo "pg-test: the server did not start" >&2; exit 1
fi
psql_() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$@"; }
psql_ -d postgres -c "CREATE ROLE kommute LOGIN PASSWORD 'kommute' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS" \
  -c "CREATE DATABASE kommute_test OWNER kommute" >/dev/null || { echo "pg-test: setup failed" >&2; exit 1; }
export KMT_TEST_PG="host=127.0.0.1 port=$port dbname=kommute_test user=kommute password=kommute"
# the postmaster's pid (bench/import.c reads its children's CPU time)
export KMT_BENCH_PG_PID="$(head -1 "$dir/data/postmaster.pid")"
# the superuser conninfo, for tests that need to act as an administrator (RLS checks)
export KMT_TEST_PG_ADMIN="host=$dir port=$port dbname=kommute_test user=postgres"
echo "pg-test: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
"$@"
