"""`codex generate`: code from a description (run.py) and bodies for stub functions (fill.py,
--fill), with the evidence their verified selection judges (selection.py)."""
