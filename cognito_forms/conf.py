"""Typed access to the app's settings.

Every value is read from ``django.conf.settings`` at access time (never at import time), so
``override_settings`` in tests and per-site configuration both work. Defaults live inline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


class AppSettings:
    """One property per setting; see the settings table in README.md."""

    # --- the user pool and app client -------------------------------------------------------
    @property
    def USER_POOL_ID(self) -> str:
        return str(_get("COGNITO_USER_POOL_ID", ""))

    @property
    def CLIENT_ID(self) -> str:
        return str(_get("COGNITO_CLIENT_ID", ""))

    @property
    def CLIENT_SECRET(self) -> str:
        """Optional: a public (browser-facing) client normally has none."""
        return str(_get("COGNITO_CLIENT_SECRET", "") or "")

    @property
    def REGION(self) -> str:
        region = _get("COGNITO_REGION", "")
        if region:
            return str(region)
        pool = self.USER_POOL_ID
        return pool.split("_", 1)[0] if "_" in pool else "us-east-1"

    @property
    def ENDPOINT_URL(self) -> str:
        """Empty for AWS; the embedded Cognito's URL in development and tests."""
        return str(_get("COGNITO_ENDPOINT_URL", "") or "").rstrip("/")

    @property
    def ISSUER(self) -> str:
        explicit = _get("COGNITO_ISSUER", "")
        if explicit:
            return str(explicit)
        return f"https://cognito-idp.{self.REGION}.amazonaws.com/{self.USER_POOL_ID}"

    @property
    def JWKS_URL(self) -> str:
        explicit = _get("COGNITO_JWKS_URL", "")
        if explicit:
            return str(explicit)
        base = self.ENDPOINT_URL or f"https://cognito-idp.{self.REGION}.amazonaws.com"
        return f"{base}/{self.USER_POOL_ID}/.well-known/jwks.json"

    @property
    def LOCAL_EMULATOR(self) -> bool:
        """True when the endpoint is the embedded Cognito (local_cognito)."""
        return bool(_get("COGNITO_LOCAL_EMULATOR", False))

    @property
    def LOCAL_OUTBOX_URL(self) -> str:
        """Where the site shows the embedded Cognito's outbox (a path or a URL name); the
        "codes are not really sent" notice links there, with DEBUG and the emulator only."""
        return str(_get("COGNITO_LOCAL_OUTBOX_URL", "") or "")

    # --- network budget ---------------------------------------------------------------------
    @property
    def CONNECT_TIMEOUT(self) -> float:
        return float(_get("COGNITO_CONNECT_TIMEOUT", 2.0))

    @property
    def READ_TIMEOUT(self) -> float:
        return float(_get("COGNITO_READ_TIMEOUT", 5.0))

    @property
    def MAX_ATTEMPTS(self) -> int:
        return int(_get("COGNITO_MAX_ATTEMPTS", 3))

    @property
    def JWKS_TIMEOUT(self) -> float:
        return float(_get("COGNITO_JWKS_TIMEOUT", 3.0))

    @property
    def JWKS_COOLDOWN(self) -> float:
        """Minimum seconds between two JWKS fetches caused by unknown key ids."""
        return max(10.0, float(_get("COGNITO_JWKS_COOLDOWN", 30.0)))

    @property
    def CLOCK_LEEWAY(self) -> int:
        return min(60, int(_get("COGNITO_CLOCK_LEEWAY", 30)))

    # --- sign-in ----------------------------------------------------------------------------
    @property
    def AUTH_FLOW(self) -> str:
        """USER_SRP_AUTH (default) or USER_PASSWORD_AUTH."""
        return str(_get("COGNITO_AUTH_FLOW", "USER_SRP_AUTH"))

    @property
    def CHOICE_BASED_SIGN_IN(self) -> bool:
        """Offer USER_AUTH (password, email code, SMS code) with SELECT_CHALLENGE."""
        return bool(_get("COGNITO_CHOICE_BASED_SIGN_IN", False))

    @property
    def SIGNIN_FAILURE_FLOOR_MS(self) -> int:
        """Every failed sign-in answer takes at least this long from the start of the POST, so
        its timing does not tell the account's state; 0 turns it off; at most 5000."""
        return min(5000, max(0, int(_get("COGNITO_SIGNIN_FAILURE_FLOOR_MS", 500))))

    @property
    def SIGNUP_ATTRIBUTES(self) -> list[str]:
        """Extra attributes asked for on sign-up (besides the pool's required ones)."""
        return list(_get("COGNITO_SIGNUP_ATTRIBUTES", []))

    @property
    def ATTRIBUTE_LABELS(self) -> dict[str, str]:
        return dict(_get("COGNITO_ATTRIBUTE_LABELS", {}))

    @property
    def ATTRIBUTE_HELP_TEXTS(self) -> dict[str, str]:
        return dict(_get("COGNITO_ATTRIBUTE_HELP_TEXTS", {}))

    @property
    def ATTRIBUTE_CHOICES(self) -> dict[str, list[Any]]:
        """Per attribute: the allowed values (or (value, label) pairs); the field is a select."""
        return dict(_get("COGNITO_ATTRIBUTE_CHOICES", {}))

    @property
    def ATTRIBUTE_VALIDATORS(self) -> dict[str, list[Any]]:
        """Per attribute: validators (dotted paths to callables, or regular expressions the
        whole value must match), run on sign-up and profile forms before Cognito is called."""
        raw = dict(_get("COGNITO_ATTRIBUTE_VALIDATORS", {}))
        return {k: list(v) if isinstance(v, (list, tuple)) else [v] for k, v in raw.items()}

    @property
    def FORMS(self) -> dict[str, str]:
        """Form classes to use instead of ours, by key ("signup", "signin", "profile" ...)."""
        return {str(k): str(v) for k, v in dict(_get("COGNITO_FORMS", {})).items()}

    @property
    def PROFILE_ATTRIBUTES(self) -> list[str]:
        """Attributes shown on the profile page, in order (empty: every readable attribute)."""
        return list(_get("COGNITO_PROFILE_ATTRIBUTES", []))

    @property
    def MFA_METHODS(self) -> list[str]:
        """MFA methods users may turn on ("totp", "sms", "email"); empty: what the pool's
        description allows (TOTP; SMS with an SMS configuration; email with SES)."""
        return list(_get("COGNITO_MFA_METHODS", []))

    @property
    def POOL_CACHE_TTL(self) -> int:
        """Seconds the pool and client descriptions (schema, password policy) are cached."""
        return int(_get("COGNITO_POOL_CACHE_TTL", 300))

    @property
    def RESEND_COOLDOWN(self) -> int:
        """Seconds a visitor waits between two "send me a new code" requests."""
        return int(_get("COGNITO_RESEND_COOLDOWN", 60))

    @property
    def CHALLENGE_MAX_AGE(self) -> int:
        """Lifetime of sign-in challenge state: Cognito's challenge Session lasts 3 minutes."""
        return int(_get("COGNITO_CHALLENGE_MAX_AGE", 180))

    @property
    def CODE_MAX_ATTEMPTS(self) -> int:
        """Wrong codes accepted per challenge, confirmation or reset before starting over."""
        return int(_get("COGNITO_CODE_MAX_ATTEMPTS", 5))

    @property
    def STAFF_GROUP(self) -> str:
        return str(_get("COGNITO_STAFF_GROUP", "") or "")

    @property
    def SUPERUSER_GROUP(self) -> str:
        return str(_get("COGNITO_SUPERUSER_GROUP", "") or "")

    @property
    def ADAPTER(self) -> str:
        return str(_get("COGNITO_ADAPTER", "cognito_forms.adapter.DefaultAdapter"))

    @property
    def REMEMBER_EMAIL(self) -> bool:
        return bool(_get("COGNITO_REMEMBER_EMAIL", True))

    @property
    def REAUTH_MAX_AGE(self) -> int:
        """Seconds after sign-in during which sensitive changes need no password again."""
        return int(_get("COGNITO_REAUTH_MAX_AGE", 300))

    @property
    def DELETE_LOCAL_USER(self) -> bool:
        """On account deletion: delete the local user (True) or deactivate it (False)."""
        return bool(_get("COGNITO_DELETE_LOCAL_USER", False))

    # --- session and cookies ----------------------------------------------------------------
    @property
    def COOKIE_KEYS(self) -> list[str]:
        """Encryption keys, newest first. Empty: derived from SECRET_KEY and its fallbacks."""
        return list(_get("COGNITO_COOKIE_KEYS", []))

    @property
    def COOKIE_SECURE(self) -> bool | None:
        """True/False to force; None (default): Secure whenever the request is HTTPS."""
        value = _get("COGNITO_COOKIE_SECURE", None)
        return None if value is None else bool(value)

    @property
    def COOKIE_SAMESITE(self) -> str:
        return str(_get("COGNITO_COOKIE_SAMESITE", "Lax"))

    @property
    def COOKIE_NAME(self) -> str:
        return str(_get("COGNITO_COOKIE_NAME", "cf_session"))

    @property
    def STATE_COOKIE_NAME(self) -> str:
        return str(_get("COGNITO_STATE_COOKIE_NAME", "cf_flow"))

    @property
    def PENDING_COOKIE_NAME(self) -> str:
        """The cookie holding an email or phone change awaiting its code."""
        return str(_get("COGNITO_PENDING_COOKIE_NAME", "cf_pending"))

    @property
    def EMAIL_COOKIE_NAME(self) -> str:
        """The cookie remembering the last email signed in with (COGNITO_REMEMBER_EMAIL)."""
        return str(_get("COGNITO_EMAIL_COOKIE_NAME", "cf_email"))

    @property
    def DEVICE_COOKIE_NAME(self) -> str:
        """The cookie marking a browser an address signed in from (docs/security.md S7)."""
        return str(_get("COGNITO_DEVICE_COOKIE_NAME", "cf_device"))

    @property
    def STATE_MAX_AGE(self) -> int:
        """Lifetime of multi-step state (Cognito's challenge Session lasts 3 minutes)."""
        return int(_get("COGNITO_STATE_MAX_AGE", 15 * 60))

    @property
    def REFRESH_WINDOW(self) -> int:
        """Refresh when the access token expires within this many seconds."""
        return int(_get("COGNITO_REFRESH_WINDOW", 60))

    @property
    def SESSION_MAX_AGE(self) -> int:
        """Absolute session lifetime counted from auth_time; refresh never extends it."""
        return int(_get("COGNITO_SESSION_MAX_AGE", 30 * 24 * 3600))

    @property
    def REVOCATION_CHECK_SECONDS(self) -> float:
        """How long a process may reuse a deny-list answer (sign-out reaches other workers
        within this); 0 asks the shared cache on every request."""
        return float(_get("COGNITO_REVOCATION_CHECK_SECONDS", 2.0))

    @property
    def REVOCATION_FAIL_OPEN_SECONDS(self) -> float:
        """While the shared cache is away, how long a process keeps serving signed-in users
        on its last deny-list answers (unknown sessions: not revoked) before answering 503;
        0 answers 503 at once (docs/production.md, "When Redis or the database is away")."""
        return float(_get("COGNITO_REVOCATION_FAIL_OPEN_SECONDS", 300.0))

    @property
    def REVALIDATE_SECONDS(self) -> float:
        """How often each session is checked with Cognito (GetUser with its access token), so a
        user disabled, deleted or signed out everywhere outside the site (console, CLI) is
        signed out within this; 0 turns it off (then within the access token's lifetime)."""
        return max(0.0, float(_get("COGNITO_REVALIDATE_SECONDS", 300.0)))

    @property
    def USER_CACHE_SECONDS(self) -> float:
        """How long a process may reuse the linked local user without a query (a change made
        in another process shows within this); 0 queries on every request."""
        return float(_get("COGNITO_USER_CACHE_SECONDS", 2.0))

    @property
    def CLAIMS_CACHE(self) -> bool:
        return bool(_get("COGNITO_CLAIMS_CACHE", True))

    @property
    def CACHE_ALIAS(self) -> str:
        return str(_get("COGNITO_CACHE_ALIAS", "default"))

    @property
    def REFRESH_RESULT_SECONDS(self) -> int:
        """How long a refresh result is reused by late requests carrying the old token."""
        return int(_get("COGNITO_REFRESH_RESULT_SECONDS", 60))

    @property
    def REFRESH_WAIT_SECONDS(self) -> float:
        """How long a request waits for a concurrent refresh before answering 503."""
        return float(_get("COGNITO_REFRESH_WAIT_SECONDS", 10.0))

    # --- abuse ------------------------------------------------------------------------------
    @property
    def RATE_LIMITS(self) -> dict[str, str | None]:
        defaults: dict[str, str | None] = {
            "signin": "30/m/ip",
            # Per network, per address from one network, and a ceiling for the address across
            # all networks: a stranger cannot lock the owner out from elsewhere (S7).
            "signin_failed": "10/m/ip,5/300s/key_ip,50/h/key",
            "signup": "10/m/ip,10/300s/key",
            "confirm": "20/m/ip,10/300s/key",
            "resend": "5/m/ip,3/300s/key",
            "forgot": "20/m/ip,5/m/key",
            "reset": "20/m/ip,10/300s/key",
            "mfa": "20/m/ip,10/300s/key",
            "reauth": "20/m/ip,10/300s/key",
        }
        defaults.update(_get("COGNITO_RATE_LIMITS", {}))
        return defaults

    @property
    def PRIVILEGED_ATTRIBUTES(self) -> list[str]:
        """Attributes that grant rights (roles, groups, tenants): the client must not write them.

        ``cognito_doctor`` also flags custom attributes whose names look like roles or groups.
        """
        return list(_get("COGNITO_PRIVILEGED_ATTRIBUTES", []))

    @property
    def TRUSTED_PROXY_COUNT(self) -> int:
        return int(_get("COGNITO_TRUSTED_PROXY_COUNT", 0))

    @property
    def SEND_USER_CONTEXT_DATA(self) -> bool:
        """Send the visitor's IP address (``UserContextData``) with unauthenticated calls, so
        Cognito's threat protection judges the visitor rather than this server."""
        return bool(_get("COGNITO_SEND_USER_CONTEXT_DATA", True))

    # --- operators: branding and administration ---------------------------------------------
    @property
    def BRAND(self) -> dict[str, Any]:
        """Site name, logo and look (see cognito_forms.branding for the keys and their checks).

        ``COGNITO_BRAND_SITE_NAME`` and ``COGNITO_BRAND_LOGO_URL`` are read as well.
        """
        brand: dict[str, Any] = {}
        for key in ("site_name", "logo_url"):
            value = _get(f"COGNITO_BRAND_{key.upper()}", "")
            if value:
                brand[key] = value
        brand.update({str(k): v for k, v in dict(_get("COGNITO_BRAND", {})).items()})
        return brand

    @property
    def ADMIN_ENABLED(self) -> bool | None:
        """Offer Cognito status and actions in the Django admin. None (default): when the
        embedded Cognito is used or AWS credentials are found."""
        value = _get("COGNITO_ADMIN_ENABLED", None)
        return None if value is None else bool(value)


app_settings = AppSettings()
