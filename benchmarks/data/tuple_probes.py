"""Probe functions for issue 28's tuples of mixed kinds (written for codex's tests, not taken
from any set): helpers that return ``(value, rest)``, ``(ok, message)``, ``(count, total)``,
take ``(filename, lineno, funcname)`` triples and unpack ``a, b = f(x)``.
translate_rules_only.py --file translates them with no model, so only codex's rules can verify
them."""


def split_pair(text):
    i = text.find("=")
    if i < 0:
        return text, ""
    return text[:i], text[i + 1 :]


def parse_location(text):
    i = text.find(":")
    if i < 0:
        return text, 0
    return text[:i], int(text[i + 1 :])


def labelled_divmod(a, b):
    q = a // b
    r = a - q * b
    label = "exact"
    if r != 0:
        label = "rest"
    return q, r, label


def min_and_index(xs):
    best = xs[0]
    where = 0
    for i in range(1, len(xs)):
        if xs[i] < best:
            best = xs[i]
            where = i
    return best, where


def count_and_total(xs):
    count = 0
    total = 0.0
    for x in xs:
        if x > 0:
            count += 1
            total += x
    return count, total


def check_name(name):
    if len(name) == 0:
        return False, "empty"
    if name[0].isdigit():
        return False, "starts with a digit"
    return True, "ok"


def key_length(text):
    key, value = split_pair(text)
    return len(key) + len(value)


def location_line(text):
    name, line = parse_location(text)
    return line * 2


def format_frame(frame):
    filename = frame[0]
    lineno = frame[1]
    funcname = frame[2]
    return filename + ":" + str(lineno) + " in " + funcname


def frame_line(frame):
    name, line, func = frame
    return line + len(name) + len(func)


def first_word(text):
    i = text.find(" ")
    if i < 0:
        return (text, "")
    return (text[:i], text[i + 1 :])


def score_label(points):
    if points >= 90:
        return ("high", points)
    if points >= 50:
        return ("mid", points)
    return ("low", points)


def shift_pair(pair, by):
    return pair[0], pair[1] + by


def sum_range(pair):
    lo, hi = pair
    total = 0
    for i in range(lo, hi):
        total += i
    return total
