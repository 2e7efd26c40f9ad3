"""The trend test: flags steady climbs within a few samples, never a burst that drains."""

from __future__ import annotations

import math
import random

import pytest

from leaktrail.watch.trend import DEFAULT_PARAMS, TrendParams, mann_kendall, theil_sen, trend


def first_flag(values: list[float], params: TrendParams = DEFAULT_PARAMS) -> int | None:
    """1-based index of the first sample at which the series is flagged, as watch sees it."""
    for i in range(1, len(values) + 1):
        if trend(values[:i], params=params).rising:
            return i
    return None


def test_mann_kendall_by_hand() -> None:
    # 1 2 3 4 5: every pair concordant, S = 10, Var = 5·4·15/18.
    s, z, p = mann_kendall([1, 2, 3, 4, 5])
    assert s == 10
    assert z == pytest.approx(9 / math.sqrt(50 / 3))
    assert p == pytest.approx(0.0136, abs=1e-3)
    # Ties shrink the variance: 1 1 2 2 → S = 4, Var = (4·3·13 − 2·(2·1·9))/18 = 6.67.
    s, z, _ = mann_kendall([1, 1, 2, 2])
    assert s == 4 and z == pytest.approx(3 / math.sqrt(120 / 18))
    assert mann_kendall([3, 3, 3, 3]) == (0, 0.0, 1.0)
    assert mann_kendall([5, 4, 3, 2, 1])[1] < -1.5


def test_theil_sen_ignores_an_outlier() -> None:
    values = [float(2 * i) for i in range(11)]
    values[5] = 1000.0
    assert theil_sen(values) == pytest.approx(2.0)
    assert theil_sen([1, 3, 5], [0.0, 0.5, 1.0]) == pytest.approx(4.0)  # per second


def test_monotone_climb_flags_at_six_samples() -> None:
    values = [10.0 + 5 * i for i in range(20)]
    assert first_flag(values) == 6
    t = trend(values)
    assert t.rising and t.arrow == "↑↑" and t.growth == pytest.approx(95.0)


@pytest.mark.parametrize("rate", [3, 6, 20])
def test_noisy_leak_flags_within_ten_samples(rate: int) -> None:
    rng = random.Random(rate)
    for _ in range(20):
        values = [100.0 + rate * i + rng.randint(-rate, rate) for i in range(30)]
        found = first_flag(values)
        assert found is not None and found <= 10, values


def test_bursts_that_drain_never_flag() -> None:
    rng = random.Random(7)
    for _ in range(60):
        period = rng.randint(4, 12)
        phase = rng.randrange(period)
        height = rng.randint(50, 5000)
        values = []
        for i in range(60):
            k = (i + phase) % period
            v = height if k == 0 else height // 2 if k == 1 else height // 8 if k == 2 else 0
            values.append(float(v + 20 + rng.randint(0, 3)))
        assert first_flag(values) is None, values


def test_one_burst_then_quiet() -> None:
    values = [20.0] * 8 + [900.0, 700.0, 400.0, 100.0] + [20.0] * 20
    assert first_flag(values) is None


def test_small_wobble_is_not_a_leak() -> None:
    # A real climb, but too small to matter with --min-growth 10.
    values = [100.0 + (i % 3 == 0) + i * 0.2 for i in range(20)]
    assert trend(values).p < 0.01
    assert not trend(values).rising
    assert trend(values, params=TrendParams(min_growth=1)).rising


def test_drained_climb_is_cleared() -> None:
    climb = [10.0 * i for i in range(12)]
    assert trend(climb).rising
    assert not trend([*climb, 60.0, 5.0]).rising  # retained < 0.5: it came back down


def test_uses_time_for_the_slope() -> None:
    values = [float(i * 6) for i in range(10)]
    times = [i * 15.0 for i in range(10)]
    t = trend(values, times)
    assert t.per_minute == pytest.approx(24.0)


def test_params_are_checked() -> None:
    with pytest.raises(ValueError):
        TrendParams(window=5, min_samples=6)
    with pytest.raises(ValueError):
        TrendParams(alpha=0.7)
    with pytest.raises(ValueError):
        trend([1, 2], [1.0])
    assert TrendParams().z_threshold == pytest.approx(2.326, abs=1e-3)
