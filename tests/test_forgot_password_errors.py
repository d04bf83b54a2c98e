"""Forgot password hides every per-account answer of Cognito (docs/security.md F3, S14).

Whatever Cognito says about one account (too many requests for that user, no verified address,
the code could not be delivered, and every existence error of a client whose
PreventUserExistenceErrors is LEGACY) the page answers exactly as for an address with no
account: same status, redirect, cookies and next page (modulo the CSRF token and the address
itself). Errors the embedded Cognito does not produce are injected with botocore's Stubber.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber
from django.test import Client

from cognito_forms import gateway
from tests.journeys import STRONG, cookie_shape, follow, text, without_tokens

pytestmark = pytest.mark.django_db

FORGOT = "/accounts/password/forgot/"
UNKNOWN = "nobody@example.com"
#: (Cognito error code, its message, HTTP status): answers about one account only.
PER_ACCOUNT_ERRORS = [
    ("LimitExceededException", "Attempt limit exceeded, please try after some time.", 400),
    (
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or "
        "phone_number",
        400,
    ),
    ("CodeDeliveryFailureException", "Unable to deliver the message.", 400),
    ("UserNotFoundException", "Username/client id combination not found.", 400),
    ("NotAuthorizedException", "User is disabled.", 400),
    ("UserNotConfirmedException", "User is not confirmed.", 400),
    ("TooManyFailedAttemptsException", "Too many failed attempts.", 400),
    ("InvalidSmsRoleAccessPolicyException", "Role cannot publish to SNS.", 400),
    ("InvalidEmailRoleAccessPolicyException", "Cognito cannot use the SES identity.", 400),
    ("UserLambdaValidationException", "CustomMessage failed with error boom.", 400),
    ("UnexpectedLambdaException", "Lambda timed out.", 400),
    ("SomeFutureAccountException", "A code Cognito may add one day.", 400),
]


@pytest.fixture(autouse=True)
def _no_forgot_limit(settings: Any) -> None:
    # Several requests for one address in a test: the rate limit is not what is tested here.
    settings.COGNITO_RATE_LIMITS = {"forgot": None}


def answer(email: str, stub: tuple[str, str, int] | None = None) -> tuple[Any, ...]:
    """What a new browser sees when asking for a reset code for ``email``: the response's
    status, redirect and cookies, and the next page's text (the address itself left out)."""
    browser = Client()
    gateway.reset_counters()
    if stub is None:
        response = browser.post(FORGOT, {"email": email})
    else:
        code, message, status = stub
        with Stubber(gateway.client()) as stubber:
            stubber.add_client_error(
                "forgot_password",
                service_error_code=code,
                service_message=message,
                http_status_code=status,
            )
            response = browser.post(FORGOT, {"email": email})
            stubber.assert_no_pending_responses()
    assert gateway.calls["ForgotPassword"] == 1  # Cognito was asked and answered
    location = response.get("Location")
    page = without_tokens(text(follow(browser, response) if location else response))
    return (response.status_code, location, cookie_shape(response), page.replace(email, "X"))


@pytest.fixture
def unknown_address_answer(cognito: Any) -> tuple[Any, ...]:
    reference = answer(UNKNOWN)
    assert reference[0] == 302
    assert "If an account exists for this address" in reference[3]
    return reference


@pytest.mark.parametrize("error", PER_ACCOUNT_ERRORS, ids=[e[0] for e in PER_ACCOUNT_ERRORS])
def test_a_per_account_error_answers_like_an_unknown_address(
    cognito: Any, unknown_address_answer: tuple[Any, ...], error: tuple[str, str, int]
) -> None:
    assert answer("demo@example.com", stub=error) == unknown_address_answer


@pytest.mark.parametrize("account", ["unknown", "disabled", "unverified"])
def test_a_legacy_client_existence_error_answers_like_an_unknown_address(
    cognito: Any, unknown_address_answer: tuple[Any, ...], account: str
) -> None:
    """The embedded Cognito with PreventUserExistenceErrors LEGACY answers UserNotFound,
    "User is disabled." and "no registered/verified email" for these; the page does not."""
    cognito.create_user("disabled@example.com", STRONG, enabled=False)
    cognito.create_user("unverified@example.com", STRONG, confirmed=False)
    cognito.lc.update_client(PreventUserExistenceErrors="LEGACY")
    email = {
        "unknown": UNKNOWN,
        "disabled": "disabled@example.com",
        "unverified": "unverified@example.com",
    }[account]
    raw = cognito.lc.calls["ForgotPassword"]

    assert answer(email) == unknown_address_answer
    assert cognito.lc.calls["ForgotPassword"] == raw + 1
    assert cognito.outbox.messages(to=email) == []


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("TooManyRequestsException", 400),
        ("ResourceNotFoundException", 400),
        ("InternalErrorException", 500),
    ],
)
def test_failures_that_are_the_same_for_every_address_are_shown(
    cognito: Any, settings: Any, code: str, status: int
) -> None:
    """Throttling of the whole API, a missing pool or client, Cognito down: a 503 that keeps
    the address, for a known address and an unknown one alike."""
    known = answer("demo@example.com", stub=(code, "whatever", status))
    unknown = answer(UNKNOWN, stub=(code, "whatever", status))

    assert known[0] == 503
    assert 'value="X"' in known[3]
    assert known == unknown
