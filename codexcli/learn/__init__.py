"""`codex learn`: LoRA adapters trained on a repository's Codex-S/D pairs.

Only train.py imports torch, transformers and peft (lazily, inside functions); adapter.py and
format.py are plain Python that every command may use.
"""
