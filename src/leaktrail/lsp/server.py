"""`leaktrail lsp`: a language server over stdio (pygls). Diagnostics on open, save and change (debounced,
one package at a time), quick fixes from the same fixes as `scan --fix`, hover with the rule's
documentation."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from leaktrail import __version__
from leaktrail.fix import plan_fixes
from leaktrail.lsp.analysis import PackageResult, analyse_package
from leaktrail.model import Finding, Severity
from leaktrail.rules import rule_infos

DEBOUNCE_SECONDS = 0.3
FIX_ALL = "source.fixAll.leaktrail"
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
_WORD = re.compile(rb"[A-Za-z_0-9]+")


class LeaktrailServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("leaktrail", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.results: dict[Path, PackageResult] = {}
        self.published: dict[Path, set[Path]] = {}
        self.pending: dict[Path, asyncio.Task[None]] = {}

    # -- analysis ------------------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        path = _path(uri)
        if path is None or path.suffix != ".go":
            return
        directory = path.parent
        task = self.pending.pop(directory, None)
        if task is not None:
            task.cancel()
        self.pending[directory] = asyncio.ensure_future(self._later(directory, delay))

    async def _later(self, directory: Path, delay: float) -> None:
        await asyncio.sleep(delay)
        self.pending.pop(directory, None)
        self.analyse(directory)

    def overlays(self, directory: Path) -> dict[Path, bytes]:
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            path = _path(uri)
            if path is not None and path.parent == directory:
                out[path] = doc.source.encode("utf-8")
        return out

    def analyse(self, directory: Path) -> None:
        result = analyse_package(directory, self.overlays(directory))
        if result.config_error:
            self.window_show_message(
                lsp.ShowMessageParams(lsp.MessageType.Error, f"leaktrail: {result.config_error}")
            )
        self.results[directory] = result
        stale = self.published.get(directory, set())
        now = set(result.findings)
        for path in stale | now:
            src = result.sources.get(path, b"")
            diags = [diagnostic(f, src) for f in result.findings.get(path, [])]
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=from_fs_path(str(path)) or "", diagnostics=diags)
            )
        self.published[directory] = now

    def findings_at(self, uri: str, rng: lsp.Range) -> tuple[list[Finding], bytes]:
        path = _path(uri)
        if path is None:
            return [], b""
        result = self.results.get(path.parent)
        if result is None:
            return [], b""
        src = result.sources.get(path, b"")
        doc = self.workspace.text_documents.get(uri)
        if doc is not None and doc.source.encode("utf-8") != src:
            return [], src  # changed since the analysis: positions would be stale
        hits = [f for f in result.findings.get(path, []) if rng.start.line <= f.line - 1 <= rng.end.line]
        return hits, src


def diagnostic(f: Finding, src: bytes) -> lsp.Diagnostic:
    start = _lsp_position(src, f.line, f.column)
    line = _line_bytes(src, f.line)
    m = _WORD.match(line, f.column - 1)
    end = _lsp_position(src, f.line, m.end() + 1) if m else lsp.Position(start.line, start.character + 1)
    data: dict[str, Any] = {"rule": f.rule}
    return lsp.Diagnostic(
        range=lsp.Range(start, end),
        message=f.message,
        severity=_SEVERITY[f.severity],
        code=f.rule,
        source="leaktrail",
        data=data,
    )


def _line_bytes(src: bytes, line: int) -> bytes:
    lines = src.split(b"\n")
    return lines[line - 1] if 0 < line <= len(lines) else b""


def _lsp_position(src: bytes, line: int, column: int) -> lsp.Position:
    """1-based line and byte column to LSP's 0-based line and UTF-16 character."""
    prefix = _line_bytes(src, line)[: column - 1].decode("utf-8", "replace")
    return lsp.Position(line - 1, len(prefix.encode("utf-16-le")) // 2)


def _path(uri: str) -> Path | None:
    fs = to_fs_path(uri)
    return Path(fs).absolute() if fs else None


server = LeaktrailServer()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LeaktrailServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LeaktrailServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LeaktrailServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LeaktrailServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)  # back to the saved text


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
)
def code_action(ls: LeaktrailServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    only = params.context.only
    if only and not any(k.startswith(lsp.CodeActionKind.QuickFix) for k in only):
        return _fix_all(ls, uri) if any(FIX_ALL.startswith(k) for k in only) else []
    findings, src = ls.findings_at(uri, params.range)
    actions = []
    for f in findings:
        if f.fix is None:
            continue
        edits = [
            lsp.TextEdit(
                range=lsp.Range(
                    _lsp_position(src, e.start_line, e.start_column),
                    _lsp_position(src, e.end_line, e.end_column),
                ),
                new_text=e.new_text,
            )
            for e in f.fix.edits
        ]
        actions.append(
            lsp.CodeAction(
                title=f"{f.rule}: {f.fix.description}",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic(f, src)],
                is_preferred=True,
                edit=lsp.WorkspaceEdit(changes={uri: edits}),
            )
        )
    return actions


def _fix_all(ls: LeaktrailServer, uri: str) -> list[lsp.CodeAction]:
    """source.fixAll.leaktrail: every fix of the document that does not overlap another, as `--fix` would
    apply them in one round."""
    path = _path(uri)
    whole = lsp.Range(lsp.Position(0, 0), lsp.Position(2**31 - 1, 0))
    findings, src = ls.findings_at(uri, whole)
    if path is None or not findings:
        return []
    plan = plan_fixes(findings, {f.path: src for f in findings})
    if not plan.changes:
        return []
    change = plan.changes[0]
    end = _lsp_position(src, src.count(b"\n") + 1, len(src) - src.rfind(b"\n"))
    edit = lsp.TextEdit(lsp.Range(lsp.Position(0, 0), end), change.after.decode("utf-8", "replace"))
    return [
        lsp.CodeAction(
            title=f"leaktrail: fix {len(change.fixed)} findings",
            kind=FIX_ALL,
            edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
        )
    ]


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: LeaktrailServer, params: lsp.HoverParams) -> lsp.Hover | None:
    pos = params.position
    findings, _ = ls.findings_at(params.text_document.uri, lsp.Range(pos, pos))
    if not findings:
        return None
    infos = rule_infos()
    parts = []
    for f in findings:
        info = infos.get(f.rule)
        if info is None:
            continue
        fix = f"**Fix:** {f.fix.description}" if f.fix else f"**No automatic fix:** {f.no_fix}"
        parts.append(f"### {f.rule} {info.slug}\n\n{f.message}\n\n{fix}\n\n{info.doc}")
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
    )


def run() -> None:
    server.start_io()
