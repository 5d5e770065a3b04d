"""The repository index: definitions (functions, methods, classes) with their signatures,
docstrings and bodies, in SQLite with FTS5/BM25, refreshed incrementally by content hash.

Python is read with ``ast``; the other languages through tree-sitter grammar wheels, imported
only when a file of that language is indexed (``codex --help`` loads none of them).
Modules: defs (Definition, Python extraction), treesitter (the other languages), tokens
(code-aware tokens), files (which files, and which are skipped), store (the database, search),
context (relevant definitions for a task's prompt), related (the record a prompt shows them in).
"""
