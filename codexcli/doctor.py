"""`codex doctor`: what codex sees on this machine, and a real decode that cannot take codex
down with it.

Each fact is a Check (ok / warn / fail, one line of detail, data for --json). The decode runs
in a child process (codexcli.doctor_probe) on a prompt longer than one llama.cpp batch, because
that is where native crashes happen (the AMX matmul of llama.cpp issue 20824 dies on the first
batched prompt evaluation): a crash there becomes one line with the signal and a hint, and the
doctor goes on reporting.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from codexcli.config import Settings
from codexcli.procs import describe_end

# More than one llama.cpp batch (codex uses n_batch = 512): the prompt is evaluated in two
# batched matmuls, the path that crashed on AMX machines.
PROBE_PROMPT_TOKENS = 600
PROBE_MAX_TOKENS = 32
PROBE_TIMEOUT_S = 300.0

# The CPU features that decide which llama.cpp kernels run.
CPU_FEATURES = (
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx512f",
    "avx512_vnni",
    "avx512_bf16",
    "avx_vnni",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
    "neon",
    "asimd",
    "sve",
)


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    name: str
    status: str  # "ok" | "warn" | "fail"
    detail: str
    hint: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """Everything the doctor found; ``ok`` when nothing failed."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {"command": "doctor", "ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def cpu_check(flags: frozenset[str], model_name: str) -> Check:
    """The CPU and the features llama.cpp cares about."""
    seen = [f for f in CPU_FEATURES if f in flags]
    detail = f"{model_name or platform.machine()}: {' '.join(seen) or 'no SIMD flags read'}"
    return Check("cpu", "ok", detail, data={"model": model_name, "features": seen})


def cpu_model_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor()


def probe_argv(settings: Settings, model_path: str, extra_buffers: bool) -> list[str]:
    """The child process that decodes the long prompt."""
    argv = [
        sys.executable,
        "-m",
        "codexcli.doctor_probe",
        "--model",
        model_path,
        "--extra-buffers",
        "on" if extra_buffers else "off",
        "--prompt-tokens",
        str(PROBE_PROMPT_TOKENS),
        "--max-tokens",
        str(PROBE_MAX_TOKENS),
    ]
    if settings.threads:
        argv += ["--threads", str(settings.threads)]
    if settings.n_gpu_layers is not None:
        argv += ["--gpu-layers", str(settings.n_gpu_layers)]
    return argv


def decode_check(argv: Sequence[str], *, extra_buffers: bool, timeout_s: float = PROBE_TIMEOUT_S) -> Check:
    """Run the probe child and turn whatever happened to it into one Check."""
    doing = f"evaluating a {PROBE_PROMPT_TOKENS}-token prompt"
    try:
        proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return Check(
            "decode",
            "fail",
            f"llama.cpp did not finish {doing} within {timeout_s:.0f} s",
            hint="set CODEX_THREADS to the number of physical cores",
        )
    if proc.returncode != 0:
        line = describe_end(proc.returncode, doing, what="llama.cpp")
        if proc.returncode > 0:  # a Python-level failure: its last line says why
            last = next((ln for ln in reversed(proc.stderr.splitlines()) if ln.strip()), "")
            line += f": {last.strip()}" if last else ""
        hint = (
            "try CODEX_EXTRA_BUFFERS=off"
            if extra_buffers
            else "rebuild llama-cpp-python without native CPU flags: "
            'CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install --force-reinstall --no-cache-dir llama-cpp-python'
        )
        return Check("decode", "fail", line, hint=hint, data={"returncode": proc.returncode})
    try:
        facts = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return Check("decode", "fail", f"the decode probe printed no result ({proc.stdout[-200:]!r})")
    prompt_s = max(facts["prompt_seconds"], 1e-9)
    gen_s = max(facts["seconds"] - facts["prompt_seconds"], 1e-9)
    facts["prompt_tokens_per_s"] = round(facts["prompt_tokens"] / prompt_s, 1)
    facts["generation_tokens_per_s"] = round(facts["completion_tokens"] / gen_s, 1)
    detail = (
        f"{facts['prompt_tokens']}-token prompt at {facts['prompt_tokens_per_s']:.0f} tokens/s, "
        f"{facts['completion_tokens']} tokens generated at {facts['generation_tokens_per_s']:.1f} tokens/s"
    )
    if not facts["text"].strip():
        return Check("decode", "fail", detail + "; the answer was empty", data=facts)
    return Check("decode", "ok", detail, data=facts)


def sandbox_check() -> Check:
    """Which OS isolation runs generated code (verify/sandbox/isolation.py); fail when codex would
    refuse to run it (no isolation, no --unsafe-exec)."""
    from codexcli.verify.sandbox import isolation

    iso = isolation.detect()
    data = {"isolation": iso.kind, "bwrap": iso.bwrap, "why": iso.why, "unsafe_exec": isolation.unsafe_allowed()}
    if iso.kind != "none":
        return Check("sandbox", "ok", iso.describe(), data=data)
    if isolation.unsafe_allowed():
        return Check(
            "sandbox", "warn", f"no isolation ({iso.why}); generated code runs WITHOUT it (--unsafe-exec)", data=data
        )
    return Check(
        "sandbox",
        "fail",
        f"no isolation ({iso.why}); codex refuses to run generated code",
        hint="install bubblewrap, or pass --unsafe-exec to run generated code without isolation",
        data=data,
    )


def diagnose(settings: Settings, *, decode: bool = True) -> Report:
    """Collect the checks for ``settings`` (the real llama.cpp backend's view of the machine)."""
    from codexcli import __version__
    from codexcli.backends.cpu import read_cpu_flags

    flags = read_cpu_flags()
    checks = [
        Check(
            "codex",
            "ok",
            f"codex {__version__}, Python {platform.python_version()} on {platform.system()} {platform.machine()}",
        ),
        cpu_check(flags, cpu_model_name()),
        sandbox_check(),
    ]
    try:
        from codexcli.backends import llamacpp

        llama_cpp = llamacpp.import_llama_cpp()
        info = llamacpp.system_info()
    except Exception as exc:  # a broken install is exactly what the doctor is for
        checks.append(
            Check(
                "llama.cpp",
                "fail",
                f"llama-cpp-python does not load: {exc}",
                hint="pip install --force-reinstall llama-cpp-python",
            )
        )
        return Report(tuple(checks))
    version = getattr(llama_cpp, "__version__", "?")
    checks.append(
        Check("llama.cpp", "ok", f"llama-cpp-python {version}; {info}", data={"version": version, "system_info": info})
    )
    offload = bool(llama_cpp.llama_supports_gpu_offload())
    checks.append(
        Check(
            "gpu offload",
            "ok",
            "yes: this build offloads layers to a GPU" if offload else "no: CPU-only build",
            data={"supported": offload},
        )
    )
    extra = llamacpp.extra_buffers_for(settings.extra_buffers)
    checks.append(
        Check(
            "extra buffers",
            "ok",
            f"{extra.reason} (setting: {extra.setting})",
            data={"enabled": extra.enabled, "setting": extra.setting},
        )
    )
    if settings.backend == "openai":
        checks.append(server_check(settings, decode=decode))
        return Report(tuple(checks))
    if settings.backend != "llamacpp":
        checks.append(Check("model", "warn", f"backend is {settings.backend!r}; the checks below use llama.cpp only"))
        return Report(tuple(checks))
    model = _model_check(settings)
    checks.append(model)
    if model.status == "ok":
        checks.append(batch_weights_check(settings, info))
    if decode and model.status == "ok":
        checks.append(
            decode_check(probe_argv(settings, model.data["path"], extra.enabled), extra_buffers=extra.enabled)
        )
    return Report(tuple(checks))


def server_check(settings: Settings, *, decode: bool = True) -> Check:
    """The openai backend: the server answers, serves the model, and (with ``decode``) completes
    a four-token request."""
    from codexcli.backends.base import CompletionRequest, Message
    from codexcli.backends.openai import OpenAIBackend
    from codexcli.errors import CodexError

    try:
        backend = OpenAIBackend.from_settings(settings)
    except CodexError as exc:
        return Check("server", "fail", exc.message, hint=exc.hint)
    try:
        info = backend.info()
        detail = f"{backend.client.shown_url}: model {info.model} ({len(info.models)} served)"
        if decode:
            answer = backend.complete(CompletionRequest((Message("user", "Say OK."),), max_tokens=4))
            detail += f"; a test request took {answer.seconds:.2f} s"
    except CodexError as exc:
        return Check("server", "fail", exc.message, hint=exc.hint)
    finally:
        backend.close()
    return Check("server", "ok", detail, data={"base_url": backend.client.shown_url, "model": info.model})


def _model_check(settings: Settings) -> Check:
    from codexcli.errors import CodexError
    from codexcli.model.find import inspect_model, resolve_model

    try:
        resolved = resolve_model(settings)
        info = inspect_model(resolved.path)
    except CodexError as exc:
        return Check("model", "fail", exc.message, hint=exc.hint)
    return Check(
        "model",
        "ok",
        f"{resolved.path} ({resolved.source}), {info.quantization}, {info.file_size / 1e6:.0f} MB",
        data={"path": str(resolved.path), "source": resolved.source, "quantization": info.quantization},
    )


def batch_weights_check(settings: Settings, system_info: str) -> Check:
    """Which weights batches (--samples) run on: the converted copy of model/convert.py or the
    model file itself, and why."""
    from codexcli.model import convert
    from codexcli.model.find import resolve_model

    resolved = resolve_model(settings)
    facts = convert.status(
        convert.plan(settings.convert, resolved.embedded, system_info), resolved.path, convert.models_dir()
    )
    return Check("batch weights", "ok", convert.summary(facts), data=facts)
