"""A real LSP client (pytest-lsp) talking JSON-RPC over stdio to `codex lsp` in a child process,
with the fake backend chosen the way users choose backends (CODEX_BACKEND + a script file)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402
from pytest_lsp.client import make_test_lsp_client  # noqa: E402

from tests.conftest import REPO  # noqa: E402


def capabilities(resolve: bool = True) -> lsp.ClientCapabilities:
    """An editor that resolves code actions (or runs their command), shows progress, answers
    workspace/configuration and applies workspace edits with documentChanges."""
    action = lsp.CodeActionClientCapabilities(
        resolve_support=lsp.ClientCodeActionResolveOptions(properties=["edit"]) if resolve else None
    )
    return lsp.ClientCapabilities(
        text_document=lsp.TextDocumentClientCapabilities(code_action=action),
        window=lsp.WindowClientCapabilities(work_done_progress=True),
        workspace=lsp.WorkspaceClientCapabilities(
            apply_edit=True,
            configuration=True,
            workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True),
        ),
    )


class Editor:
    """The client, and what the server asked it to do: edits applied to its buffers."""

    def __init__(self, client: LanguageClient, folder: Path) -> None:
        self.client = client
        self.folder = folder
        self.versions: dict[str, int] = {}
        self.edits: list[lsp.ApplyWorkspaceEditParams] = []

    def open(self, name: str, text: str, language: str = "python") -> str:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        self.versions[uri] = 1
        item = lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(item))
        return uri

    def type_text(self, uri: str, text: str) -> None:
        """Replace the whole buffer (a keystroke, as far as the server can tell)."""
        self.versions[uri] += 1
        document = lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        change = lsp.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(document, [change]))

    async def actions(self, uri: str, line: int) -> list[lsp.CodeAction]:
        where = lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0))
        params = lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri), where, lsp.CodeActionContext(diagnostics=[]))
        return list(await self.client.text_document_code_action_async(params) or [])


@asynccontextmanager
async def editor(
    folder: Path,
    answers: list[Any] | None = None,
    *,
    default: str | None = None,
    options: dict[str, Any] | None = None,
    resolve: bool = True,
    env: dict[str, str] | None = None,
    configuration: dict[str, Any] | None = None,
) -> AsyncIterator[Editor]:
    """`codex lsp` started on stdio with the fake backend, initialized (``options``: its
    initializationOptions; ``configuration``: the "codex" section the client answers
    workspace/configuration with), shut down at the end."""
    script = folder / "fake-answers.json"
    script.write_text(json.dumps({"answers": answers or [], "default": default}), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CODEX_")}
    environment.update(CODEX_BACKEND="fake", CODEX_FAKE_ANSWERS=str(script), CODEXCLI_HOME=str(folder / ".codex-home"))
    environment.update({k: v for k, v in os.environ.items() if k == "CODEX_UNSAFE_EXEC"})
    environment.update(env or {})
    client = make_test_lsp_client()
    session = Editor(client, folder)

    @client.feature(lsp.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        session.edits.append(params)
        return lsp.ApplyWorkspaceEditResult(applied=True)

    await client.start_io(sys.executable, "-m", "codexcli", "lsp", env=environment, cwd=str(REPO))
    params = lsp.InitializeParams(
        capabilities=capabilities(resolve),
        root_uri=folder.as_uri(),
        initialization_options={"evidence": "form", **(options or {})},
    )
    if configuration is not None:
        client.set_configuration(configuration, section="codex")
    await client.initialize_session(params)
    while not any(m.message.startswith("settings:") for m in client.log_messages):
        await asyncio.sleep(0.02)  # the server has read workspace/configuration
    try:
        yield session
    finally:
        await client.shutdown_session()
        await client.stop()
