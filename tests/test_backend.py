"""The authentication backend takes tokens and verifies them itself (docs/security.md T1):
no caller can hand it claims of its own making and get somebody's local user back."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from cognito_forms import backends
from cognito_forms.models import CognitoIdentity
from cognito_forms.types import TokenSet

from .session_helpers import fetch_tokens

pytestmark = pytest.mark.django_db


def _with_payload(token: str, **changes: Any) -> str:
    """``token`` with claims changed and its (now wrong) signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_genuine_tokens_give_the_linked_local_user(cognito: Any) -> None:
    tokens = fetch_tokens(cognito)
    user = authenticate(RequestFactory().get("/"), cognito_tokens=tokens)
    assert user is not None
    assert user.email == "demo@example.com"  # type: ignore[attr-defined]
    assert CognitoIdentity.objects.filter(user=user).exists()


def test_claims_handed_to_authenticate_are_not_a_user(cognito: Any) -> None:
    """Before: ``authenticate(request, cognito_claims={"sub": ...})`` returned that user."""
    victim = authenticate(RequestFactory().get("/"), cognito_tokens=fetch_tokens(cognito))
    assert victim is not None
    sub = CognitoIdentity.objects.get(user=victim).sub
    assert authenticate(RequestFactory().get("/"), cognito_claims={"sub": sub}) is None


def test_tokens_with_a_changed_subject_are_refused(cognito: Any) -> None:
    victim = authenticate(RequestFactory().get("/"), cognito_tokens=fetch_tokens(cognito))
    assert victim is not None
    sub = CognitoIdentity.objects.get(user=victim).sub
    cognito.create_user("mallory@example.com")
    own = fetch_tokens(cognito, "mallory@example.com", "Correct-Horse-9!")
    forged = dataclasses.replace(
        own,
        id_token=_with_payload(own.id_token, sub=sub),
        access_token=_with_payload(own.access_token, sub=sub),
    )
    assert authenticate(RequestFactory().get("/"), cognito_tokens=forged) is None


@pytest.mark.parametrize("broken", ["", "not-a-jwt", "a.b.c"])
def test_unverifiable_tokens_are_refused(cognito: Any, broken: str) -> None:
    tokens = fetch_tokens(cognito)
    assert authenticate(None, cognito_tokens=dataclasses.replace(tokens, id_token=broken)) is None
    assert (
        authenticate(None, cognito_tokens=dataclasses.replace(tokens, access_token=broken)) is None
    )
    assert not CognitoIdentity.objects.exists()


def test_an_id_token_of_one_user_beside_the_access_token_of_another_is_refused(
    cognito: Any,
) -> None:
    cognito.create_user("mallory@example.com")
    own = fetch_tokens(cognito, "mallory@example.com", "Correct-Horse-9!")
    victim = fetch_tokens(cognito)
    mixed = TokenSet(id_token=victim.id_token, access_token=own.access_token)
    assert authenticate(None, cognito_tokens=mixed) is None


def test_an_inactive_local_user_is_refused(cognito: Any) -> None:
    tokens = fetch_tokens(cognito)
    user = authenticate(None, cognito_tokens=tokens)
    assert user is not None
    user.is_active = False  # type: ignore[attr-defined]
    user.save()
    assert authenticate(None, cognito_tokens=tokens) is None
    # The middleware's lookup applies the same rule.
    claims = {"sub": CognitoIdentity.objects.get(user=user).sub}
    assert backends.active_user_for_claims(claims) is None
    assert backends.user_for_claims(claims) is not None
