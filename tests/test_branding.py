"""Branding without code: COGNITO_BRAND becomes a checked, cached stylesheet (no inline style:
the CSP forbids it); templates are public API and one override re-brands every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.test import Client

from cognito_forms import gateway

pytestmark = pytest.mark.django_db

BRAND = {
    "site_name": "Acme Rentals",
    "logo_url": "/static/acme/logo.svg",
    "primary_color": "#ff6600",
    "text_color": "#222",
    "background_color": "#fafafaff",
    "font_family": 'Inter, "Helvetica Neue", sans-serif',
    "radius": "0",
}
ROOT = Path(__file__).resolve().parent.parent


def test_brand_stylesheet_sets_the_configured_colours_and_font_as_custom_properties(
    client: Client, settings: Any
) -> None:
    settings.COGNITO_BRAND = BRAND
    response = client.get("/accounts/brand.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "--cf-color-primary: #ff6600;" in css
    assert "--cf-color-text: #222;" in css
    assert "--cf-color-background: #fafafaff;" in css
    assert '--cf-font-family: Inter, "Helvetica Neue", sans-serif;' in css
    assert "--cf-radius: 0;" in css
    assert sum(gateway.calls.values()) == 0


def test_brand_stylesheet_has_an_etag_and_answers_304_when_unchanged(
    client: Client, settings: Any
) -> None:
    settings.COGNITO_BRAND = BRAND
    first = client.get("/accounts/brand.css")
    etag = first["ETag"]
    assert "max-age" in first["Cache-Control"]
    again = client.get("/accounts/brand.css", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    settings.COGNITO_BRAND = {**BRAND, "primary_color": "#000000"}
    changed = client.get("/accounts/brand.css", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("primary_color", "red;} body{display:none"),
        ("primary_color", "#fff; background:url(https://evil.example/x)"),
        ("text_color", "</style><script>alert(1)</script>"),
        ("background_color", "#abcde"),
        ("font_family", "Arial;} * {color:red"),
        ("font_family", '"Unclosed, serif'),
        ("font_family", "x\\3b"),
        ("radius", "calc(1px);}"),
    ],
)
def test_a_brand_value_that_does_not_match_its_pattern_never_reaches_the_stylesheet(
    client: Client, settings: Any, key: str, value: str
) -> None:
    settings.COGNITO_BRAND = {"primary_color": "#123456", key: value}
    css = client.get("/accounts/brand.css").content.decode()
    assert value not in css
    assert not re.search(r"[;{}]\s*(body|\*|background|color\s*:red)", css.split(":root {", 1)[1])
    problems = [m for m in checks.run_checks() if m.id == "cognito_forms.W010"]
    assert problems
    assert key in problems[0].msg


def test_pages_link_the_brand_stylesheet_with_its_version_and_show_name_and_logo(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_BRAND = BRAND
    etag = client.get("/accounts/brand.css")["ETag"].strip('"')
    page = client.get("/accounts/signin/").content.decode()
    assert f'href="/accounts/brand.css?v={etag}"' in page
    assert "Acme Rentals" in page
    assert 'src="/static/acme/logo.svg"' in page
    # The content security policy forbids inline styles: branding never uses them.
    assert "<style" not in page
    assert " style=" not in page


def test_without_brand_styles_no_extra_stylesheet_is_linked(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_BRAND = {"site_name": "Plain"}
    page = client.get("/accounts/signin/").content.decode()
    assert "brand.css" not in page
    assert "Plain" in page


def test_the_older_site_name_and_logo_settings_still_work(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_BRAND = {}
    settings.COGNITO_BRAND_SITE_NAME = "Old Style"
    settings.COGNITO_BRAND_LOGO_URL = "https://cdn.example.com/logo.png"
    page = client.get("/accounts/signin/").content.decode()
    assert "Old Style" in page
    assert 'src="https://cdn.example.com/logo.png"' in page


@pytest.mark.parametrize(
    "logo", ["javascript:alert(1)", 'x" onerror="alert(1)', "http://plain.example/l.png"]
)
def test_a_logo_url_that_is_not_a_site_path_or_https_is_ignored(
    client: Client, cognito: Any, settings: Any, logo: str
) -> None:
    settings.COGNITO_BRAND = {"logo_url": logo}
    page = client.get("/accounts/signin/").content.decode()
    assert "cf-logo" not in page
    assert "onerror" not in page


def test_the_demo_site_is_rebranded_by_its_settings_and_one_layout_override(
    client: Client, cognito: Any
) -> None:
    page = client.get("/accounts/signin/").content.decode()
    assert "Lighthouse Library" in page  # COGNITO_BRAND in site_project/settings.py
    assert "Borrow books, day and night" in page  # templates/cognito_forms/layouts/base.html
    assert "/static/site_project/site.css" in page
    assert 'action="/i18n/setlang/"' in page  # the footer's language switcher
    css = client.get("/accounts/brand.css").content.decode()
    assert "--cf-color-primary: #0f766e;" in css


@pytest.fixture
def override_dir(tmp_path: Path, settings: Any) -> Path:
    """A site's template directory placed before the app's templates (and the demo's)."""
    engine = dict(django_settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path, *engine.get("DIRS", [])]
    settings.TEMPLATES = [engine]
    (tmp_path / "cognito_forms" / "layouts").mkdir(parents=True)
    (tmp_path / "cognito_forms" / "partials").mkdir(parents=True)
    return tmp_path


def test_overriding_a_layout_and_a_partial_changes_every_page_that_uses_them(
    client: Client, cognito: Any, override_dir: Path
) -> None:
    (override_dir / "cognito_forms/layouts/base.html").write_text(
        '{% extends "cognito_forms/layouts/base.html" %}'
        "{% block footer_content %}<p>OVERRIDDEN FOOTER</p>{% endblock %}"
        '{% block nav %}<nav class="my-nav">MY NAV</nav>{% endblock %}'
    )
    (override_dir / "cognito_forms/partials/error_summary.html").write_text(
        '{% if form.errors %}<div class="my-errors">MY ERROR SUMMARY</div>{% endif %}'
    )
    for url in ("/accounts/signin/", "/accounts/signup/", "/accounts/password/forgot/"):
        page = client.get(url).content.decode()
        assert "OVERRIDDEN FOOTER" in page, url
        assert "MY NAV" in page, url
        assert 'name="email"' in page, url  # the page's own content still renders
    failed = client.post("/accounts/signin/", {"email": "not-an-address", "password": "x"})
    text = failed.content.decode()
    assert "MY ERROR SUMMARY" in text
    assert "cf-error-summary" not in text
    assert gateway.calls["InitiateAuth"] == 0  # a shape error: Cognito is not asked


def test_overriding_the_entrance_layouts_card_block_wraps_every_entrance_page(
    client: Client, cognito: Any, override_dir: Path
) -> None:
    (override_dir / "cognito_forms/layouts/entrance.html").write_text(
        '{% extends "cognito_forms/layouts/entrance.html" %}'
        '{% block after_card %}<p class="help">NEED HELP? CALL US</p>{% endblock %}'
    )
    for url in ("/accounts/signin/", "/accounts/confirm/", "/accounts/password/reset/"):
        assert "NEED HELP? CALL US" in client.get(url).content.decode(), url
