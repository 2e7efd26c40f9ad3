"""`leaktrail scan`: flags in, findings out; exit 0 clean, 1 findings at or above --fail-on, 2 usage."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaktrail.cli import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from leaktrail.model import Finding

if TYPE_CHECKING:
    from leaktrail.engine import ScanOptions


@dataclass(frozen=True)
class BaselineNote:
    file: str
    known: int
    stale: int

    def text(self) -> str:
        stale = (
            f"; {self.stale} stale entries (fixed or changed: rewrite it with --write-baseline)"
            if self.stale
            else ""
        )
        return f"baseline {self.file}: {self.known} known findings not shown{stale}"


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
    "--new-from-rev",
    metavar="REV",
    help="Only findings on lines added or changed since REV (against the merge base, uncommitted work "
    "included).",
)
@click.option(
    "--new-from-patch",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Only findings on lines this unified diff adds (paths relative to the git checkout).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Only findings not recorded in this baseline (written by --write-baseline).",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Record the current findings as accepted and exit 0.",
)
@click.option(
    "--evidence",
    metavar="DUMP|URL",
    help="A goroutine dump, profile or pprof URL: rank findings by the goroutines stuck on them and mark "
    "those the runtime's leak profile confirms.",
)
@click.option(
    "--fix", "apply_fix", is_flag=True, help="Apply the safe fixes in place, then report what is left."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr (shown only on a terminal).")
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes as unified diffs and change nothing (exit 1 when there is something to fix).",
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
    new_from_rev: str | None,
    new_from_patch: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    evidence: str | None,
    apply_fix: bool = False,
    show_diff: bool = False,
    quiet: bool = False,
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
    if apply_fix or show_diff:
        _fix(paths, options, write=apply_fix)  # --diff exits here
    from leaktrail.cli.progress import ProgressBar, wanted

    try:
        with ProgressBar("scanning", unit="files", enabled=wanted(quiet)) as bar:
            result = run_scan(list(paths), options, bar)
    except DiscoveryError as e:
        raise click.UsageError(str(e)) from None
    if fmt in ("json", "sarif"):
        from leaktrail.fix import attach_fixes

        result.findings = attach_fixes(result.findings, cache_dir=options.cache_dir, jobs=options.jobs)
    for w in result.warnings:
        click.echo(f"leaktrail: warning: {w}", err=True)
    adopted = _adopt(result.findings, paths, new_from_rev, new_from_patch, baseline_file, write_baseline)
    if adopted is None:  # --write-baseline: recorded, nothing to report
        sys.exit(EXIT_OK)
    result.findings, baseline_note = adopted
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
    if baseline_note is not None:
        rendered = _with_baseline_note(rendered, fmt, baseline_note)
    if to_file:
        assert output is not None
        Path(output).write_text(rendered + "\n" if rendered else "", encoding="utf-8")
    elif rendered:
        click.echo(rendered)
    if result.unanalysed:  # the warnings name them; the report holds everything else
        sys.exit(EXIT_INTERNAL)
    threshold = Severity(fail_on).rank
    failing = any(not f.suppressed and f.severity.rank >= threshold for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def _fix(paths: tuple[str, ...], options: ScanOptions, *, write: bool) -> None:
    """--fix: apply and fall through to the report of what is left; --diff: print and exit (1 if any)."""
    from leaktrail.fix.run import run_fixes
    from leaktrail.source.discovery import DiscoveryError

    try:
        run = run_fixes(list(paths), options, write=write)
    except DiscoveryError as e:
        raise click.UsageError(str(e)) from None
    files = len(run.changes)
    left = f"; {run.left} overlapping fixes left for another run" if run.left else ""
    if write:
        click.echo(f"leaktrail: fixed {run.fixed} findings in {files} files{left}", err=True)
        return
    for change in run.changes.values():
        click.echo(change.diff(), nl=False)
    click.echo(f"leaktrail: would fix {run.fixed} findings in {files} files{left}", err=True)
    sys.exit(EXIT_FINDINGS if run.changes else EXIT_OK)


def _adopt(
    findings: list[Finding],
    paths: tuple[str, ...],
    new_from_rev: str | None,
    new_from_patch: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
) -> tuple[list[Finding], BaselineNote | None] | None:
    """Apply --new-from-rev/--new-from-patch and --baseline (None after --write-baseline)."""
    from leaktrail.adopt.baseline import BaselineError, apply_baseline
    from leaktrail.adopt.baseline import write_baseline as record
    from leaktrail.adopt.newcode import NewCodeError, from_patch, since_rev

    cwd = Path.cwd()
    first = Path((paths[0] if paths else ".").removesuffix("...").rstrip("/") or ".").absolute()
    start = first if first.is_dir() else first.parent
    try:
        if write_baseline is not None:
            n = record(Path(write_baseline), findings, cwd)
            click.echo(f"leaktrail: wrote {write_baseline} ({n} findings accepted)", err=True)
            return None
        if new_from_rev is not None:
            findings = since_rev(new_from_rev, start).keep(findings, cwd)
        if new_from_patch is not None:
            findings = from_patch(Path(new_from_patch), start).keep(findings, cwd)
        if baseline_file is None:
            return findings, None
        outcome = apply_baseline(Path(baseline_file), findings, cwd)
    except (NewCodeError, BaselineError) as e:
        click.echo(f"leaktrail: error: {e}", err=True)
        sys.exit(EXIT_USAGE)
    return outcome.new, BaselineNote(baseline_file, outcome.known, outcome.stale)


def _with_baseline_note(rendered: str, fmt: str, note: BaselineNote) -> str:
    """Text: a line after the summary; JSON: summary.baseline; other formats: stderr."""
    import json

    if fmt == "json":
        doc = json.loads(rendered)
        doc["summary"]["baseline"] = {"file": note.file, "known": note.known, "stale": note.stale}
        return json.dumps(doc, indent=2, ensure_ascii=True)
    if fmt == "text":
        return f"{rendered}\n{note.text()}" if rendered else note.text()
    click.echo(f"leaktrail: {note.text()}", err=True)
    return rendered
