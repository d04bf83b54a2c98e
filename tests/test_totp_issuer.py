"""The name an authenticator app lists the account under (the otpauth URI's issuer) is the same
whether the app is set up during sign-in (MFA_SETUP) or on the security settings page: one
adapter method, ``get_totp_issuer(request)``, names the site for both."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client

from cognito_forms.adapter import DefaultAdapter
from cognito_forms.flows import challenges
from tests.journeys import STRONG
from tests.session_helpers import idp_client

from .account_helpers import member

pytestmark = pytest.mark.django_db


class NamedAdapter(DefaultAdapter):
    def get_totp_issuer(self, request: Any) -> str:
        return "Acme (staging)"


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The otpauth URIs the pages draw as QR codes (the page shows only the picture)."""
    uris: list[str] = []
    draw = challenges.qr_svg_data_uri

    def recording(uri: str) -> str:
        uris.append(uri)
        return draw(uri)

    monkeypatch.setattr(challenges, "qr_svg_data_uri", recording)
    return uris


def _issuer(uri: str) -> tuple[str, str]:
    """(the issuer parameter, the issuer prefix of the label) of an otpauth URI."""
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth"
    label_issuer, _sep, _account = unquote(parts.path.lstrip("/")).rpartition(":")
    return parse_qs(parts.query)["issuer"][0], label_issuer


def _issuers_of_both_pages(cognito: Any, drawn: list[str], **host: str) -> list[tuple[str, str]]:
    # The security settings page of a signed-in user ...
    settings_page = Client(**host)
    member(cognito, settings_page, "ann@example.com")
    assert settings_page.get("/accounts/mfa/totp/").status_code == 200
    # ... and the enrolment a pool that requires MFA asks for while signing in.
    idp_client(cognito).set_user_pool_mfa_config(
        UserPoolId=cognito.seed.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    cognito.create_user("bob@example.com", STRONG)
    signing_in = Client(**host)
    started = signing_in.post("/accounts/signin/", {"email": "bob@example.com", "password": STRONG})
    assert started["Location"] == "/accounts/signin/mfa-setup/"
    assert signing_in.get("/accounts/signin/mfa-setup/").status_code == 200
    assert len(drawn) == 2
    return [_issuer(uri) for uri in drawn]


@pytest.mark.parametrize(
    ("brand", "host", "expected"),
    [
        ({"site_name": "Lighthouse Library"}, {}, "Lighthouse Library"),
        # No site name: the host the visitor used, without its port (not the demo's name).
        ({}, {}, "testserver"),
        ({}, {"HTTP_HOST": "localhost:8000"}, "localhost"),
    ],
)
def test_both_set_up_pages_name_the_site_the_same_way(
    cognito: Any,
    settings: Any,
    drawn: list[str],
    brand: dict[str, str],
    host: dict[str, str],
    expected: str,
) -> None:
    settings.COGNITO_BRAND = brand
    assert _issuers_of_both_pages(cognito, drawn, **host) == [(expected, expected)] * 2


def test_the_adapter_names_the_site_for_both_pages(
    cognito: Any, settings: Any, drawn: list[str]
) -> None:
    settings.COGNITO_BRAND = {"site_name": "Lighthouse Library"}
    settings.COGNITO_ADAPTER = "tests.test_totp_issuer.NamedAdapter"
    assert _issuers_of_both_pages(cognito, drawn) == [("Acme (staging)", "Acme (staging)")] * 2
