"""Repair before reject: each repair fixes its near miss, leaves other text alone, and the
repaired answer passes the same gate that rejected the original."""

from __future__ import annotations

from codexcli.answers import ParseError
from codexcli.splice.docstring import find_targets
from codexcli.tasks.comment.docstyle import check_docstring
from codexcli.tasks.comment.repair import cut_to_sections, drop_placeholders, reconcile_params, repair_docstring
from codexcli.tasks.repair import Repaired, chain, code_of_chatty, defined_functions, rename_function
from codexcli.tasks.translate.lang import defines

SOURCE = """
def yiq_to_rgb(y, i, q):
    r = y + 0.95 * i + 0.62 * q
    return r

def log(message):
    print(message)
"""


def _target(name: str):
    return next(t for t in find_targets(SOURCE) if t.name == name)


def test_rename_java_method_and_its_recursive_call():
    code = "public static double yiq2rgb(double y) {\n    if (y < 0) return yiq2rgb(-y);\n    return y;\n}\n"
    fixed = rename_function(code, "yiqToRgb", "java")
    assert fixed is not None
    assert "yiq2rgb" not in fixed.text and fixed.text.count("yiqToRgb") == 2
    assert defines(fixed.text, "yiqToRgb", "java", "function")
    assert fixed.note == "repaired: renamed `yiq2rgb` to `yiqToRgb`"


def test_rename_needs_exactly_one_function():
    two = "static int a(int x) {\n return b(x);\n}\nstatic int b(int x) {\n return x;\n}\n"
    assert defined_functions(two, "java") == ["a", "b"]
    assert rename_function(two, "c", "java") is None
    right = "static int c(int x) {\n return x;\n}\n"
    assert rename_function(right, "c", "java") is None


def test_calls_are_not_definitions():
    code = "int f(int x) {\n    return g(x) + h(x);\n}\n"
    assert defined_functions(code, "cpp") == ["f"]
    assert defined_functions("def f(x):\n    return g(x)\n", "python") == ["f"]
    assert defined_functions("fn f(x: i32) -> i32 { g(x) }", "rust") == ["f"]
    assert defined_functions("const f = (x) => g(x);\nfunction h() {}", "javascript") == ["f", "h"]


def test_rename_refuses_a_clash_with_the_expected_name():
    code = "static int wrong(int x) {\n    return right + x;\n}\n"
    assert rename_function(code, "right", "java") is None


def test_chatty_answer_reduced_to_code():
    answer = "Here is the Java code:\npublic static int add(int a, int b) {\n    return a + b;\n}\nThis adds."
    fixed = code_of_chatty(answer, "java")
    assert fixed is not None
    assert fixed.text == "public static int add(int a, int b) {\n    return a + b;\n}\n"
    fenced = "Sure!\n```java\nint f() {\n  return 1;\n}\n```\nDone."
    assert code_of_chatty(fenced, "java").text == "int f() {\n  return 1;\n}\n"
    assert code_of_chatty("int f() {\n  return 1;\n}\n", "java") is None


def test_chatty_python_answer():
    answer = "Here you go:\ndef f(x):\n    return x + 1\n"
    fixed = code_of_chatty(answer, "python")
    assert fixed is not None and fixed.text == "def f(x):\n    return x + 1\n"


def test_placeholder_lines_dropped_then_gate_passes():
    target = _target("yiq_to_rgb")
    doc = (
        "Convert a YIQ colour to its red part.\n\n<optionally one or two more sentences>\n\nArgs:\n"
        "    y: The luma.\n    i: The in-phase part.\n    q: The quadrature part.\n\nReturns:\n    The red part."
    )
    assert isinstance(check_docstring(doc, target, "google"), ParseError)
    fixed = drop_placeholders(doc)
    assert fixed is not None and "<" not in fixed.text
    assert check_docstring(fixed.text, target, "google") == fixed.text
    assert drop_placeholders(fixed.text) is None


def test_invented_param_dropped_and_returns_of_a_procedure_dropped():
    target = _target("log")
    doc = "Print a message.\n\nArgs:\n    message: What to print.\n    level: How loud.\n        More.\n\nReturns:\n    Nothing."
    assert isinstance(check_docstring(doc, target, "google"), ParseError)
    fixed = reconcile_params(doc, target, "google")
    assert fixed is not None
    assert fixed.text == "Print a message.\n\nArgs:\n    message: What to print."
    assert "dropped `level`" in fixed.note
    assert check_docstring(fixed.text, target, "google") == fixed.text


def test_misspelt_param_renamed_but_missing_one_stays_missing():
    target = _target("yiq_to_rgb")
    doc = "Convert a YIQ colour.\n\nArgs:\n    Y (float): The luma.\n    i: In-phase.\n\nReturns:\n    Red."
    fixed = reconcile_params(doc, target, "google")
    assert fixed is not None and "    y (float): The luma." in fixed.text
    gate = check_docstring(fixed.text, target, "google")
    assert isinstance(gate, ParseError) and "missing: q" in gate.reason


def test_numpy_and_rest_params_reconciled():
    target = _target("log")
    numpy = "Print a message.\n\nParameters\n----------\nmessage : str\n    What.\nextra : int\n    Invented."
    fixed = reconcile_params(numpy, target, "numpy")
    assert fixed is not None and "extra" not in fixed.text
    assert check_docstring(fixed.text, target, "numpy") == fixed.text
    rest = "Print a message.\n\n:param message: What.\n:param extra: Invented.\n    more\n:returns: None."
    fixed = reconcile_params(rest, target, "rest")
    assert fixed is not None and fixed.text == "Print a message.\n\n:param message: What."
    assert check_docstring(fixed.text, target, "rest") == fixed.text


def test_long_docstring_cut_to_summary_and_sections():
    target = _target("yiq_to_rgb")
    prose = "\n".join(f"Line {i} of a long explanation." for i in range(50))
    doc = (
        "Convert a YIQ colour to red. It uses the NTSC matrix.\n\n" + prose + "\n\nArgs:\n    y: Luma.\n"
        "    i: In-phase.\n    q: Quadrature.\n\nReturns:\n    Red.\n\nExamples:\n    >>> yiq_to_rgb(1, 0, 0)\n    1.0"
    )
    gate = check_docstring(doc, target, "google")
    assert isinstance(gate, ParseError) and "too long" in gate.reason
    fixed = cut_to_sections(doc, "google")
    assert fixed is not None
    assert fixed.text.startswith("Convert a YIQ colour to red.\n\nArgs:")
    assert "Examples" not in fixed.text and "Line 3" not in fixed.text
    assert check_docstring(fixed.text, target, "google") == fixed.text
    assert cut_to_sections(fixed.text, "google") is None


def test_repair_docstring_chains_notes():
    target = _target("log")
    doc = "Print a message.\n\nArgs:\n    message: <what message is>\n    msg: The text.\n"
    fixed = repair_docstring(doc, target, "google")
    assert fixed is not None
    assert fixed == Repaired(
        "Print a message.", "repaired: dropped 1 placeholder line(s); dropped `msg` (not a parameter)"
    )
    # No text was written for `message`: the gate still rejects, the repair cannot invent one.
    gate = check_docstring(fixed.text, target, "google")
    assert isinstance(gate, ParseError) and "missing: message" in gate.reason
    assert repair_docstring("Print a message.\n\nArgs:\n    message: The text.", target, "google") is None


def test_chain_without_any_repair_is_none():
    assert chain("x", [lambda t: None]) is None


def test_repair_translation_chains_prose_and_rename():
    from codexcli.tasks.repair import repair_translation

    answer = "The Java version:\nstatic double yiq2rgb(double y) {\n    return y;\n}\nHope this helps."
    fixed = repair_translation(answer, "yiqToRgb", "java")
    assert fixed == Repaired(
        "static double yiqToRgb(double y) {\n    return y;\n}\n",
        "repaired: dropped the prose around the code; renamed `yiq2rgb` to `yiqToRgb`",
    )
    assert repair_translation("static double yiqToRgb(double y) {\n    return y;\n}\n", "yiqToRgb", "java") is None


HSV = "def hsv_to_rgb(h, s, v):\n    return h, s, v\n"


def _hsv():
    return next(t for t in find_targets(HSV) if t.name == "hsv_to_rgb")


def test_looping_paragraphs_dropped_with_a_cut_off_last_copy():
    from codexcli.tasks.comment.repair import drop_repeats

    block = "Raises:\n    TypeError: Bad input."
    doc = "Convert a colour.\n\n" + "\n\n".join([block] * 5) + "\n\nRaises:\n    TypeE"
    fixed = drop_repeats(doc)
    assert fixed == Repaired(f"Convert a colour.\n\n{block}", "repaired: dropped 5 repeated paragraph(s)")
    assert drop_repeats("One.\n\nTwo.") is None


def test_parameter_text_written_as_prose_becomes_the_args_section():
    from codexcli.tasks.comment.repair import params_from_prose

    doc = "Convert HSV to RGB.\n\nThe parameters:\n\nH: position in the spectrum\nS: saturation\n\nReturns:\n    RGB."
    fixed = params_from_prose(doc, _hsv(), "google")
    assert fixed is not None and fixed.note == "repaired: Args built from the text given for h, s"
    assert fixed.text == (
        "Convert HSV to RGB.\n\nThe parameters:\n\nArgs:\n    h: position in the spectrum\n    s: saturation"
        "\n\nReturns:\n    RGB."
    )
    # v has no text anywhere: the gate still rejects, naming it.
    gate = check_docstring(fixed.text, _hsv(), "google")
    assert isinstance(gate, ParseError) and gate.reason.endswith("missing: v")
    whole = repair_docstring(doc.replace("S: saturation", "S: saturation\n- v: brightness"), _hsv(), "google")
    assert whole is not None and check_docstring(whole.text, _hsv(), "google") == whole.text
    assert params_from_prose("Convert HSV to RGB.", _hsv(), "google") is None
