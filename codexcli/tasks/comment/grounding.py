"""Is a docstring's summary about this code? Its content words must be found in the code. Pure.

A small model writes fluent summaries of some other function: a leap-year test documented as
"Compute the number of days in a month", a module as "the sum of the multiples of 6 and 9". Such
a summary passes every shape gate; what gives it away is that its words are nowhere in the code.
So each content word of the summary (not a stop word, not one of the generic words any docstring
uses: "return", "compute", "given", "value") must be found in the code's vocabulary: its
identifiers split on ``_`` and camelCase, its string literals and comments, the names it calls,
its qualified name, and the words its operators and builtins stand for (``%`` is a remainder,
``sorted`` sorts, ``len`` is a length). Words match by a simple stem, or when one is a prefix of
the other (``calc``, ``calculate``). A number counts as found when it is a literal of the code.

The rule (``MAX_UNFOUND``, ``MIN_FOUND_SHARE``) was calibrated on the true docstrings of stdlib
modules: benchmarks/bench_grounding.py prints how many true summaries pass and how many
summaries taken from another function of the same module pass.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from functools import lru_cache

# At most this many content words may be missing from the code, and the found ones must be at
# least this share of all content words (benchmarks/bench_grounding.py: the calibration).
MAX_UNFOUND = 1
MIN_FOUND_SHARE = 0.5

_STOP = frozenset(
    """a an the and or nor not no of to in on at by for from with without into onto over under
    as is are be been being was were it its it's this that these those there their them they
    which who whom whose what when where whether while if else then than so such only also
    both either each every all any some same other another more most less least much many
    one two three first second last next can could may might must should would will shall do
    does did done has have had how why very just too well e g i ie eg etc via per us we our
    you your he she his her him my me own""".split()
)
# Words any docstring may use whatever its code says.
GENERIC = frozenset(
    """return returns returned returning compute computes computed calculate calculates get gets
    given give gives value values result results list lists function method class module object
    objects instance item items element elements number numbers data input inputs output outputs
    argument arguments parameter parameters param params arg args new make makes create creates
    build builds use uses used using based specified provided optional optionally default
    check checks test tests true false none true/false whether thing things way case cases
    set sets determine determines find finds perform performs handle handles helper utility
    simple given internal private public version support supports work works called call calls
    current specific actual corresponding appropriate possible necessary various several
    string strings str int integer integers float bool boolean dict dictionary tuple type types
    name names represent represents representation convert converts converted
    process processes apply applies applied
    like otherwise instead already always never again functions between take takes turn turns
    small general correct single main program instantiate initialize initializes manipulate
    manipulates manipulation library fast lightweight variant transform transforms python
    wrapper implementation implement implements routine routines specified contents content
    information info given form but rather iff put back together deal want made shared standard
    approach accept accepts accepted required require requires describing describe describes
    particular construct constructs constructor contain contains containing represented
    whose able usually respectively following""".split()
)
# Short forms in code and the words docstrings write for them.
_ABBREVIATIONS = {
    "num": "number",
    "sqrt": "square root",
    "lb": "lower bound",
    "ub": "upper bound",
    "idx": "index",
    "len": "length",
    "str": "string",
    "msg": "message",
    "buf": "buffer",
    "seq": "sequence",
    "cnt": "count",
    "elem": "element",
    "elt": "element",
    "pos": "position",
    "val": "value",
    "char": "character",
    "chr": "character",
    "min": "minimum",
    "max": "maximum",
    "src": "source",
    "dst": "destination",
    "dest": "destination",
    "dir": "directory",
    "cmd": "command",
    "ctx": "context",
    "arr": "array",
    "prev": "previous",
    "cur": "current",
    "res": "result",
    "tmp": "temporary",
    "obj": "object",
    "attr": "attribute",
    "lo": "low",
    "hi": "high",
    "fn": "function",
    "func": "function",
    "cls": "class",
    "err": "error",
    "exc": "exception",
    "lst": "list",
    "dct": "dictionary",
    "addr": "address",
    "doc": "document",
    "fmt": "format",
    "init": "initialize",
    "repr": "representation",
    "sep": "separator",
    "ws": "whitespace",
    "re": "regular expression pattern",
    "ord": "code point character",
    "os": "operating system",
    "io": "stream",
    "eq": "equal",
    "ne": "equal",
    "lt": "less",
    "gt": "greater",
    "le": "less",
    "ge": "greater",
    "iter": "iterate iterator",
    "gen": "generate generator",
    "dt": "date time",
    "sec": "second",
    "ns": "namespace",
    "pat": "pattern",
    "fname": "filename file name",
    "path": "file",
    "ip": "address",
    "int": "integer number",
    "bytes": "byte binary",
    "b": "byte",
    "nl": "newline line",
    "ch": "character",
    "s": "string",
    "n": "number count",
    "i": "index",
}
# The words an operator, a statement or a builtin stands for.
_MEANINGS = {
    "+": "add sum plus total increment concatenate concatenation combine join append",
    "-": "subtract difference minus negative decrement",
    "*": "multiply product times repeat scale",
    "/": "divide division quotient ratio half average mean fraction split",
    "//": "divide division quotient integer floor half",
    "%": "remainder modulo divisible divide even odd format interpolate",
    "**": "power square exponent exponential",
    "<": "less smaller lower below before compare minimum",
    ">": "greater larger higher above after compare maximum exceed",
    "<=": "less most compare within",
    ">=": "greater least compare within",
    "==": "equal same compare match identical",
    "!=": "different differ compare",
    "<<": "shift left",
    ">>": "shift right",
    "&": "bitwise mask intersection",
    "|": "bitwise union merge",
    "^": "bitwise exclusive toggle",
    "~": "bitwise invert complement",
    "in": "contain member present membership include",
    "not": "negate empty missing absent",
    "is": "identity same",
    "for": "each every iterate loop all over traverse walk",
    "while": "loop repeat until iterate",
    "yield": "generate generator yield iterate produce",
    "raise": "error exception raise fail invalid",
    "try": "attempt error exception",
    "except": "error exception fail catch",
    "with": "context",
    "open": "file read write",
    "lambda": "function",
    "del": "delete remove",
    "assert": "ensure assert",
    "sorted": "sort order ordered",
    "reversed": "reverse",
    "len": "length size count number empty",
    "isinstance": "type instance kind",
    "sum": "sum total add",
    "abs": "absolute magnitude",
    "round": "round nearest",
    "dict": "dictionary mapping",
    "set": "unique distinct",
    "print": "print display write output show",
    "zip": "pair pairs pairwise",
    "enumerate": "index position",
    "range": "range sequence",
    "map": "apply map each",
    "filter": "filter select",
    "split": "split separate parse",
    "join": "join combine concatenate",
    "strip": "strip remove whitespace trim",
    "startswith": "start begin prefix",
    "endswith": "end suffix",
    "append": "add append",
    "pop": "remove pop take",
    "copy": "copy duplicate",
    "upper": "uppercase capital",
    "lower": "lowercase",
    "replace": "replace substitute",
    "format": "format",
    "encode": "encode bytes",
    "decode": "decode bytes text",
    "hash": "hash",
    "divmod": "divide quotient remainder",
    "bisect": "search insert position",
    "heappush": "heap push",
    "heappop": "heap pop smallest",
}
_SUFFIXES: tuple[str, ...] = (
    "ations", "ation", "ities", "ity", "ments", "ment", "ness", "ings", "ing", "ions", "ion", "ers", "er",
    "ies", "ied", "es", "ed", "ly", "s", "e", "y",
)  # fmt: skip


@dataclass(frozen=True)
class Grounding:
    """The content words of a summary, and those the code does not account for."""

    words: tuple[str, ...]
    unfound: tuple[str, ...]

    @property
    def grounded(self) -> bool:
        """True when the summary passes the rule (see the module docstring)."""
        found = len(self.words) - len(self.unfound)
        # A summary with content words needs one of them found: one whose only content word is
        # unfound ("Compute the absolute value of a number.") is about other code. (One of only
        # generic words, "Give y back.", claims nothing the code could contradict.)
        if not self.words:
            return True
        return found >= 1 and (len(self.unfound) <= MAX_UNFOUND or found >= MIN_FOUND_SHARE * len(self.words))

    @property
    def ok(self) -> bool:
        """The rule: at most ``MAX_UNFOUND`` words unfound, or enough of them found."""
        return self.grounded


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A crude stem: ``word`` lower-cased without one common suffix (``sorting`` -> ``sort``)."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def split_identifier(name: str) -> list[str]:
    """``parseHTTPHeader_v2`` -> ``parse``, ``http``, ``header``, ``v``, ``2`` (lower case)."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+", name)
    return [p.lower() for p in parts]


def content_words(text: str) -> list[str]:
    """The words of ``text`` a reader learns something from: no stop words, no generic ones,
    no words of one or two letters (numbers kept)."""
    out = []
    text = re.sub(r"'[^']*'|\"[^\"]*\"", " ", text)  # quoted examples are not claims about the code
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?", text):
        if token[0].isdigit():
            out.append(token)
            continue
        parts = split_identifier(token) if ("_" in token or re.search(r"[a-z][A-Z]", token)) else [token.lower()]
        out += [p for p in parts if len(p) > 2 and p not in _STOP and p not in GENERIC and not p.isdigit()]
    return out


# Tokens of code in a C-like language (JavaScript, TypeScript, Java): comments, strings,
# identifiers, numbers and operators, as Python's tokenize would name them.
_C_TOKENS = re.compile(
    r"(?P<COMMENT>//[^\n]*|/\*.*?\*/)|(?P<STRING>'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|`(?:\\.|[^`\\])*`)"
    r"|(?P<NAME>[A-Za-z_$][\w$]*)|(?P<NUMBER>\d[\w.]*)|(?P<OP>[^\s\w]+)",
    re.S,
)


def _c_tokens(code: str) -> list[tuple[int, str, int]]:
    """(tokenize type, text, 0) of each token of C-like ``code`` (no docstrings there)."""
    kinds = {"COMMENT": tokenize.COMMENT, "STRING": tokenize.STRING, "NAME": tokenize.NAME}
    kinds |= {"NUMBER": tokenize.NUMBER, "OP": tokenize.OP}
    return [(kinds[m.lastgroup or "OP"], m.group(), 0) for m in _C_TOKENS.finditer(code)]


def vocabulary(code: str, names: tuple[str, ...] = (), *, python: bool = True) -> frozenset[str]:
    """The words ``code`` accounts for (see the module docstring), stemmed; ``names``: more
    identifiers (the qualified name, an enclosing class). Docstrings in ``code`` do not count.
    With ``python`` False, ``code`` is JavaScript, TypeScript or Java (read by ``_C_TOKENS``)."""
    words: set[str] = set()

    def add(text: str) -> None:
        for part in split_identifier(text):
            words.add(part)
            words.update(_ABBREVIATIONS.get(part, "").split())
            words.update(_MEANINGS.get(part, "").split())

    for name in names:
        add(name)
        words.add(name.lower().replace("_", ""))
    docs = _docstring_lines(code) if python else set()
    try:
        read = tokenize.generate_tokens(io.StringIO(code).readline) if python else iter(())
        tokens = [(t.type, t.string, t.start[0]) for t in read] if python else _c_tokens(code)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        tokens = []
    for kind, string, row in tokens:
        if kind == tokenize.STRING and row in docs:
            continue
        if kind in (tokenize.NAME, tokenize.STRING, tokenize.COMMENT):
            for ident in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", string):
                add(ident)
                if len(ident) > 3:  # whole, for the words inside it: "match" in "fnmatchcase"
                    words.add(ident.lower().replace("_", ""))
                if kind == tokenize.NAME:
                    words.update(_MEANINGS.get(ident, "").split())
        elif kind == tokenize.NUMBER:
            words.add(string.lower())
        elif kind == tokenize.OP:
            words.update(_MEANINGS.get(_operator(string), "").split())
        if kind == tokenize.STRING or kind == tokenize.COMMENT:
            words.update(re.findall(r"\d+", string))
    return frozenset(stem(w) for w in words if w)


def _operator(op: str) -> str:
    """An augmented assignment's operator (``+=`` -> ``+``); any other operator as it is."""
    return op[:-1] if op.endswith("=") and op not in ("==", "<=", ">=", "!=") and len(op) > 1 else op


def _docstring_lines(code: str) -> set[int]:
    """The line numbers of the docstrings in ``code`` (the first line of each)."""
    try:
        tree = ast.parse(_dedent(code))
    except SyntaxError:
        return set()
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                lines.add(first.lineno)
    return lines


def _dedent(code: str) -> str:
    lines = code.split("\n")
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return "\n".join(l[indent:] for l in lines)


def found_in(word: str, vocab: frozenset[str]) -> bool:
    """True when ``word`` (lower case) is in ``vocab`` by stem, a long enough shared prefix, or
    (a number) as a literal."""
    if word[0].isdigit():
        return word in vocab
    stemmed = stem(word)
    if stemmed in vocab or word in vocab:
        return True
    if len(stemmed) < 3:
        return False
    return any(
        min(len(v), len(stemmed)) >= 4
        and (v.startswith(stemmed) or stemmed.startswith(v))
        or len(stemmed) >= 4
        and len(v) > len(stemmed) + 2
        and stemmed in v
        for v in vocab
    )


def anchored(summary: str, names: tuple[str, ...]) -> bool:
    """True when a content word of ``summary`` is one of ``names``' words (a function's name and
    parameters, a module's file name and top-level names): words any code accounts for ("length"
    for a ``len`` call, "maximum" for a ``>``) ground a summary of the wrong function as well as
    of the right one; the names are what sets this code apart."""
    tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", summary))
    ticked = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", summary))
    # A name written as it is ("lo", "x" in backticks): content words leave out short words.
    if any((len(n) >= 2 and n in tokens) or n in ticked for n in names):
        return True
    vocab = vocabulary("", names)
    return any(found_in(w, vocab) for w in dict.fromkeys(content_words(summary)))


def ground(summary: str, vocab: frozenset[str]) -> Grounding:
    """The content words of ``summary`` and which of them ``vocab`` does not account for."""
    words = tuple(dict.fromkeys(content_words(summary)))
    return Grounding(words, tuple(w for w in words if not found_in(w, vocab)))
