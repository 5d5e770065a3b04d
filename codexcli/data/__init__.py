"""The Codex data pipeline: corpus readers, filters, dedup, pair extraction, engines; and the
HumanEval-format problem sets (problems.py) that `codex eval` runs and decontamination excludes."""
