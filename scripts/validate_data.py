#!/usr/bin/env python3
"""Read-only integrity checks for the API database.

Runs a fixed set of SELECT queries through psql (foreign keys without a parent row,
negative balances, orders without lines) and fails when any returns rows. It needs
$DATABASE_URL; without it, it lists the checks and exits 2 rather than claim success.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

CHECKS: dict[str, str] = {
    "orphan_orders": "SELECT count(*) FROM orders o LEFT JOIN accounts a ON a.id = o.account_id WHERE a.id IS NULL",
    "negative_balances": "SELECT count(*) FROM accounts WHERE balance < 0",
    "orders_without_lines": "SELECT count(*) FROM orders o "
                            "WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--all-tables", action="store_true", help="run every check")
    group.add_argument("--check", choices=sorted(CHECKS), action="append", help="run one check (repeatable)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    names = sorted(CHECKS) if args.all_tables else args.check
    url = os.environ.get("DATABASE_URL")
    if not url or shutil.which("psql") is None:
        for name in names:
            print(f"would check {name}: {CHECKS[name]}")
        print("cannot check: set DATABASE_URL and install psql", file=sys.stderr)
        return 2
    failed = 0
    for name in names:
        result = subprocess.run(["psql", url, "-Atc", CHECKS[name]], capture_output=True, text=True, check=False)
        rows = result.stdout.strip()
        ok = result.returncode == 0 and rows == "0"
        print(f"{name}={'ok' if ok else 'FAILED'} ({rows or result.stderr.strip()})")
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
