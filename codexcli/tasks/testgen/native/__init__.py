"""`codex testgen` for the languages with a ``tests`` entry in codexcli/languages.py (JavaScript,
Java): calls proposed by the model or by codex, run in the sandbox (tasks/native/), written as
tests in the language's own framework with the values observed (docs/testgen.md#other-languages)."""
