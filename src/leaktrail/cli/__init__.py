"""Command line: the click group, exit codes and the error wrapper; one module per command beside it.

Every command is thin: parse flags, call the library, render, map the result to an exit code. This package
is the only place that imports click (tests/test_layers.py keeps it so)."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from leaktrail import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


_COMMANDS = {
    "scan": ("leaktrail.cli.scan", "scan"),
    "rules": ("leaktrail.cli.rules", "rules"),
    "inspect": ("leaktrail.cli.inspect", "inspect_cmd"),
    "diff": ("leaktrail.cli.inspect", "diff_cmd"),
    "watch": ("leaktrail.cli.watch", "watch_cmd"),
    "report": ("leaktrail.cli.watch", "report_cmd"),
    "fleet": ("leaktrail.cli.fleet", "fleet_cmd"),
    "lsp": ("leaktrail.cli.lsp", "lsp_cmd"),
}
"""Command name -> (module, attribute). A command's module is imported when that
command runs (or `--help` lists it): `leaktrail scan` does not pay for loading inspect, watch, fleet,
lsp and their rich/HTTP dependencies (a tenth of a warm scan)."""


class _Group(click.Group):
    """Usage errors are one line and exit 2, like golangci-lint; internal errors never print a traceback.
    Commands are loaded lazily from _COMMANDS."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = _COMMANDS.get(cmd_name)
        if where is None:
            return None
        module = importlib.import_module(where[0])
        cmd = getattr(module, where[1])
        assert isinstance(cmd, click.Command)
        return cmd

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("leaktrail: aborted", err=True)
            sys.exit(130)
        except click.ClickException as e:
            click.echo(f"leaktrail: error: {e.format_message()}", err=True)
            sys.exit(EXIT_USAGE)
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as e:  # a bug of ours: one line the user can report, not a traceback
            if os.environ.get("LEAKTRAIL_DEBUG"):
                raise
            where = e.__traceback__
            while where is not None and where.tb_next is not None:
                where = where.tb_next
            at = f" at {where.tb_frame.f_code.co_filename}:{where.tb_lineno}" if where is not None else ""
            click.echo(
                f"leaktrail: internal error: {type(e).__name__}: {e}{at} "
                "(a bug in leaktrail; LEAKTRAIL_DEBUG=1 shows the traceback)",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaktrail")
def main() -> None:
    """Find, prove and fix goroutine leaks in Go services."""
