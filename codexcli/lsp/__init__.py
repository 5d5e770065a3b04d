"""`codex lsp`: a language server whose code actions and inline completions run the same tasks
as the command line (same pipeline, prompts, verifier, cache, evidence levels and thresholds).

Modules, lowest first:

* ``settings``: the server's options (initializationOptions / workspace/configuration) over the
  user's config and ``[tool.codex]``, as a Settings;
* ``actions``: which actions apply at a position of a buffer (pure; no model);
* ``edits``: LSP text edits from a before/after text (pure);
* ``jobs``: the worker thread, the shared lazily loaded model, cancellation between tokens;
* ``runners``: one function per action that runs its task on the buffer's text;
* ``server``: the pygls handlers (the only module that imports pygls).
"""
