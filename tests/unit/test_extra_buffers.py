"""The extra-buffer rule (llama.cpp's AMX path crashes), its setting, and how codex reports a
child process that died from a signal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from codexcli.backends.cpu import amx_in, decide, read_cpu_flags
from codexcli.config import load_settings
from codexcli.doctor import decode_check
from codexcli.errors import ConfigError
from codexcli.procs import describe_end, signal_name

SAPPHIRE_RAPIDS = frozenset("sse4_2 avx avx2 fma f16c avx512f avx512_vnni amx_bf16 amx_tile amx_int8".split())
EPYC = frozenset("sse4_2 avx avx2 fma f16c".split())


def test_auto_turns_extra_buffers_off_on_a_cpu_with_amx():
    decision = decide("auto", SAPPHIRE_RAPIDS)
    assert decision.enabled is False
    assert "amx_int8" in decision.reason and "amx_tile" in decision.reason


def test_auto_keeps_extra_buffers_on_without_amx():
    assert decide("auto", EPYC).enabled is True


def test_auto_trusts_llama_cpps_own_system_info_when_the_flags_hide_amx():
    info = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AMX_INT8 = 1 | OPENMP = 1 |"
    assert amx_in(frozenset(), info) == ["amx_int8"]
    assert decide("auto", frozenset(), info).enabled is False
    assert decide("auto", frozenset(), info.replace("AMX_INT8 = 1", "AMX_INT8 = 0")).enabled is True


def test_the_users_setting_wins_over_the_rule():
    assert decide("on", SAPPHIRE_RAPIDS).enabled is True
    assert decide("off", EPYC).enabled is False


def test_cpu_flags_are_read_from_cpuinfo(tmp_path: Path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Xeon\nflags\t\t: fpu avx2 amx_tile amx_int8\n\nprocessor\t: 1\n")
    assert read_cpu_flags(cpuinfo) == frozenset({"fpu", "avx2", "amx_tile", "amx_int8"})
    assert read_cpu_flags(tmp_path / "missing") == frozenset()


def test_setting_from_environment_and_pyproject(tmp_path: Path):
    assert load_settings(tmp_path, env={}).extra_buffers == "auto"
    assert load_settings(tmp_path, env={"CODEX_EXTRA_BUFFERS": "OFF"}).extra_buffers == "off"
    (tmp_path / "pyproject.toml").write_text('[tool.codex]\nextra-buffers = "on"\n')
    assert load_settings(tmp_path, env={}).extra_buffers == "on"
    assert load_settings(tmp_path, env={"CODEX_EXTRA_BUFFERS": "off"}).extra_buffers == "off"
    with pytest.raises(ConfigError, match="extra_buffers must be one of auto, on, off"):
        load_settings(tmp_path, env={"CODEX_EXTRA_BUFFERS": "maybe"})


def test_signals_are_named():
    assert signal_name(-11) == "SIGSEGV"
    assert signal_name(1) is None and signal_name(0) is None and signal_name(None) is None
    assert (
        describe_end(-11, "evaluating a prompt", what="llama.cpp")
        == "llama.cpp crashed with SIGSEGV while evaluating a prompt"
    )
    assert describe_end(2, "loading") == "the process failed (exit code 2) while loading"


def _child(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_doctor_reports_a_crashing_decode_as_one_line_with_a_hint():
    crash = _child("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    check = decode_check(crash, extra_buffers=True)
    assert check.status == "fail"
    assert check.detail == "llama.cpp crashed with SIGSEGV while evaluating a 600-token prompt"
    assert check.hint == "try CODEX_EXTRA_BUFFERS=off"
    # With extra buffers already off, the hint points elsewhere.
    assert "CODEX_EXTRA_BUFFERS" not in (decode_check(crash, extra_buffers=False).hint or "")


def test_doctor_reports_a_python_failure_with_its_last_line():
    check = decode_check(_child("raise SystemExit('model file vanished')"), extra_buffers=False)
    assert check.status == "fail"
    assert check.detail.endswith("(exit code 1) while evaluating a 600-token prompt: model file vanished")


def test_doctor_times_out_a_hung_decode():
    check = decode_check(_child("import time; time.sleep(30)"), extra_buffers=False, timeout_s=0.5)
    assert check.status == "fail" and "did not finish" in check.detail


def test_doctor_computes_rates_from_the_probe_result():
    facts = {"prompt_tokens": 600, "completion_tokens": 20, "prompt_seconds": 0.5, "seconds": 1.5, "text": "x = 1"}
    check = decode_check(_child(f"print({json.dumps(json.dumps(facts))})"), extra_buffers=True)
    assert check.status == "ok"
    assert check.data["prompt_tokens_per_s"] == 1200.0 and check.data["generation_tokens_per_s"] == 20.0
    empty = dict(facts, text="  ")
    assert decode_check(_child(f"print({json.dumps(json.dumps(empty))})"), extra_buffers=True).status == "fail"


def test_every_llama_model_is_created_through_load_llama():
    """The rule only protects code paths that use it: nothing else may construct a Llama."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for folder in ("codexcli", "benchmarks", "tests"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                allowed = path.name == "llamacpp_load.py" and "llama_cpp.Llama(model_path" in line
                if "Llama(" in line and not allowed and path.name != "test_extra_buffers.py":
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
    loader = (root / "codexcli/backends/llamacpp_load.py").read_text(encoding="utf-8")
    assert loader.count("llama_cpp.Llama(model_path") == 1
