"""Insert doc comments (JSDoc, Javadoc) into a file of another language than Python, by line,
touching nothing else.

A comment goes in front of a line (the first line of the definition it documents), with that
line's indentation. ``insert_comments`` never raises; before it returns a text it checks that
(1) removing the inserted lines gives back the original, byte for byte, (2) the new text parses
without errors, and (3) its syntax tree, comments left out, is the original's. ``parse`` is the
language's tree-sitter parse (bytes -> tree), passed in by the task.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from codexcli.splice.body import Spliced, SpliceFailed

Parse = Callable[[bytes], Any]


def render_comment(lines: list[str], indent: str, newline: str = "\n") -> str:
    """``lines`` (the comment's text lines, blank ones kept) as a ``/** ... */`` block."""
    body = [f"{indent} *" + (f" {line}" if line else "") for line in lines]
    return newline.join([f"{indent}/**", *body, f"{indent} */"]) + newline


def shape(tree: Any) -> list[tuple[str, bytes]]:
    """The syntax tree without comments: each node's type, and the text of each leaf."""
    out: list[tuple[str, bytes]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if "comment" in node.type:
            continue
        out.append((node.type, node.text if node.child_count == 0 else b""))
        stack.extend(reversed(node.children))
    return out


def insert_comments(source: str, comments: Mapping[int, str], parse: Parse) -> Spliced | SpliceFailed:
    """``source`` with each comment of ``comments`` (0-based line -> the rendered comment, ending
    in a newline) inserted in front of that line; SpliceFailed when a check fails (see above)."""
    lines = source.splitlines(keepends=True)
    if any(not 0 <= row < len(lines) for row in comments):
        return SpliceFailed("a comment's line is not in the file")
    out: list[str] = []
    inserted: set[int] = set()
    for row, line in enumerate(lines):
        if row in comments:
            text = comments[row]
            for piece in text.splitlines(keepends=True):
                inserted.add(len(out))
                out.append(piece)
        out.append(line)
    new = "".join(out)
    if "".join(l for i, l in enumerate(out) if i not in inserted) != source:
        return SpliceFailed("the file would change outside the inserted comments")
    before, after = parse(source.encode("utf-8")), parse(new.encode("utf-8"))
    if after.root_node.has_error and not before.root_node.has_error:
        return SpliceFailed("the file would no longer parse")
    if shape(before) != shape(after):
        return SpliceFailed("the file's syntax tree would change (a comment must not change the code)")
    return Spliced(new)
