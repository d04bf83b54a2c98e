"""Where a visitor lands (SECURITY F9): a safe ``next`` is honoured through every journey;
every unsafe one (Django's own list of bad URLs) falls back to the default page."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, signed_in, text, totp

pytestmark = pytest.mark.django_db

# From Django's own tests of url_has_allowed_host_and_scheme, plus the classics.
BAD_URLS = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\example.com",
    r"/\\/example.com",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "java\nscript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
    "//evil.com",
    "https:evil.com",
    "///evil.com",
    "/\t/evil.com",
]
GOOD_URLS = ["/private/", "/private/?tab=1#top", "http://testserver/private/"]


@pytest.mark.parametrize("target", BAD_URLS)
def test_unsafe_next_falls_back_to_the_default_page(client, cognito, target):
    response = client.post(
        "/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "next": target}
    )
    assert signed_in(response)
    assert response["Location"] == "/private/"


@pytest.mark.parametrize("target", GOOD_URLS)
def test_safe_next_is_honoured(client, cognito, target):
    response = client.post(
        "/accounts/signin/?" + urlencode({"next": target}),
        {"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
    )
    assert response["Location"] == target


def test_sign_in_page_carries_next_in_a_hidden_field_only_when_safe(client, cognito):
    assert 'name="next" value="/private/"' in text(client.get("/accounts/signin/?next=/private/"))
    assert 'name="next"' not in text(client.get("/accounts/signin/?next=//evil.com"))


def test_next_survives_the_mfa_challenge(client, cognito):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    cognito.create_user("mfa@example.com", STRONG, totp_secret=secret)
    client.post(
        "/accounts/signin/",
        {"email": "mfa@example.com", "password": STRONG, "next": "/private/?from=mfa"},
    )
    response = client.post("/accounts/signin/code/", {"code": totp(secret)})
    assert response["Location"] == "/private/?from=mfa"


def test_next_survives_sign_up_and_confirmation(client, cognito):
    client.post(
        "/accounts/signup/?next=/private/?welcome=1",
        {"email": "n@example.com", "password": STRONG},
    )
    response = client.post("/accounts/confirm/", {"code": cognito.code_for("n@example.com")})
    assert response["Location"] == "/private/?welcome=1"


def test_login_required_page_sends_to_sign_in_and_back(client, cognito):
    response = client.get("/private/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=")
    response = client.post(response["Location"], {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response["Location"] == "/private/"
