# Held-out benchmark input (issue 27), copied verbatim from http.cookies:
# CPython 3.11.7 standard library, Python Software Foundation License (PSF-2.0).
# Chosen functions: _quote.
# Built by benchmarks/make_heldout_sets.py; do not edit by hand.

import re


import string


_LegalChars = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~:"


_UnescapedChars = _LegalChars + ' ()/<=>?@[]{}'


_Translator = {n: '\\%03o' % n
               for n in set(range(256)) - set(map(ord, _UnescapedChars))}


_Translator.update({
    ord('"'): '\\"',
    ord('\\'): '\\\\',
})


_is_legal_key = re.compile('[%s]+' % re.escape(_LegalChars)).fullmatch


def _quote(str):
    r"""Quote a string for use in a cookie header.

    If the string does not need to be double-quoted, then just return the
    string.  Otherwise, surround the string in doublequotes and quote
    (with a \) special characters.
    """
    if str is None or _is_legal_key(str):
        return str
    else:
        return '"' + str.translate(_Translator) + '"'
