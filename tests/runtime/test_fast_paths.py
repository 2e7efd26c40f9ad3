"""`inspect`'s fast paths (issue 13) against the reference paths they stand in for, byte for byte:
the debug=2 stream reader that parses whole goroutines against the line machine, and the per-group
JSON text against `json.dumps` of the group's dict."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from leaktrail.report.inspect import (
    INDENT_MAX_GROUPS,
    JsonTexts,
    group_json,
    group_json_text,
    inspection_json,
    inspection_text,
    render_json,
    render_text,
)
from leaktrail.runtime import debug2, inspect
from leaktrail.runtime.debug2 import parse_debug2
from leaktrail.runtime.model import Inspection, Snapshot

FIXTURES = Path(__file__).parent / "fixtures"

ODD = """\
log line before the dump
panic: boom

goroutine 1 [running]:
panic({0x4b2e60?, 0x4f5c38?})
\t/usr/local/go/src/runtime/panic.go:791 +0x132
main.(*T).run(...)
\t/src/app/main.go:20
main.main()
\t/src/app/main.go:30 +0x1d

goroutine 20 [chan send, 12 minutes]:
main.worker(0xc0000a0000, {0x1, 0x2}, 0x0?)
\t/src/app/worker.go:11 +0x2b
...5 frames elided...
main.loop(...)
\t/src/app/worker.go:40
created by main.start in goroutine 1
\t/src/app/main.go:25 +0x4f
[originating from goroutine 1]:
main.start(...)
\t/src/app/main.go:25 +0x4f

goroutine 21 [chan send, 2 minutes]:
main.worker(0xc0000b0000, {0x3, 0x4}, 0x1?)
\t/src/app/worker.go:11 +0x2b
main.loop(...)
\t/src/app/worker.go:40
created by main.start in goroutine 3
\t/src/app/main.go:25 +0x4f

goroutine 22 [running]:
\tgoroutine running on other thread; stack unavailable
created by main.start in goroutine 1
\t/src/app/main.go:26 +0x4f

goroutine 23 [select]:
main.weird()
\tthis is not a location
main.weird()
\t/src/app/weird.go:1 +0x1
created by main.f(x)
\t/src/app/main.go:27 +0x4f

goroutine 24 [chan receive (nil chan) (leaked)] {"k é": "v\\"x\\u00e9", tenant: a}:
main.nilrecv()
\t/src/app/nil.go:3 +0x1
created by main.start in goroutine 1
\t/src/app/main.go:28 +0x4f


goroutine 25 [IO wait, locked to thread]:
main.io()
\t/src/app/io.go:3 +0x1
exit status 2
FAIL\texample.com/app\t1.234s
"""


def _texts() -> dict[str, str]:
    leak = (FIXTURES / "goroutineleak.debug2.txt").read_text()
    plain = (FIXTURES / "goroutine.debug2.txt").read_text()
    texts = {"leak": leak, "plain": plain, "odd": ODD}
    texts["crlf"] = leak.replace("\n", "\r\n")
    texts["crlf-part"] = leak[:3000].replace("\n", "\r\n") + leak[3000:]
    texts["lone-cr"] = leak[:2000] + "\r" + leak[2000:]
    texts["blank-lines"] = leak.replace("\n\n", "\n\n\n")
    texts["tab-function"] = leak.replace("\nmain.", "\n\tmain.", 2)
    texts["no-final-newline"] = leak.rstrip("\n")
    for cut in (1, 57, len(leak) // 3, len(leak) // 2 + 11, len(leak) - 2):
        texts[f"cut-{cut}"] = leak[:cut]
    texts["cut-at-line"] = leak[: leak.index("\n", len(leak) // 2) + 1]
    return texts


def _frames(snap: Snapshot) -> list[list[tuple[str, str, int, bool]]]:
    """Frames with what equality leaves out (the inlined mark)."""
    return [[(f.function, f.file, f.line, f.inlined) for f in s.frames] for s in snap.stacks]


@pytest.mark.parametrize("name", sorted(_texts()))
def test_stream_reader_matches_the_line_machine(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _texts()[name]
    reference = parse_debug2(list(io.StringIO(text, newline="")), "dump")  # lines as a text file yields them
    for chunk in (1, 7, 64, 4096, debug2.CHUNK):
        got = parse_debug2(io.StringIO(text, newline=""), "dump", chunk=chunk)
        assert got == reference, chunk
        assert _frames(got) == _frames(reference)
    # Text with no blank line for long (a CRLF dump) is handed to the line machine in pieces.
    monkeypatch.setattr(debug2, "_CARRY_MAX", 100)
    got = parse_debug2(io.StringIO(text, newline=""), "dump", chunk=64)
    assert got == reference and _frames(got) == _frames(reference)


def test_repeated_goroutines_are_parsed_once_and_counted_each() -> None:
    block = (
        "main.wait(0x0?)\n\t/src/app/w.go:3 +0x1\n"
        "created by main.main in goroutine 1\n\t/src/app/m.go:9 +0x2\n"
    )
    text = "".join(f"goroutine {i} [chan receive]:\n{block}\n" for i in range(2, 2002))
    snap = parse_debug2(io.StringIO(text), "dump")
    assert snap.total == 2000 and len(snap.stacks) == 1
    assert snap.stacks[0].ids == tuple(range(2, 12)) and snap.stacks[0].parent_ids == (1,)


def _odd_inspections() -> list[tuple[str, object]]:
    snaps = [
        parse_debug2(io.StringIO(t), name)
        for name, t in (
            ("leak", (FIXTURES / "goroutineleak.debug2.txt").read_text()),
            ("plain", (FIXTURES / "goroutine.debug2.txt").read_text()),
            ("odd", ODD),
        )
    ]
    return [(by, inspect(s, by)) for s in snaps for by in ("stack", "top", "created-by", "label:tenant")]


def test_group_json_text_is_json_dumps_of_group_json() -> None:
    checked = 0
    for _, ins in _odd_inspections():
        texts = JsonTexts()
        for v in ins.verdicts:  # type: ignore[attr-defined]
            assert group_json_text(v, None, texts) == json.dumps(group_json(v))
            checked += 1
    assert checked > 50


_CONTROL_DUMP = (
    'goroutine 5 [chan receive, 3 minutes] {"k\\r": "a\\u0007b\\x0c", tenant: t1}:\n'
    "main.f()\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1\n\t/a.go:9 +0x2\n"
)


def test_plain_text_is_the_plain_text_of_the_rich_lines() -> None:
    """Uncoloured text skips rich's Text objects; it must read exactly as their plain text, control codes
    in label values stripped as rich strips them."""
    cases = [*_odd_inspections(), ("stack", inspect(parse_debug2(io.StringIO(_CONTROL_DUMP), "ctl")))]
    for _, ins in cases:
        assert isinstance(ins, Inspection)
        assert render_text([ins]) == "\n".join(t.plain for t in inspection_text(ins))
    control = inspect(parse_debug2(io.StringIO(_CONTROL_DUMP), "ctl"))
    assert control.verdicts[0].group.labels[0][0][0] == ("k\r", "a\x07b\x0c")
    assert "labels {k: ab, tenant: t1}" in render_text([control])


def _distinct_dump(n: int) -> str:
    """n goroutines whose stacks all differ (a frame line per goroutine), with labels on some."""
    out = []
    for i in range(n):
        labels = f' {{"job id": "j{i % 3}"}}' if i % 2 else ""
        out.append(
            f"goroutine {i + 2} [chan receive, {i % 20} minutes]{labels}:\n"
            f"main.handler{i % 7}(0x{i:x})\n\t/srv/h.go:{i + 1} +0x1f\n"
            "main.serve(...)\n\t/srv/s.go:10\n"
            f"created by main.main in goroutine 1\n\t/srv/m.go:{i % 5 + 1} +0x2\n\n"
        )
    return "".join(out)


def test_render_json_of_many_groups_is_the_documents_json() -> None:
    n = INDENT_MAX_GROUPS + 200
    a = inspect(parse_debug2(io.StringIO(_distinct_dump(n)), "a"))
    b = inspect(parse_debug2(io.StringIO(_distinct_dump(n // 2)), "b"))
    assert len(a.verdicts) == n
    one = render_json([a])
    assert json.loads(one) == json.loads(json.dumps(inspection_json(a)))
    lines = one.splitlines()
    assert sum(1 for line in lines if line.startswith('    {"key": ')) == n  # one group per line
    both = render_json([a, b])
    assert json.loads(both) == json.loads(json.dumps([inspection_json(a), inspection_json(b)]))
