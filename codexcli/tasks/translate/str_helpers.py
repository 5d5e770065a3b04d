"""`codex translate`, line by line: the small helpers codex writes into a translation when one
of its str rules (tasks/translate/line_str.py) needs more than an expression to give exactly
what Python gives (slices clamped to the bounds, ``isupper`` on a whole string, ``strip`` of a
set of characters...). Each helper is emitted only when a line uses it: it travels as one of
the piece's "imports" (identical text in every piece, so assembly writes it once), named by the
call that marks its use.

Java: a package-private ``interface`` next to the public class (its static methods; the
imports are sorted and ``interface`` sorts after ``import``), counting in UTF-16 units as
``length()`` and ``charAt`` do (exact for text in the Basic Multilingual Plane), iterating by
code point. C++: ``inline`` functions under an include guard, counting UTF-8 text by code point
as Python does (``len("é")`` is 1); the character classes are exact for ASCII (and ``isspace``
for all of Unicode) and throw ``std::domain_error`` on a character they cannot classify, rather
than answer differently from Python.
"""

from __future__ import annotations

import re

from codexcli.tasks.translate import line_builtins, line_str_args
from codexcli.tasks.translate.tuples import java_records

# Characters Python's isdigit() accepts beyond the decimal digits (superscripts, circled digits):
# ranges of code points, from Python's own Unicode database.
_DIGIT_RANGES = (
    "178,179,185,185,4969,4977,6618,6618,8304,8304,8308,8313,8320,8329,9312,9320,9332,9340,9352,9360,"
    "9450,9450,9461,9469,9471,9471,10102,10110,10112,10120,10122,10130,68160,68163,69216,69224,"
    "69714,69722,127232,127242"
)

_JAVA_SLICE_OF = """    static {t}[] of({t}[] x, long a, long b) {{
        int[] r = bounds(x.length, a, b);
        return java.util.Arrays.copyOfRange(x, r[0], r[1]);
    }}"""

JAVA = {
    "CodexSlice.": """interface CodexSlice {
    // Python's s[a:b]: negative bounds count from the end, bounds are clamped, empty when a >= b
    static int[] bounds(long n, long a, long b) {
        a = a < 0 ? Math.max(0, a + n) : Math.min(a, n);
        b = b < 0 ? Math.max(0, b + n) : Math.min(b, n);
        return new int[] {(int) a, (int) Math.max(a, b)};
    }
    static String of(String s, long a, long b) {
        int[] r = bounds(s.length(), a, b);
        return s.substring(r[0], r[1]);
    }
"""
    + "\n".join(_JAVA_SLICE_OF.format(t=t) for t in ("long", "double", "boolean", "String"))
    + "\n}",
    "CodexAt.": """interface CodexAt {
    // Python's s[i]: a one-character str, a negative index counting from the end
    static String of(String s, long i) {
        long j = i < 0 ? i + s.length() : i;
        if (j < 0 || j >= s.length()) throw new IndexOutOfBoundsException("string index out of range");
        return String.valueOf(s.charAt((int) j));
    }
}""",
    "CodexChars.": """interface CodexChars {
    // for ch in s: each character (code point) as a str
    static String[] of(String s) {
        return s.codePoints().mapToObj(Character::toString).toArray(String[]::new);
    }
}""",
    "CodexIs.": """interface CodexIs {
    // Python's str predicates: true when s is not empty and every character is of the class
    // (isupper/islower: at least one cased character, none of the other case)
    long[] DIGITS = {"""
    + _DIGIT_RANGES
    + """};
    static boolean digit(int c) {
        if (Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER) return true;
        for (int k = 0; k < DIGITS.length; k += 2) if (c >= DIGITS[k] && c <= DIGITS[k + 1]) return true;
        return false;
    }
    static boolean space(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }
    static boolean alnum(int c) {
        int t = Character.getType(c);
        return Character.isLetter(c) || digit(c) || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }
    static boolean all(String s, java.util.function.IntPredicate p) {
        return !s.isEmpty() && s.codePoints().allMatch(p);
    }
    static boolean isdigit(String s) { return all(s, CodexIs::digit); }
    static boolean isalpha(String s) { return all(s, Character::isLetter); }
    static boolean isspace(String s) { return all(s, CodexIs::space); }
    static boolean isalnum(String s) { return all(s, CodexIs::alnum); }
    static boolean cased(String s, boolean upper) {
        boolean seen = false;
        for (int c : s.codePoints().toArray()) {
            boolean u = Character.isUpperCase(c), l = Character.isLowerCase(c);
            if (Character.isTitleCase(c) || (upper ? l : u)) return false;
            seen |= upper ? u : l;
        }
        return seen;
    }
    static boolean isupper(String s) { return cased(s, true); }
    static boolean islower(String s) { return cased(s, false); }
}""",
    "CodexStrip.": """interface CodexStrip {
    // Python's strip/lstrip/rstrip: chars null strips whitespace (str.isspace), else any
    // character of chars
    static boolean gone(int c, String chars) {
        return chars == null ? Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85
            : chars.indexOf(c) >= 0;
    }
    static String of(String s, String chars, boolean left, boolean right) {
        int a = 0, b = s.length();
        while (left && a < b && gone(s.codePointAt(a), chars)) a += Character.charCount(s.codePointAt(a));
        while (right && b > a && gone(s.codePointBefore(b), chars)) b -= Character.charCount(s.codePointBefore(b));
        return s.substring(a, b);
    }
}""",
    "CodexSplit.": """interface CodexSplit {
    // Python's s.split(sep) with a str separator
    static String[] of(String s, String sep) {
        if (sep.isEmpty()) throw new IllegalArgumentException("empty separator");
        java.util.List<String> out = new java.util.ArrayList<>();
        int at = 0;
        for (int k = s.indexOf(sep); k >= 0; k = s.indexOf(sep, at)) {
            out.add(s.substring(at, k));
            at = k + sep.length();
        }
        out.add(s.substring(at));
        return out.toArray(new String[0]);
    }
}""",
}

_CPP_GUARD = "#include <string>\n#include <vector>\n#include <stdexcept>\n#ifndef {g}\n#define {g}\n{body}\n#endif"

# The code points of UTF-8 text, which every C++ helper counts in, as Python does.
_CPP_UTF8 = """inline std::vector<std::string> codex_chars(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) == 0x80 && !out.empty()) out.back() += s[i]; else out.push_back(std::string(1, s[i]));
  }
  return out;
}
inline long long codex_len(const std::string& s) {
  long long n = 0;
  for (char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
inline long long codex_index(const std::string& s, std::size_t byte) {
  return byte == std::string::npos ? -1 : codex_len(s.substr(0, byte));
}
inline long long codex_find(const std::string& s, const std::string& x) { return codex_index(s, s.find(x)); }
inline long long codex_rfind(const std::string& s, const std::string& x) { return codex_index(s, s.rfind(x)); }
inline void codex_bounds(long long n, long long& a, long long& b) {
  a = a < 0 ? std::max(0LL, a + n) : std::min(a, n);
  b = b < 0 ? std::max(0LL, b + n) : std::min(b, n);
  if (b < a) b = a;
}
inline std::string codex_slice(const std::string& s, long long a, long long b) {
  std::vector<std::string> c = codex_chars(s);
  codex_bounds((long long) c.size(), a, b);
  std::string out;
  for (long long i = a; i < b; ++i) out += c[i];
  return out;
}
template <class T> std::vector<T> codex_slice(const std::vector<T>& x, long long a, long long b) {
  codex_bounds((long long) x.size(), a, b);
  return std::vector<T>(x.begin() + a, x.begin() + b);
}
inline std::string codex_at(const std::string& s, long long i) {
  std::vector<std::string> c = codex_chars(s);
  long long j = i < 0 ? i + (long long) c.size() : i;
  if (j < 0 || j >= (long long) c.size()) throw std::out_of_range("string index out of range");
  return c[j];
}
inline bool codex_endswith(const std::string& s, const std::string& x) {
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}
inline std::string codex_repeat(const std::string& s, long long n) {
  std::string out;
  for (long long i = 0; i < n; ++i) out += s;
  return out;
}
inline std::string codex_join(const std::string& sep, const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? sep : "") + words[i];
  return out;
}
inline std::vector<std::string> codex_split(const std::string& s, const std::string& sep) {
  if (sep.empty()) throw std::invalid_argument("empty separator");
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t k = s.find(sep); k != std::string::npos; k = s.find(sep, at)) {
    out.push_back(s.substr(at, k - at));
    at = k + sep.size();
  }
  out.push_back(s.substr(at));
  return out;
}
inline std::string codex_replace(const std::string& s, const std::string& old, const std::string& by) {
  if (old.empty()) {
    std::string out = by;
    for (const std::string& c : codex_chars(s)) out += c + by;
    return out;
  }
  std::string out;
  std::size_t at = 0;
  for (std::size_t k = s.find(old); k != std::string::npos; k = s.find(old, at)) {
    out += s.substr(at, k - at) + by;
    at = k + old.size();
  }
  return out + s.substr(at);
}
inline std::string codex_pad(const std::string& s, long long width, bool left) {
  long long n = codex_len(s);
  std::string fill(n < width ? (std::size_t) (width - n) : 0, ' ');
  return left ? s + fill : fill + s;
}
inline std::string codex_format_int(const char* spec, long long v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}"""

# Python's str.isspace, all of Unicode: a short list.
_CPP_CLASSES = """inline long codex_code(const std::string& c) {
  unsigned char b = c[0];
  if (b < 0x80) return b;
  int n = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
  long v = b & (0x3F >> n);
  for (int i = 1; i <= n && i < (int) c.size(); ++i) v = (v << 6) | (c[i] & 0x3F);
  return v;
}
inline bool codex_space(long c) {
  return (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
      || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}
inline long codex_ascii(long c) {
  if (c >= 0x80) throw std::domain_error("codex: a non-ASCII character this translation cannot classify");
  return c;
}
inline bool codex_is(const std::string& s, char what) {
  std::vector<std::string> cs = codex_chars(s);
  bool cased = false;
  for (const std::string& ch : cs) {
    long c = codex_code(ch);
    if (what == 's') { if (!codex_space(c)) return false; continue; }
    c = codex_ascii(c);
    bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z', dig = c >= '0' && c <= '9';
    if (what == 'd' && !dig) return false;
    if (what == 'a' && !(up || low)) return false;
    if (what == 'n' && !(up || low || dig)) return false;
    if ((what == 'u' && low) || (what == 'l' && up)) return false;
    cased = cased || up || low;
  }
  return !cs.empty() && (what == 'u' || what == 'l' ? cased : true);
}
inline std::string codex_case(const std::string& s, bool upper) {
  std::string out = s;
  for (char& c : out) {
    long v = codex_ascii((unsigned char) c);
    if (upper && v >= 'a' && v <= 'z') c = (char) (v - 32);
    if (!upper && v >= 'A' && v <= 'Z') c = (char) (v + 32);
  }
  return out;
}
inline std::string codex_strip(const std::string& s, const std::string& chars, bool use, bool left, bool right) {
  std::vector<std::string> c = codex_chars(s);
  auto gone = [&](const std::string& x) { return use ? chars.find(x) != std::string::npos : codex_space(codex_code(x)); };
  std::size_t a = 0, b = c.size();
  while (left && a < b && gone(c[a])) ++a;
  while (right && b > a && gone(c[b - 1])) --b;
  std::string out;
  for (std::size_t i = a; i < b; ++i) out += c[i];
  return out;
}"""

CPP_UTF8 = _CPP_GUARD.format(g="CODEX_STR_UTF8", body=_CPP_UTF8).replace(
    "#include <stdexcept>", "#include <stdexcept>\n#include <algorithm>\n#include <cstdio>"
)
CPP_CLASSES = _CPP_GUARD.format(g="CODEX_STR_CLASSES", body=_CPP_CLASSES)


def needed(text: str, target: str) -> list[str]:
    """The helpers ``text`` calls, for ``target`` (a ``LineSyntax.strs``: "java", "cpp"), each
    once, in a fixed order (C++'s character classes after the UTF-8 block they use). C++'s
    ``codex_`` is also the prefix of codex's temporaries (``codex_t0_1``) and of the check's
    ``codex_cells``: those are no helper."""
    seq = line_builtins.helpers(text, target)  # xs.index, xs.count, x in xs (line_builtins.py)
    if target == "java":
        found = [*java_records(text), *seq, *(helper for mark, helper in JAVA.items() if mark in text)]
        found += [line_str_args.JAVA_HELPER] if "CodexFind." in text else []
        return found + [line_str_args.JAVA_STEP] if "CodexStep." in text else found
    if target != "cpp" or not re.search(r"\bcodex_(?!t\d|i\d|cells\b)\w+\(", text):
        return []
    found = [CPP_UTF8, CPP_CLASSES] if re.search(r"\bcodex_(?:is|case|strip)\(", text) else [CPP_UTF8]
    found += seq
    return found + [line_str_args.CPP_HELPER] if re.search(line_str_args.CPP_CALLS, text) else found
