"""The smallest line-range edit that turns one text into another (pure), so that applying a
result moves nothing the user sees outside the changed lines."""

from __future__ import annotations

from dataclasses import dataclass

from codexcli.workspace import common_ends


@dataclass(frozen=True)
class LineEdit:
    """Replace the text from (start_line, start_char) to (end_line, end_char) with ``text``;
    lines 0-based, characters in UTF-16 code units (the LSP default)."""

    start_line: int
    start_char: int
    end_line: int
    end_char: int
    text: str


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def line_edit(before: str, after: str) -> LineEdit | None:
    """The edit replacing the lines that differ between ``before`` and ``after`` (None when the
    texts are the same)."""
    if before == after:
        return None
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    head, tail = common_ends(old, new)
    end = len(old) - tail
    text = "".join(new[head : len(new) - tail])
    if end == len(old) and old and not old[-1].endswith(("\n", "\r")):
        # The last line has no newline: the edit ends at its end, not on a line after it.
        return LineEdit(head, 0, len(old) - 1, _utf16(old[-1]), text)
    return LineEdit(head, 0, end, 0, text)


def apply(before: str, edit: LineEdit) -> str:
    """``before`` with ``edit`` applied (for tests and for checking an edit round-trips)."""
    lines = before.splitlines(keepends=True)

    def offset(line: int, char: int) -> int:
        prefix = sum(len(x) for x in lines[:line])
        rest = lines[line] if line < len(lines) else ""
        units = 0
        for i, ch in enumerate(rest):
            if units >= char:
                return prefix + i
            units += _utf16(ch)
        return prefix + len(rest)

    return (
        before[: offset(edit.start_line, edit.start_char)] + edit.text + before[offset(edit.end_line, edit.end_char) :]
    )
