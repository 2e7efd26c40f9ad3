"""Parser for debug=1 count profiles (`goroutine profile: total N`, `goroutineleak profile: total N`).

runtime/pprof printCountProfile: a header, then per distinct stack `COUNT @ 0xPC…`, an optional
`# labels: {"k":"v", …}` line, and `#\\t0xPC\\tfunc+0xOFF\\tfile:line` frames (tab-padded columns,
leading runtime frames hidden), closed by a blank line.
"""

from __future__ import annotations

from collections.abc import Iterable

from leaktrail.runtime.aggregate import StackCollector
from leaktrail.runtime.debug2 import read_token
from leaktrail.runtime.model import Form, Frame, Labels, Snapshot

PROFILE_HEADERS = ("goroutine profile: total ", "goroutineleak profile: total ")


def parse_header(line: str) -> tuple[str, int] | None:
    for prefix in PROFILE_HEADERS:
        if line.startswith(prefix) and line[len(prefix) :].strip().isdigit():
            return prefix.split(" ", 1)[0], int(line[len(prefix) :])
    return None


def parse_pprof_labels(text: str) -> Labels | None:
    """`{"k":"v", "k2":"v2"}` as labelMap.String writes it (Go %q quoting, sorted)."""
    if not (text.startswith("{") and text.endswith("}")):
        return None
    if text == "{}":
        return ()
    pairs: list[tuple[str, str]] = []
    pos = 1
    while True:
        tok = read_token(text, pos, ":")
        if tok is None or not text.startswith(":", tok[1]):
            return None
        key = tok[0]
        tok = read_token(text, tok[1] + 1, ",}")
        if tok is None:
            return None
        pairs.append((key, tok[0]))
        pos = tok[1]
        if text.startswith(", ", pos):
            pos += 2
            continue
        if pos == len(text) - 1:
            return tuple(sorted(pairs))
        return None


def parse_frame(line: str, cache: dict[str, Frame | None]) -> Frame | None:
    if line in cache:
        return cache[line]
    cols = [c for c in line.split("\t") if c]
    frame: Frame | None = None
    if len(cols) == 4 and cols[0] == "#" and cols[1].startswith("0x"):
        func, _, off = cols[2].rpartition("+0x")
        file, _, num = cols[3].rpartition(":")
        if func and off and file and num.isdigit():
            frame = Frame(func, file, int(num))
    elif len(cols) == 2 and cols[0] == "#" and cols[1].startswith("0x"):
        # A PC the runtime could not symbolise.
        frame = Frame(cols[1], "?", 0)
    cache[line] = frame
    return frame


def parse_debug1(lines: Iterable[str], source: str) -> Snapshot:
    collector = StackCollector()
    cache: dict[str, Frame | None] = {}
    profile = ""
    declared: int | None = None
    warnings: list[str] = []
    unrecognised = 0
    examples: list[str] = []
    skipped = 0
    count: int | None = None
    labels: Labels = ()
    frames: list[Frame] = []
    last_complete = True
    records_cut = False

    def flush() -> None:
        nonlocal count, labels, frames
        if count is not None:
            collector.add_stack(tuple(frames), count, labels, leaked=profile == "goroutineleak")
        count, labels, frames = None, (), []

    for raw in lines:
        last_complete = raw.endswith("\n")
        line = raw.rstrip("\r\n")
        if not profile:
            header = parse_header(line)
            if header is None:
                if line:
                    skipped += 1
                continue
            profile, declared = header
            continue
        if not line:
            flush()
            continue
        if line.startswith("#\t"):
            frame = parse_frame(line, cache)
            if frame is None or count is None:
                unrecognised += 1
                if len(examples) < 3:
                    examples.append(line[:120])
            else:
                frames.append(frame)
            continue
        if line.startswith("# labels: ") and count is not None:
            parsed = parse_pprof_labels(line[10:])
            if parsed is None:
                unrecognised += 1
                if len(examples) < 3:
                    examples.append(line[:120])
            else:
                labels = parsed
            continue
        head, sep, _pcs = line.partition(" @")
        if sep and head.isdigit():
            flush()
            count = int(head)
            continue
        unrecognised += 1
        if len(examples) < 3:
            examples.append(line[:120])
    if count is not None:
        if not last_complete or not frames:
            records_cut = True
            count = None
        flush()
    if not profile:
        raise ValueError("no debug=1 profile header found")
    truncated = not last_complete or records_cut or (declared is not None and collector.total < declared)
    if truncated:
        warnings.append(
            f"profile is truncated: read {collector.total} of the {declared} goroutines its header declares"
        )
    if unrecognised:
        warnings.append(f"{unrecognised} unrecognised line(s), e.g. " + "; ".join(repr(e) for e in examples))
    return Snapshot(
        source=source,
        form=Form.DEBUG1,
        profile=profile,
        total=collector.total,
        stacks=collector.stacks(),
        warnings=tuple(warnings),
        truncated=truncated,
        declared_total=declared,
        skipped_lines=skipped,
        unrecognised_lines=unrecognised,
    )
