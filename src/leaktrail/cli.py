"""Command line: thin wrappers that turn flags into calls and results into exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from leaktrail import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """Usage errors are one line and exit 2, like golangci-lint; internal errors never print a traceback."""

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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaktrail")
def main() -> None:
    """Find, prove and fix goroutine leaks in Go services."""


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(v.strip() for raw in values for v in raw.split(",") if v.strip())


def _default_cache_dir() -> Path:
    env = os.environ.get("LEAKTRAIL_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("leaktrail"))


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: nearest .leaktrail.toml above the first path).",
)
@click.option("--select", multiple=True, help="Only these rules (codes or prefixes, comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules (codes or prefixes, comma-separated).")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="warning",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option("--go-version", help="Go language version (overrides go.mod's go line and the config).")
@click.option("--tests/--no-tests", default=None, help="Scan _test.go files (default: yes).")
@click.option("--show-ignored", is_flag=True, help="Also list findings suppressed by comments.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Where the result cache lives.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, help="Worker processes (0 = one per core).")
@click.option(
    "--evidence",
    metavar="DUMP|URL",
    help="A goroutine dump, profile or pprof URL: rank findings by the goroutines stuck on them and mark "
    "those the runtime's leak profile confirms.",
)
def scan(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    config_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    fail_on: str,
    go_version: str | None,
    tests: bool | None,
    show_ignored: bool,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int,
    evidence: str | None,
) -> None:
    """Scan Go source for goroutine-leak patterns (PATHS: dirs, files or dir/...; default .)."""
    from leaktrail.config import ConfigError, find_config, load_config, parse_selectors
    from leaktrail.engine import ScanOptions
    from leaktrail.engine import scan as run_scan
    from leaktrail.model import ScanSummary, Severity
    from leaktrail.report import render_findings
    from leaktrail.rules import rule_infos
    from leaktrail.source.discovery import DiscoveryError

    infos = rule_infos()
    try:
        first = (paths[0] if paths else ".").removesuffix("...").rstrip("/") or "."
        cfg_file = Path(config_path) if config_path else find_config(Path(first).absolute())
        if config_path and not Path(config_path).is_file():
            raise ConfigError(f"{config_path}: config file not found")
        config = load_config(cfg_file, infos.keys())
        config = config.merged(
            select=parse_selectors(_split(select) or (), infos.keys()) if select else None,
            # an explicit --select on the command line wins over the config file's ignore list
            ignore=parse_selectors(_split(ignore) or (), infos.keys())
            if ignore
            else (() if select else None),
            exclude=exclude or None,
            go_version=go_version,
            tests=tests,
        )
    except (ConfigError, ValueError) as e:
        raise click.UsageError(str(e)) from None
    options = ScanOptions(
        config=config,
        go_version=config.go_version,
        tests=True if config.tests is None else config.tests,
        jobs=jobs,
        cache_dir=None if no_cache else (Path(cache_dir) if cache_dir else _default_cache_dir()),
    )
    evidence_run = None
    if evidence is not None:
        from leaktrail.link.cli import EvidenceError, load_evidence

        try:
            evidence_run = load_evidence(evidence)
        except EvidenceError as e:
            click.echo(f"leaktrail: error: {e}", err=True)
            sys.exit(EXIT_USAGE)
    try:
        result = run_scan(list(paths), options)
    except DiscoveryError as e:
        raise click.UsageError(str(e)) from None
    for w in result.warnings:
        click.echo(f"leaktrail: warning: {w}", err=True)
    summary = ScanSummary(result.files, result.packages, result.suppressed, result.seconds)
    to_file = output is not None
    color = not to_file and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    rendered = render_findings(
        result.findings, infos, fmt, root=result.root, summary=summary, color=color, show_ignored=show_ignored
    )
    if evidence_run is not None:
        from leaktrail.link.cli import add_evidence

        rendered, note = add_evidence(rendered, fmt, result.findings, list(paths), evidence_run)
        if note:
            click.echo(f"leaktrail: warning: {note}", err=True)
    if to_file:
        assert output is not None
        Path(output).write_text(rendered + "\n" if rendered else "", encoding="utf-8")
    elif rendered:
        click.echo(rendered)
    threshold = Severity(fail_on).rank
    failing = any(not f.suppressed and f.severity.rank >= threshold for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


@main.command()
@click.argument("rule", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(rule: str | None, fmt: str) -> None:
    """List every rule, or print one rule's documentation (by code or slug)."""
    import json

    from leaktrail.rules import all_rules, find_rule
    from leaktrail.rules.docs import render

    if rule is None:
        if fmt == "json":
            click.echo(
                json.dumps(
                    [
                        {
                            "code": r.code,
                            "slug": r.info.slug,
                            "severity": str(r.info.severity),
                            "summary": r.info.summary,
                        }
                        for r in all_rules()
                    ],
                    indent=2,
                )
            )
            return
        for r in all_rules():
            click.echo(f"{r.code}  {r.info.slug:<28} {r.info.severity!s:<8} {r.info.summary}")
        return
    found = find_rule(rule)
    if found is None:
        raise click.UsageError(f"unknown rule {rule!r} (see `leaktrail rules`)")
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "code": found.code,
                    "slug": found.info.slug,
                    "severity": str(found.info.severity),
                    "summary": found.info.summary,
                    "doc": found.info.doc,
                },
                indent=2,
            )
        )
        return
    click.echo(render(found.info), nl=False)


# -- runtime commands (inspect, diff) are registered here --
from leaktrail.runtime.commands import diff_cmd, inspect_cmd  # noqa: E402

main.add_command(inspect_cmd)
main.add_command(diff_cmd)

from leaktrail.watch.commands import report_cmd, watch_cmd  # noqa: E402

main.add_command(watch_cmd)
main.add_command(report_cmd)
