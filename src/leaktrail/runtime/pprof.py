"""Reader for debug=0 goroutine profiles: gzipped profile.proto, decoded with the protobuf library."""

from __future__ import annotations

from typing import Any

from leaktrail.runtime.aggregate import StackCollector
from leaktrail.runtime.model import Form, Frame, Labels, Snapshot

GOROUTINE_SAMPLE_TYPES = ("goroutine", "goroutineleak")


class ProfileError(ValueError):
    pass


def decode_profile(data: bytes) -> Any:
    """The generated message class is built at import time, so type checkers see it as Any. protobuf is
    imported here, when a profile.proto is read: a dump needs none of it, and it is slow to import."""
    from google.protobuf.message import DecodeError

    from leaktrail.runtime import profile_pb2

    pb: Any = profile_pb2
    profile = pb.Profile()
    try:
        profile.ParseFromString(data)
    except DecodeError as exc:
        raise ProfileError(f"not a profile.proto: {exc}") from None
    return profile


def parse_debug0(data: bytes, source: str) -> Snapshot:
    """`data` is the decompressed profile.proto."""
    profile = decode_profile(data)
    strings = list(profile.string_table)

    def string(index: int) -> str:
        if 0 <= index < len(strings):
            return str(strings[index])
        raise ProfileError(f"string index {index} out of range ({len(strings)} strings)")

    if not strings or strings[0] != "":
        raise ProfileError("not a profile.proto: string_table[0] must be empty")
    value_index = None
    kind = ""
    types = []
    for i, vt in enumerate(profile.sample_type):
        name, unit = string(vt.type), string(vt.unit)
        types.append(f"{name}/{unit}")
        if name in GOROUTINE_SAMPLE_TYPES and unit == "count":
            value_index, kind = i, name
    if value_index is None:
        found = ", ".join(types) or "none"
        raise ProfileError(f"not a goroutine profile (sample types: {found})")

    functions = {f.id: f for f in profile.function}
    frame_cache: dict[tuple[int, int, bool], Frame] = {}
    location_frames: dict[int, tuple[Frame, ...]] = {}
    for loc in profile.location:
        frames: list[Frame] = []
        lines = list(loc.line)
        if not lines:
            frames.append(Frame(f"{loc.address:#x}", "?", 0))
        for i, ln in enumerate(lines):
            inlined = i < len(lines) - 1
            key = (ln.function_id, ln.line, inlined)
            frame = frame_cache.get(key)
            if frame is None:
                fn = functions.get(ln.function_id)
                if fn is None:
                    raise ProfileError(f"location {loc.id} names missing function {ln.function_id}")
                frame = frame_cache[key] = Frame(string(fn.name), string(fn.filename), ln.line, inlined)
            frames.append(frame)
        location_frames[loc.id] = tuple(frames)

    collector = StackCollector()
    leaked = kind == "goroutineleak"
    for sample in profile.sample:
        if len(sample.value) != len(profile.sample_type):
            raise ProfileError("sample has a different number of values than sample types")
        stack: list[Frame] = []
        for lid in sample.location_id:
            frames_at = location_frames.get(lid)
            if frames_at is None:
                raise ProfileError(f"sample names missing location {lid}")
            stack.extend(frames_at)
        if stack and stack[-1].function == "runtime.goexit":
            stack.pop()
        labels: Labels = tuple(
            sorted((string(lb.key), string(lb.str) if lb.str else str(lb.num)) for lb in sample.label)
        )
        count = sample.value[value_index]
        if count < 0:
            raise ProfileError(f"negative goroutine count {count}")
        collector.add_stack(tuple(stack), count, labels, leaked=leaked)
    return Snapshot(
        source=source,
        form=Form.DEBUG0,
        profile=kind,
        total=collector.total,
        stacks=collector.stacks(),
    )
