"""The LSP features codex answers, registered on a CodexServer (``build``).

* ``textDocument/codeAction``: the actions at the cursor, at once (no model); with a client that
  resolves code actions, each carries ``data`` and is computed on ``codeAction/resolve``;
  otherwise each carries the ``codex.run`` command (``workspace/executeCommand``), which applies
  its result with ``workspace/applyEdit``.
* ``textDocument/inlineCompletion``: a body for the stub at the cursor, titled with its evidence.
* diagnostics (off by default): undocumented public functions, each with a quick fix.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Mapping

from lsprotocol import types as lsp

from codexcli.lsp.actions import QUICKFIX, REWRITE, SOURCE, Action, actions_at, function_at, undocumented
from codexcli.lsp.protocol import inline_items, workspace_edit
from codexcli.lsp.server import CodexServer

RUN = "codex.run"
ACCEPTED = "codex.accepted"
DIAGNOSTIC = "undocumented"


def _resolves(server: CodexServer) -> bool:
    """Whether the client fills a code action's edit by codeAction/resolve."""
    text = server.client_capabilities.text_document
    action = text.code_action if text is not None else None
    support = action.resolve_support if action is not None else None
    return support is not None and "edit" in support.properties


def code_actions(server: CodexServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """The codex actions at the start of the range (a quick fix for each codex diagnostic)."""
    uri = params.text_document.uri
    shape = server.outline_of(uri, params.range.start.line + 1)
    if shape is None:
        return []
    version = server.workspace.get_text_document(uri).version
    found = actions_at(shape, params.range.start.line + 1, server.options.translate_to)
    fixes = [d for d in params.context.diagnostics if d.source == "codex" and d.code == DIAGNOSTIC]
    for diagnostic in fixes:
        target = function_at(shape, diagnostic.range.start.line + 1)
        if target is not None:
            found.insert(0, Action("comment", target.qualname, f"codex: document {target.qualname}", QUICKFIX))
    out = []
    resolves = _resolves(server)
    for action in found:
        data = action.data(uri, version)
        item = lsp.CodeAction(title=action.title, kind=action.kind)
        if action.kind == QUICKFIX:
            item.diagnostics = fixes
        if resolves:
            item.data = data
        else:
            item.command = lsp.Command(title=action.title, command=RUN, arguments=[data])
        out.append(item)
    return out


async def resolve(server: CodexServer, action: lsp.CodeAction) -> lsp.CodeAction:
    """Run the action and fill in its edit (none when it failed or the buffer changed: the
    user was told why)."""
    proposal = await server.run_action(action.data)
    if proposal is not None:
        action.edit = workspace_edit(proposal, proposal.version)
        if action.edit is None:
            server.say("info", f"{action.title}: {proposal.message}")
    return action


async def execute(server: CodexServer, data: Any, token: lsp.ProgressToken | None = None) -> Any:
    """codex.run: run the action and apply its edit with workspace/applyEdit."""
    _cancel_with_request(server)
    proposal = await server.run_action(data, token)
    if proposal is None:
        return None
    edit = workspace_edit(proposal, proposal.version)
    if edit is None:
        server.say("info", f"codex {data['task']}: {proposal.message}")
        return {"applied": False, "message": proposal.message}
    result = await server.workspace_apply_edit_async(lsp.ApplyWorkspaceEditParams(edit, label=f"codex {data['task']}"))
    if not result.applied:
        server.say("warning", f"codex {data['task']}: the editor did not apply the edit ({result.failure_reason})")
    return {"applied": result.applied, "message": proposal.message}


def _cancel_with_request(server: CodexServer) -> None:
    """pygls runs a command as a step of its own executeCommand handler, so $/cancelRequest
    cancels that request's future, not this task: pass the cancellation on."""
    futures = getattr(server.protocol, "_request_futures", {})
    outer = futures.get(server.protocol.msg_id)
    task = asyncio.current_task()
    if outer is None or task is None:
        return
    loop = asyncio.get_running_loop()
    outer.add_done_callback(lambda f: loop.call_soon_threadsafe(task.cancel) if f.cancelled() else None)


async def inline(server: CodexServer, params: lsp.InlineCompletionParams) -> lsp.InlineCompletionList | None:
    """A body for the stub at the cursor (nothing elsewhere, and nothing below the threshold)."""
    uri = params.text_document.uri
    shape = server.outline_of(uri, params.position.line + 1)
    target = function_at(shape, params.position.line + 1) if shape is not None else None
    if shape is None or target is None or not target.stub:
        return None
    version = server.workspace.get_text_document(uri).version
    proposal = await server.run_action(Action("fill", target.qualname, "", REWRITE).data(uri, version))
    items = inline_items(proposal) if proposal is not None else []
    return lsp.InlineCompletionList(items=items) if items else None


def publish(server: CodexServer, uri: str) -> None:
    """The undocumented-function hints of a buffer, when the user asked for them."""
    if not server.options.diagnostics:
        return
    shape = server.outline_of(uri)
    found = undocumented(shape, server.workspace.get_text_document(uri).source) if shape is not None else []
    diagnostics = [
        lsp.Diagnostic(
            range=lsp.Range(lsp.Position(u.line, u.start), lsp.Position(u.line, u.end)),
            message=f"{u.qualname} has no docstring (codex can write one)",
            severity=lsp.DiagnosticSeverity.Hint,
            source="codex",
            code=DIAGNOSTIC,
        )
        for u in found
    ]
    server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


def build(defaults: Mapping[str, Any] | None = None) -> CodexServer:
    """A CodexServer with every feature registered; ``defaults``: settings from the command
    line (``codex --backend fake lsp``), under the editor's.

    Long: one small nested handler per LSP method; each only forwards to a function above."""
    server = CodexServer(defaults or {})
    kinds = [REWRITE, SOURCE, QUICKFIX]

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: CodexServer, params: lsp.InitializeParams) -> None:
        ls.configure(params.initialization_options, initial=True)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: CodexServer, params: lsp.InitializedParams) -> None:
        workspace = ls.client_capabilities.workspace
        if workspace is None or not workspace.configuration:
            return
        try:
            found = await ls.workspace_configuration_async(
                lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section="codex")])
            )
        except Exception as exc:  # a client that cannot answer: the initial options stay
            ls.tell(f"workspace/configuration: {exc}")
            return
        if found and found[0]:
            ls.configure(found[0])
        ls.tell(f"settings: {dict(ls.options.overrides)}")

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def changed_configuration(ls: CodexServer, params: lsp.DidChangeConfigurationParams) -> None:
        if isinstance(params.settings, dict) and params.settings:
            ls.configure(params.settings)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CodexServer, params: lsp.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CodexServer, params: lsp.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CodexServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=kinds, resolve_provider=True)
    )
    def code_action(ls: CodexServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return code_actions(ls, params)

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: CodexServer, action: lsp.CodeAction) -> lsp.CodeAction:
        return await resolve(ls, action)

    @server.feature(lsp.TEXT_DOCUMENT_INLINE_COMPLETION, lsp.InlineCompletionOptions())
    async def inline_completion(ls: CodexServer, params: lsp.InlineCompletionParams) -> Any:
        return await inline(ls, params)

    @server.command(RUN)
    async def run(ls: CodexServer, data: Any) -> Any:
        return await execute(ls, data)

    @server.command(ACCEPTED)
    def accepted(ls: CodexServer, *args: Any) -> None:
        ls.tell(f"inline completion accepted: {args[0] if args else ''}")

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: CodexServer, *args: Any) -> None:
        ls.stop_jobs()

    return server


def serve(tcp: tuple[str, int] | None = None, defaults: Mapping[str, Any] | None = None) -> None:
    """Run the server on stdio (or a TCP port). Anything written to stdout by task code goes to
    stderr: stdout carries the protocol only."""
    import os

    server = build(defaults)
    if tcp is not None:
        server.start_tcp(*tcp)
        return
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        server.start_io(sys.stdin.buffer, protocol_out)
    finally:  # the editor went away (with or without shutdown): no job outlives it
        server.stop_jobs()
