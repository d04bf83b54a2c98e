"""Every page under /accounts/ and how a test browser reaches it (signed in, or in the middle
of a sign-in challenge), for the quality-bar and fault audits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.account_helpers import NEW_PASSWORD, PASSWORD, member
from tests.journeys import STRONG, text
from tests.session_helpers import idp_client

TYPED = "Typed-Secret-9!x"

#: (page, what the visitor typed, the Cognito operation the page makes)
ANONYMOUS_FORMS = [
    (
        "/accounts/signup/",
        {"email": "nia@example.com", "password": TYPED, "name": "Nia New"},
        "SignUp",
    ),
    ("/accounts/confirm/", {"email": "nia@example.com", "code": "123456"}, "ConfirmSignUp"),
    ("/accounts/confirm/resend/", {"email": "nia@example.com"}, "ResendConfirmationCode"),
    ("/accounts/signin/", {"email": "demo@example.com", "password": TYPED}, "InitiateAuth"),
    ("/accounts/password/forgot/", {"email": "demo@example.com"}, "ForgotPassword"),
    (
        "/accounts/password/reset/",
        {"email": "demo@example.com", "code": "123456", "password": TYPED},
        "ConfirmForgotPassword",
    ),
]


def _start_sign_in(client: Client, email: str, password: str = STRONG) -> None:
    response = client.post("/accounts/signin/", {"email": email, "password": password})
    assert response.status_code == 302, text(response)[:500]


def _to_code(client: Client, cognito: Any) -> None:
    from local_cognito.totp import new_secret

    cognito.create_user("code@example.com", STRONG, totp_secret=new_secret())
    _start_sign_in(client, "code@example.com")


def to_new_password(client: Client, cognito: Any) -> None:
    idp_client(cognito).admin_create_user(
        UserPoolId=cognito.seed.pool_id,
        Username="invited@example.com",
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "invited@example.com"}],
    )
    _start_sign_in(client, "invited@example.com", "Temp-Passw0rd!")


def _to_select_mfa(client: Client, cognito: Any) -> None:
    from local_cognito.totp import new_secret

    phone = {"phone_number": "+15555550100", "phone_number_verified": "true"}
    cognito.create_user("both@example.com", STRONG, totp_secret=new_secret(), attributes=phone)
    idp_client(cognito).admin_set_user_mfa_preference(
        UserPoolId=cognito.seed.pool_id,
        Username="both@example.com",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    _start_sign_in(client, "both@example.com")


def _to_mfa_setup(client: Client, cognito: Any) -> None:
    idp_client(cognito).set_user_pool_mfa_config(
        UserPoolId=cognito.seed.pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    cognito.create_user("setup@example.com", STRONG)
    _start_sign_in(client, "setup@example.com")


def signed_in(client: Client, cognito: Any) -> None:
    member(cognito, client)


def _anonymous(client: Client, cognito: Any) -> None:
    return None


Reach = Callable[[Client, Any], None]
#: (url name, path, how to get there, a plausible POST or None for GET-only pages)
PAGES: list[tuple[str, str, Reach, dict[str, str] | None]] = [
    ("signup", "/accounts/signup/", _anonymous, ANONYMOUS_FORMS[0][1]),
    ("signup_done", "/accounts/signup/done/", _anonymous, None),
    ("confirm", "/accounts/confirm/", _anonymous, ANONYMOUS_FORMS[1][1]),
    ("confirm_resend", "/accounts/confirm/resend/", _anonymous, ANONYMOUS_FORMS[2][1]),
    ("signin", "/accounts/signin/", _anonymous, ANONYMOUS_FORMS[3][1]),
    ("signin_code", "/accounts/signin/code/", _to_code, {"code": "123456"}),
    (
        "signin_new_password",
        "/accounts/signin/new-password/",
        to_new_password,
        {"password": TYPED},
    ),
    (
        "signin_select_mfa",
        "/accounts/signin/select-mfa/",
        _to_select_mfa,
        {"method": "SOFTWARE_TOKEN_MFA"},
    ),
    ("signin_mfa_setup", "/accounts/signin/mfa-setup/", _to_mfa_setup, {"code": "123456"}),
    ("password_forgot", "/accounts/password/forgot/", _anonymous, ANONYMOUS_FORMS[4][1]),
    ("password_reset", "/accounts/password/reset/", _anonymous, ANONYMOUS_FORMS[5][1]),
    ("signout", "/accounts/signout/", signed_in, {}),
    ("profile", "/accounts/profile/", signed_in, {"name": "Ann Other", "custom_company": "X"}),
    (
        "change_attribute",
        "/accounts/profile/email/change/",
        signed_in,
        {"value": "ann.new@example.com"},
    ),
    ("verify_attribute", "/accounts/profile/email/verify/", signed_in, {"code": "123456"}),
    ("reauth", "/accounts/reauth/", signed_in, {"password": PASSWORD}),
    (
        "password_change",
        "/accounts/password/change/",
        signed_in,
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    ),
    ("mfa", "/accounts/mfa/", signed_in, {"action": "enable:email"}),
    ("totp_setup", "/accounts/mfa/totp/", signed_in, {"code": "123456", "device_name": "P"}),
    ("delete", "/accounts/delete/", signed_in, {"confirm": "on"}),
    ("delete_done", "/accounts/delete/done/", _anonymous, None),
]
#: Pages not in PAGES, and why: no form, no Cognito call, tested elsewhere.
NOT_FORMS = {
    "brand_css": "a stylesheet",
    "health": "JSON for load balancers (tests/test_outage_*.py)",
    "preview": "DEBUG/staff only",
    "preview_state": "idem",
    "signin_choose": "USER_AUTH choice, off in the seeded client (test_challenges)",
}
PAGE_IDS = [p[0] for p in PAGES]
