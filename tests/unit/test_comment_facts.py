"""comment's meaning checks (tasks/comment/facts.py, grounding.py, codefacts.py): a docstring's
claims held against the code. Pure: no model."""

from __future__ import annotations

import textwrap

from codexcli.splice.docstring import DocTarget, find_targets
from codexcli.tasks.comment.facts import (
    check_meaning,
    claimed_kind,
    drop_raises,
    raised_names,
    summary_grounding,
)
from codexcli.tasks.comment.grounding import content_words, split_identifier, stem

LEAP = "def is_leap(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"
SEARCH = textwrap.dedent("""
    def find_index(items, wanted):
        lo, hi = 0, len(items) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            if items[mid] == wanted:
                return mid
            if items[mid] < wanted:
                lo = mid + 1
            else:
                hi = mid - 1
        return -1
    """).lstrip()
ROUND_DIV = "def round_div(a, b):\n    return (a + b // 2) // b\n"
PARSE = textwrap.dedent("""
    class BadInput(ValueError):
        pass


    def parse(text):
        if not text:
            raise BadInput("empty")
        return int(text)


    def load(text):
        assert text is not None
        return parse(text.strip())


    def show(x):
        print(x)
    """).lstrip()


def target(source: str, name: str) -> DocTarget:
    return next(t for t in find_targets(source) if t.name == name)


def meaning(doc: str, source: str, name: str, style: str = "google"):
    return check_meaning(doc, target(source, name), source, style)


def test_words_split_and_stem() -> None:
    assert split_identifier("parseHTTPHeader_v2") == ["parse", "http", "header", "v", "2"]
    assert stem("sorting") == "sort" and stem("matches") == "match"
    assert content_words("Return the number of days in a month.") == ["days", "month"]


def test_a_leap_year_test_is_not_the_days_in_a_month() -> None:
    wrong = meaning("Compute the number of days in a month.", LEAP, "is_leap")
    assert not wrong.ok and wrong.failed == "grounded" and "'days', 'month'" in str(wrong.failure)
    right = meaning("Return True if year is a leap year.\n\nArgs:\n    year: The year.", LEAP, "is_leap")
    assert right.ok and any("grounded" in fact for fact in right.passed)


def test_a_binary_search_is_not_a_distance_between_points() -> None:
    assert not meaning("Compute the distance between two points.", SEARCH, "find_index").ok
    assert meaning("Find the index of wanted in the sorted items.", SEARCH, "find_index").ok


def test_raises_only_what_the_code_can_raise() -> None:
    doc = "Divide a by b, rounding to the nearest.\n\nRaises:\n    ValueError: If b is negative.\n    TypeError: Bad."
    wrong = meaning(doc, ROUND_DIV, "round_div")
    assert wrong.failed == "raises" and "ValueError, TypeError" in str(wrong.failure)
    # the division can divide by zero
    assert meaning("Divide a by b, rounding.\n\nRaises:\n    ZeroDivisionError: b is 0.", ROUND_DIV, "round_div").ok
    # raised explicitly, through a subclass, by int(), by an assert, by a function it calls
    assert meaning("Parse text.\n\nRaises:\n    BadInput: empty text.", PARSE, "parse").ok
    assert meaning("Parse text.\n\nRaises:\n    ValueError: empty or not a number.", PARSE, "parse").ok
    assert meaning("Load text.\n\nRaises:\n    AssertionError: None.\n    BadInput: empty.", PARSE, "load").ok
    assert meaning("Show x.\n\nRaises:\n    KeyError: never.", PARSE, "show").failed == "raises"


def test_raised_names_in_every_style() -> None:
    assert raised_names("S.\n\nRaises:\n    ValueError: if bad.\n    KeyError if missing.", "google") == [
        "ValueError",
        "KeyError",
    ]
    assert raised_names("S.\n\nRaises\n------\nValueError\n    If bad.", "numpy") == ["ValueError"]
    assert raised_names("S.\n\n:raises ValueError: if bad.", "rest") == ["ValueError"]
    assert raised_names("S. It raises an OSError when the file is gone.", "plain") == ["OSError"]


def test_returns_claims_agree_with_the_return_statements() -> None:
    src = "def count_words(text):\n    return len(text.split())\n"
    wrong = meaning(
        "Count the words of text.\n\nArgs:\n    text: Text.\n\nReturns:\n    True if any.", src, "count_words"
    )
    assert wrong.failed == "returns" and "bool" in str(wrong.failure)
    assert meaning(
        "Count the words of text.\n\nArgs:\n    text: Text.\n\nReturns:\n    The count.", src, "count_words"
    ).ok
    listing = "def words(text):\n    return [w for w in text.split()]\n"
    assert meaning(
        "Split text into words.\n\nArgs:\n    text: Text.\n\nReturns:\n    A list of words.", listing, "words"
    ).ok
    assert (
        meaning(
            "Return the words of text as a string.\n\nArgs:\n    text: T.\n\nReturns:\n    str: the words.",
            listing,
            "words",
        ).failed
        == "returns"
    )
    # a procedure's summary does not say it returns something
    assert meaning("Return `x` printed.\n\nArgs:\n    x: The value.", PARSE, "show").failed == "returns"
    assert claimed_kind("bool: whether it is") == "bool" and claimed_kind("The sum") is None


def test_module_docstring_is_grounded_in_the_module() -> None:
    source = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    module = target(source, "<module>")
    assert not summary_grounding("Find the sum of the multiples of 6 and 9.", module, source).ok
    assert summary_grounding("Add and subtract numbers.", module, source).ok
    assert not meaning("The sum of the multiples of 6 and 9 below 1000.", source, "<module>").ok


def test_drop_raises_keeps_the_rest() -> None:
    doc = "Divide.\n\nArgs:\n    a: A.\n\nRaises:\n    ValueError: bad.\n\nReturns:\n    The quotient."
    assert drop_raises(doc, "google") == "Divide.\n\nArgs:\n    a: A.\n\nReturns:\n    The quotient."
    assert drop_raises("Divide.\n\n:param a: A.\n:raises ValueError: bad.", "rest") == "Divide.\n\n:param a: A."
    assert drop_raises("Divide.", "google") is None


VALIDATE = textwrap.dedent("""
    class InvalidVersion(ValueError):
        pass


    def validate(value):
        epoch = value or 0
        if isinstance(epoch, int) and epoch >= 0:
            return epoch
        raise InvalidVersion(f"epoch must be non-negative, got {epoch}")


    def parse_local(local):
        return tuple(int(p) if p.isdigit() else p.lower() for p in local.split("."))


    def checked(text, errors="strict"):
        try:
            return int(text)
        except ValueError:
            if errors == "strict":
                raise
            return None
    """).lstrip()


def test_a_comment_line_is_not_a_summary() -> None:
    assert meaning("# Punycode parameters:.\n\nArgs:\n    value: V.", VALIDATE, "validate").failed == "sentence"
    assert meaning("`validate` returns the epoch.\n\nRaises:\n    InvalidVersion: bad.", VALIDATE, "validate").ok


def test_every_exception_raised_by_the_function_itself_is_named() -> None:
    left_out = meaning("Return the epoch of value.\n\nArgs:\n    value: V.", VALIDATE, "validate")
    assert left_out.failed == "raises-complete" and "InvalidVersion" in str(left_out.failure)
    # a base class of it is enough: a caller catching ValueError catches it
    assert meaning("Return the epoch of value.\n\nRaises:\n    ValueError: negative.", VALIDATE, "validate").ok
    # a bare re-raise of what it caught, and int()'s own errors, are not required
    assert meaning("Return `text` as an int, or None when errors allows.", VALIDATE, "checked").ok


def test_a_module_class_is_not_raised_by_a_builtin_operation() -> None:
    # int() raises ValueError, never the module's InvalidVersion (a ValueError subclass)
    wrong = meaning("Parse the local version.\n\nRaises:\n    InvalidVersion: bad.", VALIDATE, "parse_local")
    assert wrong.failed == "raises"
    assert meaning(
        "Split `local` at each '.' into lower-cased parts.\n\nRaises:\n    ValueError: bad.", VALIDATE, "parse_local"
    ).ok


def test_quoted_values_must_be_the_codes() -> None:
    made_up = 'Return the epoch of value.\n\nRaises:\n    InvalidVersion: Invalid version: "invalid"'
    assert meaning(made_up, VALIDATE, "validate").failed == "literals"
    assert meaning("Return `text` as an int unless errors is not 'strict'.", VALIDATE, "checked").ok
    # an apostrophe is not a quote; doctest lines are not prose
    assert meaning("Return the value's epoch.\n\nRaises:\n    ValueError: if it's negative.", VALIDATE, "validate").ok
    assert meaning("Return `text` as an int.\n\n>>> checked('7')\n7", VALIDATE, "checked").ok


def test_a_docstring_does_not_loop() -> None:
    src = "def quotedata(data):\n    return data.replace('.', '..')\n"
    looping = "Double the periods of `data`.\n\nReturns:\n    The quotedata of the quotedata of the quotedata of the x."
    assert meaning(looping, src, "quotedata").failed == "repetition"
    assert meaning("Replace each '.' of `data` with '..'.\n\nArgs:\n    data: The text.", src, "quotedata").ok
