"""A function body out of a model's answer, accepted only where it fits: shared by --fill and by
comment's back-translation (tasks/comment/backtranslate.py), which both ask for a stub's body."""

from __future__ import annotations

from typing import Callable

from codexcli.answers import ParseError, extract_function_body
from codexcli.splice.body import SpliceFailed, StubTarget, replace_bodies
from codexcli.verify.static.names import undefined_names


def body_parser(source: str, target: StubTarget) -> Callable[[str], str | ParseError]:
    """The parse step for one stub of ``source``: the body of the answer, accepted only if it
    splices into ``source``, compiles there, and uses no undefined names."""

    def parse(answer: str) -> str | ParseError:
        body = extract_function_body(answer, target.name, target.params, is_async=target.is_async)
        if isinstance(body, ParseError):
            return body
        spliced = replace_bodies(source, {target.index: body.code})
        if isinstance(spliced, SpliceFailed):
            return ParseError(spliced.reason)
        missing = undefined_names(spliced.text, target.name, target.lineno)
        if missing:
            return ParseError(f"the body uses names that are not defined anywhere: {', '.join(missing)}")
        return body.code

    return parse
