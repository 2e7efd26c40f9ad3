"""The scan pipeline: discover -> (per directory, in parallel) read, group into packages, run rules,
apply suppressions -> merge. Results per directory are cached by content, tool version and settings."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from leaktrail import __version__
from leaktrail.config import Config
from leaktrail.model import Finding, Severity
from leaktrail.rules import Context, Rule, all_rules
from leaktrail.source.discovery import discover
from leaktrail.source.gomod import Module, ModuleFinder
from leaktrail.source.module import dirs_signature, forget_signatures, imported_module_dirs
from leaktrail.source.package import GoFile, Package
from leaktrail.source.parse import first_error, forget_indexes, line_of
from leaktrail.suppress import Suppressions

MAX_FILE_BYTES = 8 * 1024 * 1024
_PACKAGE = re.compile(rb"^[ \t]*package[ \t]+([A-Za-z_]\w*)", re.M)
_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.M)
_PARALLEL_MIN_FILES = 200
_SPLIT_MIN_BYTES = 2 * 1024 * 1024
"""A directory holding this many bytes of Go is checked rule by rule on all workers: one package can
hold most of a service's code, and checking it on one worker left the other cores idle."""
_SPLIT_MIN_SHARE = 1.0
"""… and at least this fraction of 1/(workers + 1) of all the bytes to scan."""
_SPLIT_GROUPS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (5.5, ("GL001", "GL006", "GL008", "GL022")),
    (3.5, ("GL017", "GL018", "GL019", "GL020", "GL023")),
    (1.0, ("GL002", "GL003", "GL004", "GL009", "GL010")),
    (0.5, ("GL005", "GL007", "GL011", "GL012", "GL013", "GL014", "GL015", "GL016", "GL021")),
)
"""Rules that share analyses, with their relative cost (measured on the benchmark's big package). A split
directory goes to the workers as one task per worker, each a set of whole groups balanced by cost: a
worker pays only for the analyses of the groups it runs, where one task per rule made every worker parse
every file and build every shared analysis (the lock call graph, channel fates and partners,
interprocedural summaries) again. On that package, CPU of each side alone: channel sends/receives, the
operations a goroutine blocks on ignoring its context and the waits under locks (GL001, GL006, GL008,
GL022) 3.2 s, all the others 3.35 s, all rules 4.3 s (about 16 s of the older cost with one task per
rule). Other pairings measured the same within 0.1 s (the 0.5 group with the first: 3.3 + 3.1 s; the
1.0 group with it: 3.3 + 3.3 s)."""
_OTHER_WEIGHT = 0.1
"""The cost assumed for a rule of no group (one added later): it forms a group of its own."""

Progress = Callable[[int, int, int], None]
"""Called with (files done, files in total, directories being analysed) when the work starts and as it
completes; the CLI draws its progress bar from it."""
_CACHE_FORMAT = "3"


@dataclass(frozen=True)
class ScanOptions:
    config: Config = field(default_factory=Config)
    go_version: str | None = None
    """Overrides go.mod's `go` line (flag > config > go.mod)."""
    tests: bool = True
    jobs: int = 0
    """Worker processes; 0 = one per core."""
    cache_dir: Path | None = None
    """None disables the cache."""
    confidence: str = "high"
    """Lowest confidence kept: "high" (the default output) or "low" (everything)."""


@dataclass
class ScanResult:
    findings: list[Finding]
    warnings: list[str]
    root: Path
    files: int
    packages: int
    seconds: float
    cached_dirs: int = 0
    unanalysed: int = 0
    """Directories left unanalysed because the worker analysing them died (each has its warning)."""

    @property
    def suppressed(self) -> int:
        return sum(f.suppressed for f in self.findings)


@dataclass(frozen=True)
class _Job:
    directory: Path
    files: tuple[Path, ...]
    module: Module
    go_version: str | None
    codes: tuple[str, ...]


# A raw finding from a worker: (abs path, line, col, rule, severity, message, suppressed, confidence)
RawFinding = tuple[str, int, int, str, str, str, bool, str]


@dataclass
class _JobResult:
    findings: list[RawFinding]
    warnings: list[str]
    files: int
    packages: int
    cached: bool = False
    lost: bool = False
    """The worker analysing the directory died: nothing of it was analysed."""
    status: tuple[str, list[Any]] | None = None
    """(status key, [digest, imported dirs, read warnings]) for the scan's status index (_Statuses)."""


def scan(paths: Sequence[str], options: ScanOptions, progress: Progress | None = None) -> ScanResult:
    started = time.perf_counter()
    forget_signatures()
    config = options.config
    tests = options.tests if config.tests is None else bool(config.tests)
    found = discover(paths, tests, config.is_excluded)
    go_version = options.go_version or config.go_version
    codes = tuple(r.code for r in all_rules() if config.rule_enabled(r.code))
    modules = ModuleFinder()
    jobs = [_Job(d, tuple(fs), modules.for_dir(d), go_version, codes) for d, fs in sorted(found.dirs.items())]
    statuses = _Statuses.load(options.cache_dir, paths) if options.cache_dir is not None else None
    results = _run_jobs(jobs, options, progress, statuses)
    if statuses is not None:
        statuses.save([r.status for r in results if r.status is not None])
    findings: list[Finding] = []
    warnings = list(found.warnings)
    nfiles = npackages = cached = 0
    infos = {r.code: r.info for r in all_rules()}
    cwd = Path.cwd()
    unanalysed = 0
    for res in results:
        nfiles += res.files
        npackages += res.packages
        cached += res.cached
        unanalysed += res.lost
        warnings.extend(res.warnings)
        for path, line, col, code, sev, message, suppressed, confidence in res.findings:
            if confidence == "low" and options.confidence != "low":
                continue
            info = infos[code]
            severity = config.severity_for(code, Severity(sev))
            findings.append(
                Finding(
                    code,
                    info.slug,
                    severity,
                    display_path(Path(path), cwd),
                    line,
                    col,
                    message,
                    suppressed,
                    confidence,
                )
            )
    findings.sort(key=Finding.sort_key)
    return ScanResult(
        findings, warnings, found.root, nfiles, npackages, time.perf_counter() - started, cached, unanalysed
    )


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _run_jobs(
    jobs: list[_Job],
    options: ScanOptions,
    progress: Progress | None = None,
    statuses: _Statuses | None = None,
) -> list[_JobResult]:
    workers = options.jobs or os.cpu_count() or 1
    total = sum(len(j.files) for j in jobs)
    cache = options.cache_dir
    done = 0

    running = 0
    """Directories being analysed now (shown as "in flight")."""

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total, running)

    results: list[_JobResult | None] = [None] * len(jobs)
    todo = list(range(len(jobs)))
    known = statuses.known if statuses is not None else {}
    if cache is not None and workers > 1:
        # Cache hits cost a read and a hash: answer them here, so a warm scan never starts a pool.
        todo = []
        for i, j in enumerate(jobs):
            hit = _cached_result(j, cache, known)
            if hit is None:
                todo.append(i)
            else:
                results[i] = hit
                advance(len(j.files))
    pending = sum(len(jobs[i].files) for i in todo)
    sizes = {i: _job_bytes(jobs[i]) for i in todo} if workers > 1 else {}
    # Splitting a directory costs each worker its own parse of the files its rules read: worth it only
    # for a directory holding a good share of the work (the standard library's 12 MB ssa package among
    # 69 MB finishes on one worker while the other takes the rest).
    share = _SPLIT_MIN_SHARE * sum(sizes.values()) / (workers + 1)
    big = [i for i in todo if sizes.get(i, 0) >= max(_SPLIT_MIN_BYTES, share)]
    if workers <= 1 or ((pending < _PARALLEL_MIN_FILES or len(todo) < 2) and not big):
        running = 1 if todo else 0
        advance(0)
        for k, i in enumerate(todo):
            results[i] = _run_job(jobs[i], cache, known)
            running = 1 if k + 1 < len(todo) else 0
            advance(len(jobs[i].files))
        return [r for r in results if r is not None]
    tasks: list[_Task] = []
    for i in big:
        split = _Split.start(i, jobs[i], cache, known)
        if split.result is not None:
            results[i] = split.result
            advance(len(jobs[i].files))
            continue
        parts = _split_tasks(split.codes, workers)
        if not parts:  # no rule enabled: its files and packages still count, as with -j 1
            results[i] = _run_job(jobs[i], cache)
            advance(len(jobs[i].files))
        tasks += [_Task(i, _run_part, (jobs[i], codes), split, codes) for codes in parts]
    # Big directories first so the pool does not wait on one straggler at the end.
    order = sorted((i for i in todo if i not in big), key=lambda i: -sizes[i])
    tasks += [_Task(i, _run_job, (jobs[i], cache)) for i in order]

    def accept(task: _Task, res: Any, now_running: int) -> None:
        nonlocal running
        running = now_running
        if task.split is None:
            results[task.index] = res
            advance(len(jobs[task.index].files))
            return
        for code in task.codes:
            advance(task.split.add(code, res[code]))
        if task.split.result is not None:
            results[task.index] = task.split.result

    # A worker that dies (killed, out of memory) breaks the pool: every task not finished fails. The
    # tasks that were running are the first `workers` unfinished ones (the pool hands tasks out in order);
    # each of them runs again alone, the others together, so one directory that kills its worker costs
    # only itself.
    lost: set[int] = set()
    left = tasks
    running = len({t.index for t in tasks[:workers]})
    advance(0)
    while left:
        failed = _pool_round(left, workers, accept)
        for task in failed[:workers]:
            if _pool_round([task], 1, accept):
                lost.add(task.index)
        left = failed[workers:]
    for i in sorted(lost):
        results[i] = _JobResult([], [_lost_warning(jobs[i])], len(jobs[i].files), 0, lost=True)
    return [r for r in results if r is not None]


@dataclass
class _Task:
    """One piece of work for the pool: a whole directory, or some rules of a split one."""

    index: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    split: _Split | None = None
    codes: tuple[str, ...] = ()


def _pool_round(tasks: list[_Task], workers: int, accept: Callable[[_Task, Any, int], None]) -> list[_Task]:
    """Run the tasks on a pool; `accept(task, result, directories in flight)` for each that finishes.
    Returns the tasks a broken pool (a worker that died) left unfinished, in submission order."""
    failed: list[int] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_started) as pool:
        futures = {}
        for k, t in enumerate(tasks):
            try:
                futures[pool.submit(t.fn, *t.args)] = k
            except BrokenProcessPool:  # a worker died while the tasks were handed over
                failed.extend(range(k, len(tasks)))
                break
        # The pool hands tasks out in the order they were submitted and keeps every worker busy, so the
        # tasks running are the first `workers` unfinished ones: their directories are in flight.
        queue = dict(futures)

        def in_flight() -> int:
            return len({tasks[k].index for k in islice(queue.values(), workers)})

        for fut in as_completed(futures):
            k = futures[fut]
            del queue[fut]
            try:
                res = fut.result()
            except BrokenProcessPool:
                failed.append(k)
                continue
            accept(tasks[k], res, in_flight())
    return [tasks[k] for k in sorted(failed)]


def _lost_warning(job: _Job) -> str:
    return (
        f"{job.directory}: not analysed: the worker process analysing it ended abruptly (killed, or out of "
        "memory); the other directories were analysed"
    )


def _job_bytes(job: _Job) -> int:
    total = 0
    for path in job.files:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def _cached_result(job: _Job, cache_dir: Path, known: Mapping[str, list[Any]]) -> _JobResult | None:
    """The cached result of a job whose files' status is recorded unchanged, or None (then the job runs,
    and its worker reads and hashes the files: a cold scan's parent no longer read and hashed every file
    before the pool started, 0.4 s of the standard library's scan, and the worker again after it)."""
    status = _status_key(job, _cache_header(job))
    record = known.get(status[0]) if status is not None else None
    entry = _status_entry(record)
    if status is None or entry is None:
        return None
    digest, dirs, warnings = entry
    hit = _cache_load(cache_dir, _final_key(digest, dirs))
    if hit is not None:
        hit.warnings = warnings + hit.warnings
        hit.status = (status[0], record) if record is not None else None
    return hit


def _run_job(job: _Job, cache_dir: Path | None, known: Mapping[str, list[Any]] | None = None) -> _JobResult:
    """Analyse one directory, or answer from the cache. `known`: the scan's recorded statuses (a pool
    worker gets none: the scan's process looked there before handing the directory out)."""
    _SPLIT_STATE.clear()
    key = ""
    status: tuple[str, list[Any]] | None = None
    if cache_dir is not None:
        key, warnings, read, status = _job_key(job, cache_dir, known or {})
        hit = _cache_load(cache_dir, key)
        if hit is not None:
            hit.warnings = warnings + hit.warnings
            hit.status = status
            return hit
    sources, warnings = read if cache_dir is not None and read is not None else _read_sources(job.files)
    with _collector_paused():
        result = _analyse(job, sources)
    if cache_dir is not None:
        _cache_store(cache_dir, key, result)
    result.warnings = warnings + result.warnings
    result.status = status
    return result


# -- one big directory over all workers ------------------------------------------------------------------
@dataclass
class _Part:
    """What one rule found in each package of a split directory (run in a worker)."""

    findings: dict[str, list[RawFinding]]
    errors: dict[str, str]
    """Package name -> the internal-error warning (the package's findings are then dropped, as in -j 1)."""
    syntax: dict[str, tuple[int, int]]
    """Path of every file this worker parsed that has a syntax error -> (line, column), 1-based."""


_SPLIT_STATE: dict[str, tuple[_Job, list[tuple[str, Context]]]] = {}
"""Worker-local: the parsed packages of the split directory, kept from one rule's task to the next."""


def _split_tasks(codes: Sequence[str], workers: int) -> list[tuple[str, ...]]:
    """The rules of a split directory as at most one task per worker: whole _SPLIT_GROUPS, the costliest
    first, each to the task with the least cost so far; rules in `codes` order within a task."""
    wanted = set(codes)
    groups = [(w, [c for c in g if c in wanted]) for w, g in _SPLIT_GROUPS]
    grouped = {c for _, g in _SPLIT_GROUPS for c in g}
    groups += [(_OTHER_WEIGHT, [c]) for c in codes if c not in grouped]
    groups = [(w, g) for w, g in groups if g]
    groups.sort(key=lambda wg: -wg[0])  # stable: equal costs keep the table's order
    tasks: list[tuple[float, list[str]]] = [(0.0, []) for _ in range(max(1, min(workers, len(groups))))]
    for weight, group in groups:
        k = min(range(len(tasks)), key=lambda i: tasks[i][0])
        tasks[k] = (tasks[k][0] + weight, tasks[k][1] + group)
    order = {c: i for i, c in enumerate(codes)}
    return [tuple(sorted(t, key=order.__getitem__)) for _, t in tasks if t]


def _run_part(job: _Job, codes: tuple[str, ...]) -> dict[str, _Part]:
    """Some rules of a split directory, over every package in it: each rule's part."""
    state = _SPLIT_STATE.get("job")
    if state is None or state[0] != job:
        _SPLIT_STATE.clear()
        forget_indexes()
        sources, _ = _read_sources(job.files)
        groups, _, _ = _group(sources)
        pkgs = [
            (name, Context(Package.create(job.directory, name, files, job.module, job.go_version), []))
            for name, files in groups
        ]
        state = _SPLIT_STATE["job"] = (job, pkgs)
    rules = {r.code: r for r in all_rules()}
    parts = {code: _Part({}, {}, {}) for code in codes}
    for code in codes:
        part = parts[code]
        for name, base in state[1]:
            with _collector_paused():
                try:
                    part.findings[name] = _check_rule(base, rules[code], {})
                except _INTERNAL_ERRORS as e:
                    part.errors[name] = _internal_error(job, name, e)
    syntax = parts[codes[-1]].syntax  # the files parsed by any of the task's rules, read once
    for _, base in state[1]:
        for f in base.pkg.files:
            err = first_error(f.root) if f.parsed else None
            if err is not None:
                line, col = err.start_point
                syntax[str(f.path)] = (line + 1, col + 1)
    return parts


@dataclass
class _Split:
    """A big directory whose rules run as separate tasks; merged in rule order, as `-j 1` would."""

    index: int
    job: _Job
    cache_dir: Path | None
    key: str
    read_warnings: list[str]
    groups: list[tuple[str, list[Path]]]
    group_warnings: list[str]
    files: int
    codes: list[str]
    status: tuple[str, list[Any]] | None
    parts: dict[str, _Part] = field(default_factory=dict)
    result: _JobResult | None = None

    @classmethod
    def start(cls, index: int, job: _Job, cache_dir: Path | None, known: Mapping[str, list[Any]]) -> _Split:
        key, read, status = "", None, None
        if cache_dir is not None:
            key, _, read, status = _job_key(job, cache_dir, known)
        sources, warnings = read if read is not None else _read_sources(job.files)
        groups, group_warnings, nfiles = _group(sources)
        codes = list(job.codes)
        split = cls(
            index,
            job,
            cache_dir,
            key,
            warnings,
            [(name, [f.path for f in files]) for name, files in groups],
            group_warnings,
            nfiles,
            codes,
            status,
        )
        if cache_dir is not None:
            hit = _cache_load(cache_dir, key)
            if hit is not None:
                hit.warnings = warnings + hit.warnings
                hit.status = status
                split.result = hit
        return split

    def add(self, code: str, part: _Part) -> int:
        """Record one rule's part; returns the files of progress it stands for."""
        self.parts[code] = part
        share = len(self.job.files) // len(self.codes)
        if len(self.parts) < len(self.codes):
            return share
        self.result = self._merge()
        if self.cache_dir is not None:
            _cache_store(self.cache_dir, self.key, self.result)
        self.result.warnings = self.read_warnings + self.result.warnings
        self.result.status = self.status
        return len(self.job.files) - share * (len(self.codes) - 1)

    def _merge(self) -> _JobResult:
        warnings = list(self.group_warnings)
        findings: list[RawFinding] = []
        syntax: dict[str, tuple[int, int]] = {}
        for part in self.parts.values():
            syntax.update(part.syntax)
        codes = [c for c in self.job.codes if c in self.parts]
        for name, paths in self.groups:
            error = next((self.parts[c].errors[name] for c in codes if name in self.parts[c].errors), None)
            if error is not None:
                warnings.append(error)
            else:
                rows = [row for c in codes for row in self.parts[c].findings.get(name, [])]
                findings.extend(_most_specific(rows))
            for path in paths:
                at = syntax.get(str(path))
                if at is not None:
                    warnings.append(_syntax_warning(str(path), *at))
        return _JobResult(findings, warnings, self.files, len(self.groups))


def _read_sources(paths: Sequence[Path]) -> tuple[list[tuple[Path, bytes]], list[str]]:
    sources: list[tuple[Path, bytes]] = []
    warnings: list[str] = []
    for path in paths:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                warnings.append(
                    f"{path}: skipped: file too large ({size / 1048576:.1f} MiB, "
                    f"limit {MAX_FILE_BYTES // 1048576} MiB)"
                )
                continue
            data = path.read_bytes()
        except OSError as e:
            warnings.append(f"{path}: cannot read: {e.strerror or e}")
            continue
        if b"\0" in data[:8192]:
            warnings.append(f"{path}: skipped: binary file (NUL bytes)")
            continue
        if not data.strip():
            warnings.append(f"{path}: skipped: empty file (no package clause)")
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            warnings.append(f"{path}: not valid UTF-8 (byte {e.start}); analysed anyway")
        sources.append((path, data))
    return sources, warnings


def _group(sources: list[tuple[Path, bytes]]) -> tuple[list[tuple[str, list[GoFile]]], list[str], int]:
    """Files by package clause, in name order; generated files and files without one are left out."""
    warnings: list[str] = []
    groups: dict[str, list[GoFile]] = {}
    nfiles = 0
    for path, data in sources:
        m = _PACKAGE.search(data)
        if m is None:
            warnings.append(f"{path}: skipped: no package clause")
            continue
        head = data[: m.start()]
        if b"Code generated" in head and _GENERATED.search(head):
            continue
        nfiles += 1
        name = m.group(1).decode()
        groups.setdefault(name, []).append(GoFile(path, str(path), data, path.name.endswith("_test.go")))
    return sorted(groups.items()), warnings, nfiles


_INTERNAL_ERRORS = (RecursionError, ValueError, KeyError, IndexError, AttributeError, TypeError)


def _internal_error(job: _Job, name: str, e: Exception) -> str:
    # A bug of ours must not cost the user the rest of the scan.
    return (
        f"{job.directory}: internal error while analysing package {name} "
        f"({type(e).__name__}: {e}); other packages were analysed"
    )


def _syntax_warning(path: str, line: int, col: int) -> str:
    return (
        f"{path}:{line}:{col}: syntax error (or syntax newer than tree-sitter-go); "
        "analysed where the tree is sound"
    )


def _analyse(job: _Job, sources: list[tuple[Path, bytes]]) -> _JobResult:
    groups, warnings, nfiles = _group(sources)
    rules = [r for r in all_rules() if r.code in job.codes]
    findings: list[RawFinding] = []
    for name, files in groups:
        pkg = Package.create(job.directory, name, files, job.module, job.go_version)
        try:
            findings.extend(_check_package(pkg, rules))
        except _INTERNAL_ERRORS as e:
            warnings.append(_internal_error(job, name, e))
        forget_indexes()
        for f in files:
            if f.parsed:
                err = first_error(f.root)
                if err is not None:
                    line, col = err.start_point
                    warnings.append(_syntax_warning(str(f.path), line + 1, col + 1))
    return _JobResult(findings, warnings, nfiles, len(groups))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Analyse a directory (or one rule of a split one) with Python's cyclic collector off, then collect
    only what it made.

    The analysis builds millions of objects that live until the directory is done (memoised facts,
    resolvers, files); the collector, on its own schedule, walked them again and again (about a tenth
    of a scan's CPU). Paused, everything the work allocated stays in the youngest generation, so one
    collection of that generation afterwards frees its cycles (GoFile <-> Package, memo dicts holding
    closures) and nothing older is walked. Nested uses and callers that turned the collector off
    themselves (an LSP server, a test) keep their setting."""
    global _UNCOLLECTED
    if _IN_WORKER:
        # A pool worker keeps the collector off for good and frees one task's cycles when the next task
        # starts: the answer goes back to the scan first, and a worker's last task is never collected
        # (the worker ends with os._exit, which frees nothing anyway). On the big package split over two
        # workers that is the 0.25 s each worker spent freeing its trees before answering.
        gc.disable()
        if _UNCOLLECTED:
            gc.collect(0)
        _UNCOLLECTED = True
        yield
        return
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        gc.enable()


_IN_WORKER = False
"""Set in pool workers (_worker_started): their collector stays off between tasks."""
_UNCOLLECTED = False
"""A pool worker holds garbage of its previous task, to free when the next one starts."""


def _worker_started() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def _check_package(pkg: Package, rules: list[Rule]) -> list[RawFinding]:
    out: list[RawFinding] = []
    base = Context(pkg, [])
    suppressions: dict[int, Suppressions] = {}
    for rule in rules:
        out.extend(_check_rule(base, rule, suppressions))
    return _most_specific(out)


def _check_rule(base: Context, rule: Rule, suppressions: dict[int, Suppressions]) -> list[RawFinding]:
    """One rule over one package: its reports as raw findings, each position once."""
    files = rule.candidates(base.pkg)
    if not files:
        return []
    out: list[RawFinding] = []
    seen: set[tuple[str, int, int]] = set()
    for rep in rule.check(base.for_files(files)):
        row, col = rep.node.start_point
        key = (str(rep.file.path), row, col)
        if key in seen:
            continue
        seen.add(key)
        sup = suppressions.get(id(rep.file))
        if sup is None:
            sup = suppressions[id(rep.file)] = Suppressions.from_source(rep.file.data)
        line = line_of(rep.node)
        out.append(
            (
                str(rep.file.path),
                line,
                col + 1,
                rule.code,
                str(rep.severity or rule.info.severity),
                rep.message,
                sup.covers(line, rule.code),
                rep.confidence,
            )
        )
    return out


_SUPERSEDES = {"GL008": ("GL006",)}
"""One blocked operation, one finding: a rule's finding is dropped when a more specific rule (listed
here) reports the same operation (on the same line) with at least its confidence. GL006 names who
strands a send/receive; GL008 only that the goroutine ignores its context."""


def _most_specific(found: list[RawFinding]) -> list[RawFinding]:
    at = {(f[0], f[1], f[3]): f[7] for f in found}
    return [
        f
        for f in found
        if not any(at.get((f[0], f[1], other)) in ("high", f[7]) for other in _SUPERSEDES.get(f[3], ()))
    ]


# -- cache -----------------------------------------------------------------------------------------------
_RACY_NS = 2_000_000_000
"""A file modified this recently may change again within its timestamp's resolution: its status is not
recorded (git's racy-clean rule)."""

Sources = tuple[list[tuple[Path, bytes]], list[str]]


def _job_key(
    job: _Job, cache_dir: Path, known: Mapping[str, list[Any]]
) -> tuple[str, list[str], Sources | None, tuple[str, list[Any]] | None]:
    """(cache key, read warnings, the sources when they had to be read, the status entry to record).

    A warm scan of a big tree spent most of its time reading and hashing every file. When the files'
    names, sizes, modification times and inodes match a recorded status, the digest of their bytes
    (and the read warnings, and the module directories they import) is taken from that record; only
    the imported directories' signatures are taken afresh."""
    header = _cache_header(job)
    status = _status_key(job, header)
    if status is not None:
        record = known.get(status[0])
        entry = _status_entry(record)
        if entry is not None and record is not None:
            digest, dirs, warnings = entry
            return _final_key(digest, dirs), warnings, None, (status[0], record)
    sources, warnings = _read_sources(job.files)
    digest = _sources_digest(header, sources)
    # rules follow calls into the module's other packages (source/module.py): their files count too
    dirs = imported_module_dirs(job.module, sources)
    recorded = None
    if status is not None and status[1] < time.time_ns() - _RACY_NS:
        recorded = (status[0], [digest, [str(d) for d in dirs], warnings])
    return _final_key(digest, dirs), warnings, (sources, warnings), recorded


def _cache_header(job: _Job) -> bytes:
    header = [
        _CACHE_FORMAT,
        __version__,
        str(job.directory),
        job.module.path,
        job.module.go_version or "",
        job.go_version or "",
        ",".join(job.codes),
    ]
    return "\0".join(header).encode()


def _status_key(job: _Job, header: bytes) -> tuple[str, int] | None:
    """(digest of the files' status, newest modification time), or None when one cannot be read."""
    h = hashlib.blake2b(header, digest_size=20)
    newest = 0
    for path in job.files:
        try:
            st = path.stat()
        except OSError:
            return None
        newest = max(newest, st.st_mtime_ns)
        h.update(f"\0{path.name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}".encode())
    return h.hexdigest(), newest


def _sources_digest(header: bytes, sources: list[tuple[Path, bytes]]) -> str:
    h = hashlib.blake2b(header, digest_size=20)
    for path, data in sources:
        h.update(b"\0" + path.name.encode() + b"\0" + len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _final_key(digest: str, dirs: Sequence[Path]) -> str:
    return hashlib.blake2b(f"{digest}\0{dirs_signature(list(dirs))}".encode(), digest_size=20).hexdigest()


def _status_entry(record: object) -> tuple[str, list[Path], list[str]] | None:
    """A recorded status's (digest, imported dirs, read warnings), or None when it is malformed."""
    if not isinstance(record, list) or len(record) != 3:
        return None
    digest, dirs, warnings = record
    try:
        return str(digest), [Path(d) for d in dirs], [str(w) for w in warnings]
    except TypeError:
        return None


@dataclass
class _Statuses:
    """The files' status of every directory of one scan, recorded in one index per set of scanned paths.

    With one status file per directory, a cold scan of the standard library created 640 of them (and
    256 directories to hold them) besides its 640 results: file creation is most of what the cache costs
    a cold scan. The scan's process reads the index once, and writes it once at the end, holding exactly
    this scan's directories (what another scan of the same paths will ask). A scan of other paths (a
    package inside) has its own index; its first run reads and hashes its files, then finds the results
    by their content."""

    path: Path
    known: dict[str, list[Any]]

    @classmethod
    def load(cls, cache_dir: Path, paths: Sequence[str]) -> _Statuses:
        roots = "\0".join(sorted({os.path.abspath(p) for p in paths}))
        name = hashlib.blake2b(roots.encode(), digest_size=20).hexdigest()
        path = cache_dir / f"v{_CACHE_FORMAT}" / "index" / f"{name}.json"
        known: dict[str, list[Any]] = {}
        try:
            raw = json.loads(path.read_bytes())
            if isinstance(raw, dict):
                known = {str(k): v for k, v in raw.items() if isinstance(v, list)}
        except (OSError, ValueError):
            pass
        return cls(path, known)

    def save(self, entries: Sequence[tuple[str, list[Any]]]) -> None:
        """Record this scan's statuses; nothing is written when they are the ones read."""
        now = dict(entries)
        if now != self.known:
            write_cache_json(self.path, now)
            self.known = now


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"v{_CACHE_FORMAT}" / key[:2] / f"{key}.json"


def _cache_load(cache_dir: Path, key: str) -> _JobResult | None:
    try:
        raw = json.loads(_cache_path(cache_dir, key).read_bytes())
        return _JobResult(
            [tuple(f) for f in raw["findings"]],
            list(raw["warnings"]),
            int(raw["files"]),
            int(raw["packages"]),
            True,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_store(cache_dir: Path, key: str, result: _JobResult) -> None:
    data = {
        "findings": result.findings,
        "warnings": result.warnings,
        "files": result.files,
        "packages": result.packages,
    }
    write_cache_json(_cache_path(cache_dir, key), data)


def write_cache_json(path: Path, data: object) -> None:
    """Write a cache entry atomically (a reader never sees half a file); failures only cost speed.

    A cold scan of the standard library writes 1,240 entries: with pathlib (a mkdir that raises for an
    existing directory, write_text) they cost 0.36 s of CPU; with os calls and the directories made
    remembered, 0.05 s."""
    name = str(path)
    parent = os.path.dirname(name)
    tmp = f"{name}.{os.getpid()}.tmp"
    try:
        try:
            if parent not in _MADE_DIRS:
                os.makedirs(parent, exist_ok=True)
                _MADE_DIRS.add(parent)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        except FileNotFoundError:  # the directory was removed since (a cleared cache): make it again
            os.makedirs(parent, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            left = memoryview(json.dumps(data).encode())
            while left:
                left = left[os.write(fd, left) :]
        finally:
            os.close(fd)
        os.replace(tmp, name)
    except OSError:
        pass  # a cache that cannot be written only costs speed


_MADE_DIRS: set[str] = set()
