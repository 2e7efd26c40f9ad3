"""Is a goroutine count climbing? Mann–Kendall over a sliding window, sized with a Theil–Sen slope.

A single comparison (now vs. then) fires on every burst. Mann–Kendall asks instead whether later samples
are larger than earlier ones more often than chance allows: it looks at the order of the samples, not
their size, so one huge spike weighs no more than a small step, and a burst that comes back down cancels
its own rise. Theil–Sen (the median of all pairwise slopes) says how fast the climb is, without letting an
outlier drag it. Three checks must agree before a group is flagged:

1. Mann–Kendall's one-sided p-value is below `alpha` (the climb is not chance);
2. the Theil–Sen slope times the window's span is at least `min_growth` goroutines (the climb matters);
3. the last sample keeps at least `retain` of the window's range (the climb has not drained).

Pure functions: no I/O, no clocks; the window is whatever the caller passes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, median

_NORMAL = NormalDist()


@dataclass(frozen=True, slots=True)
class TrendParams:
    window: int = 20
    """Samples the test looks at (the most recent ones)."""
    min_samples: int = 6
    """Fewer samples than this never flag: a monotone climb reaches p < 0.01 at 6 samples."""
    alpha: float = 0.01
    """One-sided significance level of the Mann–Kendall test."""
    min_growth: float = 10.0
    """Goroutines the Theil–Sen line must gain across the window."""
    retain: float = 0.5
    """Share of the window's range (max − min) the last sample must still hold above the minimum."""

    def __post_init__(self) -> None:
        if self.window < 3 or self.min_samples < 3 or self.min_samples > self.window:
            raise ValueError("need 3 <= min-samples <= window")
        if not 0 < self.alpha < 0.5:
            raise ValueError("alpha must be between 0 and 0.5")
        if not 0 <= self.retain <= 1:
            raise ValueError("retain must be between 0 and 1")

    @property
    def z_threshold(self) -> float:
        return _NORMAL.inv_cdf(1 - self.alpha)


DEFAULT_PARAMS = TrendParams()


@dataclass(frozen=True, slots=True)
class Trend:
    n: int
    s: int
    """Mann–Kendall S: concordant minus discordant pairs."""
    z: float
    p: float
    """One-sided p-value for an increasing trend."""
    slope: float
    """Theil–Sen slope in goroutines per second (per sample when no times are given)."""
    growth: float
    """slope × span of the window: what the fitted line gained."""
    retained: float
    """(last − min) / (max − min); 1.0 for a flat series."""
    rising: bool
    """All three checks passed."""

    @property
    def per_minute(self) -> float:
        return self.slope * 60

    @property
    def arrow(self) -> str:
        if self.rising:
            return "↑↑"
        if self.z >= 1.0 and self.slope > 0:
            return "↗"
        if self.z <= -1.0 and self.slope < 0:
            return "↘"
        return "→"


def mann_kendall(values: Sequence[float]) -> tuple[int, float, float]:
    """(S, Z, one-sided p for an increase), with the variance corrected for ties."""
    n = len(values)
    s = 0
    for i in range(n - 1):
        vi = values[i]
        for j in range(i + 1, n):
            d = values[j] - vi
            s += (d > 0) - (d < 0)
    ties = Counter(values).values()
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    if var <= 0:
        return s, 0.0, 1.0
    # Continuity correction: S moves in steps of 2.
    z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0.0
    return s, z, 1 - _NORMAL.cdf(z)


def theil_sen(values: Sequence[float], times: Sequence[float] | None = None) -> float:
    """Median of the slopes between every pair of samples (pairs at the same time are skipped)."""
    xs = times if times is not None else range(len(values))
    slopes = [
        (values[j] - values[i]) / (xs[j] - xs[i])
        for i in range(len(values) - 1)
        for j in range(i + 1, len(values))
        if xs[j] != xs[i]
    ]
    return median(slopes) if slopes else 0.0


def trend(
    values: Sequence[float], times: Sequence[float] | None = None, params: TrendParams = DEFAULT_PARAMS
) -> Trend:
    """Test the last `params.window` samples (`times` in seconds, same length, increasing)."""
    if times is not None and len(times) != len(values):
        raise ValueError("values and times differ in length")
    values = list(values[-params.window :])
    ts = list(times[-params.window :]) if times is not None else None
    n = len(values)
    if n < 2:
        return Trend(n, 0, 0.0, 1.0, 0.0, 0.0, 1.0, False)
    s, z, p = mann_kendall(values)
    slope = theil_sen(values, ts)
    span = (ts[-1] - ts[0]) if ts is not None else n - 1
    growth = slope * span
    lo, hi = min(values), max(values)
    retained = 1.0 if hi == lo else (values[-1] - lo) / (hi - lo)
    rising = (
        n >= params.min_samples
        and p < params.alpha
        and growth >= params.min_growth
        and retained >= params.retain
    )
    return Trend(n, s, z, p, slope, growth, retained, rising)
