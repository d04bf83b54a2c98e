"""URLs of cognito-forms, meant to be included under ``accounts/``.

Paths and names are public API: sign-up ``signup/``, ``confirm/``, sign-in ``signin/`` (and its
challenge steps), ``signout/``, ``password/forgot/``, ``password/reset/``, ``profile/``,
``password/change/``, ``mfa/``, ``delete/``.
"""

from __future__ import annotations

from django.urls import path

from .views import session, signup

app_name = "cognito_forms"

urlpatterns = [
    path("signup/", signup.SignUpView.as_view(), name="signup"),
    path("signup/done/", signup.SignUpDoneView.as_view(), name="signup_done"),
    path("signout/", session.SignOutView.as_view(), name="signout"),
]
