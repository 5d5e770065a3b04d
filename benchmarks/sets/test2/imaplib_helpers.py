# Held-out benchmark input (issue 27), copied verbatim from imaplib:
# CPython 3.11.7 standard library, Python Software Foundation License (PSF-2.0).
# Chosen functions: Int2AP, ParseFlags.
# Built by benchmarks/make_heldout_sets.py; do not edit by hand.

import binascii, errno, random, re, socket, subprocess, sys, time, calendar


Flags = re.compile(br'.*FLAGS \((?P<flags>[^\)]*)\)')


def Int2AP(num):

    """Convert integer to A-P string representation."""

    val = b''; AP = b'ABCDEFGHIJKLMNOP'
    num = int(abs(num))
    while num:
        num, mod = divmod(num, 16)
        val = AP[mod:mod+1] + val
    return val


def ParseFlags(resp):

    """Convert IMAP4 flags response to python tuple."""

    mo = Flags.match(resp)
    if not mo:
        return ()

    return tuple(mo.group('flags').split())
