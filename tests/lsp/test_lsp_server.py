"""`codex lsp` end to end: a pytest-lsp client over stdio, the fake backend, the real tasks."""

from __future__ import annotations

import ast
import asyncio
import time
from pathlib import Path

import pytest
from lsprotocol import types as lsp

from codexcli.lsp.edits import LineEdit, apply
from tests.conftest import dedent
from tests.lsp.conftest import Editor, editor

pytestmark = pytest.mark.asyncio

STUB = dedent('''
    import math


    def area(r: float) -> float:
        """Area of a circle."""
        ...


    def double(x: int) -> int:
        """Twice x."""
        return x * 2
''')
RIGHT = "    return math.pi * r * r\n"


def long_body(tokens: int) -> str:
    """A body the fake backend streams as about ``tokens`` tokens (one per space)."""
    return "    return " + " + ".join(["r"] * (tokens // 2)) + "\n"


async def generating(ed: Editor) -> None:
    """Until the server reports generated tokens (and how fast) in its progress."""
    reports = ed.client.progress_reports
    while not any("tokens" in (getattr(v, "message", "") or "") for vs in reports.values() for v in vs):
        await asyncio.sleep(0.05)


async def cancel_when_generating(ed: Editor, method: str, params: object) -> float:
    """Send a request, cancel it once the model generates, and wait until the server says the
    job was cancelled (within 5 s); returns when the cancel was sent."""
    pending = asyncio.ensure_future(ed.client.protocol.send_request_async(method, params, msg_id="slow"))
    await generating(ed)
    started = time.perf_counter()
    ed.client.protocol.notify(lsp.CANCEL_REQUEST, lsp.CancelParams(id="slow"))
    with pytest.raises(Exception, match="cancel"):
        await pending
    while not any("cancelled" in m.message for m in ed.client.log_messages):
        await asyncio.sleep(0.05)
        assert time.perf_counter() - started < 5
    return started


def applied(text: str, edit: lsp.WorkspaceEdit) -> str:
    """``text`` with the one TextDocumentEdit of ``edit`` applied."""
    [change] = edit.document_changes or []
    assert isinstance(change, lsp.TextDocumentEdit)
    for e in change.edits:
        assert isinstance(e, lsp.TextEdit)
        r = e.range
        text = apply(text, LineEdit(r.start.line, r.start.character, r.end.line, r.end.character, e.new_text))
    return text


async def test_lists_the_actions_of_a_stub_at_once_and_none_on_a_text_file(tmp_path: Path):
    async with editor(tmp_path) as ed:
        uri = ed.open("geometry.py", STUB)
        started = time.perf_counter()
        titles = [a.title for a in await ed.actions(uri, 5)]
        assert time.perf_counter() - started < 2
        assert titles[0] == "codex: fill in area"
        assert "codex: translate this file to javascript" in titles
        assert not any("document area" in t for t in titles)  # it has a docstring
        on_double = [a.title for a in await ed.actions(uri, 10)]
        assert "codex: write tests for double" in on_double and "codex: optimize double" in on_double
        notes = ed.open("notes.txt", "def f():\n    ...\n", language="plaintext")
        assert await ed.actions(notes, 1) == []


async def test_resolving_fill_returns_the_verified_edit_with_progress(tmp_path: Path):
    async with editor(tmp_path, default=RIGHT) as ed:
        uri = ed.open("geometry.py", STUB)
        [fill] = [a for a in await ed.actions(uri, 5) if a.title == "codex: fill in area"]
        assert fill.edit is None and fill.data["task"] == "fill"
        resolved = await ed.client.code_action_resolve_async(fill)
        assert resolved.edit is not None
        after = applied(STUB, resolved.edit)
        assert "return math.pi * r * r" in after and "def double" in after
        [change] = resolved.edit.document_changes
        assert change.text_document.version == 1  # refused by the editor if the buffer moved on
        kinds = [type(v).__name__ for values in ed.client.progress_reports.values() for v in values]
        assert kinds[0] == "WorkDoneProgressBegin" and kinds[-1] == "WorkDoneProgressEnd"
        assert any("filled" in m.message and "evidence form" in m.message for m in ed.client.log_messages)


async def test_execute_command_applies_the_edit_with_workspace_apply_edit(tmp_path: Path):
    async with editor(tmp_path, default=RIGHT, resolve=False) as ed:
        uri = ed.open("geometry.py", STUB)
        [fill] = [a for a in await ed.actions(uri, 5) if a.title == "codex: fill in area"]
        # lsprotocol's client-side hook reads any object with a "command" key as a Command, so a
        # CodeAction carrying one arrives as Command(command=<its text>): read it back.
        command = ast.literal_eval(fill.command)
        assert command["command"] == "codex.run" and command["arguments"][0]["task"] == "fill"
        params = lsp.ExecuteCommandParams(command=command["command"], arguments=command["arguments"])
        result = await ed.client.workspace_execute_command_async(params)
        assert result["applied"] is True
        [edit] = ed.edits
        assert "return math.pi * r * r" in applied(STUB, edit.edit)


async def test_a_body_below_the_threshold_is_not_offered(tmp_path: Path):
    apart = [
        "    return 1.0\n",
        "    return 2.0 * r\n",
        "    return r + 3.0\n",
        "    return r * r\n",
        "    return -r\n",
    ]
    # The workspace configuration goes over the initializationOptions (evidence "form").
    async with editor(tmp_path, apart, configuration={"evidence": "consensus"}) as ed:
        uri = ed.open("geometry.py", STUB)
        [fill] = [a for a in await ed.actions(uri, 5) if a.title == "codex: fill in area"]
        resolved = await ed.client.code_action_resolve_async(fill)
        assert resolved.edit is None
        assert any("held back" in m.message and "consensus" in m.message for m in ed.client.messages)


async def test_an_edit_computed_on_an_older_buffer_is_dropped(tmp_path: Path):
    slow = {"CODEX_FAKE_DELAY": "0.05"}
    async with editor(tmp_path, default=long_body(40), env=slow) as ed:
        uri = ed.open("geometry.py", STUB)
        [fill] = [a for a in await ed.actions(uri, 5) if a.title == "codex: fill in area"]
        pending = asyncio.ensure_future(ed.client.code_action_resolve_async(fill))
        await asyncio.sleep(0.5)
        ed.type_text(uri, STUB + "\n# typed while codex worked\n")
        resolved = await pending
        assert resolved.edit is None
        assert any("changed while codex worked" in m.message for m in ed.client.messages)


async def test_cancelling_a_slow_request_stops_the_model_within_a_second(tmp_path: Path):
    slow = {"CODEX_FAKE_DELAY": "0.1"}
    async with editor(tmp_path, default=long_body(600), env=slow) as ed:
        uri = ed.open("geometry.py", STUB)
        [fill] = [a for a in await ed.actions(uri, 5) if a.title == "codex: fill in area"]
        started = await cancel_when_generating(ed, lsp.CODE_ACTION_RESOLVE, fill)
        # The worker is free again: the model stopped at its next token, not after 300 of them.
        quick = lsp.ExecuteCommandParams("codex.run", [{"task": "fill", "name": "nothing", "uri": uri}])
        await asyncio.wait_for(ed.client.workspace_execute_command_async(quick), timeout=3)
        assert time.perf_counter() - started < 4


async def test_a_syntax_error_or_a_text_file_is_a_message_not_a_crash(tmp_path: Path):
    async with editor(tmp_path, default=RIGHT) as ed:
        broken = ed.open("broken.py", "def f(:\n    ...\n")
        assert await ed.actions(broken, 0) == []
        run = lsp.ExecuteCommandParams("codex.run", [{"task": "fill", "name": "f", "uri": broken}])
        assert await ed.client.workspace_execute_command_async(run) is None
        notes = ed.open("notes.txt", "hello\n", language="plaintext")
        run = lsp.ExecuteCommandParams("codex.run", [{"task": "comment", "name": "f", "uri": notes}])
        assert await ed.client.workspace_execute_command_async(run) is None
        texts = [m.message for m in ed.client.messages]
        assert any("does not parse" in t for t in texts) and any("works on Python files" in t for t in texts)
        assert await ed.actions(ed.open("geometry.py", STUB), 5)  # still answering


async def test_a_crash_inside_a_task_leaves_the_server_up(tmp_path: Path):
    # No scripted answer left: the fake backend raises inside the task.
    async with editor(tmp_path) as ed:
        uri = ed.open("geometry.py", STUB)
        [fill] = [a for a in await ed.actions(uri, 5) if a.title == "codex: fill in area"]
        resolved = await ed.client.code_action_resolve_async(fill)
        assert resolved.edit is None
        assert any(m.type == lsp.MessageType.Error for m in ed.client.messages)
        assert await ed.actions(uri, 5)


async def test_inline_completion_offers_the_body_with_its_evidence(tmp_path: Path):
    async with editor(tmp_path, default=RIGHT) as ed:
        uri = ed.open("geometry.py", STUB)
        context = lsp.InlineCompletionContext(trigger_kind=lsp.InlineCompletionTriggerKind.Invoked)
        params = lsp.InlineCompletionParams(context, lsp.TextDocumentIdentifier(uri), lsp.Position(5, 4))
        found = await ed.client.text_document_inline_completion_async(params)
        [item] = found.items
        assert "math.pi" in item.insert_text and "evidence form" in item.command.title
        elsewhere = lsp.InlineCompletionParams(context, lsp.TextDocumentIdentifier(uri), lsp.Position(10, 4))
        assert await ed.client.text_document_inline_completion_async(elsewhere) is None


async def test_undocumented_functions_are_hints_with_a_quick_fix_when_asked(tmp_path: Path):
    async with editor(tmp_path, options={"diagnostics": True}) as ed:
        uri = ed.open("mod.py", "def shout(text):\n    return text.upper()\n\n\ndef _quiet(x):\n    return x\n")
        await ed.client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        [hint] = ed.client.diagnostics[uri]
        assert hint.range.start == lsp.Position(0, 4) and hint.source == "codex"
        context = lsp.CodeActionContext(diagnostics=[hint])
        params = lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri), hint.range, context)
        actions = await ed.client.text_document_code_action_async(params)
        assert actions[0].kind == "quickfix.codex" and actions[0].title == "codex: document shout"


async def test_cancelling_an_executed_command_stops_it_too(tmp_path: Path):
    slow = {"CODEX_FAKE_DELAY": "0.1"}
    async with editor(tmp_path, default=long_body(600), env=slow, resolve=False) as ed:
        uri = ed.open("geometry.py", STUB)
        run = lsp.ExecuteCommandParams("codex.run", [{"task": "fill", "name": "area", "uri": uri}])
        await cancel_when_generating(ed, lsp.WORKSPACE_EXECUTE_COMMAND, run)
        assert ed.edits == []
