"""Calls of a JavaScript, TypeScript or Java module, run in the sandbox: what `codex testgen`
(tasks/testgen/native/: tests written with the values observed) and `codex comment`
(tasks/comment/docexamples.py: doc comments of observed examples) share. The functions codex
can call (targets.py), the calls codex makes up (calls.py), the coverage probes (probes.py),
the project the calls run in and what each call did (runner.py), and each language's harness
(node.py, java.py; observers.py names them as the languages' ``TestRules`` do)."""
