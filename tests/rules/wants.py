"""Read the expectations written into the rule testdata (go vet analysistest style).

A line that a rule must report ends with a comment `// want "GL001"` (one or more quoted rule
codes: `// want "GL001" "GL002"`; backquotes work too). Lines without one must stay silent.

Testdata is split into *cases*: a top-level comment that starts with `// bad:` or `// ok:` opens a
case, which runs until the next such comment in the same file (or the end of the file). A `bad`
case holds at least one want, an `ok` case holds none. The case comments are how the tests count
positive and negative cases.

Comments are found with a small Go lexer (strings, raw strings, runes, block comments), so a
`// want` inside a string literal is not an expectation, and text that merely mentions "want" in
prose is not one either: the comment has to *start* with `want`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

RULE_CODE = re.compile(r"GL\d{3}")
RULE_DIR = re.compile(r"(?P<code>GL\d{3})(?:_go1(?P<minor>\d+))?")
"""A rule's testdata folder: `GL012`, or a variant pinned to another Go version such as `GL012_go121`."""


def rule_of(folder: str) -> str:
    m = RULE_DIR.fullmatch(folder)
    assert m is not None, folder
    return m.group("code")


def go_line_of(folder: str) -> str:
    m = RULE_DIR.fullmatch(folder)
    assert m is not None, folder
    return f"go 1.{m.group('minor')}" if m.group("minor") else "go 1.22"


_WANT_START = re.compile(r"want\b")
_WANT = re.compile(r"""want((?:\s+(?:"[^"\\\n]*"|`[^`\n]*`))+)\s*""")
_QUOTED = re.compile(r""""([^"\\\n]*)"|`([^`\n]*)`""")
_CASE = re.compile(r"(bad|ok):")

Want = tuple[Path, int, str]
"""(absolute path, 1-based line, rule code)."""


class WantSyntaxError(ValueError):
    """A comment that starts with `want` but is not a well-formed expectation."""


@dataclass(frozen=True, slots=True)
class Comment:
    line: int
    """1-based line of the `//`."""
    column: int
    """0-based column of the `//` (0 for a comment at the start of the line)."""
    text: str
    """Everything after the `//`, up to the end of the line."""


@dataclass(frozen=True, slots=True)
class Case:
    path: Path
    kind: str
    """"bad" (must be reported) or "ok" (must stay silent)."""
    title: str
    start: int
    """Line of the opening `// bad:` / `// ok:` comment."""
    end: int
    """Last line of the case (the line before the next case comment, or the file's last line)."""


def go_files(root: Path) -> list[Path]:
    """The .go files the go tool would see under root (skips testdata/, vendor/ and _/. dirs)."""
    root = root.resolve()
    found: list[Path] = []
    for path in root.rglob("*.go"):
        parts = path.relative_to(root).parts[:-1]
        if any(p == "testdata" or p == "vendor" or p.startswith((".", "_")) for p in parts):
            continue
        found.append(path)
    return sorted(found)


def line_comments(source: str) -> Iterator[Comment]:
    """Yield the `//` comments of Go source, skipping string, rune and block-comment contents."""
    i, n, line, line_start = 0, len(source), 1, 0
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
            line_start = i + 1
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            yield Comment(line, i - line_start, source[i + 2 : end].rstrip("\r"))
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            for j in range(i, end):
                if source[j] == "\n":
                    line += 1
                    line_start = j + 1
            i = end
        elif c == "`":
            end = source.find("`", i + 1)
            end = n if end < 0 else end + 1
            for j in range(i, end):
                if source[j] == "\n":
                    line += 1
                    line_start = j + 1
            i = end
        elif c in "\"'":
            i += 1
            while i < n and source[i] != c and source[i] != "\n":
                i += 2 if source[i] == "\\" else 1
            i += 1 if i < n and source[i] == c else 0
        else:
            i += 1


def parse_want(text: str) -> list[str] | None:
    """The rule codes of a comment's text, or None when the comment is not a want."""
    stripped = text.strip()
    if not _WANT_START.match(stripped):
        return None
    m = _WANT.fullmatch(stripped)
    if m is None:
        raise WantSyntaxError(f"malformed want comment: //{text}")
    codes = [a if a else b for a, b in _QUOTED.findall(m.group(1))]
    for code in codes:
        if not RULE_CODE.fullmatch(code):
            raise WantSyntaxError(f"want names {code!r}, not a rule code like GL001: //{text}")
    return codes


def file_wants(path: Path) -> set[Want]:
    path = path.resolve()
    wants: set[Want] = set()
    for comment in line_comments(path.read_text(encoding="utf-8")):
        try:
            codes = parse_want(comment.text)
        except WantSyntaxError as exc:
            raise WantSyntaxError(f"{path}:{comment.line}: {exc}") from None
        for code in codes or ():
            wants.add((path, comment.line, code))
    return wants


def collect_wants(root: Path) -> set[Want]:
    """Every (absolute path, line, rule code) that a `// want` comment under root expects."""
    wants: set[Want] = set()
    for path in go_files(root):
        wants |= file_wants(path)
    return wants


def file_cases(path: Path) -> list[Case]:
    path = path.resolve()
    source = path.read_text(encoding="utf-8")
    last_line = source.count("\n") + (0 if source.endswith("\n") else 1)
    openings: list[tuple[int, str, str]] = []
    for comment in line_comments(source):
        if comment.column != 0:
            continue
        m = _CASE.match(comment.text.strip())
        if m and comment.text.startswith(" "):
            openings.append((comment.line, m.group(1), comment.text.strip()[m.end() :].strip()))
    cases: list[Case] = []
    for k, (start, kind, title) in enumerate(openings):
        end = openings[k + 1][0] - 1 if k + 1 < len(openings) else last_line
        cases.append(Case(path, kind, title, start, end))
    return cases


def collect_cases(root: Path) -> list[Case]:
    """The `// bad:` / `// ok:` cases of every Go file under root, in file and line order."""
    cases: list[Case] = []
    for path in go_files(root):
        cases.extend(file_cases(path))
    return cases


def case_of(cases: list[Case], want: Want) -> Case | None:
    path, line, _ = want
    for case in cases:
        if case.path == path and case.start <= line <= case.end:
            return case
    return None
