"""Run the static scan over the source tree a dump is read against (config, cache and all)."""

from __future__ import annotations

import os
from pathlib import Path

from leaktrail.model import Finding


class ScanError(Exception):
    """The source tree cannot be scanned (bad config): one line."""


def default_cache_dir() -> Path:
    env = os.environ.get("LEAKTRAIL_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("leaktrail"))


def scan_source(root: Path, *, cache: bool = True) -> tuple[list[Finding], list[str]]:
    """Findings (display paths, relative to the current directory) and warnings for every Go file under
    `root`, with the nearest .leaktrail.toml applied as `leaktrail scan` would."""
    from leaktrail.config import ConfigError, find_config, load_config
    from leaktrail.engine import ScanOptions, scan
    from leaktrail.rules import rule_infos
    from leaktrail.source.discovery import DiscoveryError

    try:
        config = load_config(find_config(root), rule_infos().keys())
        options = ScanOptions(
            config=config,
            go_version=config.go_version,
            tests=True if config.tests is None else config.tests,
            cache_dir=default_cache_dir() if cache else None,
        )
        result = scan([str(root)], options)
    except (ConfigError, DiscoveryError) as exc:
        raise ScanError(str(exc)) from None
    return result.findings, result.warnings
