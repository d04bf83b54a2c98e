"""Email and phone number changes (F8): a recent sign-in, a code to the new address, and the
old address in effect until the code is verified (AttributesRequireVerificationBeforeUpdate)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cognito_forms import gateway, signals
from cognito_forms.conf import app_settings
from cognito_forms.flows import attempts

from .account_helpers import cognito_user, make_sign_in_old, member, page
from .journeys import cookie_shape, without_tokens

pytestmark = pytest.mark.django_db

CHANGE_EMAIL = reverse("cognito_forms:change_attribute", args=["email"])
VERIFY_EMAIL = reverse("cognito_forms:verify_attribute", args=["email"])
CHANGE_PHONE = reverse("cognito_forms:change_attribute", args=["phone_number"])
VERIFY_PHONE = reverse("cognito_forms:verify_attribute", args=["phone_number"])
PROFILE = reverse("cognito_forms:profile")
NEW = "ann.new@example.com"


def test_changing_email_needs_a_recent_sign_in(
    client: Client, cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(cognito, client)
    make_sign_in_old(cognito, monkeypatch)

    response = client.post(CHANGE_EMAIL, {"value": NEW})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cognito_forms:reauth") + "?next=")
    assert gateway.calls["UpdateUserAttributes"] == 0
    assert cognito_user(cognito, "ann@example.com")["email"] == "ann@example.com"


def test_new_email_takes_effect_only_once_its_code_is_verified(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    received: list[dict[str, Any]] = []
    signals.profile_updated.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="v")

    response = client.post(CHANGE_EMAIL, {"value": NEW})

    assert response.status_code == 302
    assert response["Location"] == VERIFY_EMAIL
    assert gateway.calls["UpdateUserAttributes"] == 1
    # The old address stays in effect (and verified) meanwhile; the code went to the new one.
    stored = cognito_user(cognito, "ann@example.com")
    assert stored["email"] == "ann@example.com"
    assert stored["email_verified"] == "true"
    code = cognito.code_for(NEW, "verify_email")
    profile = page(client.get(PROFILE))
    assert "Pending verification: ann.new@example.com" in profile
    verify_page = page(client.get(VERIFY_EMAIL))
    assert "ann.new@example.com" in verify_page
    assert code not in verify_page

    try:
        response = client.post(VERIFY_EMAIL, {"code": code})
    finally:
        signals.profile_updated.disconnect(dispatch_uid="v")

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    stored = cognito_user(cognito, NEW)
    assert stored["email"] == NEW
    assert stored["email_verified"] == "true"
    assert received[0]["attributes"] == ["email"]
    profile = page(client.get(PROFILE))
    assert "Your email address has been verified." in profile
    assert NEW in profile
    assert "Pending verification" not in profile


def test_wrong_code_is_a_field_error_and_the_old_email_stays(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": NEW})
    right = cognito.code_for(NEW, "verify_email")
    wrong = "000000" if right != "000000" else "111111"

    response = client.post(VERIFY_EMAIL, {"code": wrong})

    assert response.status_code == 200
    assert "That code is not right" in page(response)
    assert cognito_user(cognito, "ann@example.com")["email"] == "ann@example.com"


def test_a_code_that_is_not_digits_is_refused_without_calling_cognito(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": NEW})
    gateway.reset_counters()

    response = client.post(VERIFY_EMAIL, {"code": "abc"})

    assert response.status_code == 200
    assert "digits only" in page(response)
    assert gateway.calls["VerifyUserAttribute"] == 0


def test_resend_sends_a_new_code_once_per_cooldown(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": NEW})
    cognito.lc.outbox.clear()

    too_soon = client.post(VERIFY_EMAIL, {"resend": "1"}, follow=True)

    assert "Please wait a little" in page(too_soon)
    assert gateway.calls["GetUserAttributeVerificationCode"] == 0

    with pytest.MonkeyPatch.context() as mp:
        from cognito_forms.flows import attempts

        mp.setattr(attempts, "cooldown_remaining", lambda kind, value: 0)
        resent = client.post(VERIFY_EMAIL, {"resend": "1"}, follow=True)

    assert "We have sent you a new code." in page(resent)
    assert gateway.calls["GetUserAttributeVerificationCode"] == 1
    code = cognito.code_for(NEW, "verify_email")
    client.post(VERIFY_EMAIL, {"code": code})
    assert cognito_user(cognito, NEW)["email"] == NEW


def test_invalid_email_is_a_field_error_and_cognito_is_not_called(
    client: Client, cognito: Any
) -> None:
    member(cognito, client)
    client.get(CHANGE_EMAIL)  # the pool description is cached from here on
    gateway.reset_counters()

    response = client.post(CHANGE_EMAIL, {"value": "not-an-email"})

    assert response.status_code == 200
    assert "Enter a valid email address." in page(response)
    assert 'value="not-an-email"' in page(response)
    assert sum(gateway.calls.values()) == 0


def test_same_email_is_a_field_error(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.get(CHANGE_EMAIL)
    gateway.reset_counters()

    response = client.post(CHANGE_EMAIL, {"value": "Ann@Example.com"})

    assert "This is already your email address." in page(response)
    assert sum(gateway.calls.values()) == 0


# --- S10: the form is no oracle for "does this address have an account?" -----------------------
FREE, TAKEN = "free@example.com", "bob1@example.com"  # same length: same cookie length


def _normalised(response: Any, *names: str) -> str:
    """The page with the CSRF token and the given addresses left out."""
    html = without_tokens(page(response))
    for index, name in enumerate(names):
        html = html.replace(name, f"<address {index}>")
    return html


def _change_email(cognito: Any, me: str, new: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Everything the signed-in user ``me`` can observe when changing their email to ``new``:
    the answer, then the verify page, the profile, a wrong code and a new code."""
    browser = Client()
    member(cognito, browser, me)
    seen: dict[str, Any] = {"form": _normalised(browser.get(CHANGE_EMAIL), me, new)}
    gateway.reset_counters()  # the pool's description is cached from here on
    response = browser.post(CHANGE_EMAIL, {"value": new})
    seen["calls"] = dict(gateway.calls)
    pending = response.cookies.get("cf_pending")
    shape = cookie_shape(response)
    # The session cookies live until the sign-in's absolute end, counted in whole seconds: two
    # sign-ins a second apart differ by a second there, which says nothing about the address.
    seen["session lifetimes"] = {
        name: shape[name][1] for name in shape if name.startswith(app_settings.COOKIE_NAME)
    }
    for name in seen["session lifetimes"]:
        shape[name] = (shape[name][0], "lifetime", *shape[name][2:])
    seen["answer"] = (response.status_code, response.get("Location"), shape)
    seen["pending cookie length"] = len(pending.value) if pending else None
    seen["verify page"] = _normalised(browser.get(VERIFY_EMAIL), me, new)
    seen["profile"] = _normalised(browser.get(PROFILE), me, new)
    right = cognito.outbox.messages(to=new, purpose="verify_email")
    wrong = "000000" if not right or right[-1].code != "000000" else "111111"
    response = browser.post(VERIFY_EMAIL, {"code": wrong})
    seen["wrong code"] = (response.status_code, _normalised(response, me, new))
    monkeypatch.setattr(attempts, "cooldown_remaining", lambda kind, value: 0)
    response = browser.post(VERIFY_EMAIL, {"resend": "1"}, follow=True)
    seen["new code"] = (response.redirect_chain, _normalised(response, me, new))
    monkeypatch.undo()
    return seen


def test_a_taken_email_answers_exactly_like_a_free_one(
    cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S10: status, redirect, cookies (names, flags, and even the sealed pending cookie's
    length), messages and every following page are the same. Cognito calls: one
    UpdateUserAttributes each (for the taken address it answers AliasExistsException and keeps
    nothing) and one GetTokensFromRefreshToken (the new cookies); nothing is sent anywhere for
    the taken address, while the free one gets its code."""
    cognito.create_user(TAKEN)

    free = _change_email(cognito, "ann@example.com", FREE, monkeypatch)
    taken = _change_email(cognito, "cal@example.com", TAKEN, monkeypatch)

    lifetimes = free.pop("session lifetimes"), taken.pop("session lifetimes")
    assert lifetimes[0].keys() == lifetimes[1].keys()
    for name, lifetime in lifetimes[0].items():
        assert abs(int(lifetime) - int(lifetimes[1][name])) <= 2
    assert taken == free
    assert free["answer"][:2] == (302, VERIFY_EMAIL)
    assert "Pending verification: <address 1>" in free["profile"]
    assert "That code is not right" in free["wrong code"][1]
    assert "We have sent you a new code." in free["new code"][1]
    assert free["calls"] == {"UpdateUserAttributes": 1, "GetTokensFromRefreshToken": 1}
    assert len(cognito.outbox.messages(to=FREE, purpose="verify_email")) == 2
    assert cognito.outbox.messages(to=TAKEN) == []
    assert cognito.outbox.messages(to="cal@example.com") == []
    assert cognito_user(cognito, "cal@example.com")["email"] == "cal@example.com"
    assert cognito_user(cognito, TAKEN)["email"] == TAKEN


def test_wrong_codes_for_a_taken_email_end_like_those_for_a_free_one(
    cognito: Any, settings: Any
) -> None:
    """S10: the verify step says "not right" to every code for a taken address (none was
    sent) and stops after COGNITO_CODE_MAX_ATTEMPTS, as it does for a free address, before
    Cognito's own limit could answer differently. Cognito checks the codes of the free address
    (VerifyUserAttribute); for the taken one it is not asked."""
    cognito.create_user(TAKEN)
    answers, checked = [], []
    for me, new in (("ann@example.com", FREE), ("cal@example.com", TAKEN)):
        browser = Client()
        member(cognito, browser, me)
        browser.post(CHANGE_EMAIL, {"value": new})
        gateway.reset_counters()
        replies = [browser.post(VERIFY_EMAIL, {"code": "000000"}) for _ in range(7)]
        answers.append([(r.status_code, _normalised(r, me, new)) for r in replies])
        checked.append(gateway.calls["VerifyUserAttribute"])

    assert answers[0] == answers[1]
    assert [status for status, _ in answers[0]] == [200] * 5 + [429] * 2
    assert "Too many wrong codes" in answers[0][5][1]
    assert checked == [5, 0]


def test_after_a_taken_email_a_free_one_gets_its_code_and_works(
    client: Client, cognito: Any
) -> None:
    cognito.create_user(TAKEN)
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": TAKEN})

    client.post(CHANGE_EMAIL, {"value": FREE})
    response = client.post(VERIFY_EMAIL, {"code": cognito.code_for(FREE, "verify_email")})

    assert response["Location"] == PROFILE
    assert cognito_user(cognito, FREE)["email"] == FREE
    assert cognito.outbox.messages(to=TAKEN) == []


def test_the_right_code_after_wrong_ones_still_works(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.post(CHANGE_EMAIL, {"value": NEW})
    right = cognito.code_for(NEW, "verify_email")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        client.post(VERIFY_EMAIL, {"code": wrong})

    response = client.post(VERIFY_EMAIL, {"code": right})

    assert response["Location"] == PROFILE
    assert cognito_user(cognito, NEW)["email"] == NEW


def test_new_phone_number_is_unverified_until_its_sms_code(client: Client, cognito: Any) -> None:
    member(cognito, client)

    response = client.post(CHANGE_PHONE, {"value": "+14155550123"})

    assert response.status_code == 302
    assert response["Location"] == VERIFY_PHONE
    stored = cognito_user(cognito, "ann@example.com")
    assert stored["phone_number"] == "+14155550123"
    assert stored["phone_number_verified"] == "false"
    assert "not verified" in page(client.get(PROFILE))
    code = cognito.code_for("+14155550123", "verify_phone_number")

    client.post(VERIFY_PHONE, {"code": code})

    assert cognito_user(cognito, "ann@example.com")["phone_number_verified"] == "true"
    profile = page(client.get(PROFILE))
    assert "Your phone number has been verified." in profile
    assert "not verified" not in profile


def test_badly_formatted_phone_number_is_a_field_error(client: Client, cognito: Any) -> None:
    member(cognito, client)
    client.get(CHANGE_PHONE)
    gateway.reset_counters()

    response = client.post(CHANGE_PHONE, {"value": "0155 555"})

    assert response.status_code == 200
    assert "international format" in page(response)
    assert sum(gateway.calls.values()) == 0


def test_other_attributes_have_no_change_page(client: Client, cognito: Any) -> None:
    member(cognito, client)

    response = client.get("/accounts/profile/custom:role/change/")

    assert response.status_code == 404
