"""`codex testgen`: the pipeline (run.py), the targets, prompt and answer (request.py), one
target's tests checked (target.py), pytest and coverage in the sandbox, mutants, observed
values."""
