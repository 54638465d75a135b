#!/usr/bin/env python3
"""List, check and restore PostgreSQL backups of the API database.

`list` and `verify` only read. `restore` prints the pg_restore command it would run and
runs it only with --execute, because a restore overwrites every write since the backup.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

DEFAULT_DIR = os.environ.get("BACKUP_DIR", "backups")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backup-dir", default=DEFAULT_DIR, help=f"where backups live (default: {DEFAULT_DIR}, or $BACKUP_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list backups, newest last, and print latest=PATH")
    verify = sub.add_parser("verify", help="check that a backup file can be read by pg_restore")
    verify.add_argument("--backup-path", required=True)
    restore = sub.add_parser("restore", help="restore a backup (prints the plan unless --execute)")
    restore.add_argument("--backup-path", required=True, help="the backup file to restore")
    restore.add_argument("--database", default=os.environ.get("PGDATABASE", "api"), help="target database (default: api)")
    restore.add_argument("--execute", action="store_true", help="really restore (default: print the plan only)")
    return parser


def backups(folder: Path) -> list[Path]:
    return sorted((p for p in folder.glob("*.dump") if p.is_file()), key=lambda p: p.stat().st_mtime)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        found = backups(Path(args.backup_dir))
        for path in found:
            print(f"{path}  {path.stat().st_size} bytes")
        print(f"latest={found[-1] if found else 'none'}")
        return 0 if found else 1
    path = Path(args.backup_path)
    if not path.is_file():
        print(f"backup_database: no backup at {path}", file=sys.stderr)
        return 2
    if args.command == "verify":
        return subprocess.run(["pg_restore", "--list", str(path)], stdout=subprocess.DEVNULL, check=False).returncode
    command = ["pg_restore", "--clean", "--if-exists", "--single-transaction", "--dbname", args.database, str(path)]
    if not args.execute:
        print("would run: " + shlex.join(command))
        print("nothing changed; rerun with --execute to restore")
        return 0
    print("running: " + shlex.join(command))
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
