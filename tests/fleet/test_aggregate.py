"""The aggregate does not depend on the order results arrive in, and counts each target once."""

from __future__ import annotations

import random
from pathlib import Path

from fleettools import Recording

from leaktrail.fleet import FleetOptions, analyse_target, fold, load_targets


def test_order_does_not_matter_and_duplicates_are_dropped(
    tmp_path: Path, recordings: list[Recording]
) -> None:
    for i in range(24):
        d = tmp_path / ("orders", "billing", "search")[i % 3] / f"pod-{i:02d}"
        d.mkdir(parents=True)
        rec = recordings[(i * 7) % len(recordings)]
        (d / "goroutine.pb.gz").write_bytes(rec.goroutine)
        if i % 5:
            (d / "goroutineleak.pb.gz").write_bytes(rec.leak)
    opts = FleetOptions(keep=20)  # every group of every instance kept
    results = [analyse_target(t, opts) for t in load_targets(tmp_path)]
    assert all(r.error is None for r in results)
    reference = fold(results).to_json(timings=False)
    rng = random.Random(15)
    for _ in range(5):
        shuffled = results + rng.sample(results, 6)  # a rerun after a worker died sends some twice
        rng.shuffle(shuffled)
        fleet = fold(shuffled, expected=len(results))
        assert fleet.duplicates == 6
        assert fleet.to_json(timings=False) == reference
    # Instances without a leak profile count as leaking only where they are suspect (none here).
    g = next(g for g in fold(results).ranked() if g.service == "orders" and g.function == "main.nilSend")
    assert g.instances == 8 and g.leaking_instances == 6
