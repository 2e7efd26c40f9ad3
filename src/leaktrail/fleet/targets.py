"""What `leaktrail fleet` looks at: a list of targets, each one instance of one service.

Three inputs, recognised by what they are: a directory of saved profiles (`SERVICE/INSTANCE/*.{txt,pb.gz}`),
a Prometheus `file_sd` JSON file (what scrape configs already list), or a text file of URLs with
`key=value` labels. A bad file is a `TargetsError` with a one-line message naming the line or entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from leaktrail.watch.poll import validate_target

PROFILE_SUFFIXES = (".txt", ".pb.gz", ".pb", ".gz")
SERVICE_LABELS = ("service", "job", "app")
"""Labels that name a target's service, first found wins (Prometheus targets usually carry `job`)."""
_LABEL = re.compile(r"^([A-Za-z_][A-Za-z0-9_.\-]*)=(.*)$")


class TargetsError(Exception):
    """The TARGETS input cannot be read: one line, naming the file and where in it."""


@dataclass(frozen=True, slots=True)
class Target:
    """One instance of one service: a URL to fetch, or saved profile files to read."""

    index: int
    """Position in the input: what makes results come out in the same order however they were run."""
    service: str
    instance: str
    url: str | None = None
    files: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """How the target is shown and stored: its URL, or its directory."""
        if self.url is not None:
            return self.url
        return str(Path(self.files[0]).parent) if self.files else f"{self.service}/{self.instance}"


def load_targets(path: Path) -> list[Target]:
    """Targets from a directory, a file_sd JSON file or a URL list; duplicates are dropped."""
    if path.is_dir():
        targets = _from_directory(path)
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TargetsError(f"{path}: not a text file of targets (nor a directory of profiles)") from None
        except OSError as exc:
            raise TargetsError(f"{path}: {exc.strerror or exc}") from None
        if text.lstrip().startswith(("[", "{")):
            targets = _from_file_sd(path, text)
        else:
            targets = _from_url_list(path, text)
    if not targets:
        raise TargetsError(f"{path}: no targets in it")
    seen: set[str] = set()
    unique: list[Target] = []
    for t in targets:
        if t.name in seen:
            continue
        seen.add(t.name)
        unique.append(_renumber(t, len(unique)))
    return unique


def _renumber(t: Target, index: int) -> Target:
    return Target(index, t.service, t.instance, t.url, t.files, t.labels)


def _service_of(labels: dict[str, str], url: str) -> str:
    for name in SERVICE_LABELS:
        value = labels.get(name)
        if value:
            return value
    return urlsplit(url).hostname or url


def _instance_of(labels: dict[str, str], url: str) -> str:
    value = labels.get("instance")
    if value:
        return value
    parts = urlsplit(url)
    path = parts.path.split("/debug/pprof", 1)[0].rstrip("/")
    return parts.netloc + path


def _url_target(index: int, url: str, labels: dict[str, str], where: str) -> Target:
    why = validate_target(url)
    if why is not None:
        raise TargetsError(f"{where}: {url}: {why}")
    return Target(
        index,
        service=_service_of(labels, url),
        instance=_instance_of(labels, url),
        url=url,
        labels=tuple(sorted(labels.items())),
    )


def _from_url_list(path: Path, text: str) -> list[Target]:
    """`URL key=value ...` per line; blank lines and `#` comments are skipped."""
    out: list[Target] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        url, *rest = line.split()
        labels: dict[str, str] = {}
        for item in rest:
            m = _LABEL.match(item)
            if m is None:
                raise TargetsError(f"{path}:{n}: {item!r} is not a key=value label")
            labels[m.group(1)] = m.group(2)
        out.append(_url_target(len(out), url, labels, f"{path}:{n}"))
    return out


def _from_file_sd(path: Path, text: str) -> list[Target]:
    """Prometheus file_sd: `[{"targets": ["host:port", ...], "labels": {...}}, ...]`. `__scheme__` picks
    http or https, as in a scrape config; other `__`-labels are Prometheus's own and are dropped."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TargetsError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, list):
        raise TargetsError(f"{path}: a file_sd file is a JSON list of {{targets, labels}} objects")
    out: list[Target] = []
    for i, entry in enumerate(data):
        where = f"{path}: entry {i + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("targets"), list):
            raise TargetsError(f'{where}: needs a "targets" list')
        raw_labels = entry.get("labels", {})
        if not isinstance(raw_labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw_labels.items()
        ):
            raise TargetsError(f'{where}: "labels" must map strings to strings')
        scheme = raw_labels.get("__scheme__", "http")
        if scheme not in ("http", "https"):
            raise TargetsError(f"{where}: __scheme__ {scheme!r} is neither http nor https")
        labels = {k: v for k, v in raw_labels.items() if not k.startswith("__")}
        for host in entry["targets"]:
            if not isinstance(host, str) or not host:
                raise TargetsError(f'{where}: every target is a "host:port" string')
            url = host if "://" in host else f"{scheme}://{host}"
            with_instance = {**labels, "instance": labels.get("instance", host)}
            out.append(_url_target(len(out), url, with_instance, where))
    return out


def is_profile_file(p: Path) -> bool:
    return p.is_file() and not p.name.startswith(".") and p.name.endswith(PROFILE_SUFFIXES)


def _from_directory(root: Path) -> list[Target]:
    """`SERVICE/INSTANCE/*.{txt,pb.gz}`: every profile of an instance is read (the goroutine profiles and
    any goroutineleak profile saved beside them)."""
    out: list[Target] = []
    try:
        services = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        for service in services:
            for inst in sorted(p for p in service.iterdir() if p.is_dir() and not p.name.startswith(".")):
                files = tuple(str(p) for p in sorted(inst.iterdir()) if is_profile_file(p))
                if files:
                    out.append(Target(len(out), service.name, inst.name, None, files))
    except OSError as exc:
        raise TargetsError(f"{root}: {exc.strerror or exc}") from None
    if not out:
        raise TargetsError(
            f"{root}: no profiles laid out as SERVICE/INSTANCE/*.txt or *.pb.gz in this directory"
        )
    return out
