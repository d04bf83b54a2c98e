"""What one request knows about its signed-in session: ``request.cognito``.

The middleware sets a :class:`RequestAuth` on every request, anonymous ones included, and
everything after it (sign-in, sign-out, a refresh, the views) reads and updates that one
object instead of attributes of its own on ``request``:

- ``claims``: the verified ID-token claims (``{}`` when anonymous), ``access_claims`` likewise;
- ``session``: the session cookies this request carries (possibly just refreshed), or ``None``;
- ``keys_unavailable``: the pool's signing keys were out of reach, so the cookies could not be
  checked (every page then says why the browser looks signed out);
- the pending decision about the session cookies, carried out on the response by the
  middleware: :meth:`RequestAuth.write`, :meth:`RequestAuth.clear`, or
  :meth:`RequestAuth.handled` when a flow already set them on its own response.

``request.cognito_claims`` (an older public name, docs/customising.md) stays a read-only alias of
``request.cognito.claims`` for existing code; new code reads ``request.cognito``.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest

from .cookies import SessionCookies

#: What the middleware does with the session cookies on the way out.
CookieDecision = Literal["keep", "write", "clear", "handled"]


class RequestAuth:
    """The signed-in session of one request (see the module's doc)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        self._request = request
        self.claims: dict[str, Any] = {}
        self.access_claims: dict[str, Any] = {}
        self.session: SessionCookies | None = None
        self.keys_unavailable = False
        self._decision: CookieDecision = "keep"
        self._to_write: SessionCookies | None = None
        self._publish()

    def __repr__(self) -> str:  # never a token or a claim value in a log line
        return f"<RequestAuth signed_in={self.is_signed_in} cookies={self._decision}>"

    # --- who ----------------------------------------------------------------------------------
    @property
    def is_signed_in(self) -> bool:
        """Verified session cookies (or a sign-in) on this request."""
        return self.session is not None and bool(self.claims)

    @property
    def sub(self) -> str:
        """The Cognito user's ``sub`` ("" when anonymous)."""
        return str(self.claims.get("sub") or "")

    @property
    def access_token(self) -> str | None:
        """The access token for calls made on the user's behalf (``None`` when anonymous)."""
        return self.session.access_token if self.session is not None else None

    def signed_in(
        self,
        session: SessionCookies,
        claims: dict[str, Any],
        access_claims: dict[str, Any] | None = None,
    ) -> None:
        """This request carries ``session`` (verified: ``claims`` are its ID-token claims)."""
        self.session = session
        self.claims = claims
        self.access_claims = access_claims if access_claims is not None else {}
        self._publish()

    def anonymous(self) -> None:
        """No session on this request (the cookie decision and ``keys_unavailable`` stay)."""
        self.session = None
        self.claims = {}
        self.access_claims = {}
        self._publish()

    # --- the session cookies on the way out --------------------------------------------------
    def write(self, session: SessionCookies) -> None:
        """Set ``session`` as the cookies on the response (a refresh or a revalidation)."""
        if self._decision != "handled":
            self._decision, self._to_write = "write", session
        self.session = session

    def clear(self) -> None:
        """Expire the session cookies on the response; the request is anonymous from now on."""
        if self._decision != "handled":
            self._decision, self._to_write = "clear", None
        self.anonymous()

    def handled(self) -> None:
        """A flow set or cleared the cookies on its own response: nothing more to do."""
        self._decision, self._to_write = "handled", None

    @property
    def cookie_decision(self) -> CookieDecision:
        return self._decision

    @property
    def cookies_to_write(self) -> SessionCookies | None:
        """The session to write on the response when the decision is ``"write"``."""
        return self._to_write

    def _publish(self) -> None:
        # The documented read-only alias (docs/production.md): the same dict, kept in step.
        if self._request is not None:
            self._request.cognito_claims = self.claims  # type: ignore[attr-defined]


def of(request: HttpRequest) -> RequestAuth:
    """``request.cognito``, typed; attached (anonymous) if the middleware did not run."""
    auth = getattr(request, "cognito", None)
    if not isinstance(auth, RequestAuth):
        auth = RequestAuth(request)
        request.cognito = auth  # type: ignore[attr-defined]
    return auth


def attach(request: HttpRequest) -> RequestAuth:
    """A fresh, anonymous ``request.cognito`` (the middleware, first thing on every request)."""
    auth = RequestAuth(request)
    request.cognito = auth  # type: ignore[attr-defined]
    return auth
