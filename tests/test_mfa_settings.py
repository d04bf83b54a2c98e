"""Security settings: TOTP on (server-drawn QR code, secret as text, a code to prove it) and off,
SMS or email codes where the pool allows, the preferred method; all behind a recent sign-in."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from cognito_forms import exceptions as exc
from cognito_forms import gateway, signals
from cognito_forms.flows import mfa as mfa_flow
from cognito_forms.gateway import describe
from local_cognito import totp

from .account_helpers import PASSWORD, admin_client, make_sign_in_old, member, page

pytestmark = pytest.mark.django_db

MFA = reverse("cognito_forms:mfa")
TOTP = reverse("cognito_forms:totp_setup")
SIGNIN = reverse("cognito_forms:signin")
CODE_PAGE = reverse("cognito_forms:signin_code")
VERIFIED_PHONE = {"phone_number": "+14155550123", "phone_number_verified": "true"}


def _mfa_of(cognito: Any, email: str) -> tuple[list[str], str | None]:
    user = admin_client(cognito).admin_get_user(UserPoolId=cognito.seed.pool_id, Username=email)
    return list(user.get("UserMFASettingList") or []), user.get("PreferredMfaSetting")


def _next_sign_in(email: str = "ann@example.com") -> str:
    response = Client().post(SIGNIN, {"email": email, "password": PASSWORD})
    return str(response["Location"])


def _states(client: Client) -> dict[str, str]:
    """What the settings page says of each method: "On", "Off", "On · preferred"."""
    html = page(client.get(MFA))
    found = re.findall(r'id="cf-mfa-(\w+)">\s*<h2>[^<]*</h2>\s*<p>([^<]*)</p>', html)
    return {method: " ".join(state.split()) for method, state in found}


def _secret(html: str) -> str:
    match = re.search(r'<p class="cf-secret"><code>([A-Z2-7=]+)</code></p>', html)
    assert match, "the secret is shown as text"
    return match.group(1)


def test_settings_need_a_recent_sign_in(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)

    for url in (MFA, TOTP):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("cognito_forms:reauth"))
    assert gateway.calls["AssociateSoftwareToken"] == 0


def test_methods_offered_follow_the_pool_description(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_MFA_METHODS = []  # inferred: the seeded pool has SMS and SES email set up
    member(cognito, client, attributes=VERIFIED_PHONE)

    response = client.get(MFA)

    assert response.status_code == 200
    assert _states(client) == {"totp": "Off", "sms": "Off", "email": "Off"}
    assert "Set up an authenticator app" in page(response)
    assert gateway.calls["GetUser"] == 2


@pytest.mark.parametrize(
    ("raw", "mfa", "expected"),
    [
        ({}, "OPTIONAL", ("totp",)),
        ({"EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"}}, "ON", ("totp",)),
        ({"SmsConfiguration": {"SnsCallerArn": "arn"}}, "OPTIONAL", ("totp", "sms")),
        ({"EmailConfiguration": {"EmailSendingAccount": "DEVELOPER"}}, "ON", ("totp", "email")),
        ({"SmsConfiguration": {"SnsCallerArn": "arn"}}, "OFF", ()),
    ],
)
def test_pool_without_sms_or_ses_offers_only_the_authenticator_app(
    settings: Any, raw: dict[str, Any], mfa: str, expected: tuple[str, ...]
) -> None:
    settings.COGNITO_MFA_METHODS = []
    # DescribeUserPool's answer, through the gateway's reading of it (typed fields, no raw dict).
    description = describe.pool_description({"Id": "us-east-1_X", "MfaConfiguration": mfa, **raw})

    assert mfa_flow.available_methods(description) == expected


def test_a_description_cached_by_the_previous_release_is_not_served(
    cognito: Any, settings: Any
) -> None:
    """The shared cache outlives a deploy: a description the previous release cached (before
    the typed fields, so SMS unknown) must not hide the pool's SMS codes after an upgrade."""
    settings.COGNITO_MFA_METHODS = []
    stale = dataclasses.replace(gateway.describe_pool(), sms_configured=False)
    s = settings
    previous_key = f"cognito_forms:pool:pool:{s.COGNITO_ENDPOINT_URL}:{s.COGNITO_USER_POOL_ID}"
    caches["default"].set(f"{previous_key}:{s.COGNITO_CLIENT_ID}", stale, 300)

    assert mfa_flow.available_methods() == ("totp", "sms", "email")


def test_setting_up_totp_shows_a_qr_code_and_turns_it_on_with_a_valid_code(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    received: list[dict[str, Any]] = []
    signals.mfa_changed.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="m")

    html = page(client.get(TOTP))
    secret = _secret(html)
    assert 'src="data:image/svg+xml' in html
    assert "<script" not in html
    assert secret == _secret(page(client.get(TOTP)))  # a reload keeps the same secret
    assert gateway.calls["AssociateSoftwareToken"] == 1

    wrong = client.post(TOTP, {"code": "12"})
    assert "digits only" in page(wrong)
    assert gateway.calls["VerifySoftwareToken"] == 0

    try:
        response = client.post(TOTP, {"code": totp.code_at(secret, cognito.lc.clock.now())})
    finally:
        signals.mfa_changed.disconnect(dispatch_uid="m")

    assert response.status_code == 302
    assert response["Location"] == MFA
    assert _mfa_of(cognito, "ann@example.com") == (["SOFTWARE_TOKEN_MFA"], "SOFTWARE_TOKEN_MFA")
    assert received[0]["method"] == "totp"
    assert received[0]["action"] == "enabled"
    assert secret not in str(received[0])
    assert "Your authenticator app is now turned on." in page(client.get(MFA))
    assert _next_sign_in() == CODE_PAGE


def test_a_wrong_totp_code_keeps_the_qr_code_and_leaves_mfa_off(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    secret = _secret(page(client.get(TOTP)))
    right = totp.code_at(secret, cognito.lc.clock.now())
    wrong = "123456" if right != "123456" else "654321"

    response = client.post(TOTP, {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in page(response)
    assert _secret(page(response)) == secret
    assert _mfa_of(cognito, "ann@example.com")[0] == []


def test_turning_totp_off_means_no_code_at_the_next_sign_in(client: Client, cognito: Any) -> None:
    secret = totp.new_secret()
    cognito.create_user("ann@example.com", PASSWORD, totp_secret=secret)
    client.post(SIGNIN, {"email": "ann@example.com", "password": PASSWORD})
    client.post(CODE_PAGE, {"code": totp.code_at(secret, cognito.lc.clock.now())})
    assert "Turn off" in page(client.get(MFA))

    response = client.post(MFA, {"action": "disable:totp"}, follow=True)

    assert "Authenticator app is now turned off." in page(response)
    assert _mfa_of(cognito, "ann@example.com")[0] == []
    assert _next_sign_in() != CODE_PAGE


def test_email_codes_can_be_turned_on_and_made_preferred(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_MFA_METHODS = ["totp", "sms", "email"]
    member(cognito, client, attributes=VERIFIED_PHONE)

    client.post(MFA, {"action": "enable:email"})
    client.post(MFA, {"action": "enable:sms"})

    # The first method turned on becomes the preferred one.
    assert _states(client) == {"totp": "Off", "sms": "On", "email": "On · preferred"}

    response = client.post(MFA, {"action": "prefer:sms"}, follow=True)

    assert "Text message (SMS) is now your preferred method." in page(response)
    assert _states(client) == {"totp": "Off", "sms": "On · preferred", "email": "On"}
    assert gateway.calls["SetUserMFAPreference"] == 3
    assert _next_sign_in() == CODE_PAGE
    assert cognito.lc.outbox.messages(to="+14155550123", purpose="mfa_sms")


def test_sms_needs_a_verified_phone_number_and_forged_actions_are_refused(
    client: Client, cognito: Any, settings: Any
) -> None:
    settings.COGNITO_MFA_METHODS = ["totp", "sms", "email"]
    member(cognito, client)

    html = page(client.get(MFA))
    assert "Add and verify a phone number on your profile first." in html

    response = client.post(MFA, {"action": "enable:sms"})

    assert response.status_code == 200
    assert "There is a problem" in page(response)
    assert gateway.calls["SetUserMFAPreference"] == 0


def test_cognito_failing_shows_unavailable_not_an_error(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)

    def down(**kwargs: Any) -> None:
        raise exc.ServiceUnavailable("down")

    monkeypatch.setattr(gateway, "get_user", down)

    response = client.get(MFA)

    assert response.status_code == 503
    assert "temporarily unavailable" in page(response)
