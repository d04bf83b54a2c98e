"""Security headers on every page (docs/security.md L4), auth and signed-in pages never cached
and no token in any page, header or Location (C4), no plugin content and no server software named
(S11), and templates the CSP cannot break."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cognito_forms.headers import DEFAULT_CSP, SecurityHeadersMiddleware
from tests.account_helpers import member
from tests.fault_servers import closed_port

from .journeys import DEMO_EMAIL, DEMO_PASSWORD, follow, text
from .session_helpers import opened_tokens

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "Content-Security-Policy": DEFAULT_CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _app_page_names() -> list[str]:
    """Every cognito_forms URL name that takes no argument (new pages are covered as they land)."""
    names: list[str] = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "cognito_forms":
            for pattern in entry.url_patterns:
                if (
                    isinstance(pattern, URLPattern)
                    and pattern.name
                    and "<" not in str(pattern.pattern)
                ):
                    names.append(f"cognito_forms:{pattern.name}")
    return names


def _assert_security_headers(response: Any) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/private/", "/no-such-page/", "/admin/login/"])
def test_site_pages_carry_the_security_headers(client: Client, path: str) -> None:
    _assert_security_headers(client.get(path))


@pytest.mark.django_db
def test_every_account_page_carries_the_security_headers(client: Client, cognito: Any) -> None:
    names = _app_page_names()
    assert "cognito_forms:signup" in names
    for name in names:
        response = client.get(reverse(name))
        assert response.status_code < 500, name
        _assert_security_headers(response)


@pytest.mark.django_db
def test_a_refused_post_carries_the_security_headers(client: Client) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("cognito_forms:signup"), {"email": "a@example.com"})
    assert response.status_code == 403
    _assert_security_headers(response)


@pytest.mark.django_db
def test_hsts_is_sent_over_https_with_production_values(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_a_valid_request_id_is_echoed_back(rf: Any) -> None:
    from django.http import HttpResponse

    from cognito_forms.headers import SecurityHeadersMiddleware

    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(rf.get("/", HTTP_X_REQUEST_ID="edge-7f3a"))
    assert response.headers["X-Request-ID"] == "edge-7f3a"
    forged = middleware(rf.get("/", HTTP_X_REQUEST_ID="a\r\nSet-Cookie: x=1"))
    assert "Set-Cookie" not in forged.headers["X-Request-ID"]


def test_a_site_may_set_its_own_policy(rf: Any, settings: Any) -> None:
    from django.http import HttpResponse

    from cognito_forms.headers import SecurityHeadersMiddleware

    settings.COGNITO_CONTENT_SECURITY_POLICY = "default-src 'none'"
    response = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"


# --- templates the CSP would break ----------------------------------------------------------------
TEMPLATE_DIRS = [
    ROOT / "cognito_forms" / "templates",
    ROOT / "site_project" / "templates",
    ROOT / "templates",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def _templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS if d.is_dir() for p in d.rglob("*.html"))


def test_templates_exist_to_scan() -> None:
    assert len(_templates()) >= 5


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_uses_inline_script_style_or_handlers(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script> is blocked by the CSP"
    assert not INLINE_STYLE.search(text), "inline styles are blocked by the CSP"
    assert not EVENT_HANDLER.search(text), "on*= handlers are blocked by the CSP"
    assert not JS_URL.search(text), "javascript: URLs are blocked by the CSP"


# --- C4 ---------------------------------------------------------------------------------------
AUTH_PAGES = [
    "/accounts/signup/",
    "/accounts/signup/done/",
    "/accounts/confirm/",
    "/accounts/confirm/resend/",
    "/accounts/signin/",
    "/accounts/signin/code/",
    "/accounts/signin/new-password/",
    "/accounts/signin/select-mfa/",
    "/accounts/signin/mfa-setup/",
    "/accounts/signin/choose/",
    "/accounts/password/forgot/",
    "/accounts/password/reset/",
    "/accounts/signout/",
]


SIGNED_IN_PAGES = [
    "/",
    "/private/",
    "/accounts/profile/",
    "/accounts/profile/email/change/",
    "/accounts/password/change/",
    "/accounts/mfa/",
    "/accounts/mfa/totp/",
    "/accounts/delete/",
    "/accounts/reauth/",
    "/accounts/signout/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", AUTH_PAGES)
def test_every_auth_page_is_no_store_even_when_it_redirects(
    client: Client, cognito: Any, url: str
) -> None:
    # C4: a shared cache or the back button must never keep an auth page.
    response = client.get(url)
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_every_signed_in_page_is_no_store(signed_in_client: Client, cognito: Any, url: str) -> None:
    # C4: pages for a signed-in user are private to them.
    response = signed_in_client.get(url)
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_no_token_appears_in_any_page_url_or_location_of_the_sign_in_form_journey(
    cognito: Any,
) -> None:
    # C4: the real form journey, then every signed-in page: no token or part of one shown.
    browser = Client()
    responses = [browser.get("/accounts/signin/?next=/accounts/profile/")]
    responses.append(
        browser.post(
            "/accounts/signin/?next=/accounts/profile/",
            {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "next": "/accounts/profile/"},
        )
    )
    responses.append(follow(browser, responses[-1]))
    responses += [browser.get(url) for url in SIGNED_IN_PAGES]
    state = opened_tokens(browser)
    secrets = [state.id_token, state.access_token, state.refresh_token or "-"]
    pieces = [s.split(".")[-1][:24] for s in secrets] + [s[:40] for s in secrets]
    for response in responses:
        shown = text(response) + str(response.headers) + response.get("Location", "")
        assert "eyJ" not in shown
        assert not any(piece in shown for piece in pieces)


# --- L4 ----------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/accounts/profile/", "/accounts/password/change/", "/accounts/mfa/", "/accounts/delete/"],
)
def test_signed_in_account_pages_carry_the_security_headers(
    client: Client, cognito: Any, path: str
) -> None:
    member(cognito, client)
    response = client.get(path)
    assert response.status_code == 200
    _assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.usefixtures("one_rate_window")  # the two posts in one rate window
def test_a_rate_limited_and_an_unavailable_answer_carry_the_security_headers(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_RATE_LIMITS = {"forgot": "1/m/ip"}
    client.post("/accounts/password/forgot/", {"email": "h@example.com"})
    limited = client.post("/accounts/password/forgot/", {"email": "h@example.com"})
    assert limited.status_code == 429
    _assert_security_headers(limited)
    settings.COGNITO_RATE_LIMITS = {}
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    down = Client().post("/accounts/password/forgot/", {"email": "h@example.com"})
    assert down.status_code == 503
    _assert_security_headers(down)


@pytest.mark.django_db
def test_the_content_security_policy_refuses_plugins(client: Client) -> None:
    policy = client.get("/accounts/signin/")["Content-Security-Policy"]
    assert "object-src 'none'" in [part.strip() for part in policy.split(";")]


def test_a_server_header_set_by_the_application_is_dropped(rf: Any) -> None:
    def view(request: Any) -> HttpResponse:
        response = HttpResponse("ok")
        response["Server"] = "Apache/2.4.1 (Unix)"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert "Server" not in response.headers


def test_gunicorn_configuration_leaves_out_the_server_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gunicorn.http import wsgi

    monkeypatch.setattr(wsgi.Response, "default_headers", wsgi.Response.default_headers)
    request = SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False)
    cfg = SimpleNamespace(protocol="http")

    def status_lines() -> list[str]:
        response = wsgi.Response(request, sock=None, cfg=cfg)
        response.status, response.status_code = "200 OK", 200
        return list(response.default_headers())

    assert any(line.startswith("Server:") for line in status_lines())
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # what gunicorn does when it starts
    lines = status_lines()
    assert lines[0].startswith("HTTP/1.1 200")
    assert not any(line.lower().startswith("server:") for line in lines)
    assert any(line.startswith("Date:") for line in lines)
