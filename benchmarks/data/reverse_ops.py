"""Naive code written here (issue 28, point 4, fourth round) to show the reverse-swap,
reverse-build, translate, char-map, list-copy and remove-all rules at work: not a measurement on code
nobody tuned for (docs/optimize.md)."""

SHIFT = {"A": "N", "B": "O", "C": "P", "D": "Q", "E": "R", "F": "S", "G": "T", "H": "U", "I": "V"}


def reverse_in_place(items):
    left, right = 0, len(items) - 1
    while left < right:
        items[left], items[right] = items[right], items[left]
        left += 1
        right -= 1
    return items


def reverse_text(text: str) -> str:
    result = ""
    for i in range(len(text) - 1, -1, -1):
        result += text[i]
    return result


def encode(message: str) -> str:
    return "".join(SHIFT.get(ch, ch) for ch in message.upper())


def copy_items(items):
    out = []
    for x in items:
        out.append(x)
    return out


def drop_zeros(items):
    while 0 in items:
        items.remove(0)
    return items


def rot13(text: str) -> str:
    result = ""
    for ch in text:
        code = ord(ch)
        if 65 <= code <= 90:
            result += chr((code - 65 + 13) % 26 + 65)
        elif 97 <= code <= 122:
            result += chr((code - 97 + 13) % 26 + 97)
        else:
            result += ch
    return result
