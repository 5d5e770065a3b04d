"""`codex translate`: the entry (run.py), the pipeline task (task.py), units, signatures,
line-by-line assembly, and the judging of candidates (judge.py)."""
