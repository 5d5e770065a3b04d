"""Language conventions of `codex translate`: names, file names, imports, assembly (pure)."""

from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.errors import UsageError
from codexcli.tasks.translate.lang import (
    Piece,
    assemble,
    brace_chunks,
    defines,
    detect_source,
    drop_main,
    function_name,
    output_path,
    owner_class,
    resolve_target,
    split_imports,
    unwrap_class,
)
from codexcli.tasks.translate.units import python_units


@pytest.mark.parametrize(
    "source, language, expected",
    [
        ("src/string_utils.py", "java", "src/StringUtils.java"),
        ("src/string_utils.py", "csharp", "src/StringUtils.cs"),
        ("src/string_utils.py", "javascript", "src/string_utils.js"),
        ("src/string_utils.py", "typescript", "src/string_utils.ts"),
        ("src/string_utils.py", "cpp", "src/string_utils.cpp"),
        ("src/string_utils.py", "go", "src/string_utils.go"),
        ("src/string_utils.py", "rust", "src/string_utils.rs"),
        ("src/MathUtils.java", "python", "src/math_utils.py"),
        ("src/mathUtils.ts", "python", "src/math_utils.py"),
    ],
)
def test_output_file_follows_the_target_naming_convention(source, language, expected):
    assert output_path(Path(source), language, None) == Path(expected)


def test_out_flag_wins_and_names_the_java_class():
    assert output_path(Path("a.py"), "java", Path("x/Other.java")) == Path("x/Other.java")
    assert owner_class(Path("x/Other.java")) == "Other"
    assert owner_class(Path("string-utils.java")) == "StringUtils"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("java", "isPalindrome"),
        ("javascript", "isPalindrome"),
        ("typescript", "isPalindrome"),
        ("go", "isPalindrome"),
        ("csharp", "IsPalindrome"),
        ("rust", "is_palindrome"),
        ("cpp", "is_palindrome"),
        ("python", "is_palindrome"),
    ],
)
def test_function_names_follow_the_target_convention(language, expected):
    assert function_name("is_palindrome", language) == expected


def test_python_name_from_camel_case():
    assert function_name("isPalindrome", "python") == "is_palindrome"


def test_unknown_target_lists_the_supported_ones():
    with pytest.raises(UsageError) as err:
        resolve_target("cobol")
    assert "java" in err.value.message and "rust" in err.value.message and "cobol" in err.value.message


def test_aliases_resolve():
    assert resolve_target("JS") == "javascript" and resolve_target("c++") == "cpp" and resolve_target("C#") == "csharp"


def test_undetectable_source_asks_for_from():
    with pytest.raises(UsageError) as err:
        detect_source(Path("notes.txt"), None)
    assert "--from" in err.value.message
    assert detect_source(Path("notes.txt"), "java") == "java"
    assert detect_source(Path("Main.java"), None) == "java"


def test_split_imports_java_drops_package_and_keeps_imports():
    code = "package a.b;\nimport java.util.*;\nimport java.util.List;\npublic static int f() { return 1; }"
    imports, body = split_imports(code, "java")
    assert imports == ["import java.util.*;", "import java.util.List;"]
    assert body == "public static int f() { return 1; }"


def test_split_imports_go_block_and_single():
    code = 'package main\nimport (\n  "fmt"\n  "strings"\n)\nimport "os"\nfunc f() {}'
    imports, body = split_imports(code, "go")
    assert imports == ['import "fmt"', 'import "strings"', 'import "os"']
    assert body == "func f() {}"


def test_split_imports_javascript_strips_exports():
    code = 'const fs = require("fs");\nexport function f() { return 1; }\nmodule.exports = { f };'
    imports, body = split_imports(code, "javascript")
    assert imports == ['const fs = require("fs");']
    assert body == "function f() { return 1; }"


def test_assemble_java_merges_imports_inside_a_class_named_after_the_file():
    pieces = [
        Piece(("import java.util.*;",), "static int a() { return 1; }"),
        Piece(("import java.util.*;", "import java.io.*;"), "static int b() { return 2; }", comment="note"),
    ]
    text = assemble("java", Path("Util.java"), pieces, ["a", "b"], header="top")
    assert text.count("import java.util.*;") == 1 and "import java.io.*;" in text
    assert "public class Util {\n    static int a() { return 1; }\n\n    // note\n    static int b()" in text
    assert text.startswith("// top\n")


def test_assemble_go_has_one_package_clause_and_import_block():
    pieces = [Piece(('import "fmt"',), "func A() {}"), Piece(('import "fmt"', 'import "os"'), "func B() {}")]
    text = assemble("go", Path("my_util.go"), pieces, [])
    assert text.startswith('package myutil\n\nimport (\n\t"fmt"\n\t"os"\n)\n')


def test_assemble_javascript_and_typescript_export_the_definitions():
    pieces = [Piece((), "function a() {}"), Piece((), "function b() {}")]
    assert assemble("javascript", Path("m.js"), pieces, ["a", "b"]).rstrip().endswith("module.exports = { a, b };")
    assert assemble("typescript", Path("m.ts"), pieces, ["a", "b"]).rstrip().endswith("export { a, b };")


def test_assemble_python_uses_hash_comments_and_two_blank_lines():
    pieces = [Piece(("import os",), "def a():\n    return 1"), Piece(("import os",), "def b():\n    return 2", "why")]
    text = assemble("python", Path("m.py"), pieces, [])
    assert text == "import os\n\ndef a():\n    return 1\n\n\n# why\ndef b():\n    return 2\n"


def test_unwrap_class_removes_a_wrapper_but_keeps_a_wanted_class():
    wrapped = "public class Main {\n    public static int f() {\n        return 1;\n    }\n}"
    assert unwrap_class(wrapped, None) == "public static int f() {\n    return 1;\n}"
    stack = "public static class Stack {\n    int n;\n}"
    assert unwrap_class(stack, "Stack") == stack


def test_drop_main_removes_the_whole_entry_point():
    code = dedent("""\
        static int f() { return 1; }
        public static void main(String[] args) {
            if (true) { System.out.println(f()); }
        }""")
    assert drop_main(code, "java") == "static int f() { return 1; }"
    assert drop_main("int f() { return 1; }\nint main() { return f(); }", "cpp") == "int f() { return 1; }"


@pytest.mark.parametrize(
    "code, name, language, kind, expected",
    [
        ("public static boolean isPalindrome(String s) {}", "isPalindrome", "java", "function", True),
        ("public static boolean isPal(String s) {}", "isPalindrome", "java", "function", False),
        ("const add = (a, b) => a + b;", "add", "javascript", "function", True),
        ("func add(a int) int {}", "add", "go", "function", True),
        ("pub fn add(a: i64) -> i64 {}", "add", "rust", "function", True),
        ("std::vector<int> add(int a) {}", "add", "cpp", "function", True),
        ("public static class Stack {}", "Stack", "java", "class", True),
        ("def add(a, b):\n    return a", "add", "python", "function", True),
    ],
)
def test_defines(code, name, language, kind, expected):
    assert defines(code, name, language, kind) is expected


def test_brace_chunks_split_at_top_level_and_keep_everything():
    source = "".join(f"int f{i}() {{\n    return {i};\n}}\n" for i in range(10))
    chunks = brace_chunks(source, 80)
    assert len(chunks) > 1 and "".join(chunks) == source
    assert all(c.count("{") == c.count("}") for c in chunks)


def test_python_units_put_callees_first_and_constants_on_top():
    source = dedent("""\
        import re
        LIMIT = 3

        def caller(x: int) -> int:
            return helper(x) + LIMIT

        def helper(x: int) -> int:
            return x * 2

        class Box:
            pass

        if __name__ == "__main__":
            print(caller(1))
        """)
    units, skipped = python_units(source, "java")
    assert [u.name for u in units] == ["module constants", "helper", "caller", "Box"]
    assert [u.target_name for u in units] == ["", "helper", "caller", "Box"]
    assert units[2].calls == ("helper",)
    assert skipped and "__main__" in skipped[0]
