"""`codex optimize`: the task (run.py), its targets and inputs, the judging of rewrites
(judge.py): effects, timing."""
