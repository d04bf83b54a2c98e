"""The baseline: a login_required page behind Django's own session authentication.

A user signs in through Django's ``LoginView`` (``django.contrib.auth.login``), with the
``signed_cookies`` session engine under ``/bench/django/signed/`` and the ``db`` engine under
``/bench/django/db/``. The page renders the demo site's private template with a claims-sized
dictionary kept in the session, so it does the same work as ``/private/``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

ENGINES = {
    "signed": "django.contrib.sessions.backends.signed_cookies",
    "db": "django.contrib.sessions.backends.db",
}
PREFIX = "/bench/django/"


def _engine_of(path: str) -> str | None:
    if not path.startswith(PREFIX):
        return None
    return path[len(PREFIX) :].split("/", 1)[0]


class PerPathSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, with the engine chosen by path (see module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self.stores = {name: import_module(engine).SessionStore for name, engine in ENGINES.items()}

    def process_request(self, request: HttpRequest) -> None:
        store = self.stores.get(_engine_of(request.path) or "", self.SessionStore)
        request.session = store(request.COOKIES.get(settings.SESSION_COOKIE_NAME))


class BaselineAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, on the baseline paths only."""

    def process_request(self, request: HttpRequest) -> None:
        if _engine_of(request.path) in ENGINES:
            super().process_request(request)


class BaselineLoginView(auth_views.LoginView):
    template_name = "bench/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # What a site would keep about the user in the session: about as much as an ID token.
        self.request.session["profile"] = {
            "sub": f"{user.pk:08d}-0000-4000-8000-000000000000",
            "email": user.email,
            "email_verified": True,
            "name": user.get_full_name() or user.username,
            "custom:company": "Bench Ltd",
            "custom:seats": "10",
            "cognito:username": user.username,
            "token_use": "id",
            "auth_time": 1_700_000_000,
            "iss": "https://example.invalid/bench",
            "aud": "bench",
            "origin_jti": "00000000-0000-4000-8000-000000000000",
            "event_id": "00000000-0000-4000-8000-000000000000",
            "jti": "00000000-0000-4000-8000-000000000000",
        }
        return response

    def get_default_redirect_url(self) -> str:
        engine = _engine_of(self.request.path) or "db"
        return reverse("bench_private", kwargs={"engine": engine})


@never_cache
@login_required
def private(request: HttpRequest, engine: str) -> HttpResponse:
    claims = request.session.get("profile")
    return render(request, "site_project/private.html", {"claims": claims})
