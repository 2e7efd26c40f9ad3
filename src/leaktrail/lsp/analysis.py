"""One package (directory) at a time, as the editor sees it: saved files through the scan cache, buffers with
unsaved changes analysed from memory; .leaktrail.toml and suppression comments apply as in `scan`, and
every finding comes with its fix (or the reason for none) computed on the same text."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from leaktrail.config import Config, ConfigError, find_config, load_config
from leaktrail.engine import ScanOptions, scan
from leaktrail.fix import fix_source
from leaktrail.fix.memory import analyse_directory, package_files
from leaktrail.model import Finding
from leaktrail.rules import rule_infos


@dataclass
class PackageResult:
    findings: dict[Path, list[Finding]] = field(default_factory=dict)
    """Per absolute file path: unsuppressed findings with fix / no_fix, paths absolute."""
    sources: dict[Path, bytes] = field(default_factory=dict)
    """The text each file had when it was analysed (fix positions refer to it)."""
    config_error: str = ""


def cache_dir() -> Path:
    env = os.environ.get("LEAKTRAIL_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("leaktrail"))


def load_package_config(directory: Path) -> tuple[Config, str]:
    try:
        return load_config(find_config(directory), rule_infos().keys()), ""
    except ConfigError as e:
        return Config(), str(e)


def analyse_package(directory: Path, overlays: Mapping[Path, bytes]) -> PackageResult:
    """Findings of the package in `directory`; `overlays` maps open files to their unsaved text."""
    config, error = load_package_config(directory)
    tests = True if config.tests is None else bool(config.tests)
    files = package_files(directory, config, tests)
    out = PackageResult(config_error=error)
    sources: dict[Path, bytes] = {}
    for p in files:
        try:
            sources[p] = overlays[p] if p in overlays else p.read_bytes()
        except OSError:
            continue
    out.sources = sources
    if not sources:
        return out
    dirty = any(p in overlays and overlays[p] != _disk(p) for p in sources)
    raw: list[Finding]
    if not dirty:
        options = ScanOptions(
            config=config, go_version=config.go_version, tests=tests, jobs=1, cache_dir=cache_dir()
        )
        result = scan([str(p) for p in sources], options)
        raw = [_absolute(f) for f in result.findings]
    else:
        raw = [_absolute(f) for f in analyse_directory(directory, sources, config, config.go_version)]
    by_file: dict[Path, list[Finding]] = {}
    for f in raw:
        if not f.suppressed and f.confidence == "high":
            by_file.setdefault(Path(f.path), []).append(f)
    for path, fs in by_file.items():
        src = sources.get(path)
        out.findings[path] = fix_source(fs, src) if src is not None else fs
    return out


def _disk(p: Path) -> bytes | None:
    try:
        return p.read_bytes()
    except OSError:
        return None


def _absolute(f: Finding) -> Finding:
    import dataclasses

    return dataclasses.replace(f, path=str(Path(f.path).absolute()))
