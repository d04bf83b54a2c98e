"""Translations: complete Spanish, French and German catalogs shipped compiled, the language
chosen from Accept-Language or the no-JavaScript switcher, Cognito's errors in the visitor's
language, and no visible template text outside the translation tags."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from .catalog_helpers import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(
    path
    for base in ("cognito_forms", "site_project")
    for path in ROOT.glob(f"{base}/locale/*/LC_MESSAGES/django.po")
)
LANGUAGES = ("es", "fr", "de")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

pytestmark = pytest.mark.django_db


def test_every_language_has_both_catalogs() -> None:
    for language in LANGUAGES:
        for base in ("cognito_forms", "site_project"):
            assert (ROOT / base / "locale" / language / "LC_MESSAGES" / "django.po").is_file()
            assert (ROOT / base / "locale" / language / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_msgid_is_translated_and_none_is_fuzzy(path: Path) -> None:
    entries = read_po(path)
    assert len(entries) > 20
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"]) or e["fuzzy"]]
    assert untranslated == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_every_placeholder(path: Path) -> None:
    for entry in read_po(path):
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for translation in entry["msgstr"]:
            assert sorted(PLACEHOLDER.findall(translation)) == wanted, entry["msgid"]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalog_matches_its_po_file(path: Path) -> None:
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in read_po(path):
        if entry["plural"] is None:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        else:
            plural = compiled.ngettext(entry["msgid"], entry["plural"], 5)
            assert plural == entry["msgstr"][1], entry["msgid"]


@pytest.mark.parametrize(
    ("language", "title", "link"),
    [
        ("es", "Iniciar sesión", "¿Has olvidado tu contraseña?"),
        ("fr", "Se connecter", "Mot de passe oublié ?"),
        ("de", "Anmelden", "Passwort vergessen?"),
    ],
)
def test_the_sign_in_page_follows_accept_language(
    client: Client, cognito: Any, language: str, title: str, link: str
) -> None:
    page = client.get("/accounts/signin/", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    text = page.content.decode()
    assert f'<html lang="{language}">' in text
    assert f"<h1>{title}</h1>" in text
    assert link in text
    assert "Forgot your password?" not in text


def test_a_cognito_error_is_shown_in_spanish(client: Client, cognito: Any) -> None:
    response = client.post(
        "/accounts/signin/",
        {"email": "demo@example.com", "password": "Wrong-Passw0rd!"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert cognito.calls["InitiateAuth"] == 1  # Cognito answered NotAuthorized
    text = response.content.decode()
    assert "Correo electrónico o contraseña incorrectos." in text
    assert "Hay un problema" in text
    assert "Incorrect email address or password." not in text


def test_a_wrong_confirmation_code_from_cognito_is_shown_in_german(
    client: Client, cognito: Any
) -> None:
    client.post(
        "/accounts/signup/",
        {
            "email": "neu@example.com",
            "password": "Correct-Horse-9!",
            "name": "Neu",
            "custom_company": "X",
        },
    )
    response = client.post("/accounts/confirm/", {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="de")
    assert cognito.calls["ConfirmSignUp"] == 1
    assert "Dieser Code ist nicht richtig, abgelaufen oder wurde bereits verwendet." in (
        response.content.decode()
    )


def test_the_pool_password_rules_are_translated(client: Client, cognito: Any) -> None:
    text = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "au moins 10 caractères" in text
    assert "une lettre majuscule (de A à Z)" in text


def test_the_language_switcher_works_without_javascript(client: Client, cognito: Any) -> None:
    page = client.get("/accounts/signin/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'name="language"' in page
    assert "<script" not in page
    switched = client.post(
        "/i18n/setlang/", {"language": "fr"}, HTTP_REFERER="http://testserver/accounts/signin/"
    )
    assert switched.status_code == 302
    assert switched["Location"] == "http://testserver/accounts/signin/"
    french = client.get("/accounts/signin/").content.decode()
    assert "<h1>Se connecter</h1>" in french
    assert '<option value="fr" lang="fr" selected>' in french


def test_the_demo_sites_own_pages_are_translated(client: Client) -> None:
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Willkommen bei Lighthouse Library" in home
    assert "Bücher ausleihen, Tag und Nacht" in home


TEMPLATE_DIRS = [ROOT / "cognito_forms" / "templates", ROOT / "site_project", ROOT / "templates"]


def _visible_text(source: str) -> list[str]:
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    # Class names, not text: {% block body_class %}cf cf-entrance{% endblock %}.
    source = re.sub(r"{%\s*block body_class\s*%}.*?{%\s*endblock", "", source, flags=re.S)
    source = re.sub(r"{%\s*blocktranslate.*?endblocktranslate\s*%}", "", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", "", source, flags=re.S)
    source = re.sub(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", "\n", source)
    return [line.strip() for line in source.splitlines() if re.search(r"[A-Za-z]{2}", line)]


def _attribute_text(source: str) -> list[str]:
    pattern = r"\b(?:alt|title|aria-label|placeholder)=\"([^\"{]*[A-Za-z]{2}[^\"{]*)\""
    return re.findall(pattern, source)


@pytest.mark.parametrize(
    "template",
    sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_templates_have_no_visible_text_outside_translation_tags(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    assert _visible_text(source) == []
    assert _attribute_text(source) == []
