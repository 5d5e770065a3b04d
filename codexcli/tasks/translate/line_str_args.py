"""`codex translate`, line by line: Python's str methods that take bounds or give a tuple, with
Python's exact semantics (a hook of tasks/translate/line_str.py).

``s.find(sub, start[, end])`` and ``rfind``, ``s.index(sub[, start[, end]])`` and ``rindex``
(``ValueError`` when absent: the target's exception, and raising matches raising),
``s.count(sub[, start[, end]])``, ``s.startswith(p, start[, end])`` and ``endswith``, and
``s.partition(sep)`` / ``rpartition`` (a 3-list of strs, unpacked by line_plan.py: ``a, sep, b =
s.partition(':')``; an empty separator raises). The bounds are adjusted as CPython's
``ADJUST_INDICES`` does: a negative one counts from the end, ``end`` is clamped to the length,
``start`` is not (so ``'abc'.find('', 4)`` is -1, ``'abc'.find('', 3)`` is 3), and nothing of
length ``len(sub)`` fits when ``end - start < len(sub)``. The helpers below are written into the
translation only when a line calls them (str_helpers.needed): Java's count UTF-16 units as
``length()`` does, C++'s code points as Python does.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from codexcli.tasks.translate.rendered import Rendered

Found = tuple[str, str, int]

# method -> (helper call per target with {s} {x} {a} {b}, result kind, fewest and most args)
_RULES: dict[str, dict[str, str]] = {
    "java": {
        "find": "CodexFind.find({s}, {x}, {a}, {b}, false)",
        "rfind": "CodexFind.find({s}, {x}, {a}, {b}, true)",
        "index": "CodexFind.index({s}, {x}, {a}, {b}, false)",
        "rindex": "CodexFind.index({s}, {x}, {a}, {b}, true)",
        "count": "CodexFind.count({s}, {x}, {a}, {b})",
        "startswith": "CodexFind.starts({s}, {x}, {a}, {b}, false)",
        "endswith": "CodexFind.starts({s}, {x}, {a}, {b}, true)",
        "partition": "CodexFind.partition({s}, {x}, false)",
        "rpartition": "CodexFind.partition({s}, {x}, true)",
        "end": "Long.MAX_VALUE",
        "step": "CodexStep.of({s}, {a}, {b}, {c})",
        "omitted": "Long.MIN_VALUE",
    },
    "cpp": {
        "find": "codex_find_in({s}, {x}, {a}, {b}, false)",
        "rfind": "codex_find_in({s}, {x}, {a}, {b}, true)",
        "index": "codex_index_in({s}, {x}, {a}, {b}, false)",
        "rindex": "codex_index_in({s}, {x}, {a}, {b}, true)",
        "count": "codex_count({s}, {x}, {a}, {b})",
        "startswith": "codex_starts({s}, {x}, {a}, {b}, false)",
        "endswith": "codex_starts({s}, {x}, {a}, {b}, true)",
        "partition": "codex_partition({s}, {x}, false)",
        "rpartition": "codex_partition({s}, {x}, true)",
        "end": "9223372036854775807LL",
        "step": "codex_step({s}, {a}, {b}, {c})",
        "omitted": "(-9223372036854775807LL - 1)",
    },
}
_KINDS = {"startswith": "bool", "endswith": "bool", "partition": "str[]", "rpartition": "str[]"}
_KINDS_OF = {"find", "rfind", "index", "rindex", "count", *_KINDS}
PARTITIONS = ("partition", "rpartition")

JAVA_HELPER = """interface CodexFind {
    // Python's str.find/index/count/startswith/endswith with bounds (CPython's ADJUST_INDICES:
    // negative bounds count from the end, end is clamped, start is not) and str.partition
    static long[] adjust(long n, long a, long b) {
        b = b > n ? n : b < 0 ? Math.max(0, b + n) : b;
        a = a < 0 ? Math.max(0, a + n) : a;
        return new long[] {a, b};
    }
    static String part(String s, long[] r) { return s.substring((int) r[0], (int) r[1]); }
    static long find(String s, String x, long a, long b, boolean last) {
        long[] r = adjust(s.length(), a, b);
        if (r[1] - r[0] < x.length()) return -1;
        String p = part(s, r);
        int k = last ? p.lastIndexOf(x) : p.indexOf(x);
        return k < 0 ? -1 : r[0] + k;
    }
    static long index(String s, String x, long a, long b, boolean last) {
        long k = find(s, x, a, b, last);
        if (k < 0) throw new IllegalArgumentException("substring not found");
        return k;
    }
    static long count(String s, String x, long a, long b) {
        long[] r = adjust(s.length(), a, b);
        if (r[1] - r[0] < x.length()) return 0;
        if (x.isEmpty()) return r[1] - r[0] + 1;
        String p = part(s, r);
        long n = 0;
        for (int k = p.indexOf(x); k >= 0; k = p.indexOf(x, k + x.length())) n++;
        return n;
    }
    static boolean starts(String s, String x, long a, long b, boolean end) {
        long[] r = adjust(s.length(), a, b);
        if (r[1] - r[0] < x.length()) return false;
        return end ? part(s, r).endsWith(x) : part(s, r).startsWith(x);
    }
    static String[] partition(String s, String x, boolean last) {
        if (x.isEmpty()) throw new IllegalArgumentException("empty separator");
        int k = last ? s.lastIndexOf(x) : s.indexOf(x);
        if (k < 0) return last ? new String[] {"", "", s} : new String[] {s, "", ""};
        return new String[] {s.substring(0, k), x, s.substring(k + x.length())};
    }
}"""

# After str_helpers' UTF-8 block (codex_len): code points, as Python counts.
CPP_HELPER = """#ifndef CODEX_STR_FIND
#define CODEX_STR_FIND
inline std::size_t codex_byte(const std::string& s, long long cp) {
  long long k = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80) { if (k == cp) return i; ++k; }
  }
  return s.size();
}
inline bool codex_part(const std::string& s, long long xlen, long long& a, long long& b, std::string& p) {
  long long n = codex_len(s);
  b = b > n ? n : b < 0 ? std::max(0LL, b + n) : b;
  a = a < 0 ? std::max(0LL, a + n) : a;
  if (b - a < xlen) return false;
  std::size_t from = codex_byte(s, a);
  p = s.substr(from, codex_byte(s, b) - from);
  return true;
}
inline long long codex_find_in(const std::string& s, const std::string& x, long long a, long long b, bool last) {
  std::string p;
  if (!codex_part(s, codex_len(x), a, b, p)) return -1;
  std::size_t k = last ? p.rfind(x) : p.find(x);
  return k == std::string::npos ? -1 : a + codex_len(p.substr(0, k));
}
inline long long codex_index_in(const std::string& s, const std::string& x, long long a, long long b, bool last) {
  long long k = codex_find_in(s, x, a, b, last);
  if (k < 0) throw std::invalid_argument("substring not found");
  return k;
}
inline long long codex_count(const std::string& s, const std::string& x, long long a, long long b) {
  std::string p;
  if (!codex_part(s, codex_len(x), a, b, p)) return 0;
  if (x.empty()) return b - a + 1;
  long long n = 0;
  for (std::size_t k = p.find(x); k != std::string::npos; k = p.find(x, k + x.size())) ++n;
  return n;
}
inline bool codex_starts(const std::string& s, const std::string& x, long long a, long long b, bool end) {
  std::string p;
  if (!codex_part(s, codex_len(x), a, b, p) || p.size() < x.size()) return false;  // bytes: a wider x
  return end ? p.compare(p.size() - x.size(), x.size(), x) == 0 : p.compare(0, x.size(), x) == 0;
}
inline std::vector<std::string> codex_partition(const std::string& s, const std::string& x, bool last) {
  if (x.empty()) throw std::invalid_argument("empty separator");
  std::size_t k = last ? s.rfind(x) : s.find(x);
  if (k == std::string::npos) return last ? std::vector<std::string>{"", "", s} : std::vector<std::string>{s, "", ""};
  return {s.substr(0, k), x, s.substr(k + x.size())};
}
inline void codex_step_bounds(long long n, long long& a, long long& b, long long c) {
  if (c == 0) throw std::invalid_argument("slice step cannot be zero");
  const long long omitted = -9223372036854775807LL - 1, lo = c < 0 ? -1 : 0, hi = c < 0 ? n - 1 : n;
  a = a == omitted ? (c < 0 ? hi : lo) : a < 0 ? std::max(a + n, lo) : std::min(a, hi);
  b = b == omitted ? (c < 0 ? lo : hi) : b < 0 ? std::max(b + n, lo) : std::min(b, hi);
}
template <class T> std::vector<T> codex_step(const std::vector<T>& x, long long a, long long b, long long c) {
  codex_step_bounds((long long) x.size(), a, b, c);
  std::vector<T> out;
  for (long long i = a; c > 0 ? i < b : i > b; i += c) out.push_back(x[i]);
  return out;
}
inline std::string codex_step(const std::string& s, long long a, long long b, long long c) {
  std::string out;
  for (const std::string& ch : codex_step(codex_chars(s), a, b, c)) out += ch;
  return out;
}
#endif"""
CPP_CALLS = r"\bcodex_(?:find_in|index_in|count|starts|partition|step)\("


def str_args_rule(node: ast.Call, go: Callable[[ast.expr], Rendered], target: str) -> Found | None:
    """``node`` (a call without keywords) by one of the rules above, in ``target``'s spelling
    (``LineSyntax.strs``), or None. ``go`` renders an argument (it raises where no rule covers one)."""
    table = _RULES.get(target)
    func = node.func
    if table is None or not isinstance(func, ast.Attribute) or func.attr not in _KINDS_OF or func.attr not in table:
        return None
    method = func.attr
    most = 1 if method in PARTITIONS else 3
    if not 1 <= len(node.args) <= most:
        return None
    owner, args = go(func.value), [go(a) for a in node.args]
    if owner.kind != "str" or args[0].kind != "str" or any(a.kind != "int" for a in args[1:]):
        return None
    bounds = [a.text for a in args[1:]] + ["0", table["end"]][len(args) - 1 :]
    text = table[method].format(s=owner.text, x=args[0].text, a=bounds[0], b=bounds[1])
    return text, _KINDS.get(method, "int"), 12


JAVA_STEP = """interface CodexStep {
    // Python's x[a:b:c]: CPython's slice adjustment; an omitted bound is Long.MIN_VALUE
    static long[] bounds(long n, long a, long b, long c) {
        if (c == 0) throw new IllegalArgumentException("slice step cannot be zero");
        long lo = c < 0 ? -1 : 0, hi = c < 0 ? n - 1 : n;
        a = a == Long.MIN_VALUE ? (c < 0 ? hi : lo) : a < 0 ? Math.max(a + n, lo) : Math.min(a, hi);
        b = b == Long.MIN_VALUE ? (c < 0 ? lo : hi) : b < 0 ? Math.max(b + n, lo) : Math.min(b, hi);
        long k = c > 0 ? (b - a + c - 1) / c : (a - b - c - 1) / -c;
        return new long[] {a, Math.max(0, k)};
    }
    static String of(String s, long a, long b, long c) {
        long[] r = bounds(s.length(), a, b, c);
        StringBuilder out = new StringBuilder();
        for (long k = 0; k < r[1]; k++) out.append(s.charAt((int) (r[0] + k * c)));
        return out.toString();
    }
"""
JAVA_STEP += (
    "\n".join(
        f"""    static {t}[] of({t}[] x, long a, long b, long c) {{
        long[] r = bounds(x.length, a, b, c);
        {t}[] out = new {t}[(int) r[1]];
        for (int k = 0; k < out.length; k++) out[k] = x[(int) (r[0] + k * c)];
        return out;
    }}"""
        for t in ("long", "double", "boolean", "String")
    )
    + "\n}"
)


def stepped(seq: Rendered, bounds: list[Rendered | None], target: str) -> Found | None:
    """``x[a:b:c]`` of a str or list (a bound None where omitted), or None: no rule in
    ``target``, or a bound that is not an int."""
    table = _RULES.get(target)
    if table is None or any(b is not None and b.kind != "int" for b in bounds) or bounds[2] is None:
        return None
    a, b, c = (x.text if x is not None else table["omitted"] for x in bounds)
    return table["step"].format(s=seq.text, a=a, b=b, c=c), seq.kind, 12


def partition_items(value: ast.expr, count: int) -> list[ast.expr] | None:
    """``a, sep, b = s.partition(x)``: the three items as subscripts of the call (line_plan.py
    unpacks them), or None for any other value or a count other than 3."""
    call = value if isinstance(value, ast.Call) else None
    if call is None or not isinstance(call.func, ast.Attribute) or call.func.attr not in PARTITIONS or count != 3:
        return None
    return [ast.Subscript(call, ast.Constant(j), ast.Load()) for j in range(3)]
