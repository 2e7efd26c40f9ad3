"""Project configuration: the ``.leaktrail.toml`` file and the flags that override it.

leaktrail looks for ``.leaktrail.toml`` in the directory being scanned and then in each parent
directory, and uses the nearest one. Settings go at the top level of the file, or all of them under a
``[leaktrail]`` table (not both)::

    # .leaktrail.toml
    select = ["GL0"]            # rules to run: codes ("GL002"), prefixes ("GL0", "GL"), or "ALL".
                                # Default: all rules.
    ignore = ["GL011", "GL02"]  # rules to skip; a more specific entry wins, and on a tie ignore wins,
                                # so select = ["GL002"] + ignore = ["GL"] still runs GL002.
    exclude = [                 # gitignore-style globs, relative to this file's directory
        "gen/**",               #   everything under gen/
        "**/*_mock.go",         #   mock files at any depth
        "legacy/",              #   any directory named legacy (a pattern without "/" matches at any depth)
        "/tools",               #   a leading "/" anchors a pattern to this directory
    ]
    go-version = "1.22"         # Go language version the rules assume ("1.22", "1.22.3", "go1.22");
                                # default: the go directive of the nearest go.mod
    tests = true                # also scan _test.go files

    [severity]                  # change a rule's severity: "error", "warning" or "info"
    GL012 = "warning"           # keys are codes, prefixes or "ALL" (the most specific one wins)

``go_version`` is accepted as a spelling of ``go-version``. Unknown keys, unknown rule codes and
values of the wrong type are errors: a typo must not silently switch a rule back on. Negated
(``!pattern``) exclude patterns are not supported.

Command-line flags override file values through :meth:`Config.merged`.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from leaktrail.model import Severity

CONFIG_NAME = ".leaktrail.toml"

_TABLE = "leaktrail"
_KEYS = ("select", "ignore", "severity", "exclude", "go-version", "tests")
_ALIASES = {"go_version": "go-version"}
_GO_VERSION = re.compile(r"^(?:go)?(\d+)\.(\d+)(?:\.\d+|(?:rc|beta)\d+)?$")
_SEVERITY_NAMES = frozenset(s.value for s in Severity)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class ConfigError(Exception):
    """A configuration problem; ``str(error)`` is one line naming the file and the problem."""


def _empty_severity() -> Mapping[str, Severity]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    """Settings for one scan. The defaults mean: all rules, nothing excluded, versions from go.mod."""

    path: Path | None = None
    """The file the settings came from (absolute); exclude patterns are relative to its directory."""
    select: tuple[str, ...] | None = None
    """Rule selectors to run; None means all rules."""
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=_empty_severity, hash=False)
    """Per-rule severity override, keyed by code, prefix or "ALL" (excluded from the hash, not from ==)."""
    exclude: tuple[str, ...] = ()
    go_version: str | None = None
    tests: bool | None = None

    def rule_enabled(self, code: str) -> bool:
        """Like ruff: the most specific matching selector decides, and ignore wins a tie."""
        selected = _specificity(code, self.select if self.select is not None else ("ALL",))
        ignored = _specificity(code, self.ignore)
        return selected is not None and (ignored is None or selected > ignored)

    def severity_for(self, code: str, default: Severity) -> Severity:
        best: tuple[int, Severity] | None = None
        for selector, severity in self.severity.items():
            score = _specificity(code, (selector,))
            if score is not None and (best is None or score > best[0]):
                best = (score, severity)
        return best[1] if best else default

    @property
    def base_dir(self) -> Path:
        """Directory that exclude patterns are relative to (cwd when no file was loaded)."""
        return self.path.parent if self.path is not None else Path.cwd()

    def is_excluded(self, path: Path) -> bool:
        """True when ``path`` (a file or a directory) or one of its parents matches an exclude pattern."""
        if not self.exclude:
            return False
        path = Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))
        parts = _relative_parts(path, Path(os.path.normpath(self.base_dir.absolute())))
        if not parts:
            return False
        for depth in range(1, len(parts) + 1):
            candidate = "/".join(parts[:depth])
            for pattern in self._exclude_patterns:
                if pattern.dir_only and depth == len(parts) and not path.is_dir():
                    continue
                if pattern.regex.match(candidate):
                    return True
        return False

    @cached_property
    def _exclude_patterns(self) -> tuple[_Glob, ...]:
        return tuple(_Glob.compile(p) for p in self.exclude)

    def merged(self, **overrides: Any) -> Config:
        """A copy with command-line values applied; a value of None means "flag not given".

        Tuples (select, ignore, exclude) replace the file's value; ``severity`` is merged rule by rule,
        the flag winning; ``go_version`` is normalised (ConfigError when malformed).
        """
        fields = {f.name for f in dataclasses.fields(self)}
        changes: dict[str, Any] = {}
        for name, value in overrides.items():
            if name not in fields:
                raise TypeError(f"Config has no field {name!r}")
            if value is None:
                continue
            if name in ("select", "ignore"):
                value = tuple(_normalise_selector(v) for v in value)
            elif name == "exclude":
                value = tuple(value)
            elif name == "severity":
                value = MappingProxyType(
                    {**self.severity, **{k.upper(): Severity(str(v).lower()) for k, v in value.items()}}
                )
            elif name == "go_version":
                try:
                    value = normalize_go_version(value)
                except ValueError as e:
                    raise ConfigError(str(e)) from None
            elif name == "path":
                value = Path(value).absolute()
            changes[name] = value
        return dataclasses.replace(self, **changes)


def normalize_go_version(value: str) -> str:
    """``"1.22"``, ``"1.22.3"``, ``"go1.22"``, ``"1.23rc1"`` → ``"1.22"``/``"1.23"``; ValueError otherwise."""
    m = _GO_VERSION.match(value.strip())
    if not m:
        raise ValueError(f'bad Go version {value!r} (expected e.g. "1.22")')
    return f"{int(m[1])}.{int(m[2])}"


def parse_selectors(values: Iterable[str], known_rules: Collection[str]) -> tuple[str, ...]:
    """Normalise and check ``--select``/``--ignore`` values; ConfigError names the bad one."""
    out = []
    for value in values:
        selector = _normalise_selector(value)
        if not _known_selector(selector, known_rules):
            raise ConfigError(f"unknown rule {value!r}")
        out.append(selector)
    return tuple(out)


def find_config(start: Path) -> Path | None:
    """Nearest ``.leaktrail.toml`` at or above ``start`` (a file's own directory for a file)."""
    here = start.absolute()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None, known_rules: Collection[str]) -> Config:
    """Read and validate a config file; ``None`` gives the defaults. Raises ConfigError."""
    if path is None:
        return Config()
    return _Loader(path, known_rules).load()


# -- selectors -------------------------------------------------------------------------------------


def _normalise_selector(value: str) -> str:
    return value.strip().upper()


def _specificity(code: str, selectors: Iterable[str]) -> int | None:
    """Length of the longest selector matching ``code`` ("ALL" counts as 0), None if none matches."""
    best: int | None = None
    for selector in selectors:
        if selector == "ALL":
            score = 0
        elif code.startswith(selector):
            score = len(selector)
        else:
            continue
        if best is None or score > best:
            best = score
    return best


def _known_selector(selector: str, known_rules: Collection[str]) -> bool:
    return selector == "ALL" or (bool(selector) and any(code.startswith(selector) for code in known_rules))


# -- exclude globs ---------------------------------------------------------------------------------


def _relative_parts(path: Path, base: Path) -> tuple[str, ...]:
    """Path components of ``path`` below ``base``; empty when it is not inside (or is) ``base``."""
    for candidate, root in ((path, base), (path.resolve(), base.resolve())):
        try:
            return candidate.relative_to(root).parts
        except ValueError:
            continue
    return ()


@dataclass(frozen=True)
class _Glob:
    """A gitignore-style pattern compiled to a regex over POSIX paths relative to the config dir."""

    regex: re.Pattern[str]
    dir_only: bool

    @classmethod
    def compile(cls, pattern: str) -> _Glob:
        dir_only = pattern.endswith("/")
        body = pattern.rstrip("/")
        # gitignore: a pattern with a slash (other than a trailing one) is anchored to the base dir;
        # without one it matches a name at any depth. "./gen" counts as anchored.
        anchored = "/" in body
        body = body.removeprefix("./").lstrip("/")
        prefix = "" if anchored else "(?:.*/)?"
        return cls(re.compile(f"^{prefix}{_translate(body)}$"), dir_only)


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        at_segment_start = i == 0 or glob[i - 1] == "/"
        if at_segment_start and glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif at_segment_start and glob.startswith("**", i) and i + 2 == n:
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and (end := glob.find("]", i + 2)) != -1:
            inner = glob[i + 1 : end]
            negate = inner[0] in "!^"
            inner = re.escape(inner[1:] if negate else inner).replace(r"\-", "-")
            out.append(f"(?!/)[{'^' if negate else ''}{inner}]")
            i = end + 1
        elif glob[i] == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


# -- loading ---------------------------------------------------------------------------------------


def _display(path: Path) -> str:
    """The path as the user should see it in a message: relative to cwd when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _toml_type(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array"}
    return names.get(type(value), "a table" if isinstance(value, dict) else "a date/time")


class _Loader:
    """Validation with messages that point at the offending line of the file."""

    def __init__(self, path: Path, known_rules: Collection[str]) -> None:
        self.path = path
        self.known_rules = known_rules
        self.display = _display(path)
        self.text = ""

    def fail(self, message: str, line: int | None = None) -> ConfigError:
        where = f"{self.display}:{line}" if line else self.display
        return ConfigError(f"{where}: {message}")

    def line_of(self, key: str, value: str | None = None) -> int | None:
        """Best-effort line of a key (or of a quoted value) for error messages; tomllib gives no positions."""
        lines = self.text.splitlines()
        if value is not None:
            quoted = re.compile(rf"""["']{re.escape(value)}["']""")
            for number, line in enumerate(lines, 1):
                if quoted.search(line.split("#", 1)[0]):
                    return number
        key_re = re.compile(rf"""^\s*(?:\[\s*(?:{_TABLE}\s*\.\s*)?)?["']?{re.escape(key)}["']?\s*(?:=|\])""")
        for number, line in enumerate(lines, 1):
            if key_re.match(line):
                return number
        return None

    def load(self) -> Config:
        try:
            raw = self.path.read_bytes()
        except OSError as e:
            raise self.fail(f"cannot read config file: {e.strerror or e}") from None
        try:
            self.text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("config file is not valid UTF-8") from None
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as e:
            message = str(e)
            pos = _TOML_POSITION.search(message)
            where = f"{self.display}:{pos[1]}:{pos[2]}" if pos else self.display
            raise ConfigError(f"{where}: invalid TOML: {_TOML_POSITION.sub('', message)}") from None
        return self.build(self.settings(data))

    def settings(self, data: dict[str, Any]) -> dict[str, Any]:
        if _TABLE not in data:
            return data
        table = data[_TABLE]
        if not isinstance(table, dict):
            raise self.fail(f"'{_TABLE}' must be a table, not {_toml_type(table)}", self.line_of(_TABLE))
        others = [k for k in data if k != _TABLE]
        if others:
            raise self.fail(
                f"'{others[0]}' is outside the [{_TABLE}] table; put every setting in one place",
                self.line_of(others[0]),
            )
        return table

    def build(self, data: dict[str, Any]) -> Config:
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = _ALIASES.get(key, key)
            if name not in _KEYS:
                hint = difflib.get_close_matches(key, [*_KEYS, *_ALIASES], n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                raise self.fail(f"unknown key '{key}'{suggestion}", self.line_of(key))
            if name in values:
                raise self.fail(f"'{key}' given twice (as go-version and go_version)", self.line_of(key))
            values[name] = self.check(key, name, value)
        return Config(
            path=self.path.absolute(),
            select=values.get("select"),
            ignore=values.get("ignore", ()),
            severity=values.get("severity", _empty_severity()),
            exclude=values.get("exclude", ()),
            go_version=values.get("go-version"),
            tests=values.get("tests"),
        )

    def check(self, key: str, name: str, value: Any) -> Any:
        if name in ("select", "ignore"):
            return self.selectors(key, self.string_list(key, value))
        if name == "exclude":
            patterns = self.string_list(key, value)
            for pattern in patterns:
                if not pattern.strip() or pattern.startswith("!"):
                    what = "negated patterns are not supported" if pattern else "empty pattern"
                    raise self.fail(f"bad exclude pattern {pattern!r}: {what}", self.line_of(key, pattern))
            return patterns
        if name == "severity":
            return self.severities(key, value)
        if name == "go-version":
            if not isinstance(value, str):
                # A bare 1.20 would be read as the float 1.2: insist on a string.
                raise self.fail(
                    f"'{key}' must be a string like \"1.22\", not {_toml_type(value)}", self.line_of(key)
                )
            try:
                return normalize_go_version(value)
            except ValueError as e:
                raise self.fail(str(e), self.line_of(key)) from None
        # tests
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false, not {_toml_type(value)}", self.line_of(key))
        return value

    def string_list(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            got = _toml_type(value) if not isinstance(value, list) else "an array with non-strings"
            raise self.fail(f"'{key}' must be an array of strings, not {got}", self.line_of(key))
        return tuple(value)

    def selectors(self, key: str, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not _known_selector(_normalise_selector(value), self.known_rules):
                raise self.fail(f"unknown rule '{value}' in {key}", self.line_of(key, value))
        return tuple(_normalise_selector(v) for v in values)

    def severities(self, key: str, value: Any) -> Mapping[str, Severity]:
        if not isinstance(value, dict):
            raise self.fail(
                f"'{key}' must be a table like {{GL012 = \"warning\"}}, not {_toml_type(value)}",
                self.line_of(key),
            )
        out: dict[str, Severity] = {}
        for code, name in value.items():
            selector = _normalise_selector(code)
            if not _known_selector(selector, self.known_rules):
                raise self.fail(f"unknown rule '{code}' in {key}", self.line_of(code))
            if not isinstance(name, str) or name.strip().lower() not in _SEVERITY_NAMES:
                shown = repr(name) if isinstance(name, str) else _toml_type(name)
                raise self.fail(
                    f'bad severity {shown} for {code} (expected "error", "warning" or "info")',
                    self.line_of(code),
                )
            out[selector] = Severity(name.strip().lower())
        return MappingProxyType(out)
