"""Suppression comments in Go source: ``//leaktrail:ignore`` and golangci-lint's ``//nolint``.

Forms understood (``//`` line comments only, as in golangci-lint; ``/* */`` comments are never directives):

``//leaktrail:ignore GL001,GL002 reason``
    Suppresses the listed rules (commas, optional spaces after them; the reason is free text).
    Without codes (``//leaktrail:ignore reason``) it suppresses every leaktrail rule. It covers its own
    line and, when the comment stands alone on its line, the next line below it (after any comment
    lines directly below, so an explanation can follow the directive). ``// leaktrail:ignore`` (with
    spaces) is accepted too.

``//nolint``, ``//nolint:all``, ``//nolint:leaktrail``, ``//nolint:GL001``,
``//nolint:errcheck,leaktrail // reason``
    Parsed the way golangci-lint's nolint filter parses them: leading ``/`` and spaces are trimmed, so
    ``// nolint`` counts (golangci's nolintlint only *warns* that it should be written ``//nolint``);
    the text must then be ``nolint`` followed by a space, ``:`` or the end; a bare ``nolint`` or
    ``nolint:all`` means every linter; names are comma separated, case-insensitive, and end at ``//``.
    One leniency: a name list also ends at the first word after a name (``//nolint:leaktrail racy on
    purpose``), where golangci would read the linter name "leaktrail racy on purpose".
    ``//nolint:errcheck`` alone does not suppress leaktrail. Like golangci, an inline ``//nolint``
    covers its line, and one standing alone covers the whole statement or declaration that starts on
    the line right below its comment block (a ``func``, a ``go func() {...}()``, a multi-line call);
    a blank line in between breaks the link. The statement's extent is found by bracket matching, an
    approximation of golangci's AST walk that agrees on gofmt-formatted code.

Directives inside string literals are ignored: the source is tokenised into comments and string/rune
literals (raw strings spanning lines included) before looking for directives. That costs one regex
pass, paid only by files that contain ``nolint`` or ``leaktrail:ignore`` somewhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Comments and literals, leftmost first, so a "//" inside a string is never taken for a comment.
_TOKEN = re.compile(
    rb"//[^\n]*"
    rb"|/\*.*?(?:\*/|\Z)"
    rb'|"(?:[^"\\\n]|\\.)*(?:"|$)'
    rb"|'(?:[^'\\\n]|\\.)*(?:'|$)"
    rb"|`[^`]*(?:`|\Z)",
    re.S | re.M,
)
_IGNORE = re.compile(r"leaktrail:ignore(?=\s|$)\s*([Gg][Ll]\d+(?:\s*,\s*[Gg][Ll]\d+)*)?")
_NOLINT = re.compile(r"nolint(?: |:|$)")
_CODE = re.compile(r"gl\d+")

# Masks used to find statement extents: comments vanish, literals become an opaque operand.
_BLANK = bytes(10 if b == 10 else 32 for b in range(256))
_OPERAND = bytes(10 if b == 10 else ord("0") for b in range(256))
_OPEN = frozenset(b"([{")
_CLOSE = frozenset(b")]}")
# A newline ends a Go statement after these (the semicolon-insertion rule, simplified).
_ENDS_STATEMENT = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_)]}")

Codes = frozenset[str] | None
"""Rule codes a directive names; None means every leaktrail rule."""


class Suppressions:
    """Which rules are suppressed on which lines of one Go file."""

    __slots__ = ("_lines",)

    def __init__(self, lines: Mapping[int, Codes] | None = None) -> None:
        self._lines: dict[int, Codes] = dict(lines or {})

    @classmethod
    def from_source(cls, source: bytes) -> Suppressions:
        if b"nolint" not in source and b"leaktrail:ignore" not in source:
            return cls()
        return cls(_Scanner(source).scan())

    def covers(self, line: int, rule: str) -> bool:
        """True when a directive suppresses ``rule`` (e.g. "GL001") at 1-based ``line``."""
        if line not in self._lines:
            return False
        codes = self._lines[line]
        return codes is None or rule.upper() in codes

    def __bool__(self) -> bool:
        return bool(self._lines)

    def __repr__(self) -> str:
        return f"Suppressions({self._lines!r})"


def _parse_directive(comment: bytes) -> tuple[bool, Codes] | None:
    """``(is_nolint, codes)`` for a directive that concerns leaktrail, None for any other comment."""
    text = comment[2:].decode("utf-8", "replace").rstrip("\r").lstrip("/ ")
    if m := _IGNORE.match(text):
        listed = m[1]
        return False, None if listed is None else frozenset(c.strip().upper() for c in listed.split(","))
    if not _NOLINT.match(text):
        return None
    if text.startswith("nolint:all") or not text.startswith("nolint:"):
        return True, None
    names: list[str] = []
    for item in text[len("nolint:") :].split("//", 1)[0].split(","):
        words = item.split()
        if words:
            names.append(words[0].lower())
        if len(words) > 1:
            break  # the rest is an explanation written without "//"
    if "all" in names or "leaktrail" in names:
        return True, None
    codes = frozenset(n.upper() for n in names if _CODE.fullmatch(n))
    return (True, codes) if codes else None


class _Scanner:
    def __init__(self, source: bytes) -> None:
        self.source = source
        self.lines: dict[int, Codes] = {}
        self._masked: list[bytes] | None = None

    def scan(self) -> dict[int, Codes]:
        source = self.source
        standalone_comments: set[int] = set()
        directives: list[tuple[int, bool, bool, Codes]] = []  # line, standalone, is_nolint, codes
        line, counted_to = 1, 0
        for m in _TOKEN.finditer(source):
            start = m.start()
            if source[start : start + 2] != b"//":
                continue
            line += source.count(b"\n", counted_to, start)
            counted_to = start
            line_start = source.rfind(b"\n", 0, start) + 1
            standalone = not source[line_start:start].strip()
            if standalone:
                standalone_comments.add(line)
            comment = m.group()
            if b"nolint" in comment or b"leaktrail:ignore" in comment:
                parsed = _parse_directive(comment)
                if parsed is not None:
                    directives.append((line, standalone, *parsed))
        if not directives:
            return {}
        text_lines = source.split(b"\n")
        for line, standalone, is_nolint, codes in directives:
            self.add(line, line, codes)
            if not standalone:
                continue
            target = line + 1
            while target in standalone_comments:
                target += 1
            if target > len(text_lines) or not text_lines[target - 1].strip():
                continue
            end = self.statement_end(target) if is_nolint else target
            self.add(target, end, codes)
        return self.lines

    def add(self, first: int, last: int, codes: Codes) -> None:
        for line in range(first, last + 1):
            if line in self.lines:
                old = self.lines[line]
                self.lines[line] = None if old is None or codes is None else old | codes
            else:
                self.lines[line] = codes

    def statement_end(self, first: int) -> int:
        """Last line (1-based) of the statement or declaration starting on line ``first``."""
        masked = self.masked()
        depth = 0
        for index in range(first - 1, len(masked)):
            text = masked[index]
            for byte in text:
                if byte in _OPEN:
                    depth += 1
                elif byte in _CLOSE:
                    depth -= 1
                    if depth < 0:  # the enclosing block closes: the statement was this line
                        return index + 1
            stripped = text.rstrip()
            if (
                depth == 0
                and stripped
                and (stripped[-1] in _ENDS_STATEMENT or stripped[-2:] in (b"++", b"--"))
            ):
                return index + 1
        return len(masked)

    def masked(self) -> list[bytes]:
        if self._masked is None:

            def mask(m: re.Match[bytes]) -> bytes:
                token = m.group()
                return token.translate(_BLANK if token[:1] == b"/" else _OPERAND)

            self._masked = _TOKEN.sub(mask, self.source).split(b"\n")
        return self._masked
