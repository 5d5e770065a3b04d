"""backends/redact.py: the API key and a URL's user:password out of every message about a server."""

from __future__ import annotations

import pytest

from codexcli.backends.redact import redact, secrets_of


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://u:secret@host:8080/v1", "http://***@host:8080/v1"),
        ("cannot connect to https://user@host/v1 (refused)", "cannot connect to https://***@host/v1 (refused)"),
        ("'http://u:p@ss@host/v1'", "'http://***@host/v1'"),  # an unencoded @ in the password
        ("http://host/v1?next=a@b", "http://host/v1?next=a@b"),  # no userinfo: untouched
        ("mail me at a@b.org", "mail me at a@b.org"),
    ],
)
def test_url_userinfo_is_masked(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_known_secrets_are_masked_wherever_they_occur() -> None:
    secrets = secrets_of("sk-abcdef", "http://u:p%40ssw0rd@host/v1")
    assert set(secrets) == {"sk-abcdef", "p%40ssw0rd", "p@ssw0rd"}
    echoed = "Authorization: Bearer sk-abcdef; password p@ssw0rd (p%40ssw0rd)"
    assert redact(echoed, secrets) == "Authorization: Bearer ***; password *** (***)"


def test_a_short_secret_is_masked_only_in_urls() -> None:
    secrets = secrets_of("k", "http://u:pw@host/v1")
    assert secrets == ()  # masking "pw" or "k" in prose would mask ordinary words
    assert redact("is the server running? http://u:pw@host/v1", secrets) == "is the server running? http://***@host/v1"
