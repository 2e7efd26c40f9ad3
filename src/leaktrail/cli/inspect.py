"""`leaktrail inspect` and `leaktrail diff`: flags in, exit codes out (0 clean, 1 leaks, 2 bad input)."""

from __future__ import annotations

import os
import re
import sys
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

import click

from leaktrail.cli.progress import ProgressBar
from leaktrail.cli.progress import wanted as progress_wanted
from leaktrail.runtime.classify import inspect
from leaktrail.runtime.detect import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, InputError, load_snapshot
from leaktrail.runtime.diff import diff
from leaktrail.runtime.fetch import is_url
from leaktrail.runtime.group import validate_group_by
from leaktrail.runtime.model import Inspection, Snapshot, Thresholds

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CLEAN, EXIT_LEAKS, EXIT_BAD_INPUT = 0, 1, 2

# Errors a malformed input can raise from deep inside a parser; all of them mean "bad input".
_INPUT_ERRORS = (InputError, OSError, EOFError, UnicodeError, zlib.error, ValueError)

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h)?\s*$", re.IGNORECASE)


def _byte_size(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    if isinstance(value, int):
        return value
    m = _SIZE.match(value)
    if m is None:
        raise click.BadParameter(f"{value!r} is not a size like 256M, 1G or 1048576")
    unit = (m.group(2) or "").lower()[:1]
    return int(m.group(1)) * {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]


def _minutes(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    if isinstance(value, int):
        return value
    m = _DURATION.match(value)
    if m is None:
        raise click.BadParameter(f"{value!r} is not a wait like 10, 10m or 2h")
    return int(m.group(1)) * (60 if (m.group(2) or "").lower() == "h" else 1)


def _group_by(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return validate_group_by(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[-1]) from None


def _error(source: str, message: str) -> None:
    click.echo(f"leaktrail: error: {source}: {message}", err=True)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _load(source: str, **kwargs: object) -> Snapshot | None:
    try:
        return load_snapshot(source, **kwargs)  # type: ignore[arg-type]
    except _INPUT_ERRORS as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _error(source, message)
        return None


_common_fetch = [
    click.option(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="Seconds allowed for each URL fetch (connect, each read and the whole transfer).",
    ),
    click.option(
        "--max-bytes",
        type=str,
        callback=_byte_size,
        default=f"{DEFAULT_MAX_BYTES >> 20}M",
        show_default=True,
        help="Largest response body and largest decompressed input (e.g. 256M, 1G).",
    ),
]
_common_thresholds = [
    click.option(
        "--min-count",
        type=click.IntRange(min=1),
        default=Thresholds().min_count,
        show_default=True,
        help="Goroutines parked on one channel/lock operation that make a group suspect.",
    ),
    click.option(
        "--min-wait",
        type=str,
        callback=_minutes,
        default=str(Thresholds().min_wait),
        show_default=True,
        help="Minutes waited on a channel/lock that make a group suspect (10, 10m, 2h).",
    ),
]


def _with(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Apply shared option lists in order, as if written one per line."""

    def wrap(f: F) -> F:
        for d in reversed(decorators):
            f = d(f)
        return f

    return wrap


@click.command("inspect")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option(
    "--group-by",
    default="stack",
    show_default=True,
    callback=_group_by,
    help="stack, top (first user frame), created-by, or label:KEY.",
)
@click.option(
    "--leak-profile",
    is_flag=True,
    help="For URLs, also fetch /debug/pprof/goroutineleak (runs a leak-detecting GC).",
)
@click.option(
    "--source",
    "source_dir",
    metavar="DIR",
    help="Go source to map frames to and explain groups with static findings "
    "(default: the Go module around the current directory; --source '' turns it off).",
)
@click.option(
    "--match",
    "match_pattern",
    metavar="REGEX",
    help="Keep the groups with a frame whose function matches REGEX and count their goroutines per "
    "matched function (leaked / suspect / other).",
)
@click.option("--count", is_flag=True, help="With --match: print only the number of matched goroutines.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr (shown only on a terminal).")
@_with(*_common_thresholds, *_common_fetch)
def inspect_cmd(
    sources: tuple[str, ...],
    fmt: str,
    output: str | None,
    group_by: str,
    leak_profile: bool,
    source_dir: str | None,
    min_count: int,
    min_wait: int,
    timeout: float,
    max_bytes: int,
    match_pattern: str | None,
    count: bool,
    quiet: bool = False,
) -> None:
    """Read goroutine dumps or profiles (file, - for stdin, or URL) and find the leaks.

    Accepts debug=2 dumps (also panics, SIGQUIT and `go test -timeout` output, with text around them),
    debug=1 and debug=0 profiles, goroutine or goroutineleak, gzipped or not. A URL such as
    http://127.0.0.1:6060 means its /debug/pprof/goroutine?debug=2.

    Exit status: 0 no leak, 1 a leaked or suspect group, 2 bad input (the other sources are still read).
    """
    thresholds = Thresholds(min_count=min_count, min_wait=min_wait)
    from leaktrail.link import ScanError, SourceError
    from leaktrail.link.session import link_inspections, open_source
    from leaktrail.runtime.match import MatchResult, compile_pattern, match

    if count and match_pattern is None:
        raise click.UsageError("--count needs --match REGEX")
    try:
        pattern = compile_pattern(match_pattern) if match_pattern is not None else None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if count:
        source_dir = ""  # a number for scripts: no linking needed
    try:
        tree = open_source(source_dir)
    except SourceError as exc:
        _error("--source", str(exc))
        sys.exit(EXIT_BAD_INPUT)
    if leak_profile and not any(is_url(s) for s in sources):
        click.echo(
            "leaktrail: warning: --leak-profile only applies to URLs; files are read as they are", err=True
        )
    inspections: list[Inspection] = []
    bad = False
    for source in sources:
        with ProgressBar(f"reading {source}", unit="bytes", enabled=progress_wanted(quiet)) as bar:
            snapshot = _load(
                source, leak_profile=leak_profile, timeout=timeout, max_bytes=max_bytes, progress=bar
            )
        if snapshot is None:
            bad = True
            continue
        if fmt == "json":
            for w in snapshot.warnings:
                click.echo(f"leaktrail: warning: {source}: {w}", err=True)
        inspections.append(inspect(snapshot, group_by, thresholds))
    matches: list[MatchResult] = []
    if pattern is not None:
        matches = [match(i, pattern) for i in inspections]
        inspections = [m.inspection for m in matches]
        if count:
            click.echo(str(sum(m.total for m in matches)))
            if bad:
                sys.exit(EXIT_BAD_INPUT)
            sys.exit(EXIT_LEAKS if any(i.has_leaks for i in inspections) else EXIT_CLEAN)
    links = None
    if inspections and tree is not None:
        try:
            links = link_inspections(tree, inspections)
        except ScanError as exc:
            _error("--source", str(exc))
            sys.exit(EXIT_BAD_INPUT)
    if inspections:
        from leaktrail.report import inspect as report

        if fmt == "html":
            from leaktrail.report.html import render_inspections

            out = render_inspections(inspections, links=links)
        else:
            out = (
                report.render_json(inspections, links)
                if fmt == "json"
                else report.render_text(inspections, color=_color() and output is None, links=links)
            )
        if matches:
            from leaktrail.report.match import add_match_json, match_text

            if fmt == "json":
                out = add_match_json(out, matches)
            elif fmt == "text":
                out = "\n".join(match_text(m) for m in matches) + "\n\n" + out
        if output is not None:
            try:
                with open(output, "w", encoding="utf-8") as f:
                    f.write(out if out.endswith("\n") else out + "\n")
            except OSError as exc:
                _error(output, exc.strerror or str(exc))
                sys.exit(EXIT_BAD_INPUT)
        else:
            _echo(out)
    if bad:
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_LEAKS if any(i.has_leaks for i in inspections) else EXIT_CLEAN)


def _echo(out: str) -> None:
    """click.echo(out) for a report of tens of MB: click appends the newline to a copy of the text and,
    when stdout is not a terminal, runs its ANSI-stripping regex over all of it. With no escape character
    in the text the stripping changes nothing, so the text goes out as it is (color=True: not stripped),
    then the newline: the same bytes, through the same stream."""
    if "\x1b" in out:
        click.echo(out)
        return
    click.echo(out, nl=False, color=True)
    click.echo("")


@click.command("diff")
@click.argument("before")
@click.argument("after")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--group-by",
    default="stack",
    show_default=True,
    callback=_group_by,
    help="stack, top (first user frame), created-by, or label:KEY.",
)
@click.option(
    "--min-growth",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Exit 1 when a group grows by at least this many goroutines.",
)
@_with(*_common_thresholds, *_common_fetch)
def diff_cmd(
    before: str,
    after: str,
    fmt: str,
    group_by: str,
    min_growth: int,
    min_count: int,
    min_wait: int,
    timeout: float,
    max_bytes: int,
) -> None:
    """Compare two snapshots (before and after a load test): growth per group, new and vanished groups.

    Exit status: 0 no group grew by --min-growth, 1 one did, 2 bad input.
    """
    old = _load(before, timeout=timeout, max_bytes=max_bytes)
    new = _load(after, timeout=timeout, max_bytes=max_bytes)
    if old is None or new is None:
        sys.exit(EXIT_BAD_INPUT)
    result = diff(
        old,
        new,
        by=group_by,
        min_growth=min_growth,
        thresholds=Thresholds(min_count=min_count, min_wait=min_wait),
    )
    from leaktrail.report import diff as report

    click.echo(report.render_json(result) if fmt == "json" else report.render_text(result, color=_color()))
    sys.exit(EXIT_LEAKS if result.grown else EXIT_CLEAN)
