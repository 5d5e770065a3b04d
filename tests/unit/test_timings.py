"""Per-phase time accounting."""

from __future__ import annotations

import time

from codexcli.tasks.testgen.timings import Timings


def test_phases_accumulate_and_the_rest_is_other():
    timings = Timings()
    with timings.phase("sandbox"):
        time.sleep(0.02)
    with timings.phase("sandbox"):
        time.sleep(0.02)
    timings.add("model", 1.5)
    split = timings.as_dict()
    assert 0.04 <= split["sandbox"] < 1.0
    assert split["model"] == 1.5
    assert split["other"] == 0.0  # model time added from elsewhere exceeds the wall time here
    assert split["total"] >= split["sandbox"]


def test_a_failing_block_is_still_timed():
    timings = Timings()
    try:
        with timings.phase("mutants"):
            raise ValueError
    except ValueError:
        pass
    assert "mutants" in timings.as_dict()


def test_cpu_seconds_are_reported_beside_the_wall_split():
    timings = Timings()
    sum(i * i for i in range(200_000))  # some CPU in this process
    timings.add_cpu("cpu pytest sandboxes", 2.5)
    timings.add_cpu("cpu pytest sandboxes", 1.0)
    split = timings.as_dict()
    assert split["cpu codex"] > 0
    assert split["cpu pytest sandboxes"] == 3.5
    assert split["other"] <= split["total"]  # CPU figures are not part of the wall-time split
