"""`codex learn`: LoRA adapters trained on a repository's Codex-S/D pairs.

Only train.py imports torch, transformers and peft (lazily, inside functions); format.py is plain
Python that every command may use. The adapter file's header (its base model's identity) is read
in codexcli/model/adapter.py, below the backends that check it before loading.
"""
