"""`codex translate`, line by line: the values the check passes and expects (tasks/translate/
lines.py ``choose``): a state's values as a literal row of arguments, and a value as C++'s check
returns it (its cells). Lists of lists and dicts (issue 28) take part: a canonical dict
(``{"__dict__": [[k, v], ...]}``, verify/compare/behaviour.py's ``canon``) is passed as a dict.
"""

from __future__ import annotations

from typing import Any, Sequence

from codexcli.tasks.translate.kinds import value_kind


def _argument(v: Any, depth: int = 0) -> Any:
    """A canonical value as the Python value passed to the check: a number, bool, str, a list
    of them, a list of such lists, or a dict of them; ValueError for anything else (an inf, a
    tuple, a set)."""
    if isinstance(v, (bool, int, float, str)) and not isinstance(v, dict):
        return v
    if isinstance(v, list) and depth < 2:
        return [_argument(x, depth + 1) for x in v]
    if isinstance(v, dict) and set(v) == {"__tuple__"} and depth == 0:
        return tuple(_argument(x, 1) for x in v["__tuple__"])
    if isinstance(v, dict) and set(v) == {"__dict__"} and depth == 0:
        return {_argument(k, 2): _argument(x, 2) for k, x in v["__dict__"]}
    raise ValueError("not passed")


def literal_row(values: Sequence[Any]) -> str | None:
    """The arguments of one run of the check, as a Python tuple's text; None when a value
    cannot be passed (then the state is not checked)."""
    try:
        return repr(tuple(_argument(v) for v in values))
    except ValueError:
        return None


def cells(value: Any) -> Any:
    """A value as C++'s check returns it (line_syntax.cpp_check): numbers and bools as a list of
    floats, lists as their elements', a str as its UTF-8 bytes (a list of them each ended by -1),
    a list of lists as each row's cells ended by -2, a dict as its pairs in key order (std::map's),
    each key's cells then its value's, ended by -3."""
    if isinstance(value, dict) and "__tuple__" in value:
        value = value["__tuple__"]
        if (value_kind({"__tuple__": value}) or "").startswith("tuple["):
            return [c for v in value for c in [*_flat(v), -4.0]]  # a tuple of mixed kinds: each item's, ended by -4
    if isinstance(value, dict) and "__dict__" in value:
        pairs = sorted(value["__dict__"], key=lambda kv: kv[0])
        return [c for k, v in pairs for c in [*_flat(k), *_flat(v), -3.0]]
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return [c for row in value for c in [*_flat(row), -2.0]]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [float(b) for v in value for b in [*v.encode(), -1]]  # each str's UTF-8 bytes, then -1
    if isinstance(value, list):
        return [float(v) for v in value] if all(isinstance(v, (int, float)) for v in value) else value
    if isinstance(value, str):
        return [float(b) for b in value.encode()]
    return [float(value)] if isinstance(value, (int, float)) else [] if value is None else value  # None: none


def _flat(value: Any) -> list[Any]:
    found = cells(value)
    return found if isinstance(found, list) else [found]


# C++'s side of ``cells`` for lists of lists and maps (line_syntax.cpp_check puts it after the
# overloads for scalars, strs and lists, which it calls).
CPP_NESTED_CELLS = """template <class T> std::vector<double> codex_cells(const std::vector<std::vector<T>>& v) {
  std::vector<double> o; for (const auto& row : v) { for (double c : codex_cells(row)) o.push_back(c); o.push_back(-2); }
  return o; }
template <class K, class V> std::vector<double> codex_cells(const std::map<K, V>& m) {
  std::vector<double> o;
  for (const auto& kv : m) {
    for (double c : codex_cells(kv.first)) o.push_back(c);
    for (double c : codex_cells(kv.second)) o.push_back(c);
    o.push_back(-3); }
  return o; }
template <class... T> std::vector<double> codex_cells(const std::tuple<T...>& t) {
  std::vector<double> o;
  std::apply([&](const auto&... x) { ((void) [&] { for (double c : codex_cells(x)) o.push_back(c); o.push_back(-4); }(), ...); }, t);
  return o; }"""
