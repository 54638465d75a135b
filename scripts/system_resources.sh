#!/usr/bin/env bash
# Print CPU load, memory, disk space and database connection counts for this host.
# Read-only: it only looks.
set -uo pipefail

usage() {
    cat <<'USAGE'
Usage: system_resources.sh [--db-host HOST] [--disk PATH]

Prints one "name=value" line per resource and a short warning for each resource
near its limit (load above the CPU count, memory or disk above 90%).
Exit codes: 0 printed, 2 usage error.

  --db-host HOST   also count PostgreSQL connections on HOST (needs psql)
  --disk PATH      file system to report (default: /)
  -h, --help       show this help
USAGE
}

db_host=""
disk="/"
while [ $# -gt 0 ]; do
    case "$1" in
        --db-host) db_host="${2:?--db-host needs a value}"; shift 2 ;;
        --disk) disk="${2:?--disk needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "system_resources.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo unknown)
echo "cpus=${cpus} load1=${load}"
if [ "$load" != unknown ] && awk -v l="$load" -v c="$cpus" 'BEGIN { exit !(l > c) }'; then
    echo "warning: load is above the CPU count"
fi

if [ -r /proc/meminfo ]; then
    mem_used=$(awk '/^MemTotal:/ {t=$2} /^MemAvailable:/ {a=$2} END { if (t) printf "%d", (t - a) * 100 / t }' /proc/meminfo)
    echo "memory_used_percent=${mem_used}"
    [ "${mem_used:-0}" -gt 90 ] && echo "warning: memory above 90%"
fi

disk_used=$(df -P "$disk" 2>/dev/null | awk 'NR == 2 { sub("%", "", $5); print $5 }')
echo "disk_used_percent=${disk_used:-unknown} path=${disk}"
[ "${disk_used:-0}" -gt 90 ] 2>/dev/null && echo "warning: disk above 90%"

if [ -n "$db_host" ]; then
    if command -v psql >/dev/null 2>&1; then
        conns=$(PGCONNECT_TIMEOUT=5 psql -h "$db_host" -U postgres -Atc 'SELECT count(*) FROM pg_stat_activity' 2>/dev/null || echo unknown)
        echo "db_connections=${conns}"
    else
        echo "db_connections=unknown reason=psql-not-installed"
    fi
fi
exit 0
