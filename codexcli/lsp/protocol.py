"""Proposals as LSP values: workspace edits, inline completion items, messages (lsprotocol only)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path

from codexcli.lsp.edits import LineEdit, line_edit
from codexcli.lsp.runners import FileChange, Proposal


def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def path_of(uri: str) -> Path:
    found = to_fs_path(uri)
    return Path(found if found is not None else uri)


def to_range(edit: LineEdit) -> lsp.Range:
    return lsp.Range(lsp.Position(edit.start_line, edit.start_char), lsp.Position(edit.end_line, edit.end_char))


def _change(change: FileChange, version: int | None) -> list[lsp.TextDocumentEdit | lsp.CreateFile]:
    uri = uri_of(change.path)
    if change.before is None:
        whole = lsp.TextEdit(lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)), change.after)
        created = lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(ignore_if_exists=True))
        return [created, lsp.TextDocumentEdit(lsp.OptionalVersionedTextDocumentIdentifier(uri, None), [whole])]
    edit = line_edit(change.before, change.after)
    if edit is None:
        return []
    document = lsp.OptionalVersionedTextDocumentIdentifier(uri, version if change.buffer else None)
    return [lsp.TextDocumentEdit(document, [lsp.TextEdit(to_range(edit), edit.text)])]


def workspace_edit(proposal: Proposal, version: int | None) -> lsp.WorkspaceEdit | None:
    """The proposal's changes; the buffer's edit carries ``version`` (the client refuses it when
    the document has moved on). None when nothing changes."""
    changes = [c for change in proposal.changes for c in _change(change, version)]
    return lsp.WorkspaceEdit(document_changes=changes) if changes else None


def inline_items(proposal: Proposal) -> list[lsp.InlineCompletionItem]:
    """The buffer's edit as an inline completion, titled with its evidence."""
    items = []
    for change in proposal.changes:
        edit = line_edit(change.before or "", change.after) if change.buffer else None
        if edit is None:
            continue
        evidence = ", ".join(f"{name}: evidence {level}" for name, _, level in proposal.candidates)
        title = f"codex ({evidence})" if evidence else "codex"
        command = lsp.Command(title=title, command="codex.accepted", arguments=[proposal.message])
        items.append(lsp.InlineCompletionItem(insert_text=edit.text, range=to_range(edit), command=command))
    return items


def message(kind: str, text: str) -> lsp.ShowMessageParams:
    types = {"error": lsp.MessageType.Error, "warning": lsp.MessageType.Warning}
    return lsp.ShowMessageParams(types.get(kind, lsp.MessageType.Info), text)
