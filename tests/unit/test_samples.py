"""Choosing among verified samples by the task's evidence."""

from __future__ import annotations

from codexcli.tasks.samples import choose
from codexcli.tasks.select import Candidate


def cand(number: int, value, error=None, logprob=-1.0):
    return Candidate(number, number, f"answer {number}", value, error, logprob)


def test_evidence_first_then_logprob_then_order():
    cands = [cand(1, 2.0), cand(2, None, "does not compile"), cand(3, 5.0, logprob=-3.0), cand(4, 5.0)]
    choice = choose(cands, lambda speedup: (speedup,), ["speedup"])
    assert choice.value == 5.0 and choice.number == 4 and choice.verified == 3
    assert choice.reason == "sample 4 of 4 (3 verified): higher mean log-probability"
    assert len(choice.attempts) == 4 and choice.attempts[1].error == "does not compile"
    by_speed = choose([cand(1, 2.0), cand(2, 3.0, logprob=-9.0)], lambda s: (s,), ["speedup"])
    assert by_speed.number == 2 and by_speed.reason.endswith(": speedup")
    tie = choose([cand(1, 2.0), cand(2, 2.0)], lambda s: (s,), ["speedup"])
    assert tie.number == 1 and tie.reason.endswith(": drawn first")


def test_only_one_or_none_verified():
    one = choose([cand(1, None, "bad"), cand(2, "x")], lambda v: (), [])
    assert one.value == "x" and one.reason == "sample 2 of 2 (1 verified): the only one verified"
    none = choose([cand(1, None, "bad"), cand(2, None, "worse")], lambda v: (), [])
    assert none.value is None and none.first_error == "bad" and none.reason == "none of 2 samples passed"
