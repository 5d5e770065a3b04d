"""Calls of a Java method, run with javac and java in the sandbox.

Calls are observed by a generated class that calls each one (``Owner.f(...)``, ``new
Owner().f(...)``) with the probes reset and prints the result as a Java literal (primitives,
strings, arrays of them, List/Set/Map of them) or the exception's class. A source line javac
rejects (a literal of the wrong type) drops the call (or, in testgen's JUnit tests,
tasks/testgen/native/junit.py, the test) it belongs to, and the rest is compiled again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from codexcli.langspec import JAVA_FLAGS, JAVAC_FLAGS
from codexcli.tasks.native.calls import Call
from codexcli.tasks.native.runner import MARKER, Observed, Project, observe_all
from codexcli.tasks.native.targets import CallTarget
from codexcli.verify.sandbox.sandbox import SandboxResult

HITS = "__codex_hits__.jsonl"
PROBE = r"""package codexprobe;
public final class CodexProbe {
    private static final java.util.Set<Integer> HITS = java.util.Collections.synchronizedSet(new java.util.TreeSet<>());
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try { java.nio.file.Files.writeString(java.nio.file.Path.of("__codex_hits__.jsonl"), HITS.toString() + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND); } catch (Exception e) { }
        }));
    }
    public static void hit(int line) { HITS.add(line); }
    public static void reset() { HITS.clear(); }
    public static String hits() { return HITS.toString(); }
}
"""
OBSERVE = r"""
public class CodexObserve {
    static final Object VOID = new Object();
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
    static String lit(Object v) {
        if (v == null) return "null";
        if (v instanceof String) return q((String) v);
        if (v instanceof Character) { String s = q(v.toString()); return "'" + (v.equals('\'') ? "\\'" : s.substring(1, s.length() - 1).replace("\\\"", "\"")) + "'"; }
        if (v instanceof Boolean || v instanceof Integer) return v.toString();
        if (v instanceof Long) return v + "L";
        if (v instanceof Short) return "(short) " + v;
        if (v instanceof Byte) return "(byte) " + v;
        if (v instanceof Double) { double d = (Double) v; return Double.isNaN(d) ? "Double.NaN" : Double.isInfinite(d) ? (d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY") : Double.toString(d); }
        if (v instanceof Float) { float d = (Float) v; return Float.isNaN(d) ? "Float.NaN" : Float.isInfinite(d) ? (d > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY") : Float.toString(d) + "f"; }
        if (v.getClass().isArray()) {
            Class<?> c = v.getClass().getComponentType();
            if (!c.isPrimitive() && c != String.class) return null;
            java.util.StringJoiner j = new java.util.StringJoiner(", ", "new " + c.getSimpleName() + "[]{", "}");
            for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) { String x = lit(java.lang.reflect.Array.get(v, i)); if (x == null) return null; j.add(x); }
            return j.toString();
        }
        if (v instanceof java.util.List || v instanceof java.util.Set) {
            java.util.StringJoiner j = new java.util.StringJoiner(", ", v instanceof java.util.List ? "java.util.List.of(" : "java.util.Set.of(", ")");
            for (Object x : (java.util.Collection<?>) v) { String s = x == null ? null : lit(x); if (s == null) return null; j.add(s); }
            return j.toString();
        }
        if (v instanceof java.util.Map) {
            java.util.StringJoiner j = new java.util.StringJoiner(", ", "java.util.Map.ofEntries(", ")");
            for (java.util.Map.Entry<?, ?> e : ((java.util.Map<?, ?>) v).entrySet()) {
                String k = e.getKey() == null ? null : lit(e.getKey()), x = e.getValue() == null ? null : lit(e.getValue());
                if (k == null || x == null) return null;
                j.add("java.util.Map.entry(" + k + ", " + x + ")");
            }
            return j.toString();
        }
        return null;
    }
    static Object call(int i) throws Throwable {
        switch (i) {
$CASES
        }
        return VOID;
    }
    public static void main(String[] argv) {
        int n = $COUNT;
        for (int i = Integer.parseInt(argv[0]); i < n; i++) {
            codexprobe.CodexProbe.reset();
            String rec;
            try {
                Object v = call(i);
                String l = v == VOID ? "" : lit(v);
                if (l != null && l.length() > 240) l = null;
                String type = v == VOID ? "void" : v == null ? "null" : v.getClass().getName();
                rec = "\"lit\": " + (l == null ? "null" : q(l)) + ", \"type\": " + q(type);
            } catch (Throwable e) {
                String name = e.getClass().getCanonicalName();
                String msg = e.getMessage() == null ? "" : e.getMessage();
                rec = "\"raised\": " + q(name == null ? "" : name) + ", \"message\": " + q(msg.length() > 200 ? "" : msg);
            }
            System.out.println($MARKER + "{\"i\": " + i + ", " + rec + ", \"hits\": " + codexprobe.CodexProbe.hits() + "}");
            System.out.flush();
        }
        System.exit(0);
    }
}
"""
_ERROR_LINE = re.compile(r"^(?:\S*/)?(\w+\.java):(\d+): error: (.*)$", re.M)


@dataclass
class JavaProject(Project):
    """A Java class's project, where javac and java run calls of its methods (see the module
    docstring)."""

    def markers(self) -> tuple[str, ...]:
        return ("pom.xml", "build.gradle", "build.gradle.kts")

    def javac(self, *sources: str, classpath: str = "") -> str:
        cp = f" -cp {classpath}" if classpath else ""
        return f"javac {' '.join(JAVAC_FLAGS)} -nowarn -encoding UTF-8 -d classes{cp} {' '.join(sources)}"

    def compiled(
        self,
        make: Callable[[set[int]], tuple[str, dict[str, str], list[int]]],
        go: Callable[[dict[str, str]], SandboxResult],
    ) -> tuple[SandboxResult, set[int]]:
        """Run ``go(files)`` where ``make(dropped)`` writes the files leaving out the items in
        ``dropped`` (and says where each item starts in its file); an item javac rejects is
        dropped and the rest tried again (three times at most)."""
        dropped: set[int] = set()
        for _ in range(4):
            name, files, starts = make(dropped)
            result = go(files)
            bad = {
                max((k for k, start in enumerate(starts) if start <= int(line)), default=-1)
                for file, line, _ in _ERROR_LINE.findall(result.stderr)
                if file == name
            } - {-1}
            if not bad or "@@codex-compiled@@" in result.stdout:
                return result, dropped
            dropped |= bad
        return result, dropped

    def call_text(self, target: CallTarget, call: Call, qualified: bool = False) -> str:
        owner = f"{target.package}.{target.owner}" if qualified and target.package else target.owner
        receiver = owner if target.static else f"new {owner}()"
        return f"{receiver}.{target.name}({', '.join(call.args)})"

    def observe(self, target: CallTarget, calls: Sequence[Call]) -> list[Observed]:
        module, void = self.rel(self.module), target.returns == "void"

        def make(dropped: set[int]) -> tuple[str, dict[str, str], list[int]]:
            lines: list[str] = []
            starts: list[int] = []
            head = OBSERVE.split("$CASES")[0].count("\n") + 1
            for i, call in enumerate(calls):
                starts.append(head + len(lines))
                if i in dropped:
                    lines.append(f'            case {i}: throw new Error("codex: does not compile");')
                else:
                    text = self.call_text(target, call, True)
                    lines.append(
                        f"            case {i}: {text}; return VOID;"
                        if void
                        else f"            case {i}: return {text};"
                    )
            text = OBSERVE.replace("$CASES", "\n".join(lines)).replace("$COUNT", str(len(calls)))
            return "CodexObserve.java", {"CodexObserve.java": text.replace("$MARKER", json.dumps(MARKER))}, starts

        state: dict[str, set[int]] = {}

        def once(start: int) -> SandboxResult:
            compile_ = self.javac("codexprobe/CodexProbe.java", module, "CodexObserve.java")
            run = f"java {' '.join(JAVA_FLAGS)} -cp classes CodexObserve {start}"
            script = f"{compile_} && echo @@codex-compiled@@ && {run}"
            result, state["dropped"] = self.compiled(
                make, lambda files: self.sandbox(["sh", "-c", script], {**files, "codexprobe/CodexProbe.java": PROBE})
            )
            return result

        seen = observe_all(self, len(calls), once)
        gone = state.get("dropped", set())
        return [Observed("missing", message="does not compile (javac)") if i in gone else s for i, s in enumerate(seen)]
