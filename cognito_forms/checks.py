"""System checks with stable ids (``cognito_forms.E001`` ...): all of them, registered when
the app is ready (``apps.py``)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

from . import forms as our_forms
from .branding import current_brand
from .conf import app_settings
from .form_config import FORM_KEYS, attribute_validators
from .forms import account, profile


@register(Tags.security, deploy=False)
def check_configuration(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if not app_settings.USER_POOL_ID:
        problems.append(
            Error(
                "COGNITO_USER_POOL_ID is not set.",
                hint="Set it to the id of your user pool, e.g. eu-west-1_AbCdEf123.",
                id="cognito_forms.E001",
            )
        )
    if not app_settings.CLIENT_ID:
        problems.append(
            Error(
                "COGNITO_CLIENT_ID is not set.",
                hint="Set it to the id of an app client of the pool (without a secret).",
                id="cognito_forms.E002",
            )
        )
    # The embedded Cognito signs tokens with a key anyone running it can reach: never in
    # production.
    if app_settings.LOCAL_EMULATOR and not settings.DEBUG:
        problems.append(
            Error(
                "The embedded Cognito (COGNITO_LOCAL_EMULATOR) is configured while DEBUG is off.",
                hint="Point COGNITO_ENDPOINT_URL at AWS (leave it empty) and set "
                "COGNITO_LOCAL_EMULATOR=False in production.",
                id="cognito_forms.E003",
            )
        )
    endpoint = app_settings.ENDPOINT_URL
    if endpoint and not settings.DEBUG and not endpoint.startswith("https://"):
        problems.append(
            Error(
                "COGNITO_ENDPOINT_URL is not HTTPS while DEBUG is off.",
                hint="Leave COGNITO_ENDPOINT_URL empty to reach AWS Cognito.",
                id="cognito_forms.E004",
            )
        )
    if app_settings.AUTH_FLOW not in ("USER_SRP_AUTH", "USER_PASSWORD_AUTH"):
        problems.append(
            Error(
                "COGNITO_AUTH_FLOW must be USER_SRP_AUTH or USER_PASSWORD_AUTH.",
                id="cognito_forms.E005",
            )
        )
    if app_settings.COOKIE_SAMESITE not in ("Lax", "Strict"):
        problems.append(
            Error(
                "COGNITO_COOKIE_SAMESITE must be 'Lax' or 'Strict'.",
                hint="Token cookies must not be sent on cross-site requests.",
                id="cognito_forms.E006",
            )
        )
    problems.extend(_check_rate_limits())
    return problems


def _check_rate_limits() -> list[CheckMessage]:
    from .ratelimit import parse_rates

    problems: list[CheckMessage] = []
    for action, spec in app_settings.RATE_LIMITS.items():
        try:
            parse_rates(spec)
        except (TypeError, ValueError):
            problems.append(
                Error(
                    f"COGNITO_RATE_LIMITS[{action!r}] is not a valid rate.",
                    hint='Write rates like "20/m/ip,5/300s/key" (units s, m, h, d; scope ip '
                    "or key), or None to turn the limit off.",
                    id="cognito_forms.E007",
                )
            )
    return problems


@register(Tags.security, deploy=True)
def check_deployment(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if app_settings.COOKIE_SECURE is False:
        problems.append(
            Warning(
                "COGNITO_COOKIE_SECURE is False: token cookies would travel over plain HTTP.",
                hint="Leave it unset (Secure whenever the request is HTTPS) or set it to True.",
                id="cognito_forms.W001",
            )
        )
    backend = str(settings.CACHES.get(app_settings.CACHE_ALIAS, {}).get("BACKEND", ""))
    # Rate limits, refresh locks and the sign-out deny list only hold if every worker sees them.
    if backend.endswith(("LocMemCache", "DummyCache")):
        problems.append(
            Warning(
                f"The {app_settings.CACHE_ALIAS!r} cache is local to each process.",
                hint="Use a shared cache (e.g. Redis: set REDIS_URL) so rate limits, refresh "
                "locks and sign-out hold across workers.",
                id="cognito_forms.W002",
            )
        )
    return problems


# --- forms and branding --------------------------------------------------------------------------
@register()
def check_form_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for key, path in app_settings.FORMS.items():
        if key not in FORM_KEYS:
            problems.append(
                Error(
                    f"COGNITO_FORMS has an unknown key {key!r}.",
                    hint="Known keys: " + ", ".join(sorted(FORM_KEYS)) + ".",
                    id="cognito_forms.E020",
                )
            )
            continue
        try:
            chosen = import_string(path)
        except ImportError:
            problems.append(
                Error(f"COGNITO_FORMS[{key!r}] cannot be imported: {path}", id="cognito_forms.E021")
            )
            continue
        base = _base_form(FORM_KEYS[key])
        if base is not None and not (isinstance(chosen, type) and issubclass(chosen, base)):
            problems.append(
                Warning(
                    f"COGNITO_FORMS[{key!r}] ({path}) is not a subclass of {base.__name__}.",
                    hint="Subclass it: the views pass it the same arguments and call its methods.",
                    id="cognito_forms.W020",
                )
            )
    for attribute in app_settings.ATTRIBUTE_VALIDATORS:
        try:
            attribute_validators(attribute)
        except (ImportError, re.error) as error:
            problems.append(
                Error(
                    f"COGNITO_ATTRIBUTE_VALIDATORS[{attribute!r}] is invalid: {error}",
                    id="cognito_forms.E022",
                )
            )
    return problems


def _base_form(name: str) -> type | None:
    for module in (our_forms, account, profile):
        found = getattr(module, name, None)
        if isinstance(found, type):
            return found
    return None


@register()
def check_brand(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    rejected = current_brand().rejected
    if not rejected:
        return []
    return [
        Warning(
            "COGNITO_BRAND values were ignored: " + ", ".join(rejected) + ".",
            hint="Colours are #rgb or #rrggbb(aa); font_family a list of font names; radius a "
            "length such as 6px; logo_url a path on this site or an https URL.",
            id="cognito_forms.W010",
        )
    ]
