"""Code-aware tokens: identifiers are indexed whole and split into their words, so
``parse_iso_date``, ``parseIsoDate`` and "parse an ISO date" meet on ``parse``, ``iso``, ``date``.

SQLite's FTS5 then stems (porter) and ranks (BM25) these words; this module only decides what
the words are, the same way for what is indexed and what is asked.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Words that say nothing about what code does: English glue, the words of every docstring, and
# the keywords every definition of a language has (a query built from a signature has them too).
STOP_WORDS = frozenset(
    """a an and are as at be by for from if in into is it its of on or that the this to was
    were will with which when whether given returns return self cls none true false
    def class pass async await lambda function func fn pub public private protected static void
    const let var new this""".split()
)


# Abbreviations code uses for the words prose uses: an identifier part is also indexed as its word.
ABBREVIATIONS = {
    "str": "string",
    "int": "integer",
    "num": "number",
    "len": "length",
    "dict": "dictionary",
    "arg": "argument",
    "args": "arguments",
    "kwargs": "arguments",
    "param": "parameter",
    "params": "parameters",
    "msg": "message",
    "err": "error",
    "cfg": "config",
    "conf": "config",
    "val": "value",
    "idx": "index",
    "obj": "object",
    "func": "function",
    "fn": "function",
    "buf": "buffer",
    "src": "source",
    "dst": "destination",
    "dest": "destination",
    "tmp": "temporary",
    "temp": "temporary",
    "dir": "directory",
    "pos": "position",
    "attr": "attribute",
    "attrs": "attributes",
    "elem": "element",
    "cls": "class",
    "ctx": "context",
    "env": "environment",
    "req": "request",
    "res": "response",
    "resp": "response",
    "ret": "return",
    "init": "initialize",
    "calc": "calculate",
    "max": "maximum",
    "min": "minimum",
    "prev": "previous",
    "cur": "current",
    "curr": "current",
    "char": "character",
    "chars": "characters",
    "col": "column",
    "cols": "columns",
    "lib": "library",
    "pkg": "package",
    "repr": "representation",
    "seq": "sequence",
    "sep": "separator",
    "ts": "timestamp",
    "db": "database",
    "doc": "document",
    "auth": "authentication",
}


@lru_cache(maxsize=200_000)
def split_identifier(word: str) -> tuple[str, ...]:
    """The lower-case words of one identifier: itself, then its snake/camel parts when it has
    more than one (``getHTTPResponse`` -> getHTTPResponse, get, http, response), each
    abbreviation followed by its word (``str`` -> str, string)."""
    # The whole identifier is one token without its underscores (FTS5 would split at them).
    lower = word.lower().replace("_", "")
    parts = [p.lower() for chunk in word.split("_") for p in _PART.findall(chunk)]
    if len(parts) <= 1:
        words: tuple[str, ...] = (lower,) if lower else ()
    else:
        words = (lower, *parts)
    expanded = [ABBREVIATIONS[w] for w in words if w in ABBREVIATIONS]
    return (*words, *expanded) if expanded else words


def code_words(text: str) -> list[str]:
    """Every word of ``text`` as the index stores it."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        out.extend(split_identifier(match.group()))
    return out


def index_text(text: str) -> str:
    """``text`` as the words FTS5 indexes (space-separated)."""
    return " ".join(code_words(text))


MAX_QUERY_WORDS = 48  # a query built from code stays short enough to rank in milliseconds


def query_words(text: str) -> list[str]:
    """The distinct words of a query (at most MAX_QUERY_WORDS, first ones first), stop words
    dropped (all of them kept if nothing else is left)."""
    words = list(dict.fromkeys(code_words(text)))
    kept = [w for w in words if w not in STOP_WORDS and len(w) > 1]
    return (kept or words)[:MAX_QUERY_WORDS]


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: any of the query's words (BM25 rewards the ones that match most),
    or "" when the query has no words."""
    return " OR ".join(f'"{w}"' for w in query_words(text))
