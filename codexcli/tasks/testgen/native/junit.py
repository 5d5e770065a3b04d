"""Java tests with JUnit 5 (the console launcher of Debian's ``junit5`` package).

The calls are observed by Java's harness (tasks/native/java.py). Tests are methods of
``<Class>Test`` (``assertEquals``, ``assertArrayEquals``, ``assertNull``, ``assertThrows``,
``assertDoesNotThrow`` for void), in ``src/test/java/<package>/`` when the source is under
``src/main/java``, else beside it. A test javac rejects (a literal of the wrong type) is dropped
and the rest is compiled again.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence
from xml.etree import ElementTree

from codexcli.langspec import JAVA_FLAGS
from codexcli.tasks.native.calls import Call
from codexcli.tasks.native.java import HITS, PROBE, JavaProject
from codexcli.tasks.native.runner import Observed
from codexcli.tasks.native.targets import CallTarget
from codexcli.tasks.testgen.native.runner import TestRun, title
from codexcli.tasks.testgen.types import KeptTest

JAR_NAMES = ("junit-platform-console-standalone.jar",)
JAR_DIRS = ("/usr/share/java", "/usr/local/share/java")


def junit_jar() -> str | None:
    """The JUnit 5 console launcher: CODEX_JUNIT_JAR, else Debian's and the usual folders."""
    override = os.environ.get("CODEX_JUNIT_JAR")
    if override:
        return override if Path(override).is_file() else None
    return next((str(Path(d) / n) for d in JAR_DIRS for n in JAR_NAMES if (Path(d) / n).is_file()), None)


@dataclass
class JUnit(JavaProject):
    """JUnit 5, for a Java class (see the module docstring); its tests go to ``test_path``."""

    test_path: Path = field(kw_only=True)

    @staticmethod
    def location(module: Path) -> Path:
        """``src/test/java/<package>/<Class>Test.java`` for a source under src/main/java, else
        ``<Class>Test.java`` beside it."""
        module = module.resolve()
        parts = module.parts
        for i in range(len(parts) - 3):
            if parts[i : i + 3] == ("src", "main", "java"):
                return Path(*parts[:i], "src", "test", "java", *parts[i + 3 : -1], module.stem + "Test.java")
        return module.with_name(module.stem + "Test.java")

    def missing(self) -> str | None:
        found = super().missing()
        if found is None and junit_jar() is None:
            rules_install = (
                "apt-get install junit5 (Debian), or set CODEX_JUNIT_JAR to junit-platform-console-standalone.jar"
            )
            return f"JUnit 5's console launcher not found; install it: {rules_install}"
        return found

    def test(self, target: CallTarget, call: Call, seen: Observed, taken: set[str]) -> KeptTest | None:
        expr = self.call_text(target, call, False)
        if seen.kind == "raised" and seen.error:
            what, body = f"throws {seen.error.rsplit('.', 1)[-1]}", f"assertThrows({seen.error}.class, () -> {expr});"
        elif seen.kind == "value" and seen.type == "void":
            what, body = "runs", f"assertDoesNotThrow(() -> {expr});"
        elif seen.kind == "value" and seen.type == "null":
            what, body = "returns null", f"assertNull({expr});"
        elif seen.kind == "value" and seen.literal:
            what = f"returns {seen.literal}"
            if seen.literal.startswith("new "):
                body = f"assertArrayEquals({seen.literal}, {expr});"
            elif target.returns in ("double", "float"):
                body = f"assertEquals({seen.literal}, {expr}, 0.0);"
            else:
                body = f"assertEquals({seen.literal}, {expr});"
        else:
            return None
        words = re.sub(r"\W+", "_", f"{target.name} {' '.join(call.args)} {what}").strip("_")
        name = "test_" + (words[:60].rstrip("_") or target.name)
        base, n = name, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        code = f"    @Test\n    void {name}() {{\n        {body}\n    }}\n"
        return KeptTest(name, code, ())

    def class_name(self) -> str:
        return self.test_path.stem

    def file_text(self, existing: str, tests: Sequence[KeptTest]) -> str:
        """A new test class with the tests, or ``existing`` with them added before its last
        brace (and JUnit's imports it lacks after its last import)."""
        body = "\n".join(t.code for t in tests)
        imports = ["import static org.junit.jupiter.api.Assertions.*;", "import org.junit.jupiter.api.Test;"]
        if not existing.strip():
            package = self.package()
            head = f"package {package};\n\n" if package else ""
            return head + "\n".join(imports) + f"\n\nclass {self.class_name()} {{\n\n" + body + "}\n"
        text = existing
        lacking = [i for i in imports if i not in text]
        if lacking:
            at = max((m.end() for m in re.finditer(r"^(?:package|import)\s[^;]+;[^\n]*\n", text, re.M)), default=0)
            text = text[:at] + "\n".join(lacking) + "\n" + text[at:]
        end = text.rstrip().rfind("}")
        return text[:end] + ("\n" + body if tests else "") + text[end:]

    def package(self) -> str:
        m = re.search(r"^\s*package\s+([\w.]+)\s*;", self.source, re.M)
        return m.group(1) if m else ""

    def run(self, test_text: str, twice: bool = False) -> TestRun:
        """javac and the console launcher, in the sandbox; a test javac rejects fails alone.
        ``twice``: the launcher runs twice (a test passing only the first time is flaky)."""
        jar = junit_jar() or "junit-platform-console-standalone.jar"
        test, module = self.rel(self.test_path), self.rel(self.module)
        package = self.package()
        qualified = f"{package}.{self.class_name()}" if package else self.class_name()
        heads = [m.start() for m in re.finditer(r"^    @Test\n", test_text, re.M)]
        names = re.findall(r"^    @Test\n    void (\w+)\(", test_text, re.M)

        def make(dropped: set[int]) -> tuple[str, dict[str, str], list[int]]:
            text, starts = test_text, [test_text.count("\n", 0, h) + 1 for h in heads]
            for k in sorted(dropped, reverse=True):
                if k < len(heads):
                    text = (
                        text[: heads[k]]
                        + '    @Disabled("codex: does not compile")\n    void codexDropped'
                        + str(k)
                        + "() {}\n"
                        + _after_method(text, heads[k])
                    )
            return (
                Path(test).name,
                {
                    test: text.replace(
                        "import org.junit.jupiter.api.Test;",
                        "import org.junit.jupiter.api.Test;\nimport org.junit.jupiter.api.Disabled;",
                    )
                    if dropped
                    else text
                },
                starts,
            )

        launch = (
            f"java {' '.join(JAVA_FLAGS)} -jar {jar} -cp classes --select-class {qualified} --reports-dir {{}} "
            "--disable-banner --details=none"
        )
        script = (
            f"{self.javac('codexprobe/CodexProbe.java', module)} && "
            f"{self.javac(test, classpath=f'{jar}:classes')} && echo @@codex-compiled@@ && "
            f"{launch.format('reports')}" + (f"; {launch.format('again')}" if twice else "")
        )
        result, dropped = self.compiled(
            make,
            lambda files: self.sandbox(
                ["sh", "-c", script], {**files, "codexprobe/CodexProbe.java": PROBE},
                collect=(HITS, "reports/TEST-junit-jupiter.xml", "again/TEST-junit-jupiter.xml"),
            ),
        )  # fmt: skip
        if "@@codex-compiled@@" not in result.stdout:
            return TestRun(error="the tests do not compile: " + " ".join(result.stderr.split())[:300])
        passed, messages = junit_verdicts(result.files.get("reports/TEST-junit-jupiter.xml", ""))
        flaky: frozenset[str] = frozenset()
        if twice:
            second, _ = junit_verdicts(result.files.get("again/TEST-junit-jupiter.xml", ""))
            flaky = frozenset(n for n, ok in passed.items() if ok and not second.get(n, False))
        for k in dropped:
            if k < len(names):
                passed[names[k]], messages[names[k]] = False, "does not compile"
        lines = frozenset(int(n) for row in result.files.get(HITS, "").splitlines() for n in json.loads(row or "[]"))
        return TestRun(passed, messages, lines, None if passed else "the test run reported nothing", flaky)


def _after_method(text: str, head: int) -> str:
    """The text after the method that starts at ``head`` (its braces balanced)."""
    depth, i, opened = 0, text.index("{", head), False
    while i < len(text):
        if text[i] == "{":
            depth, opened = depth + 1, True
        elif text[i] == "}":
            depth -= 1
            if opened and depth == 0:
                return text[i + 1 :]
        i += 1
    return ""


def junit_verdicts(xml: str) -> tuple[dict[str, bool], dict[str, str]]:
    """Each test method's verdict and failure message from the launcher's legacy XML report."""
    passed: dict[str, bool] = {}
    messages: dict[str, str] = {}
    if not xml.strip():
        return passed, messages
    for case in ElementTree.fromstring(xml).iter("testcase"):
        name = case.get("name", "").split("(")[0]
        bad = next((c for c in case if c.tag in ("failure", "error")), None)
        skipped = any(c.tag == "skipped" for c in case)
        passed[name] = bad is None and not skipped
        if bad is not None:
            messages[name] = title(bad.get("message") or bad.get("type") or "failed", 200)
    return passed, messages
