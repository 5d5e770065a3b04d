"""`codex data build|pairs|stats` through the real CLI, and the build's resume and safety."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from codexcli.data.build import BuildOptions, build
from codexcli.data.engine_local import LocalEngine
from codexcli.data.filters import FilterConfig
from codexcli.data.pairs import extract_pairs

runner = CliRunner()


def _module(i: int, rename: str = "") -> str:
    return "".join(
        f"def func_{i}_{j}{rename}(values, limit):\n"
        f'    """Return the items of values under {j * i} and over limit."""\n'
        f"    kept = [v for v in values if v < {j * i}]\n"
        f"    return [v for v in kept if v > limit]\n\n"
        for j in range(6)
    )


def make_corpus(root: Path) -> list[str]:
    """A folder, a tar archive and a JSONL dump with one file for every way to be dropped.
    Returns the SOURCE arguments."""
    from codexcli.data.decontam import humaneval_texts

    proj = root / "proj"
    (proj / "pkg").mkdir(parents=True)
    (proj / "LICENSE").write_text("MIT License\n")
    for i in range(1, 7):
        (proj / "pkg" / f"mod{i}.py").write_text(_module(i))
    (proj / "pkg" / "copy.py").write_text(_module(1))  # exact duplicate of mod1
    (proj / "pkg" / "near.py").write_text(_module(2).replace("func_2_5", "other_2_5"))  # near duplicate
    (proj / "pkg" / "gen_pb2.py").write_text("X = 1\n")
    (proj / "pkg" / "wide.py").write_text(("x = '" + "a" * 150 + "'\n") * 3)
    (proj / "pkg" / "latin.py").write_bytes("é = 1\n".encode("latin-1"))
    (proj / "pkg" / "leak.py").write_text(humaneval_texts()[0])
    os.symlink(proj / "pkg" / "mod1.py", proj / "pkg" / "alias.py")
    archive = root / "more.tar"
    with tarfile.open(archive, "w") as tf:
        for name, text in (("m/extra.py", _module(7)), ("../escape.py", _module(8))):
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tf.addfile(info, io.BytesIO(text.encode()))
    dump = root / "dump.jsonl"
    rows = [json.dumps({"content": _module(9), "path": "a/nine.py"}), "{oops", json.dumps({"content": _module(3)})]
    dump.write_text("\n".join(rows) + "\n")
    return [str(proj), str(archive), str(dump)]


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file but run.json (timings), by name."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "run.json"}


def test_build_counts_every_stage_and_writes_pairs(tmp_path):
    sources = make_corpus(tmp_path)
    out = tmp_path / "out"
    before = sorted(p for p in tmp_path.rglob("*"))
    result = runner.invoke(
        app, ["--json", "data", "build", *sources, "--out", str(out), "-j", "1", "--batch-files", "3"]
    )
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)["stats"]
    assert stats["dropped"] == {
        "unreadable-source": 0,
        "unreadable": 0,
        "symlink": 1,
        "not-a-file": 0,
        "unsafe-path": 1,
        "bad-record": 1,
        "too-large": 0,
        "not-utf8": 1,
        "empty": 0,
        "auto-generated": 1,
        "avg-line-length": 1,
        "max-line-length": 0,
        "low-alnum": 0,
        "exact-duplicate": 2,  # copy.py and the JSONL row equal to mod3.py
        "near-duplicate": 1,
        "contaminated": 1,
    }
    assert stats["kept"] == 8 and stats["files_seen"] == 18
    assert stats["contaminated_by"] == {"humaneval": 1}
    assert stats["pairs"] == {"S": 48, "D": 48}
    assert json.loads((out / "stats.json").read_text()) == stats
    kept = [json.loads(line) for p in sorted(out.glob("files-*.jsonl")) for line in p.read_text().splitlines()]
    paths = [k["path"] for k in kept]
    # Of equal files the first in corpus order stays (copy.py sorts before mod1.py).
    assert "proj/pkg/copy.py" in paths and "proj/pkg/mod1.py" not in paths and "proj/pkg/near.py" not in paths
    assert "more.tar/m/extra.py" in paths and "dump.jsonl/1:a/nine.py" in paths
    assert kept[paths.index("proj/pkg/copy.py")]["license"] == "proj/LICENSE"
    pairs = [json.loads(line) for p in sorted(out.glob("pairs-*.jsonl")) for line in p.read_text().splitlines()]
    expected = extract_pairs(_module(1), "proj/pkg/copy.py", "proj/LICENSE")
    assert [p for p in pairs if p["path"] == "proj/pkg/copy.py"] == [json.loads(x.to_json()) for x in expected]
    assert not (out / ".work").exists()
    after = sorted(p for p in tmp_path.rglob("*") if out not in p.parents and p != out)
    assert after == before  # nothing written outside --out


def test_stats_and_table(tmp_path):
    sources = make_corpus(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(app, ["data", "build", *sources, "--out", str(out), "-j", "1"]).exit_code == 0
    table = runner.invoke(app, ["data", "stats", str(out)])
    assert table.exit_code == 0
    assert "dropped: exact-duplicate" in table.stdout and "Codex-S pairs" in table.stdout
    payload = json.loads(runner.invoke(app, ["data", "stats", str(out), "--json"]).stdout)
    assert payload["stats"]["kept"] == 8
    missing = runner.invoke(app, ["data", "stats", str(tmp_path)])
    assert missing.exit_code == 2 and "no readable stats.json" in missing.stderr


def test_out_must_be_empty_unless_resuming(tmp_path):
    sources = make_corpus(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["data", "build", *sources, "--out", str(out)])
    assert result.exit_code == 2 and "not empty" in result.stderr
    result = runner.invoke(app, ["data", "build", *sources, "--out", str(out), "--resume"])
    assert result.exit_code == 2 and "nothing to resume" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    missing = runner.invoke(app, ["data", "build", str(tmp_path / "nope"), "--out", str(tmp_path / "o2")])
    assert missing.exit_code == 2 and not (tmp_path / "o2").exists()


class _Stop(Exception):
    pass


@pytest.mark.parametrize("stage", ["scan", "dedup", "finish"])
def test_interrupted_build_resumes_to_the_same_output(tmp_path, stage):
    sources = make_corpus(tmp_path)
    opts = BuildOptions(sources=tuple(sources), filters=FilterConfig(), batch_files=2, partition_lines=20)
    whole = tmp_path / "whole"
    build(opts, whole, LocalEngine(1))

    def interrupt(message: str) -> None:
        if message.startswith(stage):
            raise KeyboardInterrupt

    broken = tmp_path / "broken"
    with pytest.raises(KeyboardInterrupt):
        build(opts, broken, LocalEngine(1), note=interrupt)
    assert (broken / ".work").exists() and not (broken / "stats.json").exists()
    other = BuildOptions(sources=tuple(sources), threshold=0.5)
    with pytest.raises(Exception, match="other sources or options"):
        build(other, broken, LocalEngine(1), resume=True)
    report = build(opts, broken, LocalEngine(1), resume=True)
    assert report.run["resumed"] is True
    assert snapshot(broken) == snapshot(whole)
    again = build(opts, broken, LocalEngine(1), resume=True)  # already complete: nothing redone
    assert again.stats == report.stats and snapshot(broken) == snapshot(whole)


def test_pairs_command_prints_jsonl(tmp_path):
    (tmp_path / "m.py").write_text(_module(4))
    (tmp_path / "bad.py").write_bytes(b"\xff\xfe")
    result = runner.invoke(app, ["data", "pairs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["kind"] for p in lines] == ["S", "D"] * 6
    assert lines[0]["path"] == "m.py" and "skipped" in result.stderr
    only_d = runner.invoke(app, ["data", "pairs", str(tmp_path / "m.py"), "--kind", "D"])
    assert {json.loads(line)["kind"] for line in only_d.stdout.splitlines()} == {"D"}
    assert runner.invoke(app, ["data", "pairs", str(tmp_path), "--kind", "X"]).exit_code == 2


def test_settings_come_from_tool_codex(tmp_path, monkeypatch):
    sources = make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.codex]\ndata_threshold = 0.5\ndata_workers = 1\n")
    result = runner.invoke(app, ["--json", "data", "build", *sources, "--out", "out"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["stats"]["near_dedup"]["threshold"] == 0.5 and payload["run"]["workers"] == 1
    flag = runner.invoke(app, ["--json", "data", "build", *sources, "--out", "o2", "--threshold", "0.9"])
    assert json.loads(flag.stdout)["stats"]["near_dedup"]["threshold"] == 0.9
    (tmp_path / "pyproject.toml").write_text('[tool.codex]\ndata_engine = "spark"\n')
    bad = runner.invoke(app, ["data", "build", *sources, "--out", "o3"])
    assert bad.exit_code == 2 and "data_engine must be one of local, ray" in bad.stderr
    assert not (tmp_path / "o3").exists()


def test_a_corpus_with_nothing_to_keep_still_reports(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "notes.txt").write_text("no code here")
    result = runner.invoke(app, ["--json", "data", "build", str(tmp_path / "src"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)["stats"]
    assert stats["files_seen"] == 0 and stats["kept"] == 0 and stats["shards"] == []
