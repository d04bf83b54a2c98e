"""docs/security.md S8: a form posted with a charset other than UTF-8 answered 500 on every
form (Django refuses to decode it, and its own 400 and 500 handlers read the body again through
the CSRF check). Every URL of the site now answers a friendly 400 in the site's layout, with
the security headers, before anything reads the body; Cognito is never called."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, text

pytestmark = pytest.mark.django_db

#: Sample arguments for the URLs that take one.
ARGUMENTS = {"attribute": "email", "slug": "signin"}
#: Declared charsets Django refuses for application/x-www-form-urlencoded.
REFUSED = ["latin-1", "iso-8859-15", "utf-16", "cp1252", "ascii"]
FRIENDLY = "This form could not be read"


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own; its sign-in form is checked below
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((prefix + entry.name, list(getattr(entry.pattern, "converters", {}))))
    return found


def every_url() -> list[str]:
    """Every named URL of the site (new pages are covered as they land), plus the admin's."""
    urls = [
        reverse(name, kwargs={arg: ARGUMENTS.get(arg, "x") for arg in args})
        for name, args in _walk(get_resolver().url_patterns)
    ]
    return [*urls, "/admin/login/"]


def _post(browser: Client, url: str, charset: str) -> Any:
    token = browser.cookies["csrftoken"].value if "csrftoken" in browser.cookies else "x"
    body = f"csrfmiddlewaretoken={token}&email=a%40example.com&password=x&code=123456"
    return browser.generic(
        "POST",
        url,
        data=body.encode("ascii"),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )


def _assert_friendly_400(response: Any, url: str) -> None:
    assert response.status_code == 400, (url, response.status_code)
    page = text(response)
    assert FRIENDLY in page, url
    assert 'class="cf-card"' in page  # the site's layout, not Django's bare page
    assert "Content-Security-Policy" in response.headers
    assert "no-store" in response["Cache-Control"]


def test_the_walk_finds_the_forms() -> None:
    urls = every_url()
    for form in ("/accounts/signin/", "/accounts/signup/", "/accounts/profile/email/change/"):
        assert form in urls
    assert "/i18n/setlang/" in urls
    assert len(urls) > 25


@pytest.mark.parametrize("charset", REFUSED)
def test_every_url_answers_a_friendly_400_to_a_form_in_another_charset(
    cognito: Any, charset: str
) -> None:
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.get("/accounts/signin/")
    for url in every_url():
        _assert_friendly_400(_post(browser, url, charset), url)
    assert cognito.total_calls() == 0


def test_signed_in_browsers_get_the_same_400_and_stay_signed_in(
    cognito: Any, signed_in_client: Client
) -> None:
    browser = signed_in_client
    browser.raise_request_exception = False
    for url in every_url():
        _assert_friendly_400(_post(browser, url, "latin-1"), url)
    assert browser.get("/private/").status_code == 200
    assert cognito.calls["RevokeToken"] == 0  # the sign-out form was not run


def test_with_debug_on_the_answer_is_the_same_400_not_a_crash(cognito: Any, settings: Any) -> None:
    settings.DEBUG = True
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.get("/accounts/signin/")
    _assert_friendly_400(_post(browser, "/accounts/signin/", "latin-1"), "/accounts/signin/")


@pytest.mark.parametrize("charset", ["latin-9-unknown", "no-such-codec", "UTF-8", "utf-8"])
def test_utf8_or_an_unknown_charset_is_read_as_utf8_and_the_form_works(
    cognito: Any, charset: str
) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get("/accounts/signin/")
    token = browser.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&email={DEMO_EMAIL}&password={DEMO_PASSWORD}"
    response = browser.generic(
        "POST",
        "/accounts/signin/",
        data=body.replace("@", "%40").encode("ascii"),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 302
    assert response["Location"] == "/private/"


def test_an_unreadable_multipart_body_gets_the_same_friendly_page(cognito: Any) -> None:
    """handler400 (site_project/urls.py) for what Django itself answers 400, e.g. a multipart
    form without its boundary."""
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.get("/accounts/signin/")  # the CSRF cookie: the check then reads the body
    response = browser.generic(
        "POST", "/accounts/signin/", data=b"x", content_type="multipart/form-data"
    )
    _assert_friendly_400(response, "/accounts/signin/")
