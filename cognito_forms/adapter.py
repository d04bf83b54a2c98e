"""Every policy an operator may change, in one overridable class.

Point ``COGNITO_ADAPTER`` at a subclass of :class:`DefaultAdapter` to change how Cognito claims
map to the local user and its groups (and, further down, messages and redirects).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.shortcuts import resolve_url
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .branding import current_brand
from .conf import app_settings


class DefaultAdapter:
    """The default policies. Subclass and override single methods."""

    # --- user mapping -----------------------------------------------------------------------
    def local_username(self, claims: Mapping[str, Any]) -> str:
        """The username of a new local user: the Cognito ``sub``.

        Never the email: an address someone signed up with in Cognito must not take over a
        local account that happens to use the same address.
        """
        return str(claims["sub"])[:150]

    def new_user(self, claims: Mapping[str, Any]) -> AbstractBaseUser:
        """An unsaved local user for a first sign-in (``populate_user`` fills it next)."""
        user_model = get_user_model()
        user = user_model(**{user_model.USERNAME_FIELD: self.local_username(claims)})
        user.set_unusable_password()  # the password lives in Cognito only
        return user

    def populate_user(self, user: AbstractBaseUser, claims: Mapping[str, Any]) -> bool:
        """Copy name and email from ID-token claims onto ``user``; True if anything changed.

        Does not save: the caller saves once.
        """
        values: dict[str, str] = {}
        if isinstance(claims.get("email"), str):
            values["email"] = claims["email"][:254]
        given, family = claims.get("given_name"), claims.get("family_name")
        name = claims.get("name")
        if isinstance(given, str) or isinstance(family, str):
            values["first_name"] = str(given or "")[:150]
            values["last_name"] = str(family or "")[:150]
        elif isinstance(name, str):
            first, _, last = name.strip().partition(" ")
            values["first_name"], values["last_name"] = first[:150], last.strip()[:150]
        changed = False
        for field_name, value in values.items():
            if hasattr(user, field_name) and getattr(user, field_name) != value:
                setattr(user, field_name, value)
                changed = True
        return changed

    def groups_from_claims(self, claims: Mapping[str, Any]) -> list[str]:
        raw = claims.get("cognito:groups") or []
        return [str(g) for g in raw] if isinstance(raw, list) else []

    def sync_flags(self, user: AbstractBaseUser, groups: Iterable[str]) -> bool:
        """Set ``is_staff`` / ``is_superuser`` from the configured groups; True if changed."""
        names = set(groups)
        changed = False
        for flag, group in (
            ("is_staff", app_settings.STAFF_GROUP),
            ("is_superuser", app_settings.SUPERUSER_GROUP),
        ):
            # Only a configured group decides: an unset setting leaves the flag to the site.
            if group and hasattr(user, flag) and getattr(user, flag) != (group in names):
                setattr(user, flag, group in names)
                changed = True
        return changed

    def sync_groups(self, user: AbstractBaseUser, groups: Iterable[str]) -> None:
        """Make the user's Django groups exactly its Cognito groups (creating missing ones).

        The user must be saved. Override to keep locally assigned groups.
        """
        wanted = sorted(set(groups))
        related = getattr(user, "groups", None)
        if related is None:
            return
        current = set(related.values_list("name", flat=True))
        if current == set(wanted):
            return
        objects = [Group.objects.get_or_create(name=name[:150])[0] for name in wanted]
        related.set(objects)

    # --- messages (account journeys) ---------------------------------------------------------
    #: Our exception codes (see exceptions.py and the flows) -> the sentence a visitor reads.
    #: Override single entries in a subclass: ``error_messages = {**DefaultAdapter.error_messages,
    #: "signin_failed": _("...")}``.
    error_messages: dict[str, Any] = {
        "error": _("Something went wrong. Please try again."),
        "signin_failed": _("Incorrect email address or password."),
        "not_authorized": _("That did not work. Please check what you entered and try again."),
        "user_not_found": _("Incorrect email address or password."),
        "username_exists": _("Please check your email to continue."),
        "alias_exists": _("This email address cannot be used. Please use another one."),
        "user_not_confirmed": _(
            "Please confirm your email address first. We have sent you a new code."
        ),
        "password_reset_required": _(
            "You need to choose a new password. We have sent you a code to do so."
        ),
        "invalid_password": _("This password does not meet the requirements below."),
        "invalid_parameter": _(
            "Some of the details you entered were not accepted. Please check them and try again."
        ),
        "code_mismatch": _("That code is not right. Please check it and try again."),
        "expired_code": _("That code has expired or was already used. Ask for a new code."),
        "reset_code_invalid": _(
            "That code is not right, has expired or was already used. Check the latest email "
            "from us, or ask for a new code."
        ),
        # The same sentence: the confirm form must not tell an unknown address from a known one.
        "confirm_code_invalid": _(
            "That code is not right, has expired or was already used. Check the latest email "
            "from us, or ask for a new code."
        ),
        "too_many_failed_attempts": _("Too many attempts. Please wait a while and try again."),
        "too_many_codes": _("Too many wrong codes. Please wait a while and start again."),
        "limit_exceeded": _("Too many attempts. Please wait a while and try again."),
        "code_delivery_failure": _("We could not send you a code. Please try again later."),
        "software_token_mfa_not_found": _("Set up an authenticator app first."),
        "enable_software_token_mfa": _("That code is not right. Please check it and try again."),
        "email_required": _("Enter the email address you signed up with."),
        "resend_too_soon": _("Please wait a little before asking for another code."),
        "flow_expired": _("This page has expired. Please start again."),
        "challenge_expired": _("Your sign-in took too long. Please sign in again."),
        "rate_limited": _("Too many attempts. Please wait a moment and try again."),
        "forbidden": _("This request was blocked. Please try again later."),
        "wrong_password": _("That password is not right. Please try again."),
        "refresh_token_reuse": _("Please sign in again."),
        "token_invalid": _("Please sign in again."),
        "token_expired": _("Please sign in again."),
        "keys_unavailable": _("Sign-in is temporarily unavailable. Please try again shortly."),
        "unexpected_lambda": _("We could not complete this right now. Please try again later."),
        "lambda_refused": _(
            "These details were not accepted. Please check them, or contact us if this goes on."
        ),
        "unsupported_challenge": _(
            "This account needs a sign-in step this site does not offer. Please contact us."
        ),
        "invalid_configuration": _(
            "This service is temporarily unavailable. Please try again in a few moments."
        ),
        "resource_not_found": _(
            "This service is temporarily unavailable. Please try again in a few moments."
        ),
        "too_many_requests": _(
            "This service is temporarily unavailable. Please try again in a few moments."
        ),
        "service_unavailable": _(
            "This service is temporarily unavailable. Please try again in a few moments."
        ),
    }

    def get_error_message(self, code: str) -> str:
        """The translated sentence for an error ``code`` (a generic one for unknown codes)."""
        message = self.error_messages.get(code) or self.error_messages["error"]
        return str(message)

    #: What a journey tells the visitor on the next page (a flash message), by code; the
    #: ``%(name)s`` placeholders are filled from the step's parameters. Override single entries
    #: like ``error_messages``.
    messages: dict[str, Any] = {
        # sign-in
        "confirm_first_code_sent": _(
            "Please confirm your email address first. We have sent you a new code."
        ),
        "reset_required": _(
            "You need to choose a new password. We have sent a code to your email address."
        ),
        "signed_out_everywhere": _(
            "Your password has been changed and you have been signed out everywhere. "
            "Please sign in with your new password."
        ),
        # sign-up
        "confirmed_sign_in": _("Your email address is confirmed. Please sign in."),
        # Another browser signed up: the password may not be this visitor's (S1).
        "confirmed_sign_in_or_reset": _(
            "Your email address is confirmed. Please sign in. If your password is not "
            'accepted, choose a new one with "Forgot your password?".'
        ),
        "resend_wait": _("Please wait %(seconds)d seconds before asking for another code."),
        "resend_sent": _("We have sent a new code if this address has an account to confirm."),
        # password
        "reset_code_sent": _(
            "If an account exists for this address, we have sent it a code to reset the password."
        ),
        "password_reset_sign_in": _("Your password has been changed. Please sign in with it."),
        "password_changed": _("Your password has been changed."),
        # two-step verification
        "mfa_enabled": _("%(method)s is now turned on."),
        "mfa_disabled": _("%(method)s is now turned off."),
        "mfa_preferred": _("%(method)s is now your preferred method."),
        "totp_unavailable": _("The authenticator app cannot be set up right now."),
        "totp_expired": _("This page has expired. Please start again."),
        "totp_enabled": _("Your authenticator app is now turned on."),
        # profile
        "nothing_changed": _("Nothing was changed."),
        "profile_saved": _("Your profile has been saved."),
        "attribute_code_wait": _("Please wait a little before asking for another code."),
        "attribute_code_sent": _("We have sent you a new code."),
        "attribute_verified": _("Your %(name)s has been verified."),
    }

    def get_message(self, code: str, params: Mapping[str, Any] | None = None) -> str:
        """The translated sentence for a message ``code`` (else the error sentence of that
        code), with ``params`` filled in."""
        message = self.messages.get(code)
        sentence = str(message) if message is not None else self.get_error_message(code)
        return sentence % dict(params) if params else sentence

    # --- redirects (account journeys) --------------------------------------------------------
    def get_signin_redirect_url(self, request: HttpRequest) -> str:
        """Where a visitor lands after signing in when there is no safe ``next``."""
        return str(resolve_url(settings.LOGIN_REDIRECT_URL))

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """Where a new account lands after confirmation when it cannot be signed in."""
        return str(resolve_url("cognito_forms:signin"))

    def get_signout_redirect_url(self, request: HttpRequest) -> str:
        """Where a visitor lands after signing out (``LOGOUT_REDIRECT_URL``, else ``/``)."""
        return str(resolve_url(getattr(settings, "LOGOUT_REDIRECT_URL", None) or "/"))

    # --- two-step verification ---------------------------------------------------------------
    def get_totp_issuer(self, request: HttpRequest) -> str:
        """The name an authenticator app shows for this site (the ``issuer`` of the otpauth
        URI), the same at sign-in enrolment (MFA_SETUP) and on the security settings page.

        ``COGNITO_BRAND["site_name"]`` when set, else the host name the visitor used (not the
        demo's default name: an app lists the account under it for as long as it exists).
        """
        name = str(current_brand().site_name or "")
        if name:
            return name
        # Without the port: a colon separates the issuer from the account in the URI's label.
        host, _port = split_domain_port(request.get_host())
        return host or request.get_host()


_adapter_cache: dict[str, DefaultAdapter] = {}


def get_adapter() -> DefaultAdapter:
    """The configured adapter (``COGNITO_ADAPTER``), one instance per class path."""
    path = app_settings.ADAPTER
    adapter = _adapter_cache.get(path)
    if adapter is None:
        adapter = import_string(path)()
        _adapter_cache[path] = adapter
    return adapter
