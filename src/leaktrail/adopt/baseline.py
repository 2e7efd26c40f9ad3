"""`--write-baseline` / `--baseline`: accept today's findings, report only those not in the file.

A baseline entry is a fingerprint that survives unrelated edits: the rule, the file, the enclosing
function and the reported line's text with its whitespace collapsed, plus an occurrence index for
identical lines — never the line number, which moves with every edit above it. A file that was moved or
renamed keeps its entries when the same rule, function and text turn up in a file the baseline does not
know and the baseline's file is gone. The file is sorted JSON so it reads well in review; entries that
match nothing any more are stale (the finding was fixed, or its line changed) and are counted.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leaktrail.model import Finding

FORMAT_VERSION = 1
_SPACE = re.compile(r"\s+")
_FUNC = re.compile(rb"^func\s*(?:\(\s*(?:\w+\s+)?\*?\s*([\w.]+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)")


class BaselineError(Exception):
    """One line for the user: the baseline file cannot be read or written (exit 2)."""


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    path: str
    """Relative to the baseline file's directory, POSIX separators."""
    rule: str
    function: str
    """`Type.Method`, `Func`, or empty at package level."""
    text: str
    """The reported line, whitespace collapsed."""
    occurrence: int
    """1 for the first finding with this (path, rule, function, text), 2 for the next, …"""

    def loose(self) -> tuple[str, str, str, int]:
        return (self.rule, self.function, self.text, self.occurrence)


@dataclass(frozen=True)
class Outcome:
    new: list[Finding]
    known: int
    """Findings the baseline accepts (hidden)."""
    stale: int
    """Baseline entries that matched no finding."""


class _Sources:
    """Lines and enclosing functions of the reported files, each file read once."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self._lines: dict[Path, list[bytes]] = {}

    def absolute(self, f: Finding) -> Path:
        p = Path(f.path)
        return (p if p.is_absolute() else self.cwd / p).resolve()

    def lines(self, path: Path) -> list[bytes]:
        got = self._lines.get(path)
        if got is None:
            try:
                got = path.read_bytes().splitlines()
            except OSError:
                got = []
            self._lines[path] = got
        return got

    def text(self, path: Path, line: int) -> str:
        lines = self.lines(path)
        raw = lines[line - 1] if 0 < line <= len(lines) else b""
        return _SPACE.sub(" ", raw.decode("utf-8", "replace")).strip()

    def function(self, path: Path, line: int) -> str:
        """The top-level func declaration the line sits in: gofmt puts every one at column 0, and a
        package-level line before the next `func` still belongs to nothing once a `}` closed it."""
        lines = self.lines(path)
        for i in range(min(line, len(lines)) - 1, -1, -1):
            raw = lines[i]
            if raw.startswith(b"}") and i < line - 1:
                return ""
            m = _FUNC.match(raw)
            if m is not None:
                recv, name = m.group(1), m.group(2)
                return (f"{recv.decode()}." if recv else "") + name.decode()
        return ""


def _entries(findings: Sequence[Finding], base: Path, sources: _Sources) -> list[tuple[Entry, Finding]]:
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out: list[tuple[Entry, Finding]] = []
    for f in sorted(findings, key=Finding.sort_key):
        path = sources.absolute(f)
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            rel = path.as_posix()
        key = (rel, f.rule, sources.function(path, f.line), sources.text(path, f.line))
        seen[key] += 1
        out.append((Entry(*key, seen[key]), f))
    return out


def write_baseline(file: Path, findings: Sequence[Finding], cwd: Path) -> int:
    """Record every unsuppressed finding; returns how many."""
    base = file.absolute().parent.resolve()
    entries = sorted(e for e, f in _entries([f for f in findings if not f.suppressed], base, _Sources(cwd)))
    doc = {
        "tool": "leaktrail",
        "version": FORMAT_VERSION,
        "findings": [
            {
                "path": e.path,
                "rule": e.rule,
                "function": e.function,
                "text": e.text,
                "occurrence": e.occurrence,
            }
            for e in entries
        ],
    }
    try:
        file.write_text(
            json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
    except OSError as e:
        raise BaselineError(f"--write-baseline {file}: {e.strerror or e}") from None
    return len(entries)


def read_baseline(file: Path) -> list[Entry]:
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except OSError as e:
        raise BaselineError(f"--baseline {file}: {e.strerror or e}") from None
    except ValueError as e:
        raise BaselineError(f"--baseline {file}: not JSON ({e})") from None
    try:
        if doc.get("tool") != "leaktrail" or int(doc["version"]) != FORMAT_VERSION:
            raise BaselineError(
                f"--baseline {file}: not a leaktrail baseline of format {FORMAT_VERSION} "
                "(write one with --write-baseline)"
            )
        return [
            Entry(str(d["path"]), str(d["rule"]), str(d["function"]), str(d["text"]), int(d["occurrence"]))
            for d in doc["findings"]
        ]
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BaselineError(
            f"--baseline {file}: malformed entry (write it again with --write-baseline)"
        ) from None


def apply_baseline(file: Path, findings: Sequence[Finding], cwd: Path) -> Outcome:
    """Findings not in the baseline (suppressed ones pass through untouched), and the counts."""
    base = file.absolute().parent.resolve()
    entries = read_baseline(file)
    remaining = Counter(entries)
    active = [f for f in findings if not f.suppressed]
    pairs = _entries(active, base, _Sources(cwd))
    unmatched: list[tuple[Entry, Finding]] = []
    known = 0
    for e, f in pairs:
        if remaining[e] > 0:
            remaining[e] -= 1
            known += 1
        else:
            unmatched.append((e, f))
    # Moved or renamed files: an entry whose file is gone matches the same rule, function and text in a
    # file the baseline does not mention.
    gone: dict[tuple[str, str, str, int], list[Entry]] = defaultdict(list)
    baseline_paths = {e.path for e in entries}
    for e, n in remaining.items():
        if n > 0 and not (base / e.path).exists():
            gone[e.loose()].extend([e] * n)
    new_ids: set[int] = set()
    for e, f in unmatched:
        candidates = gone.get(e.loose())
        if candidates and e.path not in baseline_paths:
            moved = candidates.pop()
            remaining[moved] -= 1
            known += 1
        else:
            new_ids.add(id(f))
    new = [f for f in findings if f.suppressed or id(f) in new_ids]
    return Outcome(new, known, sum(n for n in remaining.values() if n > 0))
