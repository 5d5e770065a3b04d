"""The one print step of every editing command (generate --fill, comment, testgen, translate,
optimize): what a run did, as one JSON object on stdout with ``--json``, else its results on
stdout (a diff, the translated code) and a table and status lines on stderr.

A command describes its run as a ``Report`` (the JSON payload, the stdout text, the stderr
items) and calls ``print_report``; ``edit_fields`` gives the JSON keys every edit result
shares. Nothing here decides an exit code or writes a file (cli/apply.py does that).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Union

from codexcli.cli.output import Output

Justify = Literal["left", "right", "center"]
Overflow = Literal["fold", "crop", "ellipsis"]


@dataclass(frozen=True)
class Column:
    """One column of a summary table."""

    name: str
    justify: Justify = "left"
    overflow: Overflow = "fold"


@dataclass(frozen=True)
class Table:
    """A summary table for stderr: one row per target. Cells may use rich markup (colours)."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


# A status item for stderr: a plain line (printed as is, no markup) or a table.
Status = Union[str, Table]


@dataclass(frozen=True)
class Report:
    """What one run prints: ``payload`` with --json; otherwise ``stdout`` (results) and then each
    of ``status`` on stderr, in order."""

    payload: dict[str, Any]
    stdout: str = ""
    status: tuple[Status, ...] = ()


def edit_fields(result: Any, applied: Any) -> dict[str, Any]:
    """The JSON keys of one edited file: whether the text changed, whether it was written,
    whether this was a dry run, and the unified diff (``result``: a pipeline EditResult;
    ``applied``: cli.apply.Applied)."""
    return {
        "changed": result.changed,
        "written": applied.written,
        "dry_run": applied.dry_run,
        "diff": applied.diff,
    }


def print_report(report: Report, ui: Output) -> None:
    """Print ``report`` as ``ui`` says: one JSON object on stdout with --json, else stdout text
    then the stderr status (tables and lines)."""
    if ui.json:
        ui.emit_json(report.payload)
        return
    if report.stdout.startswith("--- "):  # a diff: coloured on a terminal
        ui.write_diff(report.stdout)
    elif report.stdout:
        ui.write(report.stdout)
    console = ui.err()
    for item in report.status:
        if isinstance(item, Table):
            show_table(console, item)
        else:
            console.print(item, markup=False)


def show_table(console: Any, table: Table) -> None:
    """A table on a terminal; elsewhere (a pipe, a file, a CI log) ``plain_lines``: one line per
    row, never wrapped to 80 columns."""
    if console.is_terminal:
        console.print(_rich_table(table))
        return
    for line in plain_lines(table):
        console.print(line, markup=False, crop=False, overflow="ignore")


def plain_lines(table: Table) -> list[str]:
    """``table`` as plain lines, one per row: ``TITLE: FIRST: column: value; column: value``
    (markup removed, empty cells left out), so that a reason is one unwrapped line that grep
    and a log keep whole."""
    names = [column.name for column in table.columns]
    lines = []
    for row in table.rows:
        cells = [_plain(cell) for cell in row]
        head = f"{table.title}: {cells[0]}" if table.title else cells[0]
        rest = "; ".join(f"{name}: {value}" for name, value in zip(names[1:], cells[1:]) if value)
        lines.append(f"{head}: {rest}" if rest else head)
    return lines


def _plain(cell: str) -> str:
    """A cell's text without its rich markup (``[green]filled[/green]`` -> ``filled``), on one line."""
    from rich.errors import MarkupError
    from rich.text import Text

    try:
        text = Text.from_markup(cell).plain
    except MarkupError:
        text = cell
    return " ".join(text.split())


def _rich_table(table: Table) -> Any:
    from rich.table import Table as RichTable

    rich = RichTable(title=table.title, title_justify="left")
    for column in table.columns:
        rich.add_column(column.name, justify=column.justify, overflow=column.overflow)
    for row in table.rows:
        rich.add_row(*row)
    return rich


def evidence_fields(outcome: Any) -> dict[str, Any]:
    """The JSON keys every outcome shares about its evidence (codexcli/evidence.py): the level
    and facts (None for a target that got no value at all), and for a value held back by the
    write threshold, the candidate that was not written (so a user can take it by hand)."""
    evidence = getattr(outcome, "evidence", None)
    fields: dict[str, Any] = {"evidence": evidence.to_json() if evidence is not None else None}
    candidate = getattr(outcome, "candidate", None)
    if candidate is not None:
        fields["candidate"] = candidate if isinstance(candidate, str) else str(candidate)
    return fields


def evidence_cell(outcome: Any) -> str:
    """A table cell naming an outcome's evidence level ("-" when it has none)."""
    evidence = getattr(outcome, "evidence", None)
    return "-" if evidence is None else evidence.level
