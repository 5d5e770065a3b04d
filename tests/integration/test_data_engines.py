"""The whole `codex data build` pipeline on a small corpus with every engine: the local engine in
this process, the local engine with a process pool, and a real Ray runtime (local mode, started
inside the test and always shut down). The outputs must be byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexcli.data.build import BuildOptions, build
from codexcli.data.engine_local import LocalEngine
from codexcli.data.engines import make_engine
from tests.cli.test_data_cli import make_corpus, snapshot

pytestmark = pytest.mark.integration


def _build(opts: BuildOptions, out: Path, engine_name: str, workers: int) -> dict[str, bytes]:
    engine = make_engine(engine_name, workers, None)
    try:
        report = build(opts, out, engine)
    finally:
        engine.close()
    assert report.run["engine"] == engine_name
    return snapshot(out)


def test_local_and_ray_engines_write_identical_output(tmp_path):
    ray = pytest.importorskip("ray")
    sources = make_corpus(tmp_path)
    # Small batches and partitions, so every stage has several tasks to spread over workers.
    opts = BuildOptions(sources=tuple(sources), batch_files=3, partition_lines=15)
    one = _build(opts, tmp_path / "one", "local", 1)
    two = _build(opts, tmp_path / "two", "local", 2)
    assert not ray.is_initialized()
    on_ray = _build(opts, tmp_path / "ray", "ray", 2)
    assert not ray.is_initialized()  # the engine shut down the runtime it started
    assert one == two == on_ray
    stats = json.loads(one["stats.json"])
    assert stats["kept"] == 8 and stats["pairs"]["S"] == stats["pairs"]["D"] > 0
    assert len([name for name in one if name.startswith("pairs-")]) > 1


def test_ray_joins_a_running_runtime_and_leaves_it_running(tmp_path):
    ray = pytest.importorskip("ray")
    sources = make_corpus(tmp_path)
    opts = BuildOptions(sources=tuple(sources), batch_files=4)
    local = _build(opts, tmp_path / "local", "local", 1)
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        assert _build(opts, tmp_path / "ray", "ray", 1) == local
        assert ray.is_initialized()
    finally:
        ray.shutdown()


def test_interrupted_pool_build_resumes_identically(tmp_path):
    sources = make_corpus(tmp_path)
    opts = BuildOptions(sources=tuple(sources), batch_files=2)
    whole = tmp_path / "whole"
    build(opts, whole, LocalEngine(1))

    def interrupt(message: str) -> None:
        if message.startswith("finish"):
            raise KeyboardInterrupt

    part = tmp_path / "part"
    with pytest.raises(KeyboardInterrupt):
        build(opts, part, LocalEngine(2), note=interrupt)
    build(opts, part, LocalEngine(2), resume=True)
    assert snapshot(part) == snapshot(whole)
