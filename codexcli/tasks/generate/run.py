"""`codex generate`: code from a description (bodies for stub functions, --fill, are tasks/generate/fill.py).

Render a prompt, ask the model (with retries), parse the answer, verify it (it parses and, for
Python, uses no undefined names; other languages pass their syntax check), and only then hand
back text, with its evidence level (codexcli/evidence.py): ``form`` for one answer; with
``--samples N``, what verified selection found (tasks/generate/selection.selection_evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from codexcli import languages
from codexcli.answers import ParseError, extract_code
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.config import Settings
from codexcli.errors import UsageError
from codexcli.evidence import Evidence
from codexcli.index.related import NO_RELATED
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import Attempt, GaveUp, ask_with_retries, request_with_context
from codexcli.tasks.generate.selection import select_generated, selection_evidence
from codexcli.tasks.select import draw_candidates
from codexcli.verify.static.names import undefined_names_reason
from codexcli.verify.static.syntax import SyntaxCheck, check_syntax

if TYPE_CHECKING:
    from codexcli.index.context import RepoContext


@dataclass(frozen=True)
class GeneratedCode:
    """Verified code for a description."""

    code: str
    language: str
    check: SyntaxCheck
    attempts: tuple[Attempt, ...]
    completion_tokens: int
    seconds: float
    selection: Any = None  # tasks.select.Selection when drawn with --samples N
    evidence: Evidence = Evidence("form")  # how strongly codex knows it is right


def checked_form(check: SyntaxCheck) -> Evidence:
    """One answer's evidence: its form, as far as ``check`` could tell."""
    how = f"checked by {check.checker}" if check.verified else f"not checked ({check.detail})"
    return Evidence("form", f"one answer; it parses ({how}); nothing ran it")


def resolve_language(name: str) -> str:
    """Canonical language name (codex writes code in every language it knows), or UsageError
    listing them alphabetically."""
    return languages.resolve(name, listed=sorted(language.name for language in languages.LANGUAGES)).name


def generate_code(
    backend: Backend,
    prompt: PromptTemplate,
    description: str,
    language: str,
    settings: Settings,
    on_token: TokenCallback | None = None,
    on_attempt: Callable[[int, str | None], None] | None = None,
    *,
    samples: int = 1,
    strategy: str = "verified",
    workers: int | None = None,
    repo: RepoContext | None = None,
) -> GeneratedCode | GaveUp:
    """Ask for code that does ``description``; accept only code that passes its syntax check
    (or, for a language with no checker here, code that at least was found in the answer).
    With ``repo``, the prompt also shows the repository's definitions most related to the
    description (as many as fit; ``repo.shown[("", "description")]`` says which).

    With ``samples`` > 1, draw that many candidates and keep the best by verified selection."""
    if not description.strip():
        raise UsageError("the description is empty")
    request = _request(backend, prompt, settings, description, language, repo)
    checks: dict[str, SyntaxCheck] = {}

    def parse(answer: str) -> str | ParseError:
        return _parse(answer, language, checks)

    if samples > 1:
        return _generate_by_selection(
            backend,
            request,
            parse,
            checks,
            description,
            language,
            samples,
            strategy=strategy,
            workers=workers,
            on_token=on_token,
        )
    outcome = ask_with_retries(
        backend,
        request,
        parse,
        retries=settings.retries,
        feedback=prompt.retry,
        on_token=on_token,
        on_attempt=on_attempt,
    )
    if isinstance(outcome, GaveUp):
        return outcome
    return GeneratedCode(
        code=outcome.value,
        language=language,
        check=checks[outcome.value],
        attempts=outcome.attempts,
        completion_tokens=sum(a.completion_tokens for a in outcome.attempts),
        seconds=sum(a.seconds for a in outcome.attempts),
        evidence=checked_form(checks[outcome.value]),
    )


def _request(
    backend: Backend,
    prompt: PromptTemplate,
    settings: Settings,
    description: str,
    language: str,
    repo: RepoContext | None,
) -> CompletionRequest:
    """The prompt for ``description``, with the repository's related definitions when ``repo``."""
    entry = languages.get(language)
    related, record = NO_RELATED, None
    if repo is not None:
        related, record = repo.related(backend, description, language=language, key=("", "description"))
    return request_with_context(
        backend,
        prompt,
        settings,
        ("",),
        where="generate",
        label="the description",
        related=related,
        on_related=record,
        language=entry.display,
        fence=entry.fence,
        description=description.strip(),
    )


def _parse(answer: str, language: str, checks: dict[str, SyntaxCheck]) -> str | ParseError:
    """The code in ``answer`` if it passes its checks (its syntax check kept in ``checks``)."""
    code = extract_code(answer, language)
    if isinstance(code, ParseError):
        return code
    check = check_syntax(code, language)
    if check.ok is False:
        return ParseError(f"the code does not compile ({check.checker}): {check.detail}")
    if language == "python" and (reason := undefined_names_reason(code)):
        return ParseError(reason)
    checks[code] = check
    return code


def _generate_by_selection(
    backend: Backend,
    request: CompletionRequest,
    parse: Callable[[str], str | ParseError],
    checks: dict[str, SyntaxCheck],
    description: str,
    language: str,
    samples: int,
    *,
    strategy: str,
    workers: int | None,
    on_token: TokenCallback | None,
) -> GeneratedCode | GaveUp:
    candidates = draw_candidates(backend, request, parse, samples, on_token=on_token, greedy_first=True)
    attempts = tuple(Attempt(c.output, c.error, c.completion_tokens, c.seconds) for c in candidates)
    selection = select_generated(candidates, description, language, strategy=strategy, workers=workers)
    chosen = selection.chosen
    if chosen is None or chosen.candidate.value is None:
        return GaveUp(selection.reason, attempts)
    code = chosen.candidate.value
    return GeneratedCode(
        code=code,
        language=language,
        check=checks[code],
        attempts=attempts,
        completion_tokens=sum(a.completion_tokens for a in attempts),
        seconds=sum(a.seconds for a in attempts),
        selection=selection,
        evidence=selection_evidence(selection),
    )
