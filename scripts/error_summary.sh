#!/usr/bin/env bash
# Summarise an API error log: how many errors, the busiest endpoint and the commonest error.
# Read-only. Log lines are expected to start with an ISO-8601 UTC timestamp
# (2026-11-23T16:04:05Z ERROR path=/api/v1/orders TimeoutError: ...).
set -uo pipefail

usage() {
    cat <<'USAGE'
Usage: error_summary.sh --log FILE [--top N] [--since-minutes M] [--max-per-minute R]

Prints errors=COUNT top_endpoint=PATH top_error=NAME, then the N commonest errors.
With --max-per-minute, exits 1 when the error rate over the window is above R.
Exit codes: 0 fine, 1 rate above the limit, 2 usage error or unreadable log.

  --log FILE            the error log (required)
  --top N               how many error kinds to list (default 5)
  --since-minutes M     only count the last M minutes (default: the whole file)
  --max-per-minute R    fail when more than R errors per minute
  -h, --help            show this help
USAGE
}

log=""
top=5
since=""
max_rate=""
while [ $# -gt 0 ]; do
    case "$1" in
        --log) log="${2:?--log needs a value}"; shift 2 ;;
        --top) top="${2:?--top needs a value}"; shift 2 ;;
        --since-minutes) since="${2:?--since-minutes needs a value}"; shift 2 ;;
        --max-per-minute) max_rate="${2:?--max-per-minute needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "error_summary.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [ -z "$log" ]; then
    echo "error_summary.sh: --log is required" >&2
    exit 2
fi
if [ ! -r "$log" ]; then
    echo "error_summary.sh: cannot read $log" >&2
    exit 2
fi

cutoff=""
if [ -n "$since" ]; then
    cutoff=$(date -u -d "-${since} minutes" +%Y-%m-%dT%H:%M:%S)
fi

errors=$(awk -v cutoff="$cutoff" '$0 ~ /ERROR/ && (cutoff == "" || substr($1, 1, 19) >= cutoff)' "$log")
count=$(printf '%s' "$errors" | grep -c . || true)
top_endpoint=$(printf '%s\n' "$errors" | grep -oE 'path=[^ ]+' | sort | uniq -c | sort -rn | awk 'NR == 1 { sub("path=", "", $2); print $2 }')
top_error=$(printf '%s\n' "$errors" | grep -oE '[A-Z][A-Za-z]+(Error|Exception)' | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
echo "errors=${count} top_endpoint=${top_endpoint:-none} top_error=${top_error:-none}"
printf '%s\n' "$errors" | grep -oE '[A-Z][A-Za-z]+(Error|Exception)' | sort | uniq -c | sort -rn | head -n "$top"

if [ -n "$max_rate" ] && [ -n "$since" ]; then
    if awk -v c="$count" -v m="$since" -v r="$max_rate" 'BEGIN { exit !(c / m > r) }'; then
        echo "rate above ${max_rate}/minute over the last ${since} minutes"
        exit 1
    fi
fi
exit 0
