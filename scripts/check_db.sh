#!/usr/bin/env bash
# Check that PostgreSQL answers a trivial query. Read-only: it never changes anything.
# Prints "status=ok" or "status=down reason=..." so runbooks can capture the result.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: check_db.sh [--host HOST] [--port PORT] [--user USER] [--timeout SECONDS]

Runs `SELECT 1` against PostgreSQL and prints status=ok or status=down.
Exit codes: 0 the database answered, 1 it did not, 2 usage error or psql missing.

  --host HOST        database host (default: localhost, or $PGHOST)
  --port PORT        database port (default: 5432, or $PGPORT)
  --user USER        database user (default: postgres, or $PGUSER)
  --timeout SECONDS  connection timeout (default: 5)
  -h, --help         show this help
USAGE
}

host="${PGHOST:-localhost}"
port="${PGPORT:-5432}"
user="${PGUSER:-postgres}"
timeout=5

while [ $# -gt 0 ]; do
    case "$1" in
        --host) host="${2:?--host needs a value}"; shift 2 ;;
        --port) port="${2:?--port needs a value}"; shift 2 ;;
        --user) user="${2:?--user needs a value}"; shift 2 ;;
        --timeout) timeout="${2:?--timeout needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "check_db.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if ! command -v psql >/dev/null 2>&1; then
    echo "status=unknown reason=psql-not-installed"
    exit 2
fi

echo "checking postgresql at ${host}:${port} as ${user}"
if output=$(PGCONNECT_TIMEOUT="$timeout" psql -h "$host" -p "$port" -U "$user" -Atc 'SELECT 1' 2>&1); then
    echo "status=ok"
    exit 0
fi
reason=$(printf '%s' "$output" | head -n 1 | tr ' ' '-')
echo "status=down reason=${reason}"
exit 1
