"""Model files: reading a GGUF header (gguf), finding the model to use and checking it (find),
and what an adapter file says about itself and whether it belongs to a model (adapter).

Below the backends, which load what these modules found and checked, and below `codex learn`,
which writes the adapters; none of it imports llama.cpp or torch.
"""
