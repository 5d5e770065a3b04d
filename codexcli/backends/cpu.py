"""Which llama.cpp weight buffers are safe on this CPU: the rule, kept pure so it can be tested
with made-up CPU flags.

llama.cpp's CPU backend may move weights into "extra buffer types" at load time: the AMX buffer
(Intel Sapphire Rapids and later, when llama.cpp was built with AMX, as a native source build on
such a machine is) and the repacked-weights buffer (interleaved Q4_0/IQ4_NL/Q8_0 blocks for
AVX2/AVX-512/NEON kernels). The AMX path crashes (SIGSEGV in ``ggml_backend_amx_mul_mat``)
on the first batched prompt evaluation, llama.cpp issue 20824, open: codex crashed that way on
a Xeon with ``amx_int8``. ``use_extra_bufts = False`` in the model parameters turns both off.

The rule (``extra_buffers = "auto" | "on" | "off"``, ``CODEX_EXTRA_BUFFERS``):

* ``on`` / ``off``: the user's word wins, always.
* ``auto``: off whenever AMX is in sight (the CPU's flags, or llama.cpp's own system info says
  it was built with AMX); on otherwise, because repacking speeds up Q4_0 prompt evaluation on
  AVX2 machines (measured in benchmarks/bench_generate.py; README "Measured figures") and
  costs nothing for quantizations it does not repack. A CPU we cannot read (no /proc/cpuinfo)
  falls back to llama.cpp's system info alone, which reports what the build will actually use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

# /proc/cpuinfo flag names of Intel Advanced Matrix Extensions.
AMX_FLAGS = frozenset({"amx_tile", "amx_int8", "amx_bf16", "amx_fp16", "amx_complex"})


@dataclass(frozen=True)
class ExtraBuffers:
    """The decision for one model load, with the reason shown by `codex doctor`."""

    enabled: bool
    setting: str
    reason: str


def amx_in(cpu_flags: Iterable[str], system_info: str = "") -> list[str]:
    """The AMX features visible in the CPU's flags or in llama.cpp's system info line."""
    seen = sorted(AMX_FLAGS.intersection(cpu_flags))
    # llama_print_system_info prints e.g. "CPU : SSE3 = 1 | ... | AMX_INT8 = 1 | ...".
    for part in system_info.split("|"):
        name, _, value = part.partition("=")
        name = name.strip().rsplit(" ", 1)[-1].lower()
        if name.startswith("amx") and value.strip() == "1" and name not in seen:
            seen.append(name)
    return seen


def decide(setting: str, cpu_flags: Iterable[str], system_info: str = "") -> ExtraBuffers:
    """Whether llama.cpp may use extra buffer types, for ``setting`` on a CPU with ``cpu_flags``."""
    if setting == "on":
        return ExtraBuffers(True, setting, "on by setting")
    if setting == "off":
        return ExtraBuffers(False, setting, "off by setting")
    amx = amx_in(cpu_flags, system_info)
    if amx:
        return ExtraBuffers(False, setting, f"off: this CPU has AMX ({', '.join(amx)}), whose llama.cpp path crashes")
    return ExtraBuffers(True, setting, "on: no AMX; weight repacking is safe here")


def read_cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The CPU feature flags of the first processor (empty where /proc/cpuinfo does not exist)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):  # x86 and ARM spellings
            return frozenset(value.split())
    return frozenset()
