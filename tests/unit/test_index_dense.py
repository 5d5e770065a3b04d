"""Dense search and its fusion with BM25, with a deterministic stand-in embedder (the real
embedding mode is exercised by tests/integration/test_context_real.py)."""

from __future__ import annotations

import math
import zlib
from pathlib import Path

from codexcli.index.dense import fuse
from codexcli.index.store import DenseIndex, open_index
from codexcli.index.tokens import code_words

DIM = 64


class BagOfWords:
    """Unit vectors of hashed words: texts that share words are close."""

    name = "bag-of-words"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts):
        self.calls += len(texts)
        out = []
        for text in texts:
            v = [0.0] * DIM
            for w in code_words(text):
                v[zlib.crc32(w.encode()) % DIM] += 1.0
            norm = math.sqrt(sum(x * x for x in v)) or 1.0
            out.append([x / norm for x in v])
        return out


def test_fuse_rewards_items_both_rankings_agree_on():
    fused = fuse([["a", "b", "c"], ["c", "a", "d"]], key=lambda x: x, k=3)
    assert [item for item, _ in fused] == ["a", "c", "b"]
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_dense_search_embeds_once_and_forgets_changed_files(tmp_path: Path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "a.py").write_text("def circle_area(r):\n    return 3.14 * r * r\n", encoding="utf-8")
    (root / "b.py").write_text("def send_mail(to):\n    return smtp(to)\n", encoding="utf-8")
    embedder = BagOfWords()
    with open_index(root, db=tmp_path / "ix.sqlite3") as index:
        index.refresh()
        dense = DenseIndex(index, embedder)
        assert dense.embed_missing() == 2
        assert dense.embed_missing() == 0  # stored: not embedded again
        assert dense.search("circle area", 1)[0].definition.qualname == "circle_area"
        assert [h.definition.qualname for h in dense.fused("send mail", 2)][0] == "send_mail"

        (root / "a.py").write_text("def square_area(s):\n    return s * s\n", encoding="utf-8")
        index.refresh()
        assert index.conn.execute("SELECT count(*) FROM vectors").fetchone()[0] == 1  # a.py's vector went
        assert dense.embed_missing() == 1
        assert {h.definition.qualname for h in dense.search("area", 5)} == {"square_area", "send_mail"}
        assert dense.search("area", 5, language="go") == []
