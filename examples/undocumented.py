import math


def circle_area(radius):
    return math.pi * radius * radius


def clamp(value, low, high):
    return max(low, min(value, high))


class Counter:
    def __init__(self):
        self.counts = {}

    def add(self, word):
        self.counts[word] = self.counts.get(word, 0) + 1

    def most_common(self):
        return max(self.counts, key=self.counts.get)


def log_message(message, *, level="info"):
    print(f"[{level}] {message}")
