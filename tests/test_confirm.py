"""Confirmation (SECURITY F4): the code form with the address carried in the state cookie,
resend with a server-enforced cool-down, clear messages, sign-in after confirmation."""

from __future__ import annotations

import time

import pytest

from cognito_forms import gateway
from tests.journeys import STRONG, follow, session_started, signed_in, text, without_tokens

pytestmark = pytest.mark.django_db

EMAIL = "new@example.com"


@pytest.fixture
def signed_up(client, cognito):
    response = client.post("/accounts/signup/", {"email": EMAIL, "password": STRONG, "name": "Ada"})
    assert response.status_code == 302
    gateway.reset_counters()
    return client


def test_confirm_with_right_code_signs_the_new_user_in(signed_up, cognito):
    response = signed_up.post("/accounts/confirm/", {"code": cognito.code_for(EMAIL, "sign_up")})
    assert response.status_code == 302
    assert response["Location"] == "/private/"
    assert signed_in(response)
    # ConfirmSignUp's Session signs in with one InitiateAuth (USER_AUTH), no password.
    assert dict(cognito.calls) == {"ConfirmSignUp": 1, "InitiateAuth": 1}
    assert signed_up.get("/private/").status_code == 200


def test_confirm_page_carries_the_email_in_the_encrypted_cookie_not_the_url(signed_up, cognito):
    page = text(signed_up.get("/accounts/confirm/"))
    assert EMAIL in page
    assert 'name="email"' not in page
    assert EMAIL not in signed_up.cookies["cf_flow"].value


def test_confirm_page_offers_sign_in_to_an_already_confirmed_account_once(signed_up, cognito):
    page = text(signed_up.get("/accounts/confirm/"))
    link = '<a href="/accounts/signin/">Already confirmed your account? Sign in</a>'
    assert page.count(link) == 1
    assert page.count("Already confirmed") == 1


def test_confirm_without_state_asks_for_the_email(client, cognito):
    cognito.create_user("late@example.com", STRONG, confirmed=False)
    client.post("/accounts/confirm/resend/", {"email": "late@example.com"})
    fresh = type(client)()
    page = text(fresh.get("/accounts/confirm/"))
    assert 'name="email"' in page
    code = cognito.code_for("late@example.com")
    response = fresh.post("/accounts/confirm/", {"email": "late@example.com", "code": code})
    assert response.status_code == 302


def test_confirm_with_wrong_code_shows_message_on_the_code_field(signed_up, cognito):
    right = cognito.code_for(EMAIL, "sign_up")
    wrong = "000000" if right != "000000" else "111111"
    response = signed_up.post("/accounts/confirm/", {"code": wrong})
    page = text(response)
    assert response.status_code == 200
    assert "That code is not right" in page
    assert 'href="#id_code"' in page
    assert not session_started(signed_up)


def test_confirm_with_expired_code_gets_the_one_code_message(signed_up, cognito):
    code = cognito.code_for(EMAIL, "sign_up")
    cognito.lc.clock.advance(25 * 3600)
    response = signed_up.post("/accounts/confirm/", {"code": code})
    # Worded for wrong and expired codes alike: Cognito answers "expired" for an unknown
    # address, so telling them apart would reveal the account (docs/security.md S3).
    assert "That code is not right, has expired or was already used" in text(response)


def test_confirm_attempts_are_limited(signed_up, cognito, settings):
    settings.COGNITO_CODE_MAX_ATTEMPTS = 3
    right = cognito.code_for(EMAIL, "sign_up")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        assert "not right" in text(signed_up.post("/accounts/confirm/", {"code": wrong}))
    response = signed_up.post("/accounts/confirm/", {"code": right})
    assert response.status_code == 429
    assert "Too many wrong codes" in text(response)
    assert cognito.calls["ConfirmSignUp"] == 3


def test_confirm_of_an_unknown_address_gets_a_code_message_only(client, cognito):
    response = client.post("/accounts/confirm/", {"email": "nobody@example.com", "code": "123456"})
    page = text(response)
    assert response.status_code == 200
    assert '<a href="#id_code">Confirmation code: That code' in page


def test_confirm_page_shows_the_resend_cool_down(signed_up, cognito):
    page = text(signed_up.get("/accounts/signup/done/"))
    assert "You can ask for a new code in 60 seconds." in page


def test_resend_during_cool_down_is_refused_by_the_server(signed_up, cognito):
    response = signed_up.post("/accounts/confirm/resend/")
    assert response.status_code == 302
    page = text(follow(signed_up, response))
    assert "Please wait" in page
    assert cognito.calls["ResendConfirmationCode"] == 0


def test_resend_after_cool_down_sends_a_new_code_that_works(client, cognito, settings):
    settings.COGNITO_RESEND_COOLDOWN = 1
    signed_up = client
    signed_up.post("/accounts/signup/", {"email": EMAIL, "password": STRONG, "name": "Ada"})
    old = cognito.code_for(EMAIL, "sign_up")
    time.sleep(1.1)
    response = signed_up.post("/accounts/confirm/resend/")
    assert "We have sent a new code" in text(follow(signed_up, response))
    assert cognito.calls["ResendConfirmationCode"] == 1
    new = cognito.code_for(EMAIL, "resend_confirmation")
    if new != old:  # the new code supersedes the old one
        stale = signed_up.post("/accounts/confirm/", {"code": old})
        assert '<a href="#id_code">Confirmation code: That code' in text(stale)
        assert not signed_in(stale)
    assert signed_in(signed_up.post("/accounts/confirm/", {"code": new}))


def test_resend_for_unknown_address_answers_like_a_known_one(client, cognito):
    response = client.post("/accounts/confirm/resend/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert "We have sent a new code" in text(follow(client, response))


def test_confirm_lands_on_sign_in_with_email_filled_when_user_auth_is_off(signed_up, cognito):
    cognito.lc.update_client(ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    response = signed_up.post("/accounts/confirm/", {"code": cognito.code_for(EMAIL, "sign_up")})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signin/"
    assert not signed_in(response)
    page = text(follow(signed_up, response))
    assert "Your email address is confirmed" in page
    assert f'value="{EMAIL}"' in page


def test_confirmed_user_can_then_sign_in_with_the_password(signed_up, cognito):
    signed_up.post("/accounts/confirm/", {"code": cognito.code_for(EMAIL, "sign_up")})
    other = type(signed_up)()
    response = other.post("/accounts/signin/", {"email": EMAIL, "password": STRONG})
    assert signed_in(response)


# --- one answer for every wrong code, whatever the account (docs/security.md S3) -------------
WRONG_CODE_FORMS = {
    "confirm": ("/accounts/confirm/", {}),
    "reset": ("/accounts/password/reset/", {"password": "Brand-New-Passw0rd!"}),
}


def _accounts_in_every_state(client, cognito):
    """address -> state: seeded, just confirmed, awaiting confirmation, unknown; each of the
    existing ones with a code of its own pending, so a wrong code is really wrong."""
    just = type(client)()
    just.post("/accounts/signup/", {"email": "just@example.com", "password": STRONG, "name": "J"})
    just.post("/accounts/confirm/", {"code": cognito.code_for("just@example.com", "sign_up")})
    pending = type(client)()
    pending.post("/accounts/signup/", {"email": "pend@example.com", "password": STRONG})
    type(client)().post("/accounts/password/forgot/", {"email": "demo@example.com"})
    return ["demo@example.com", "just@example.com", "pend@example.com", "nope@example.com"]


def _wrong_code(cognito):
    sent = {m.code for m in cognito.outbox.messages()}
    return next(c for c in ("000000", "111111", "222222") if c not in sent)


def _answer(response, email):
    """What a prober sees: status, page (address and CSRF token taken out), cookie shapes."""
    page = without_tokens(text(response)).replace(email, "X")
    cookies = tuple(
        sorted(
            (name, len(m.value), m["max-age"], m["path"], m["samesite"])
            for name, m in response.cookies.items()
        )
    )
    headers = {k: v for k, v in response.items() if k.lower() in ("retry-after", "location")}
    return response.status_code, page, cookies, tuple(sorted(headers.items()))


@pytest.mark.parametrize("form", WRONG_CODE_FORMS)
def test_wrong_code_answer_is_the_same_for_every_account_state(client, cognito, form):
    url, extra = WRONG_CODE_FORMS[form]
    addresses = _accounts_in_every_state(client, cognito)
    wrong = _wrong_code(cognito)
    answers = {}
    for email in addresses:
        prober = type(client)()
        prober.get(url)  # the CSRF cookie, as a browser would have it
        answers[email] = _answer(prober.post(url, {"email": email, "code": wrong, **extra}), email)
    first = answers[addresses[0]]
    assert first[0] == 200
    assert "That code is not right, has expired or was already used" in first[1]
    for email in addresses[1:]:
        assert answers[email] == first, email


def test_confirm_of_an_unknown_address_reads_like_a_wrong_code_for_a_real_one(client, cognito):
    sign_up = type(client)()
    sign_up.post("/accounts/signup/", {"email": EMAIL, "password": STRONG, "name": "Ada"})
    wrong = _wrong_code(cognito)
    real = client.post("/accounts/confirm/", {"email": EMAIL, "code": wrong})
    ghost = type(client)().post("/accounts/confirm/", {"email": "ghost@example.com", "code": wrong})
    assert _answer(real, EMAIL)[:2] == _answer(ghost, "ghost@example.com")[:2]
    assert "That code has expired" not in text(ghost)
