"""Checks that run outside the codex process: syntax checkers, compilers, sandboxed code."""
