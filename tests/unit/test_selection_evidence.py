"""The evidence level of a verified selection (tasks/generate/selection.selection_evidence) and
the samples drawn for a threshold (samples_for): the rule docs/generate.md states."""

from __future__ import annotations

from codexcli.tasks.generate.selection import CONSENSUS_SAMPLES, samples_for, selection_evidence
from codexcli.tasks.select import Candidate, Ranked, Selection


def _sel(*ranked: Ranked[str], dropped: int = 0, inputs: int = 4, strategy: str = "verified") -> Selection[str]:
    gone = tuple(Candidate(99 + i, 0, "", None, "no", None) for i in range(dropped))
    return Selection(tuple(ranked), gone, strategy, inputs, "why")


def _r(outputs: tuple[str, ...] = (), **kw: object) -> Ranked[str]:
    return Ranked(Candidate(1, 0, "", "body", None, -1.0), outputs=outputs, **kw)  # type: ignore[arg-type]


SAME = ("=1", "=2", "!ValueError", "=4")


def test_three_of_five_is_consensus_and_the_facts_say_k_n_m():
    ev = selection_evidence(_sel(_r(SAME), _r(SAME), _r(SAME), _r(("=0",) * 4), dropped=1))
    assert ev.level == "consensus" and ev.facts == "3 of 5 samples behave the same on 4 generated inputs"
    assert not ev.verified


def test_no_majority_too_few_or_shared_crashes_stay_form():
    # 3 agree, but 3 of 7 drawn (the unparsed count against it) is no majority
    assert selection_evidence(_sel(_r(SAME), _r(SAME), _r(SAME), dropped=4)).level == "form"
    # 2 of 2 is unanimous but under three samples
    assert selection_evidence(_sel(_r(SAME), _r(SAME))).level == "form"
    crash = ("!crash",) * 4
    ev = selection_evidence(_sel(_r(crash), _r(crash), _r(crash)))
    assert ev.level == "form" and "gives no value" in ev.facts
    assert "no inputs" in selection_evidence(_sel(_r(), _r(), _r(), inputs=0)).facts
    assert selection_evidence(_sel(_r(SAME), _r(SAME), _r(SAME), strategy="logprob")).level == "form"


def test_tests_and_examples_are_examples_and_a_failure_caps_at_form():
    ev = selection_evidence(_sel(_r(tests_passed=True)), tests=2)
    assert ev.level == "examples" and ev.verified and "2 test file(s)" in ev.facts
    assert selection_evidence(_sel(_r(examples_passed=2, examples_total=2))).facts == "2/2 docstring examples pass"
    # one failing example says the body is wrong somewhere: agreement cannot outweigh it
    ev = selection_evidence(_sel(*[_r(SAME, examples_passed=1, examples_total=2)] * 3))
    assert ev.level == "form" and "only 1/2 docstring examples pass" in ev.facts
    assert selection_evidence(_sel(_r(tests_passed=False))).level == "form"


def test_samples_for_a_threshold():
    assert samples_for(None, "consensus") == CONSENSUS_SAMPLES == 5
    assert samples_for(None, "form") == 1
    assert samples_for(2, "consensus") == 2  # what the user asked for wins
