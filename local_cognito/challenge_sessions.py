"""Challenge sessions: opaque, short-lived (the client's AuthSessionValidity), single-use."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any

from . import errors
from .clock import Clock

EXPIRED = "Invalid session for the user, session is expired."
INVALID = "Invalid session for the user."


@dataclass
class Session:
    pool_id: str
    client_id: str
    sub: str
    challenge: str
    expires_at: float
    data: dict[str, Any] = field(default_factory=dict)


def opaque_token(nbytes: int) -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode("ascii").rstrip("=")


class SessionStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._sessions: dict[str, Session] = {}

    def reset(self) -> None:
        self._sessions.clear()

    def create(
        self,
        *,
        pool_id: str,
        client_id: str,
        sub: str,
        challenge: str,
        validity_minutes: float = 3,
        token: str | None = None,
        **data: Any,
    ) -> str:
        token = token or opaque_token(690)  # real Sessions are ~920 characters
        self._sessions[token] = Session(
            pool_id,
            client_id,
            sub,
            challenge,
            self._clock.now() + validity_minutes * 60,
            dict(data),
        )
        return token

    def peek(self, token: str | None, client_id: str | None = None) -> Session:
        """The live session (not consumed) or NotAuthorizedException like Cognito."""
        session = self._sessions.get(token or "")
        if session is None or (client_id is not None and session.client_id != client_id):
            raise errors.NotAuthorized(INVALID)
        if session.expires_at <= self._clock.now():
            del self._sessions[token or ""]
            raise errors.NotAuthorized(EXPIRED)
        return session

    def take(self, token: str | None, client_id: str | None = None) -> Session:
        """Consume: a Session answers one challenge response only."""
        session = self.peek(token, client_id)
        del self._sessions[token or ""]
        return session

    def drop(self, token: str | None) -> None:
        self._sessions.pop(token or "", None)
