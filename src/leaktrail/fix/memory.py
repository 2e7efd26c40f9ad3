"""The engine's analysis of one directory on text held in memory: `--diff` runs its later rounds on the
fixed text without writing it, and the language server analyses unsaved buffers. Unsaved text is never
cached (the cache is keyed by content, and only `engine.scan` writes it)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from leaktrail.config import Config
from leaktrail.engine import _analyse, _Job, display_path
from leaktrail.model import Finding, Severity
from leaktrail.rules import all_rules
from leaktrail.source.gomod import ModuleFinder


def package_files(directory: Path, config: Config, tests: bool) -> list[Path]:
    """The .go files of `directory` a scan would read (absolute; config excludes and --no-tests applied)."""
    return sorted(
        p.absolute()
        for p in directory.glob("*.go")
        if p.is_file() and not config.is_excluded(p.absolute()) and (tests or not p.name.endswith("_test.go"))
    )


def analyse_directory(
    directory: Path,
    sources: Mapping[Path, bytes],
    config: Config,
    go_version: str | None,
    *,
    confidence: str = "high",
) -> list[Finding]:
    """Findings (display paths, suppressed ones included) of the packages in `directory` whose files are
    `sources` (absolute path -> text)."""
    codes = tuple(r.code for r in all_rules() if config.rule_enabled(r.code))
    job = _Job(directory, tuple(sources), ModuleFinder().for_dir(directory), go_version, codes)
    result = _analyse(job, list(sources.items()))
    infos = {r.code: r.info for r in all_rules()}
    cwd = Path.cwd()
    out = []
    for path, line, col, code, sev, message, suppressed, conf in result.findings:
        if conf == "low" and confidence != "low":
            continue
        info = infos[code]
        severity = config.severity_for(code, Severity(sev))
        shown = display_path(Path(path), cwd)
        out.append(Finding(code, info.slug, severity, shown, line, col, message, suppressed, conf))
    out.sort(key=Finding.sort_key)
    return out
