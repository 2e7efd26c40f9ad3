"""Fixtures of the watch tests; they live in watchtools.py with the helpers they use."""

from watchtools import fake, soak_bin, watch_run

__all__ = ["fake", "soak_bin", "watch_run"]
