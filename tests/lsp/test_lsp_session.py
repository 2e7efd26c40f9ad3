"""A real LSP session over stdio with pygls' client against `leaktrail lsp`: initialize, open a leaky file,
receive its diagnostics, ask for the quick fix, apply it, see the diagnostic go; hover shows the rule's
documentation; .leaktrail.toml and suppression comments are honoured."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

LEAKY = """package shop

import (
	"context"
	"time"
)

func poll(parent context.Context) {
	t := time.NewTicker(time.Second)
	<-t.C
	ctx, _ := context.WithCancel(parent) //leaktrail:ignore GL002 the caller cancels parent
	<-ctx.Done()
}
"""


class Session:
    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.changed = asyncio.Event()

    async def diagnostics_for(self, uri: str, pred: object, timeout: float = 20) -> list[lsp.Diagnostic]:
        assert callable(pred)
        end = asyncio.get_running_loop().time() + timeout
        while True:
            got = self.diagnostics.get(uri)
            if got is not None and pred(got):
                return got
            left = end - asyncio.get_running_loop().time()
            assert left > 0, f"no matching diagnostics for {uri}; last: {got}"
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)


@contextlib.asynccontextmanager
async def session_in(tmp_path: Path) -> AsyncIterator[Session]:
    client = LanguageClient("leaktrail-test", "1")
    s = Session(client)

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        s.diagnostics[params.uri] = list(params.diagnostics)
        s.changed.set()

    env = dict(os.environ, LEAKTRAIL_CACHE_DIR=str(tmp_path / "cache"))
    await client.start_io(sys.executable, "-m", "leaktrail", "lsp", env=env)
    await client.initialize_async(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(),
            root_uri=from_fs_path(str(tmp_path)),
        )
    )
    client.initialized(lsp.InitializedParams())
    try:
        yield s
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


def _open(s: Session, path: Path, text: str) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    s.client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="go", version=1, text=text))
    )
    return uri


def _apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.split("\n")
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        a = offsets[e.range.start.line] + e.range.start.character
        b = offsets[e.range.end.line] + e.range.end.character
        text = text[:a] + e.new_text + text[b:]
    return text


def test_diagnose_fix_and_clear(tmp_path: Path) -> None:
    asyncio.run(diagnose_fix_and_clear(tmp_path))


async def diagnose_fix_and_clear(tmp_path: Path) -> None:
    async with session_in(tmp_path) as session:
        await _diagnose_fix_and_clear(session, tmp_path)


async def _diagnose_fix_and_clear(session: Session, tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/shop\n\ngo 1.22\n")
    path = tmp_path / "shop.go"
    path.write_text(LEAKY)
    uri = _open(session, path, LEAKY)
    diags = await session.diagnostics_for(uri, lambda d: len(d) > 0)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in diags] == [("GL013", 8, 6)]
    assert diags[0].source == "leaktrail" and "never stopped" in diags[0].message

    hover = await session.client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(8, 8))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "GL013" in hover.contents.value and "**Fix:** defer t.Stop()" in hover.contents.value

    actions = await session.client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), diags[0].range, lsp.CodeActionContext(diagnostics=diags)
        )
    )
    assert actions is not None and len(actions) == 1
    action = actions[0]
    assert isinstance(action, lsp.CodeAction) and action.title == "GL013: defer t.Stop()"
    assert action.edit is not None and action.edit.changes is not None
    fixed = _apply(LEAKY, action.edit.changes[uri])
    assert "t := time.NewTicker(time.Second)\n\tdefer t.Stop()\n\t<-t.C" in fixed

    everything = await session.client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
            lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
        )
    )
    assert everything is not None and len(everything) == 1
    fix_all = everything[0]
    assert isinstance(fix_all, lsp.CodeAction) and fix_all.kind == "source.fixAll.leaktrail"
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    assert _apply(LEAKY, fix_all.edit.changes[uri]) == fixed

    session.client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [lsp.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await session.diagnostics_for(uri, lambda d: d == [])
    assert (
        path.read_text() == LEAKY
    )  # the server analysed the buffer; the file on disk is the editor's business


def test_config_file_and_suppressions_are_honoured(tmp_path: Path) -> None:
    asyncio.run(config_file_is_honoured(tmp_path))


async def config_file_is_honoured(tmp_path: Path) -> None:
    async with session_in(tmp_path) as session:
        await _config_file_is_honoured(session, tmp_path)


async def _config_file_is_honoured(session: Session, tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/shop\n\ngo 1.22\n")
    (tmp_path / ".leaktrail.toml").write_text('ignore = ["GL013"]\n')
    text = LEAKY.replace(" //leaktrail:ignore GL002 the caller cancels parent", "")
    path = tmp_path / "shop.go"
    path.write_text(text)
    uri = _open(session, path, text)
    diags = await session.diagnostics_for(uri, lambda d: len(d) > 0)
    assert [d.code for d in diags] == ["GL002"]
