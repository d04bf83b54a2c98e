"""Signed-in browsers for tests: tokens straight from the embedded Cognito (USER_PASSWORD_AUTH
through boto3, so the session layer is tested independently of the sign-in journey), put into a
Django test client's cookies by the real ``session.start`` flow.

Fixtures (re-exported by conftest.py): ``get_tokens``, ``sign_in_client``, ``signed_in_client``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

from cognito_forms import cookies
from cognito_forms import tokens as token_verifier
from cognito_forms.flows import session
from cognito_forms.types import TokenSet

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Passw0rd!"


def idp_client(handle: Any) -> Any:
    """A boto3 client of the embedded Cognito for test set-up (not counted as the product's)."""
    return boto3.client(
        "cognito-idp",
        region_name=handle.seed.region,
        endpoint_url=handle.url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def create_group(handle: Any, name: str) -> None:
    idp_client(handle).create_group(GroupName=name, UserPoolId=handle.seed.pool_id)


def fetch_tokens(handle: Any, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> TokenSet:
    """InitiateAuth USER_PASSWORD_AUTH against the embedded Cognito (not counted as ours)."""
    result = idp_client(handle).initiate_auth(
        ClientId=handle.seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )["AuthenticationResult"]
    return TokenSet(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result.get("ExpiresIn", 3600)),
    )


def install_session(client: Client, tokens: TokenSet, *, secure: bool = False) -> HttpResponse:
    """Run the real ``session.start`` flow and give ``client`` the cookies it set."""
    request = RequestFactory().get("/", secure=secure)
    request.COOKIES.update({k: m.value for k, m in client.cookies.items()})
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    response = HttpResponse()
    session.start(request, response, tokens)
    copy_cookies(client, response)
    return response


def copy_cookies(client: Client, response: Any) -> None:
    """Apply a response's Set-Cookie headers to the client, as a browser would."""
    for name, morsel in response.cookies.items():
        if morsel["max-age"] == 0 or morsel.value == "":
            client.cookies.pop(name, None)
        else:
            client.cookies[name] = morsel.value


@pytest.fixture
def get_tokens(cognito: Any) -> Callable[..., TokenSet]:
    """``get_tokens(email=..., password=...)``: a fresh TokenSet from the local pool."""
    token_verifier.reset_caches()

    def get(email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> TokenSet:
        return fetch_tokens(cognito, email, password)

    return get


@pytest.fixture
def sign_in_client(cognito: Any, db: Any) -> Callable[..., Client]:
    """``sign_in_client(email=..., password=..., client=None)`` -> a signed-in test client."""
    token_verifier.reset_caches()

    def make(
        email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD, client: Client | None = None
    ) -> Client:
        browser = client or Client()
        install_session(browser, fetch_tokens(cognito, email, password))
        return browser

    return make


@pytest.fixture
def signed_in_client(sign_in_client: Callable[..., Client]) -> Client:
    """A test client signed in as the seeded demo user (demo@example.com)."""
    return sign_in_client()


def browser_with_session(tokens_pair: tuple[str, str], refresh: str | None = None) -> Client:
    """A browser whose session cookies hold exactly these tokens (sealed as the site does)."""
    state = cookies.SessionCookies(
        id_token=tokens_pair[0],
        access_token=tokens_pair[1],
        refresh_token=refresh,
        auth_time=int(time.time()),
        family="fam",
        written_at=time.time(),
    )
    response = HttpResponse()
    cookies.write_session(response, RequestFactory().get("/"), state)
    browser = Client()
    copy_cookies(browser, response)
    return browser


def opened_tokens(client: Client) -> cookies.SessionCookies:
    """The session a browser holds (decrypted test-side with the site's keys)."""
    jar = {k: m.value for k, m in client.cookies.items()}
    request = RequestFactory().get("/")
    request.COOKIES.update(jar)
    state = cookies.read_session(request)
    assert state is not None
    return state
