"""Secrets out of what codex says about a server: the API key and a URL's ``user:password``.

A message about a server is made of codex's words, the server's URL and what the server said,
and a server may echo what it was sent (a 401 body quoting the ``Authorization`` header, a
proxy page quoting the URL). So every such message and every shown URL passes through
``redact`` where it is made, in the backend, and the CLI has nothing left to hide.

Two rules: any ``scheme://userinfo@`` in the text loses its userinfo (``http://***@host/v1``),
whoever wrote it; and every known secret (the key, the URL's password as written and
percent-decoded) is replaced wherever it occurs. A secret under ``MIN_SECRET`` characters is
only masked inside URLs: searching text for it would mask ordinary words.
"""

from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import unquote, urlsplit

MASK = "***"
MIN_SECRET = 4
# The authority runs to the first "/", "?", "#" or space; its last "@" ends the userinfo (a
# password may hold an unencoded "@", which urllib and httpx also split at the last one).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s?#]*@")


def url_secrets(url: str) -> tuple[str, ...]:
    """The password of ``url``'s userinfo, as written and percent-decoded (none without one)."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # an unparsable URL still loses its userinfo through the pattern
        return ()
    if not password:
        return ()
    return tuple(dict.fromkeys((password, unquote(password))))


def secrets_of(api_key: str | None, url: str) -> tuple[str, ...]:
    """The strings a message about this server must never contain, longest first."""
    found = [api_key or "", *url_secrets(url)]
    return tuple(sorted({s for s in found if len(s) >= MIN_SECRET}, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with URL userinfo and each of ``secrets`` replaced by ``***``."""
    text = _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text
