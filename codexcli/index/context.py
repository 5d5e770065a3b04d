"""Repository context for task prompts: the definitions of the repository most relevant to a
target (searched by its name, signature, docstring and the names it calls), as many as fit a
token budget, and a record of which ones each target was shown (for the report).

Used only where it cannot surprise: inside a git work tree (its files are listed by git, so
ignored and vendored files stay out), or in a folder the user indexed with `codex index`.
"""

from __future__ import annotations

import builtins
import re
from pathlib import Path
from typing import Callable, Iterable, Sequence

from codexcli import languages
from codexcli.backends.base import Backend, CompletionRequest, Message
from codexcli.config import Settings
from codexcli.index.defs import Definition
from codexcli.index.files import git_root
from codexcli.index.related import NO_RELATED, RelatedCode
from codexcli.index.store import Index, IndexUnavailable, Progress, Warn, index_path, open_index

_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
RELEVANT_FRACTION = 0.25  # of the best hit's BM25 score, below which a hit is not shown
Skip = Callable[[Definition], bool]  # True for a definition that must not be shown
_KEYWORDS = frozenset({"if", "for", "while", "return", "print", "len", "isinstance", "super", "def", "elif", "not"})
_BUILTINS = frozenset(dir(builtins))  # a call of max() is no call of the repository's max


def called_names(code: str) -> list[str]:
    """The names ``code`` calls (``f(`` and ``obj.f(``), first call first, keywords left out."""
    return [c for c in dict.fromkeys(_CALL.findall(code)) if c not in _KEYWORDS]


def target_query(*parts: str, code: str = "") -> str:
    """A search query for a target: its name, signature and docstring (``parts``), then the names
    its ``code`` calls (what a function calls says much about what it does)."""
    return " ".join([*parts, *called_names(code)])


def is_test(d: Definition) -> bool:
    """Whether a definition is a test function (pytest's and unittest's ``test*``)."""
    return d.kind != "class" and d.name.startswith("test")


def test_code(d: Definition) -> bool:
    """Whether a definition is a test or lives in a test file (``tests/``, ``test_*``, ``*_test``)."""
    parts = d.path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    return is_test(d) or stem.startswith("test_") or stem.endswith("_test") or bool({"test", "tests"} & set(parts[:-1]))


def within(path: str | None, qualname: str) -> Skip:
    """A Skip for the definition ``qualname`` of ``path`` (index-relative) and its members: the
    code a prompt already shows as its target is no example of itself."""

    def skip(d: Definition) -> bool:
        return d.path == path and (d.qualname == qualname or d.qualname.startswith(qualname + "."))

    return skip


class RepoContext:
    """An open, refreshed index of one repository and the definitions shown per target."""

    def __init__(self, index: Index, settings: Settings) -> None:
        self.index = index
        self.k = settings.context_k
        self.budget = settings.context_tokens
        self.shown: dict[tuple[str, str], tuple[Definition, ...]] = {}
        self._costs: dict[str, int] = {}

    def _cost(self, backend: Backend, text: str) -> int:
        if text not in self._costs:
            request = CompletionRequest(messages=(Message("user", text),), max_tokens=1)
            self._costs[text] = backend.count_prompt_tokens(request)
        return self._costs[text]

    def _relative(self, paths: Iterable[Path]) -> list[str]:
        """``paths`` relative to the indexed root (those outside it are left out)."""
        out = []
        for path in paths:
            try:
                out.append(path.resolve().relative_to(self.index.root).as_posix())
            except ValueError:
                continue
        return out

    def relative(self, path: Path) -> str | None:
        """``path`` as the index names it (relative to the root), or None when outside it."""
        found = self._relative([path])
        return found[0] if found else None

    def definitions(
        self, query: str, *, language: str, exclude: Iterable[Path] = (), skip: Skip | None = None
    ) -> list[Definition]:
        """The definitions relevant to ``query``, best first (at most 4k of them, none scoring
        below RELEVANT_FRACTION of the best, none from ``exclude``, none ``skip`` rejects)."""
        hits = self.index.search(query, self.k * 4, language=language, exclude_paths=self._relative(exclude))
        hits = [h for h in hits if skip is None or not skip(h.definition)]
        if not hits:
            return []
        # Below the fraction a hit matched only on a word or two that say little: noise.
        return [h.definition for h in hits if h.score >= RELEVANT_FRACTION * hits[0].score]

    def named(self, names: Sequence[str], *, language: str, skip: Skip | None = None) -> list[Definition]:
        """The definitions named exactly one of ``names`` (the helpers a target calls, however
        short their names: ``_v`` has no word a search would rank), in the order of ``names``."""
        found: list[Definition] = []
        for name in dict.fromkeys(n for n in names if n not in _BUILTINS):
            for hit in self.index.search(name, self.k * 2, language=language):
                d = hit.definition
                if d.name == name and d not in found and (skip is None or not skip(d)):
                    found.append(d)
        return found

    def tests_of(self, names: Sequence[str], *, exclude: Iterable[Path] = ()) -> list[Definition]:
        """The repository's Python test functions (``test*``) whose bodies call one of ``names``:
        those of the first name first. None from ``exclude`` (e.g. the test file the prompt
        already shows)."""
        skip = self._relative(exclude)
        found: dict[tuple[str, int], Definition] = {}
        for name in dict.fromkeys(names):
            calls = re.compile(rf"\b{re.escape(name)}\s*\(")
            for hit in self.index.search(name, self.k * 8, language="python", exclude_paths=skip):
                d = hit.definition
                if is_test(d) and calls.search(d.text):
                    found.setdefault((d.path, d.line), d)
        return list(found.values())

    def fit(self, backend: Backend, groups: Sequence[Sequence[Definition]]) -> list[Definition]:
        """Definitions from ``groups`` (each best first; earlier groups first), at most k of each
        group and as many as fit the token budget altogether, without repeats."""
        chosen: list[Definition] = []
        used = 0
        for group in groups:
            taken = 0
            for d in group:
                if taken >= self.k:
                    break
                if d in chosen:
                    continue
                cost = self._cost(backend, d.text)
                if used + cost > self.budget:
                    continue
                chosen.append(d)
                used += cost
                taken += 1
        return chosen

    def shown_as(
        self, chosen: Sequence[Definition], *, language: str, key: tuple[str, str]
    ) -> tuple[RelatedCode, Callable[[int], None]]:
        """``chosen`` as the prompt's related code, and the callback that records how many of
        them the prompt showed for ``key`` (file, target)."""
        entry = languages.get(language)
        related = RelatedCode(
            entry.fence, entry.comment, tuple((f"{d.path}:{d.line} {d.qualname}", d.text) for d in chosen)
        )

        def record(count: int) -> None:
            self.shown[key] = tuple(chosen[:count])

        return (related if chosen else NO_RELATED), record

    def related(
        self,
        backend: Backend,
        query: str,
        *,
        language: str,
        key: tuple[str, str],
        exclude: Iterable[Path] = (),
        skip: Skip | None = None,
        calls: Sequence[str] = (),
    ) -> tuple[RelatedCode, Callable[[int], None]]:
        """The definitions the target ``calls`` (by name), then the most relevant ones in
        ``language`` for ``query``, as many as fit the budget (never from ``exclude``, e.g. the
        file already in the prompt, nor any ``skip`` rejects, e.g. the target itself), and the
        callback that records how many of them the prompt showed for ``key`` (file, target)."""
        callees = self.named(calls, language=language, skip=skip) if calls else []
        found = self.definitions(query, language=language, exclude=exclude, skip=skip)
        chosen = self.fit(backend, [callees, found])
        return self.shown_as(chosen, language=language, key=key)

    def related_in_file(
        self, backend: Backend, path: str, qualname: str, *parts: str, code: str = ""
    ) -> tuple[RelatedCode, Callable[[int], None]]:
        """:meth:`related` for a target of the Python file ``path`` (which the prompt already
        shows, so none of its own definitions), searched by ``target_query(qualname, *parts)``."""
        return self.related(
            backend,
            target_query(qualname, *parts, code=code),
            language="python",
            key=(path, qualname),
            exclude=[Path(path)],
        )

    def close(self) -> None:
        """Close the index."""
        self.index.close()


def open_repo_context(
    anchor: Path,
    settings: Settings,
    *,
    enabled: bool = True,
    warn: Warn | None = None,
    on_progress: Progress | None = None,
) -> RepoContext | None:
    """The repository context for work on ``anchor`` (a file or folder), refreshed; None when it
    is turned off, when ``anchor`` is in no git work tree and its folder was never indexed, or
    when the index cannot be used now (with a warning: the task goes on without context)."""
    if not enabled or not settings.context or settings.context_k <= 0 or settings.context_tokens <= 0:
        return None
    root = git_root(anchor)
    if root is None:
        folder = (anchor if anchor.is_dir() else anchor.parent).resolve()
        if not index_path(folder).is_file():
            return None
        root = folder
    try:
        index = open_index(root, warn=warn)
    except IndexUnavailable as exc:
        if warn is not None:
            warn(f"{exc.message}; going on without repository context")
        return None
    try:
        index.refresh(on_progress)
    except IndexUnavailable as exc:
        index.close()
        if warn is not None:
            warn(f"{exc.message}; going on without repository context")
        return None
    return RepoContext(index, settings)
