"""`codex comment`: docstrings for what lacks one (run.py), assembled from parts when no whole
answer passes (parts.py)."""
