"""Optional dense search: definitions embedded by a GGUF embedding model (llama-cpp-python's
embedding mode, loaded through backends/llamacpp.load_llama), ranked by cosine similarity and
fused with BM25 by reciprocal rank. Used only when ``embed_model`` is configured.

Vectors live in the index database beside the definitions (one row per definition and model),
so they are computed once per definition and dropped with it when its file changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol, Sequence

from codexcli.errors import ModelError

if TYPE_CHECKING:
    from codexcli.config import Settings

RRF_K = 60  # the usual reciprocal-rank-fusion constant: rank 1 scores 1/61
MAX_CHARS = 2000  # of a definition's text embedded (its head says the most)
BATCH = 32


class Embedder(Protocol):
    """Turns texts into unit-length vectors; ``name`` identifies the model (stored with each
    vector, so a different model's vectors are never compared)."""

    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class GGUFEmbedder:
    """An embedding GGUF through llama.cpp, mean-pooled and normalized."""

    def __init__(self, path: Path, settings: Settings) -> None:
        from codexcli.backends.llamacpp import extra_buffers_for, import_llama_cpp, load_llama, quiet_stderr

        if not path.is_file():
            raise ModelError(f"embed_model {path} does not exist")
        llama_cpp = import_llama_cpp()
        try:
            with quiet_stderr():
                self.llm = load_llama(
                    path,
                    extra_buffers=extra_buffers_for(settings.extra_buffers).enabled,
                    embedding=True,
                    n_ctx=512,
                    n_batch=512,
                    n_ubatch=512,
                    pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                    n_threads=settings.threads,
                )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"{path}: llama.cpp cannot load this embedding model ({exc})") from None
        self.name = f"{path.resolve()}:{path.stat().st_size}"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One normalized vector per text (texts cut to MAX_CHARS, then to the model's context)."""
        out = self.llm.embed([t[:MAX_CHARS] for t in texts], normalize=True, truncate=True)
        return [list(map(float, v)) for v in out]

    def close(self) -> None:
        """Free the model."""
        self.llm.close()


def open_embedder(settings: Settings) -> GGUFEmbedder | None:
    """The configured embedding model, or None when ``embed_model`` is not set."""
    return GGUFEmbedder(Path(settings.embed_model), settings) if settings.embed_model else None


def rank_vectors(query: Sequence[float], rows: list[tuple[int, bytes]], k: int) -> list[tuple[int, float]]:
    """(id, cosine) of the ``k`` stored vectors closest to ``query`` (all vectors unit length)."""
    import numpy as np

    if not rows:
        return []
    matrix = np.frombuffer(b"".join(blob for _, blob in rows), dtype=np.float32).reshape(len(rows), -1)
    scores = matrix @ np.asarray(query, dtype=np.float32)
    best = np.argsort(-scores)[:k]
    return [(rows[i][0], float(scores[i])) for i in best]


def to_blob(vector: Sequence[float]) -> bytes:
    """A vector as stored: float32 bytes."""
    import numpy as np

    return np.asarray(vector, dtype=np.float32).tobytes()


def fuse(rankings: Sequence[Sequence[Any]], key: Callable[[Any], Any], k: int) -> list[tuple[Any, float]]:
    """Reciprocal rank fusion: each item scores the sum of 1/(RRF_K + rank) over the rankings it
    is in; the ``k`` best (item, score), best first (ties keep the first ranking's order)."""
    scores: dict[Any, float] = {}
    first: dict[Any, Any] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            ident = key(item)
            scores[ident] = scores.get(ident, 0.0) + 1.0 / (RRF_K + rank)
            first.setdefault(ident, item)
    ordered = sorted(scores, key=lambda ident: -scores[ident])
    return [(first[ident], scores[ident]) for ident in ordered[:k]]
