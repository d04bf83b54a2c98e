"""The forms of cognito-forms: shape validation only, fields built from the pool's schema."""

from __future__ import annotations

from .password import ForgotPasswordForm, ResetPasswordForm
from .signin import (
    CodeForm,
    NewPasswordForm,
    SelectChallengeForm,
    SelectMfaForm,
    SignInForm,
)
from .signup import ConfirmForm, ResendForm, SignUpForm

__all__ = [
    "CodeForm",
    "ConfirmForm",
    "ForgotPasswordForm",
    "NewPasswordForm",
    "ResendForm",
    "ResetPasswordForm",
    "SelectChallengeForm",
    "SelectMfaForm",
    "SignInForm",
    "SignUpForm",
]
