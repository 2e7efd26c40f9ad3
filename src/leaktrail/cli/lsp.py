"""`leaktrail lsp`: the language server over stdio (needs the `lsp` extra: pygls)."""

from __future__ import annotations

import sys

import click

from leaktrail.cli import EXIT_USAGE


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport).")
def lsp_cmd(stdio: bool) -> None:
    """Run the leaktrail language server: diagnostics, quick fixes and hover for Go files."""
    try:
        from leaktrail.lsp.server import run
    except ImportError as e:
        click.echo(
            f"leaktrail: error: leaktrail lsp needs pygls ({e.name or e} is missing): "
            "pip install 'leaktrail[lsp]'",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    run()
