"""Merging new tests into a test file: before/after strings."""

from __future__ import annotations

import textwrap

from codexcli.splice.tests import Merged, MergeFailed, bound_names, merge_tests, rename_function, unique_name


def d(text: str) -> str:
    return textwrap.dedent(text)


EXISTING = d('''\
    """Tests for mod."""
    import pytest

    from mod import add  # the function under test


    @pytest.fixture
    def two():
        return 2


    def test_add(two):
        assert add(two, 1) == 3
''')


def test_appends_tests_and_adds_only_missing_imports():
    merged = merge_tests(
        EXISTING,
        [("test_sub", "def test_sub():\n    assert sub(3, 1) == 2\n")],
        ["from mod import add, sub", "import pytest", "import math"],
    )
    assert isinstance(merged, Merged)
    assert merged.text == d('''\
        """Tests for mod."""
        import pytest

        from mod import add  # the function under test
        from mod import sub
        import math


        @pytest.fixture
        def two():
            return 2


        def test_add(two):
            assert add(two, 1) == 3


        def test_sub():
            assert sub(3, 1) == 2
        ''')
    assert merged.names == ("test_sub",) and merged.imports_added == ("from mod import sub", "import math")


def test_never_duplicates_a_test_name():
    tests = [
        ("test_add", "def test_add():\n    assert add(1, 1) == 2\n"),
        ("test_add_2", "def test_add_2():\n    assert add(2, 2) == 4\n"),
    ]
    merged = merge_tests(EXISTING, tests)
    assert isinstance(merged, Merged)
    assert merged.names == ("test_add_2", "test_add_2_2")
    assert merged.text.startswith(EXISTING)  # the existing file is kept byte for byte
    assert "def test_add_2():\n    assert add(1, 1) == 2" in merged.text
    assert "def test_add_2_2():\n    assert add(2, 2) == 4" in merged.text
    assert merged.text.count("def test_add(") == 1


def test_into_an_empty_file():
    merged = merge_tests("", [("test_a", "def test_a():\n    assert f() == 1\n")], ["from m import f"])
    assert isinstance(merged, Merged)
    assert merged.text == "from m import f\n\n\ndef test_a():\n    assert f() == 1\n"


def test_keeps_crlf_and_a_missing_final_newline():
    existing = "import os\r\n\r\ndef test_x():\r\n    assert os.sep"
    merged = merge_tests(existing, [("test_y", "def test_y():\n    assert 1 == 1\n")], ["import sys"])
    assert isinstance(merged, Merged)
    assert merged.text.startswith("import os\r\nimport sys\r\n\r\ndef test_x():\r\n    assert os.sep")
    assert merged.text.endswith("def test_y():\r\n    assert 1 == 1\r\n")


def test_imports_go_after_a_docstring_when_the_file_has_none():
    merged = merge_tests('"""Doc."""\n\nX = 1\n', [("test_a", "def test_a():\n    assert X == 1\n")], ["import m"])
    assert isinstance(merged, Merged)
    assert merged.text == '"""Doc."""\nimport m\n\nX = 1\n\n\ndef test_a():\n    assert X == 1\n'


def test_failures_are_results_not_exceptions():
    assert isinstance(merge_tests("def broken(:\n", []), MergeFailed)
    assert isinstance(merge_tests("", [("test_a", "def test_a(:\n")]), MergeFailed)
    assert isinstance(merge_tests("", [("test_a", "x = 1\n")]), MergeFailed)


def test_helpers():
    assert unique_name("test_a", {"test_a", "test_a_2"}) == "test_a_3"
    assert unique_name("test_b", {"test_a"}) == "test_b"
    code = "@mark\ndef test_a():\n    assert test_a_helper() == test_a\n"
    assert (
        rename_function(code, "test_a", "test_a_2") == "@mark\ndef test_a_2():\n    assert test_a_helper() == test_a\n"
    )
    assert bound_names("import a.b\nfrom c import d as e\nx, y = 1, 2\nclass K: pass\n") == {"a", "e", "x", "y", "K"}
