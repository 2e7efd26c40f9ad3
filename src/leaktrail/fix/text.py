"""Byte-level editing of Go source: where statements start and end on their lines, and gofmt-clean
insertions and deletions (a new line gets the indentation of its neighbour, a removed statement takes its
whole line), so fixed files need no formatter."""

from __future__ import annotations

from dataclasses import dataclass

from leaktrail.model import Edit
from leaktrail.source.parse import Node


@dataclass(frozen=True)
class ByteEdit:
    """Replace source[start:end] with text (byte offsets; converted to an Edit for reports)."""

    start: int
    end: int
    text: str


def line_start(src: bytes, offset: int) -> int:
    return src.rfind(b"\n", 0, offset) + 1


def line_end(src: bytes, offset: int) -> int:
    """Offset of the newline that ends the line of `offset` (len(src) on the last line)."""
    i = src.find(b"\n", offset)
    return len(src) if i < 0 else i


def indent_of(src: bytes, offset: int) -> str:
    start = line_start(src, offset)
    i = start
    while i < len(src) and src[i : i + 1] in (b" ", b"\t"):
        i += 1
    return src[start:i].decode()


def starts_line(src: bytes, node: Node) -> bool:
    return not src[line_start(src, node.start_byte) : node.start_byte].strip()


def ends_line(src: bytes, node: Node) -> bool:
    """Nothing but blanks or a // comment follows `node` on its last line."""
    rest = src[node.end_byte : line_end(src, node.end_byte)].strip()
    return not rest or rest.startswith(b"//")


def insert_after(src: bytes, stmt: Node, line: str) -> ByteEdit | None:
    """A new line after `stmt` (after its trailing comment), indented like `stmt`."""
    if not (starts_line(src, stmt) and ends_line(src, stmt)):
        return None
    at = line_end(src, stmt.end_byte)
    return ByteEdit(at, at, "\n" + indent_of(src, stmt.start_byte) + line)


def insert_before(src: bytes, stmt: Node, *lines: str) -> ByteEdit | None:
    """New lines before `stmt`, indented like it; inline (`line; stmt`) when `stmt` shares its line."""
    if starts_line(src, stmt):
        at = line_start(src, stmt.start_byte)
        indent = indent_of(src, stmt.start_byte)
        return ByteEdit(at, at, "".join(indent + ln + "\n" for ln in lines))
    return ByteEdit(stmt.start_byte, stmt.start_byte, "".join(ln + "; " for ln in lines))


def delete_statement(src: bytes, stmt: Node) -> ByteEdit | None:
    """Remove `stmt`: its whole line when it is alone there (a trailing comment about it goes too),
    otherwise the statement and one `;` separator."""
    if starts_line(src, stmt) and ends_line(src, stmt):
        start = line_start(src, stmt.start_byte)
        end = line_end(src, stmt.end_byte)
        return ByteEdit(start, min(end + 1, len(src)), "")
    after = src[stmt.end_byte :]
    stripped = after.lstrip(b" \t")
    if stripped.startswith(b";"):
        skip = len(after) - len(stripped) + 1
        rest = after[skip:]
        skip += len(rest) - len(rest.lstrip(b" \t"))
        return ByteEdit(stmt.start_byte, stmt.end_byte + skip, "")
    before = src[: stmt.start_byte]
    trimmed = before.rstrip(b" \t")
    if trimmed.endswith(b";"):
        return ByteEdit(len(trimmed) - 1, stmt.end_byte, "")
    return None


def to_edit(src: bytes, path: str, e: ByteEdit) -> Edit:
    sl, sc = position(src, e.start)
    el, ec = position(src, e.end)
    return Edit(path, sl, sc, el, ec, e.text)


def position(src: bytes, offset: int) -> tuple[int, int]:
    """1-based line and byte column of `offset`."""
    return src.count(b"\n", 0, offset) + 1, offset - line_start(src, offset) + 1


def offset_of(src: bytes, line: int, column: int) -> int | None:
    """Byte offset of a 1-based line and byte column (None when outside the file)."""
    start = 0
    for _ in range(line - 1):
        nl = src.find(b"\n", start)
        if nl < 0:
            return None
        start = nl + 1
    off = start + column - 1
    end = line_end(src, start)
    return off if off <= end + (1 if end < len(src) else 0) else None


def overlaps(a: ByteEdit, b: ByteEdit) -> bool:
    """Two edits touch the same bytes, or insert at the same point (their order would be a guess)."""
    if a.start == b.start:
        return True
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return max(a.start, b.start) < min(a.end, b.end)


def apply(src: bytes, edits: list[ByteEdit]) -> bytes:
    out = src
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: e.start] + e.text.encode() + out[e.end :]
    return out
