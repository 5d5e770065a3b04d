# Held-out benchmark input (issue 27), copied verbatim from email._parseaddr:
# CPython 3.11.7 standard library, Python Software Foundation License (PSF-2.0).
# Chosen functions: mktime_tz, quote.
# Built by benchmarks/make_heldout_sets.py; do not edit by hand.

import time, calendar


def mktime_tz(data):
    """Turn a 10-tuple as returned by parsedate_tz() into a POSIX timestamp."""
    if data[9] is None:
        # No zone info, so localtime is better assumption than GMT
        return time.mktime(data[:8] + (-1,))
    else:
        t = calendar.timegm(data)
        return t - data[9]


def quote(str):
    """Prepare string to be used in a quoted string.

    Turns backslash and double quote characters into quoted pairs.  These
    are the only characters that need to be quoted inside a quoted string.
    Does not add the surrounding double quotes.
    """
    return str.replace('\\', '\\\\').replace('"', '\\"')
