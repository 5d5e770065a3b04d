"""The observers the languages' ``TestRules`` name (codexcli/languages.py): the harness that runs
calls of a module with node for JavaScript and TypeScript, with javac/java for Java. The runners
of the same names (tasks/testgen/native/runners.py) are these, with test files on top."""

from codexcli.tasks.native.java import JavaProject as junit
from codexcli.tasks.native.node import NodeProject as node_test

__all__ = ["junit", "node_test"]
