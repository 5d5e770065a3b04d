"""A small, dependency-free GGUF header reader.

It lets codex describe and validate a model file (missing, not GGUF, truncated) before handing it
to llama.cpp, whose own failure is an opaque "Failed to load model" with C-level noise on stderr.
Only the header is parsed; tensor data is never read, so this costs milliseconds.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

GGUF_MAGIC = b"GGUF"

# GGUF metadata value types.
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9

# ggml tensor types -> (block size in elements, bytes per block), for the truncation check.
_TYPE_SIZES = {
    0: (1, 4),
    1: (1, 2),
    2: (32, 18),
    3: (32, 20),
    6: (32, 22),
    7: (32, 24),
    8: (32, 34),
    9: (32, 36),
    10: (256, 84),
    11: (256, 110),
    12: (256, 144),
    13: (256, 176),
    14: (256, 210),
    15: (256, 292),
    24: (1, 1),
    25: (1, 2),
    26: (1, 4),
    27: (1, 8),
    28: (1, 8),
    30: (1, 2),
}

# general.file_type -> the name people use for the quantization.
FILE_TYPES = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
}

# Arrays longer than this (token lists, merges) are skipped rather than kept in memory.
_KEEP_ARRAY_MAX = 64


class GGUFFormatError(ValueError):
    """The file is not a GGUF file, or its header is damaged or truncated."""


@dataclass(frozen=True)
class GGUFInfo:
    """What the header says about a model file."""

    path: Path
    version: int
    file_size: int
    tensor_count: int
    metadata: dict[str, Any] = field(repr=False)
    data_end: int  # byte offset where the last tensor's data should end

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def name(self) -> str | None:
        value = self.metadata.get("general.name")
        return str(value) if value is not None else None

    @property
    def quantization(self) -> str:
        ft = self.metadata.get("general.file_type")
        if ft is None:
            return "unknown"
        return FILE_TYPES.get(int(ft), f"type {ft}")

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if value is not None else None

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return str(value) if value else None


class _Reader:
    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        self.size = size

    def read(self, n: int) -> bytes:
        data = self.fh.read(n)
        if len(data) != n:
            raise GGUFFormatError("file is truncated inside the header")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        length = self.unpack("<Q")
        if length > self.size:
            raise GGUFFormatError("corrupt header (string length beyond end of file)")
        return self.read(length).decode("utf-8", errors="replace")

    def skip(self, n: int) -> None:
        if self.fh.tell() + n > self.size:
            raise GGUFFormatError("file is truncated inside the header")
        self.fh.seek(n, 1)

    def value(self, vtype: int) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            item_type = self.unpack("<I")
            count = self.unpack("<Q")
            if count > self.size:
                raise GGUFFormatError("corrupt header (array length beyond end of file)")
            if count > _KEEP_ARRAY_MAX:
                self.skip_array(item_type, count)
                return f"<array of {count}>"
            return [self.value(item_type) for _ in range(count)]
        raise GGUFFormatError(f"corrupt header (unknown value type {vtype})")

    def skip_array(self, item_type: int, count: int) -> None:
        if item_type in _SCALARS:
            self.skip(struct.calcsize(_SCALARS[item_type]) * count)
        elif item_type == _STRING:
            for _ in range(count):
                self.skip(self.unpack("<Q"))
        else:
            for _ in range(count):
                self.value(item_type)


def read_gguf(path: str | Path) -> GGUFInfo:
    """Parse the GGUF header of ``path``; raise GGUFFormatError if it is not a sound GGUF file."""
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as fh:
        reader = _Reader(fh, size)
        magic = fh.read(4)
        if magic != GGUF_MAGIC:
            raise GGUFFormatError("not a GGUF file (bad magic bytes)")
        version = reader.unpack("<I")
        if version not in (2, 3):
            raise GGUFFormatError(f"unsupported GGUF version {version}")
        tensor_count = reader.unpack("<Q")
        kv_count = reader.unpack("<Q")
        if kv_count > size or tensor_count > size:
            raise GGUFFormatError("corrupt header (impossible counts)")
        metadata: dict[str, Any] = {}
        for _ in range(kv_count):
            key = reader.string()
            metadata[key] = reader.value(reader.unpack("<I"))

        data_end_rel = 0
        for _ in range(tensor_count):
            reader.string()  # name
            n_dims = reader.unpack("<I")
            if n_dims > 8:
                raise GGUFFormatError("corrupt tensor table")
            n_elements = 1
            for _ in range(n_dims):
                n_elements *= reader.unpack("<Q")
            ttype = reader.unpack("<I")
            offset = reader.unpack("<Q")
            block, nbytes = _TYPE_SIZES.get(ttype, (1, 0))
            data_end_rel = max(data_end_rel, offset + (n_elements // block) * nbytes)

        alignment = int(metadata.get("general.alignment", 32) or 32)
        header_end = fh.tell()
        data_start = (header_end + alignment - 1) // alignment * alignment
        data_end = data_start + data_end_rel
    if data_end > size:
        raise GGUFFormatError(f"file is truncated: tensor data needs {data_end:,} bytes but the file has {size:,}")
    return GGUFInfo(path, version, size, tensor_count, metadata, data_end)
