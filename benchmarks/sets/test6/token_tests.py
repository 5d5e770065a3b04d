# Held-out benchmark input (issue 27), copied verbatim from token:
# CPython 3.11.7 standard library, Python Software Foundation License (PSF-2.0).
# Chosen functions: ISTERMINAL, ISNONTERMINAL, ISEOF.
# Built by benchmarks/make_heldout_sets.py; do not edit by hand.

ENDMARKER = 0


NT_OFFSET = 256


def ISTERMINAL(x):
    return x < NT_OFFSET


def ISNONTERMINAL(x):
    return x >= NT_OFFSET


def ISEOF(x):
    return x == ENDMARKER
