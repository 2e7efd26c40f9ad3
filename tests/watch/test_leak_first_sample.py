"""Issue 15's fix: `watch` asks for the goroutineleak profile with its first sample, so a watch shorter than
--leak-interval still records the runtime's proof (it used to report 0 proven leaked goroutines)."""

from __future__ import annotations

from pathlib import Path

from watchtools import get, service

from leaktrail.watch.history import History, open_for_reading, open_for_writing, read_history
from leaktrail.watch.watcher import Watcher, WatchOptions


def test_first_sample_fetches_the_leak_profile(soak_bin: Path, tmp_path: Path) -> None:
    with service(soak_bin, "-mode", "leak", "-per", "20") as url:
        for _ in range(10):
            get(url + "/work")
        history = History(open_for_writing(tmp_path / "h.db"), {})
        # A watch far shorter than the default 5-minute --leak-interval.
        w = Watcher([url], WatchOptions(interval=5.0, duration=2.0, timeout=5.0), history=history)
        w.run()
        history.close()
    t = w.targets[0]
    assert t.samples == 1
    assert t.leak_served is True
    proven = sum(t.leaked.values())
    assert proven >= 150, t.leaked  # 10 requests × 20 workers, all but the few that answered in 1 ms
    assert any(a.kind == "leaked" and a.function == "main.compute" for a in w.alerts)
    conn = open_for_reading(tmp_path / "h.db")
    (h,) = read_history(conn)
    conn.close()
    assert len(h.leak_samples) == 1 and h.leak_samples[0].error is None
    good = h.samples[0]
    leaked = sum(per[good.id][1] for per in h.counts.values() if good.id in per)
    assert leaked == proven
