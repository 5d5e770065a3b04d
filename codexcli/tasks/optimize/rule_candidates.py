"""Rule candidates for `codex optimize`: the rewrites of tasks/optimize/rules as Rewrites, each
checked like a model answer (parses, keeps the signature, compiles in the file, names defined)
and then judged the same way; their ``origin`` says which rule made them."""

from __future__ import annotations

from typing import Callable, Sequence

from codexcli.answers import ParseError
from codexcli.tasks.optimize.rules import apply_rules
from codexcli.tasks.optimize.targets import Target, function_node
from codexcli.tasks.optimize.types import Rewrite
from codexcli.verify.cases.infer_types import infer_params
from codexcli.verify.cases.module_facts import module_facts

# The task's answer check: the new body and the whole file, or why the answer is unusable.
Check = Callable[[Target, str], "tuple[str, str] | ParseError"]


def str_names(source: str, target: Target, test_sources: Sequence[str] = ()) -> frozenset[str]:
    """Parameters inferred to be str and the module's str constants: ``x in name`` is a
    substring test there, which a set would change."""
    inferred = infer_params(function_node(source, target), [source, *test_sources]) or []
    params = {i.name for i in inferred if i.hint == "str"}
    constants = {k for k, v in module_facts((source,)).constants.items() if isinstance(v, str)}
    return frozenset(params | constants)


def rule_rewrites(
    source: str, target: Target, check: Check, first: int, only: Sequence[str] = (), test_sources: Sequence[str] = ()
) -> list[Rewrite]:
    """One Rewrite per rule (and per combination) that changes ``target``, numbered from
    ``first``; those the answer check refuses say why, as an unusable model answer would."""
    out = []
    for number, found in enumerate(apply_rules(target.code, str_names(source, target, test_sources), only), first):
        origin = f"rule:{found.rule}"
        checked = check(target, f"```python\n{found.code}```")
        if isinstance(checked, ParseError):
            out.append(Rewrite(number, None, None, f"{origin}: {checked.reason}", origin=origin))
        else:
            out.append(Rewrite(number, checked[0], checked[1], origin=origin))
    return out
