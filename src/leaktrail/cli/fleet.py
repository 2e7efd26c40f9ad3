"""`leaktrail fleet`: many instances of many services, analysed on a local process pool or a Dask cluster.

Exit status: 0 no leaked or suspect group, 1 at least one, 2 bad input, or when no target answered.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaktrail.runtime.model import Thresholds

if TYPE_CHECKING:
    from leaktrail.fleet import Fleet, TargetResult
from leaktrail.watch.durations import parse_duration

EXIT_OK, EXIT_LEAKS, EXIT_USAGE = 0, 1, 2


def _seconds(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if seconds <= 0:
        raise click.BadParameter("must be more than zero")
    return seconds


@click.command("fleet")
@click.argument("targets_path", metavar="TARGETS", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 512),
    default=None,
    help="Local worker processes (default: twice the cores).",
)
@click.option(
    "--dask",
    metavar="ADDRESS|local:N",
    help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or local:N for a LocalCluster "
    "of N worker processes here. Needs pip install 'leaktrail[fleet]'.",
)
@click.option(
    "--timeout",
    default="10s",
    show_default=True,
    callback=_seconds,
    metavar="DURATION",
    help="Per-fetch time limit.",
)
@click.option(
    "--max-bytes", type=click.IntRange(1), default=64 << 20, show_default=True, help="Largest response."
)
@click.option(
    "--debug",
    "debug_form",
    type=click.Choice(["0", "1"]),
    default="0",
    show_default=True,
    help="Goroutine profile form fetched: 0 (protobuf, names the blocking operation) or 1 (text).",
)
@click.option(
    "--leak-profile/--no-leak-profile",
    default=True,
    show_default=True,
    help="Fetch /debug/pprof/goroutineleak first (proof of leaks; one stop-the-world GC per target).",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=Thresholds().min_count,
    show_default=True,
    help="LeakProf's criterion: this many goroutines on one operation in one instance make a group suspect.",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="SERVICE=DIR",
    help="Go source of a service, to link its groups to lines and rules (repeatable).",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout."
)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="Store the run in this history.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Groups shown.")
@click.option(
    "--keep",
    type=click.IntRange(0),
    default=10,
    show_default=True,
    help="Groups kept per target besides leaked and suspect ones (for --db and --format json).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Live progress on stderr (default: when stderr is a terminal).",
)
def fleet_cmd(
    targets_path: Path,
    jobs: int | None,
    dask: str | None,
    timeout: float,
    max_bytes: int,
    debug_form: str,
    leak_profile: bool,
    min_count: int,
    sources: tuple[str, ...],
    fmt: str,
    output: Path | None,
    db: Path | None,
    top: int,
    keep: int,
    progress: bool | None,
) -> None:
    """Analyse the goroutine profiles of many instances and rank leaks across the fleet.

    TARGETS is a file of URLs with labels (`http://10.0.0.5:6060 service=orders zone=a`), a Prometheus
    file_sd JSON file, or a directory of saved profiles laid out SERVICE/INSTANCE/*.{txt,pb.gz}.
    """
    from leaktrail.fleet import (
        DaskRunner,
        ExecutorError,
        FleetHistory,
        FleetOptions,
        LocalRunner,
        TargetsError,
        default_jobs,
        link_sources,
        load_targets,
        parse_sources,
        run_fleet,
    )
    from leaktrail.fleet.render import progress_view, render_html, render_json, render_text
    from leaktrail.watch.history import HistoryError

    if fmt == "html" and output is None:
        raise click.UsageError("--format html needs -o FILE")
    if dask is not None and jobs is not None:
        raise click.UsageError("-j and --dask exclude each other (the cluster's workers set the parallelism)")
    try:
        targets = load_targets(targets_path)
        source_dirs = parse_sources(sources)
    except TargetsError as exc:
        raise click.UsageError(str(exc)) from None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--source") from None
    opts = FleetOptions(
        debug=int(debug_form),
        timeout=timeout,
        max_bytes=max_bytes,
        leak=leak_profile,
        thresholds=Thresholds(min_count=min_count),
        keep=keep,
    )

    def warn(message: str) -> None:
        click.echo(f"leaktrail: warning: {message}", err=True)

    history = None
    if db is not None:
        try:
            history = FleetHistory(db, opts, len(targets), on_warning=warn)
        except HistoryError as exc:
            raise click.UsageError(str(exc)) from None
    runner: LocalRunner | DaskRunner
    try:
        runner = DaskRunner(dask) if dask is not None else LocalRunner(jobs or default_jobs())
    except ExecutorError as exc:
        if history is not None:
            history.close()
        raise click.UsageError(str(exc)) from None

    show = progress if progress is not None else sys.stderr.isatty()
    started = time.monotonic()
    interrupted = False
    try:
        if show:
            from rich.console import Console
            from rich.live import Live

            console = Console(stderr=True, highlight=False)
            last = [0.0]
            with Live(console=console, auto_refresh=False, transient=False) as live:

                def on_result(f: Fleet, r: TargetResult) -> None:
                    now = time.monotonic()
                    if now - last[0] >= 0.2 or f.done == f.expected:
                        last[0] = now
                        live.update(progress_view(f, started=started, now=now), refresh=True)

                fleet = run_fleet(targets, opts, runner, history=history, on_result=on_result)
                live.update(progress_view(fleet, started=started, now=time.monotonic()), refresh=True)
        else:
            fleet = run_fleet(targets, opts, runner, history=history)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        runner.close()
        if history is not None:
            try:
                history.close()
            except HistoryError as exc:
                warn(str(exc))
    if interrupted:
        click.echo("leaktrail: interrupted", err=True)
        sys.exit(130)
    elapsed = time.monotonic() - started
    if source_dirs:
        link_sources(fleet, source_dirs, top=top, on_warning=warn)
    if fmt == "json":
        text = render_json(fleet, elapsed=elapsed, runner=runner.description)
    elif fmt == "html":
        text = render_html(fleet, elapsed=elapsed, runner=runner.description)
    else:
        text = render_text(fleet, top=top, elapsed=elapsed, runner=runner.description)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.UsageError(f"{output}: {exc.strerror or exc}") from None
        click.echo(f"leaktrail: wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
    if db is not None:
        click.echo(f"leaktrail: history in {db} (leaktrail report --db {db})", err=True)
    if fleet.done - fleet.failed == 0:
        click.echo("leaktrail: error: no target answered", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_LEAKS if fleet.ranked() else EXIT_OK)
