"""cli/report.py, the one print step: one JSON object with --json, else results on stdout and
the table and status lines on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from codexcli.cli.apply import Applied
from codexcli.cli.output import Output
from codexcli.cli.report import Column, Report, Table, edit_fields, print_report
from codexcli.tasks.pipeline import Done, EditResult, Skipped

REPORT = Report(
    {"command": "demo", "ok": True, "functions": [{"name": "f"}]},
    "--- a\n+++ b\n",
    (Table("m.py", (Column("function"), Column("line", "right")), (("f", "3"), ("g", "7"))), "1 done; m.py written"),
)


def test_json_is_one_object_on_stdout_and_nothing_else(capsys):
    print_report(REPORT, Output(json=True))
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and json.loads(out) == REPORT.payload
    assert err == ""


def test_run_prints_results_on_stdout_and_the_table_on_stderr(capsys):
    print_report(REPORT, Output())
    out, err = capsys.readouterr()
    assert out == "--- a\n+++ b\n"
    # Not a terminal (captured): the table is one plain line per row, then the status line.
    assert err.splitlines() == ["m.py: f: line: 3", "m.py: g: line: 7", "1 done; m.py written"]
    assert "demo" not in out + err  # the payload is for --json only


def test_status_lines_are_not_markup(capsys):
    print_report(Report({}, status=("[bold]kept[/bold] as is",)), Output())
    assert "[bold]kept[/bold] as is" in capsys.readouterr().err


def test_edit_fields_describe_the_applied_edit():
    result = EditResult("a\n", "b\n", (Done("f", "x"), Skipped("g", "why")))
    applied = Applied(Path("m.py"), "DIFF", changed=True, written=False, dry_run=True)
    assert edit_fields(result, applied) == {"changed": True, "written": False, "dry_run": True, "diff": "DIFF"}
    assert result.details == [None, None]
