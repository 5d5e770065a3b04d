"""`codex eval`: pass@k of the --fill path on HumanEval-format problems (evaluate.py,
humaneval.py, passk.py)."""
