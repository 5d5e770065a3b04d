"""Comparing behaviour: a Python function observed on its cases (behaviour.py, probes.py),
translations run through per-language harnesses and toolchains (harness*.py, toolchains.py)."""
