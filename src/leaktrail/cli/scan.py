"""`leaktrail scan`: flags in, findings out; exit 0 clean, 1 findings at or above --fail-on, 2 usage."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from leaktrail.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


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


@click.command()
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
    "--confidence",
    type=click.Choice(["high", "low"]),
    default="high",
    show_default=True,
    help="Lowest confidence shown: high (every fact the message states was established) or low (also "
    "findings that rest on something the analysis could not resolve).",
)
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
    confidence: str,
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
        confidence=confidence,
        cache_dir=None if no_cache else (Path(cache_dir) if cache_dir else _default_cache_dir()),
    )
    evidence_run = None
    if evidence is not None:
        from leaktrail.link.session import EvidenceError, load_evidence

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
        from leaktrail.link.session import add_evidence

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
