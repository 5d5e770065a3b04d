"""The runners the languages' ``TestRules`` name (codexcli/languages.py): node's built-in test
runner for JavaScript, JUnit 5 for Java."""

from codexcli.tasks.testgen.native.junit import JUnit as junit
from codexcli.tasks.testgen.native.node import NodeTest as node_test

__all__ = ["junit", "node_test"]
