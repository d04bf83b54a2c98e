"""Form configuration by settings: custom form classes (``COGNITO_FORMS``) and per-attribute
validators (``COGNITO_ATTRIBUTE_VALIDATORS``). The system checks that catch mistakes in them at
start-up (``E020``-``E022``, ``W020``) are in ``checks.py``; this module imports no form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.validators import RegexValidator
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .conf import app_settings

#: A string made of identifiers and dots is a dotted path; anything else is a regex.
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")

#: Key in ``COGNITO_FORMS`` -> the name of our form class it replaces.
FORM_KEYS: dict[str, str] = {
    "signup": "SignUpForm",
    "confirm": "ConfirmForm",
    "resend": "ResendForm",
    "signin": "SignInForm",
    "code": "CodeForm",
    "new_password": "NewPasswordForm",
    "select_mfa": "SelectMfaForm",
    "select_challenge": "SelectChallengeForm",
    "forgot_password": "ForgotPasswordForm",
    "reset_password": "ResetPasswordForm",
    "profile": "ProfileForm",
    "change_attribute": "ChangeAttributeForm",
    "reauth": "ReauthForm",
    "change_password": "ChangePasswordForm",
    "mfa": "MfaActionForm",
    "totp_setup": "TotpSetupForm",
    "delete": "DeleteAccountForm",
}
_KEY_OF_CLASS = {name: key for key, name in FORM_KEYS.items()}


F = TypeVar("F", bound=forms.BaseForm)


def form_class(default: type[F]) -> type[F]:
    """The class to use where ``default`` is ours: the operator's from ``COGNITO_FORMS`` (it
    should subclass ``default``: views pass it the same arguments), else ``default``."""
    key = _KEY_OF_CLASS.get(default.__name__)
    path = app_settings.FORMS.get(key or "")
    if not path:
        return default
    chosen: type[F] = import_string(path)
    return chosen


def _regex_validator(pattern: str, message: Any = None) -> RegexValidator:
    # Compiled now (RegexValidator compiles lazily): a broken pattern fails the system check.
    return RegexValidator(re.compile(pattern), message or _("Enter a valid value."), code="invalid")


def attribute_validators(attribute: str) -> list[Callable[[Any], None]]:
    """The operator's validators for one attribute (``COGNITO_ATTRIBUTE_VALIDATORS``).

    Each entry is a callable, a dotted path to one, a regular expression the whole value must
    match, or a ``(regex, message)`` pair.
    """
    found: list[Callable[[Any], None]] = []
    for entry in app_settings.ATTRIBUTE_VALIDATORS.get(attribute, []):
        if callable(entry):
            found.append(entry)
        elif isinstance(entry, (tuple, list)) and len(entry) == 2:
            found.append(_regex_validator(_anchored(str(entry[0])), entry[1]))
        elif isinstance(entry, str) and _DOTTED.fullmatch(entry):
            found.append(import_string(entry))
        else:
            found.append(_regex_validator(_anchored(str(entry))))
    return found


def _anchored(pattern: str) -> str:
    # The whole value must match: a regex without anchors would accept "x<valid>y".
    return rf"\A(?:{pattern})\Z"
