"""Cognito's threat protection judges the visitor, not the server (docs/security.md S12).

Every unauthenticated call (SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth,
RespondToAuthChallenge, ForgotPassword, ConfirmForgotPassword) carries
``UserContextData.IpAddress``: the visitor's address as the trusted-proxy rule reads it. The
embedded Cognito records what each call carried (``lc.user_context``).
"""

from __future__ import annotations

import io
import logging
import threading
from typing import Any

import pytest
from django.test import Client, RequestFactory

from cognito_forms import gateway, visitor
from cognito_forms.flows import password as password_flow
from tests.journeys import DEMO_EMAIL, DEMO_PASSWORD, STRONG, signed_in

pytestmark = pytest.mark.django_db

VISITOR = "203.0.113.7"
PROXY = "10.0.0.2"
CONTEXT_ACTIONS = {
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "ForgotPassword",
    "ConfirmForgotPassword",
}


def seen(cognito: Any) -> list[tuple[str, str | None]]:
    """(action, IpAddress) of every unauthenticated call the embedded Cognito received."""
    return [(record.action, record.ip_address) for record in cognito.lc.user_context]


def test_sign_in_sends_the_visitors_address_with_both_srp_calls(cognito: Any) -> None:
    browser = Client(REMOTE_ADDR=VISITOR)

    response = browser.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})

    assert signed_in(response)
    assert seen(cognito) == [("InitiateAuth", VISITOR), ("RespondToAuthChallenge", VISITOR)]
    assert not any(record.encoded_data for record in cognito.lc.user_context)


def test_behind_a_trusted_proxy_the_forwarded_client_is_sent_not_the_proxy(
    cognito: Any, settings: Any
) -> None:
    settings.COGNITO_TRUSTED_PROXY_COUNT = 1
    # The left entry was written by the client itself: only our proxy's entry is believed.
    browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.66, {VISITOR}")

    browser.post("/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})

    assert {ip for _, ip in seen(cognito)} == {VISITOR}


def test_without_trusted_proxies_a_forwarded_header_is_ignored(cognito: Any) -> None:
    browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VISITOR)

    browser.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})

    assert seen(cognito) == [("ForgotPassword", PROXY)]


def test_every_unauthenticated_journey_sends_the_visitors_address(
    cognito: Any, settings: Any
) -> None:
    settings.COGNITO_RESEND_COOLDOWN = 0
    browser = Client(REMOTE_ADDR=VISITOR)
    email = "new@example.com"
    # Sign-up, a new code, confirmation (and the sign-in that follows it).
    browser.post("/accounts/signup/", {"email": email, "password": STRONG, "name": "Ada"})
    browser.post("/accounts/confirm/resend/")
    confirmed = browser.post("/accounts/confirm/", {"code": cognito.code_for(email)})
    assert signed_in(confirmed)
    # Forgot password and the reset (and the sign-in that follows it), in another browser.
    other = Client(REMOTE_ADDR=VISITOR)
    other.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})
    code = cognito.code_for(DEMO_EMAIL, "forgot_password")
    new_password = {"code": code, "password": "Brand-New-Passw0rd!"}
    assert signed_in(other.post("/accounts/password/reset/", new_password))

    records = seen(cognito)
    assert {action for action, _ in records} == CONTEXT_ACTIONS
    assert {ip for _, ip in records} == {VISITOR}


def test_ipv6_visitors_are_sent_as_they_are(cognito: Any) -> None:
    Client(REMOTE_ADDR="2001:db8::1").post("/accounts/password/forgot/", {"email": DEMO_EMAIL})

    assert seen(cognito) == [("ForgotPassword", "2001:db8::1")]


def test_a_peer_that_is_not_an_ip_address_sends_no_user_context_data(cognito: Any) -> None:
    Client(REMOTE_ADDR="not-an-ip").post("/accounts/password/forgot/", {"email": DEMO_EMAIL})

    assert seen(cognito) == [("ForgotPassword", None)]


def test_the_setting_turns_it_off(cognito: Any, settings: Any) -> None:
    settings.COGNITO_SEND_USER_CONTEXT_DATA = False

    Client(REMOTE_ADDR=VISITOR).post("/accounts/password/forgot/", {"email": DEMO_EMAIL})

    assert seen(cognito) == [("ForgotPassword", None)]


def test_calls_outside_a_request_carry_no_address(cognito: Any) -> None:
    """Management commands, the admin's background work, a previous request: nothing left."""
    Client(REMOTE_ADDR=VISITOR).post("/accounts/password/forgot/", {"email": DEMO_EMAIL})

    password_flow.forgot(DEMO_EMAIL)

    assert seen(cognito) == [("ForgotPassword", VISITOR), ("ForgotPassword", None)]
    assert visitor.ip_address() is None


def test_the_address_is_forgotten_when_a_view_raises(
    cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(email: str) -> None:
        assert visitor.ip_address() == VISITOR  # set while the view runs
        raise RuntimeError("a bug in a flow")

    monkeypatch.setattr(password_flow, "forgot", broken)
    browser = Client(REMOTE_ADDR=VISITOR, raise_request_exception=True)

    with pytest.raises(RuntimeError):
        browser.post("/accounts/password/forgot/", {"email": DEMO_EMAIL})

    assert visitor.ip_address() is None


def test_concurrent_requests_each_send_their_own_visitors_address(cognito: Any) -> None:
    """Two requests served at once by two threads: each call carries its own visitor."""
    factory = RequestFactory()
    inside = threading.Barrier(2, timeout=10)
    sent: dict[str, Any] = {}

    def serve(address: str) -> None:
        with visitor.visiting(factory.post("/", REMOTE_ADDR=address)):
            inside.wait()  # both requests are now being served at the same time
            sent[address] = gateway.connection.user_context()
            inside.wait()

    threads = [threading.Thread(target=serve, args=(a,)) for a in ("192.0.2.1", "192.0.2.2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sent == {
        "192.0.2.1": {"UserContextData": {"IpAddress": "192.0.2.1"}},
        "192.0.2.2": {"UserContextData": {"IpAddress": "192.0.2.2"}},
    }
    assert visitor.ip_address() is None


def test_signed_in_calls_carry_no_user_context_data(
    cognito: Any, signed_in_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the unauthenticated operations take it (botocore would refuse it elsewhere)."""
    sent: list[tuple[str, dict[str, Any]]] = []
    real_call = gateway.connection.call

    def recording(operation: str, **params: Any) -> dict[str, Any]:
        sent.append((operation, params))
        return real_call(operation, **params)

    monkeypatch.setattr(gateway.connection, "call", recording)
    signed_in_client.defaults["REMOTE_ADDR"] = VISITOR
    signed_in_client.post("/accounts/profile/", {"name": "Demo Renamed"})

    assert "update_user_attributes" in [operation for operation, _ in sent]
    assert all("UserContextData" not in params for _, params in sent)


def test_botocore_debug_logs_do_not_repeat_the_address(cognito: Any) -> None:
    """Security events log the client IP already; nothing else should (botocore at DEBUG
    prints every request body)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "botocore", "urllib3")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    security = logging.getLogger("cognito_forms.security")
    security.propagate = False  # its events carry the IP on purpose (docs/security.md L2)
    try:
        Client(REMOTE_ADDR=VISITOR).post(
            "/accounts/signin/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
    finally:
        security.propagate = True
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)

    output = stream.getvalue()
    assert "UserContextData" in output  # botocore did log the request bodies
    assert VISITOR not in output
