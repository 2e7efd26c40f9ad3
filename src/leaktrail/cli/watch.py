"""`leaktrail watch` and `leaktrail report`: flags in, exit codes out.

watch: 0 when done (or interrupted), 1 with --fail-on-leak when a group was flagged or proven leaked,
2 on a usage error or when no target ever answered.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import click

from leaktrail import __version__
from leaktrail.runtime.model import Thresholds
from leaktrail.watch.durations import parse_duration

EXIT_OK, EXIT_LEAKS, EXIT_USAGE = 0, 1, 2


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None or value.lower() in ("off", "never", "none"):
        return None
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if seconds <= 0:
        raise click.BadParameter("must be more than zero (or off)")
    return seconds


def _warn(message: str) -> None:
    click.echo(f"leaktrail: warning: {message}", err=True)


def _db_path(db: str | None) -> Path:
    if db:
        return Path(db)
    env = os.environ.get("LEAKTRAIL_DB")
    if env:
        return Path(env)
    from leaktrail.watch.history import default_db_path

    return default_db_path()


@click.command("watch")
@click.argument("targets", nargs=-1, required=True, metavar="URL...")
@click.option(
    "--interval",
    default="15s",
    show_default=True,
    callback=_duration,
    metavar="DURATION",
    help="Time between polls.",
)
@click.option(
    "--duration",
    default=None,
    callback=_duration,
    metavar="DURATION",
    help="Stop after this long (default: Ctrl-C).",
)
@click.option(
    "--db",
    metavar="PATH",
    help="History database (default: history.db in the user data dir, or $LEAKTRAIL_DB).",
)
@click.option(
    "--timeout",
    default="10s",
    show_default=True,
    callback=_duration,
    metavar="DURATION",
    help="Per-target fetch limit.",
)
@click.option(
    "--max-backoff",
    default="5m",
    show_default=True,
    callback=_duration,
    metavar="DURATION",
    help="Longest wait after failures.",
)
@click.option(
    "--debug",
    "debug_form",
    type=click.Choice(["0", "1"]),
    default="0",
    show_default=True,
    help="Goroutine profile form polled: 0 (protobuf, shows the blocking operation) or 1 (text).",
)
@click.option(
    "--leak-interval",
    default="5m",
    show_default=True,
    callback=_duration,
    metavar="DURATION",
    help="How often to fetch /debug/pprof/goroutineleak (a stop-the-world GC each time), or off.",
)
@click.option(
    "--window",
    type=click.IntRange(3, 1000),
    default=20,
    show_default=True,
    help="Samples in the trend window.",
)
@click.option(
    "--min-samples",
    type=click.IntRange(3),
    default=6,
    show_default=True,
    help="Samples before a group can be flagged.",
)
@click.option(
    "--alpha",
    type=click.FloatRange(0, 0.5, min_open=True, max_open=True),
    default=0.01,
    show_default=True,
    help="Mann–Kendall one-sided significance level.",
)
@click.option(
    "--min-growth",
    type=click.FloatRange(0),
    default=10.0,
    show_default=True,
    help="Goroutines the Theil–Sen line must gain across the window.",
)
@click.option(
    "--retain",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Share of the window's rise the last sample must keep (a drained burst keeps none).",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=Thresholds().min_count,
    show_default=True,
    help="Goroutines on one operation that make a group suspect (classification, not the trend).",
)
@click.option(
    "--source", type=click.Path(file_okay=False, exists=True), help="Go source to link flagged groups to."
)
@click.option(
    "--webhook", metavar="URL", help="POST each alert as JSON to this URL (retried in the background)."
)
@click.option(
    "--fail-on-leak",
    is_flag=True,
    help="Exit 1 at the end when a group was flagged growing or proven leaked.",
)
@click.option(
    "--metrics-addr", metavar="HOST:PORT", help="Serve Prometheus metrics on HOST:PORT (e.g. 127.0.0.1:9464)."
)
@click.option(
    "--top", type=click.IntRange(1), default=5, show_default=True, help="Groups per target in the view."
)
@click.option(
    "--live/--no-live", default=None, help="Live terminal view (default: when stdout is a terminal)."
)
@click.option(
    "--max-bytes",
    default=64 << 20,
    type=click.IntRange(1),
    show_default=True,
    help="Largest response, in bytes.",
)
def watch_cmd(
    targets: tuple[str, ...],
    interval: float | None,
    duration: float | None,
    db: str | None,
    timeout: float | None,
    max_backoff: float | None,
    debug_form: str,
    leak_interval: float | None,
    window: int,
    min_samples: int,
    alpha: float,
    min_growth: float,
    retain: float,
    min_count: int,
    source: str | None,
    webhook: str | None,
    fail_on_leak: bool,
    metrics_addr: str | None,
    top: int,
    live: bool | None,
    max_bytes: int,
) -> None:
    """Poll goroutine profiles of running services, keep their history, flag groups that keep growing.

    URL is a service's base URL (http://127.0.0.1:6060) or any of its /debug/pprof/ URLs.
    """
    from leaktrail.watch.alerts import Alert, Webhook
    from leaktrail.watch.history import History, HistoryError, open_for_writing
    from leaktrail.watch.poll import validate_target
    from leaktrail.watch.trend import TrendParams
    from leaktrail.watch.watcher import TargetState, Watcher, WatchOptions

    for t in targets:
        why = validate_target(t)
        if why is not None:
            raise click.BadParameter(f"{t}: {why}", param_hint="URL")
    if webhook is not None and validate_target(webhook) is not None:
        raise click.BadParameter(f"{webhook}: not an http(s) URL", param_hint="--webhook")
    try:
        params = TrendParams(
            window=window, min_samples=min_samples, alpha=alpha, min_growth=min_growth, retain=retain
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    assert interval is not None and timeout is not None
    options = WatchOptions(
        interval=interval,
        duration=duration,
        timeout=timeout,
        max_bytes=max_bytes,
        debug=int(debug_form),
        leak_interval=leak_interval,
        max_backoff=max_backoff or 300.0,
        trend=params,
        thresholds=Thresholds(min_count=min_count),
        source=Path(source) if source else None,
    )
    linker = None
    if source is not None:
        from leaktrail.watch.linking import SourceLinks

        links, why_not = SourceLinks.open(Path(source))
        if links is None:
            _warn(f"--source: {why_not}")
        else:
            linker = links.findings

    db_path = _db_path(db)
    settings: dict[str, Any] = {
        "version": __version__,
        "targets": list(targets),
        "interval": interval,
        "duration": duration,
        "debug": int(debug_form),
        "leak_interval": leak_interval,
        "trend": {
            "window": window,
            "min_samples": min_samples,
            "alpha": alpha,
            "min_growth": min_growth,
            "retain": retain,
        },
        "min_count": min_count,
        "source": str(Path(source).resolve()) if source else None,
    }
    try:
        history = History(open_for_writing(db_path), settings)
    except HistoryError as exc:
        raise click.UsageError(str(exc)) from None

    metrics = None
    if metrics_addr is not None:
        from leaktrail.watch.metrics import Metrics

        metrics = Metrics()
        try:
            host, port = metrics.serve(metrics_addr)
        except (ValueError, OSError) as exc:
            history.close()
            raise click.UsageError(f"--metrics-addr {metrics_addr}: {exc}") from None
        click.echo(f"leaktrail: metrics on http://{host}:{port}/metrics", err=True)

    hook = Webhook(webhook, on_error=_warn) if webhook else None
    use_live = live if live is not None else sys.stdout.isatty()
    from rich.console import Console
    from rich.live import Live

    console = (
        Console(highlight=False, soft_wrap=True)
        if use_live
        else Console(highlight=False, soft_wrap=True, no_color=True, force_terminal=False, width=160)
    )

    def on_alert(a: Alert) -> None:
        style = "bold red" if a.kind != "cleared" else "green"
        console.print(f"leaktrail: {a.kind}: {a.target}: {a.message}", style=style, markup=False)
        if hook is not None:
            hook.send(a.to_json())

    def on_error(t: TargetState, error: str) -> None:
        text = f"leaktrail: warning: {t.url}: {error} (backing off)"
        if use_live:
            console.print(text, style="yellow", markup=False)
        else:
            click.echo(text, err=True)

    def on_recovered(t: TargetState) -> None:
        text = f"leaktrail: {t.url}: answering again after {t.failures} failed polls"
        if use_live:
            console.print(text, style="green", markup=False)
        else:
            click.echo(text, err=True)

    def on_warning(message: str) -> None:
        if use_live:
            console.print(f"leaktrail: warning: {message}", style="yellow", markup=False)
        else:
            _warn(message)

    def on_sample(t: TargetState, r: Any) -> None:
        if metrics is not None:
            metrics.observe(t, r.goroutine.duration_ms / 1000)

    watcher = Watcher(
        targets,
        options,
        history=history,
        on_alert=on_alert,
        on_target_error=on_error,
        on_target_recovered=on_recovered,
        on_sample=on_sample,
        on_warning=on_warning,
        linker=linker,
    )

    def on_term(signum: int, frame: FrameType | None) -> None:
        watcher.stop()

    previous = signal.signal(signal.SIGTERM, on_term)
    interrupted = False
    from leaktrail.report.live import render

    try:
        if use_live:
            with Live(render(watcher, top), console=console, auto_refresh=False, transient=False) as lv:
                watcher.on_update = lambda w: lv.update(render(w, top), refresh=True)
                watcher.run()
        else:
            click.echo(
                f"leaktrail: watching {len(targets)} targets every {interval:g}s"
                + (f" for {duration:g}s" if duration else "")
                + f"; history in {db_path}",
                err=True,
            )
            watcher.run()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        try:
            history.close()
        except HistoryError as exc:
            _warn(str(exc))
        if hook is not None:
            hook.close()
        if metrics is not None:
            metrics.close()
    if not use_live:
        console.print(render(watcher, top))
    ever_ok = any(t.samples for t in watcher.targets)
    flagged = sum(1 for a in watcher.alerts if a.kind in ("growing", "leaked"))
    click.echo(
        f"leaktrail: {sum(t.samples for t in watcher.targets)} samples, "
        f"{sum(t.errors for t in watcher.targets)} failed, {flagged} leak alerts; history in {db_path}",
        err=True,
    )
    if interrupted and not fail_on_leak:
        sys.exit(130)
    if fail_on_leak and watcher.leak_found:
        sys.exit(EXIT_LEAKS)
    if not ever_ok:
        click.echo("leaktrail: error: no target answered", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_OK)


@click.command("report")
@click.option("--db", metavar="PATH", help="History database written by watch (default: as for watch).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default="leaktrail-report.html", show_default=True
)
@click.option("--target", "only", multiple=True, metavar="URL", help="Only these target URLs (repeatable).")
@click.option(
    "--since",
    default=None,
    callback=_duration,
    metavar="DURATION",
    help="Only the last DURATION of history (e.g. 1h).",
)
@click.option(
    "--source", type=click.Path(file_okay=False, exists=True), help="Go source for snippets and findings."
)
def report_cmd(
    db: str | None, output: str, only: tuple[str, ...], since: float | None, source: str | None
) -> None:
    """Write one self-contained HTML report of a watch history (readable while watch runs)."""
    from leaktrail.report.html import render_history
    from leaktrail.watch.history import HistoryError, load_for_report

    db_path = _db_path(db)
    try:
        histories, params, recorded_source = load_for_report(
            db_path, since=time.time() - since if since else None
        )
    except HistoryError as exc:
        raise click.UsageError(str(exc)) from None
    if only:
        histories = [h for h in histories if h.url in only]
    src = source or recorded_source
    links = None
    if src and Path(src).is_dir():
        from leaktrail.watch.linking import SourceLinks

        links, why_not = SourceLinks.open(Path(src))
        if links is None:
            _warn(f"--source: {why_not}")
    html = render_history(
        histories, params=params, source=Path(src) if src else None, links=links, db=str(db_path)
    )
    try:
        Path(output).write_text(html, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"{output}: {exc.strerror or exc}") from None
    n = sum(len(h.samples) for h in histories)
    click.echo(f"leaktrail: wrote {output} ({len(histories)} targets, {n} samples)", err=True)
