#!/usr/bin/env python3
"""Automated first response for API security incidents.

Prints the actions it would take for an incident (block an address, lock a user, turn on
rate limiting) and takes them only with --execute. The runbooks call it without
--execute, so a run shows the plan for the responder and the change is made on purpose.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import subprocess
import sys

INCIDENT_TYPES = ("brute_force_attempt", "account_compromise", "ddos_attack")
SEVERITIES = ("low", "medium", "high", "critical")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incident-type", choices=INCIDENT_TYPES, help="what kind of incident to respond to")
    parser.add_argument("--severity", choices=SEVERITIES, default="high", help="incident severity (default: high)")
    parser.add_argument("--ip-address", help="attacking address to block")
    parser.add_argument("--user-id", type=int, help="user account to lock")
    parser.add_argument("--rate-limit", type=int, metavar="RPS", help="per-client requests per second for ddos_attack")
    parser.add_argument("--attack-kind", choices=("volumetric", "application-layer"), help="for ddos_attack")
    parser.add_argument("--unblock-ip", metavar="ADDRESS", help="undo: remove an address from the block list")
    parser.add_argument("--unlock-user", type=int, metavar="USER_ID", help="undo: unlock a user account")
    parser.add_argument("--disable-rate-limit", action="store_true", help="undo: turn the emergency rate limit off")
    parser.add_argument("--execute", action="store_true", help="really make the changes (default: print them only)")
    return parser


def _address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise SystemExit(f"automated_response: '{text}' is not an IP address") from None


def plan(args: argparse.Namespace) -> list[list[str]]:
    """The commands that carry out the response, as argument lists (never through a shell)."""
    if args.unblock_ip:
        return [["ipset", "del", "api-blocklist", _address(args.unblock_ip)]]
    if args.unlock_user is not None:
        return [["api-admin", "user", "unlock", str(args.unlock_user)]]
    if args.disable_rate_limit:
        return [["api-admin", "rate-limit", "off"]]
    if args.incident_type == "brute_force_attempt":
        if not args.ip_address:
            raise SystemExit("automated_response: brute_force_attempt needs --ip-address")
        return [["ipset", "add", "-exist", "api-blocklist", _address(args.ip_address)],
                ["api-admin", "audit", "failed-logins", "--ip", _address(args.ip_address)]]
    if args.incident_type == "account_compromise":
        if args.user_id is None:
            raise SystemExit("automated_response: account_compromise needs --user-id")
        uid = str(args.user_id)
        return [["api-admin", "user", "lock", uid], ["api-admin", "user", "revoke-sessions", uid]]
    if args.incident_type == "ddos_attack":
        commands = [["api-admin", "rate-limit", "on", "--rps", str(args.rate_limit or 50)]]
        if args.ip_address:
            commands.append(["ipset", "add", "-exist", "api-blocklist", _address(args.ip_address)])
        return commands
    raise SystemExit("automated_response: give --incident-type or one of the undo options (see --help)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = plan(args)
    label = args.incident_type or "undo"
    print(f"incident={label} severity={args.severity} mode={'execute' if args.execute else 'plan'}")
    for command in commands:
        print(("running: " if args.execute else "would run: ") + shlex.join(command))
        if args.execute:
            result = subprocess.run(command, check=False)
            if result.returncode != 0:
                print(f"failed with exit code {result.returncode}", file=sys.stderr)
                return 1
    if not args.execute:
        print("nothing changed; rerun with --execute to apply")
    return 0


if __name__ == "__main__":
    sys.exit(main())
