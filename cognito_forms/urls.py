"""URLs of cognito-forms, meant to be included under ``accounts/``.

Paths and names are public API: sign-up ``signup/``, ``confirm/``, sign-in ``signin/`` (and its
challenge steps), ``signout/``, ``password/forgot/``, ``password/reset/``, ``profile/``,
``password/change/``, ``mfa/``, ``delete/``, and the health check for load balancers
``health/`` (name ``health``; a site may route ``cognito_forms.views.health.health`` elsewhere).
"""

from __future__ import annotations

from django.urls import path

from .views import (
    account,
    branding,
    challenges,
    health,
    mfa,
    password,
    preview,
    profile,
    signin,
    signout,
    signup,
)

app_name = "cognito_forms"

urlpatterns = [
    path("signup/", signup.SignUpView.as_view(), name="signup"),
    path("signup/done/", signup.SignUpDoneView.as_view(), name="signup_done"),
    path("confirm/", signup.ConfirmView.as_view(), name="confirm"),
    path("confirm/resend/", signup.ResendView.as_view(), name="confirm_resend"),
    path("signin/", signin.SignInView.as_view(), name="signin"),
    path("signin/code/", challenges.CodeView.as_view(), name="signin_code"),
    path("signin/new-password/", challenges.NewPasswordView.as_view(), name="signin_new_password"),
    path("signin/select-mfa/", challenges.SelectMfaView.as_view(), name="signin_select_mfa"),
    path("signin/mfa-setup/", challenges.MfaSetupView.as_view(), name="signin_mfa_setup"),
    path("signin/choose/", challenges.ChooseView.as_view(), name="signin_choose"),
    path("password/forgot/", password.ForgotPasswordView.as_view(), name="password_forgot"),
    path("password/reset/", password.ResetPasswordView.as_view(), name="password_reset"),
    path("signout/", signout.SignOutView.as_view(), name="signout"),
    path("profile/", profile.ProfileView.as_view(), name="profile"),
    path(
        "profile/<str:attribute>/change/",
        profile.ChangeAttributeView.as_view(),
        name="change_attribute",
    ),
    path(
        "profile/<str:attribute>/verify/",
        profile.VerifyAttributeView.as_view(),
        name="verify_attribute",
    ),
    path("reauth/", account.ReauthView.as_view(), name="reauth"),
    path("password/change/", account.ChangePasswordView.as_view(), name="password_change"),
    path("mfa/", mfa.MfaView.as_view(), name="mfa"),
    path("mfa/totp/", mfa.TotpSetupView.as_view(), name="totp_setup"),
    path("delete/", account.DeleteAccountView.as_view(), name="delete"),
    path("delete/done/", account.delete_done, name="delete_done"),
    path("brand.css", branding.brand_css, name="brand_css"),
    path("health/", health.health, name="health"),
    path("preview/", preview.preview_index, name="preview"),
    path("preview/<slug:slug>/", preview.preview_state, name="preview_state"),
]
