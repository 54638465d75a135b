"""One place that turns whatever a command raised into an exit code and a short message.

Known problems (bad configuration, bad usage) exit 2 with their message; anything
unexpected exits 2 with a one-line crash report instead of a traceback, unless
``RUNBOOK_DEBUG=1`` asks for the traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from validator.findings import ConfigError
from validator.logsafe import defuse, one_line

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def invoke(command: click.Command, args: Sequence[str] | None, prog_name: str) -> int:
    try:
        result = command.main(args=list(args) if args is not None else None, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE if isinstance(exc, click.UsageError) else int(exc.exit_code or EXIT_USAGE)
    except ConfigError as exc:
        click.echo(f"error: {defuse(one_line(str(exc)))}", err=True)  # may quote a path or a value from a file
        return EXIT_USAGE
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: never a bare traceback
        if os.environ.get("RUNBOOK_DEBUG"):
            import traceback

            traceback.print_exc()
        detail = (str(exc).strip().splitlines() or [""])[0][:200]
        click.echo(f"internal error: {type(exc).__name__}: {defuse(detail)} "
                   "(a bug: rerun with RUNBOOK_DEBUG=1 for the traceback and report it)", err=True)
        return EXIT_USAGE
    return int(result) if isinstance(result, int) else EXIT_OK


def exit_with(code: int) -> None:
    sys.stdout.flush()
    sys.exit(code)
