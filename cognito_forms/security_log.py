"""Structured security events on the logger ``cognito_forms.security``.

Every record carries, as ``extra`` attributes: ``event``, ``sub`` (or ``email_hash``, a keyed
hash of the normalised email, never the address), ``client_ip`` and ``request_id``, plus the
caller's fields. Values are neutralised (CR/LF escaped, length capped) so user input cannot
forge log lines, and fields whose names suggest a secret are dropped.

Events used across the app: ``signin_ok``, ``signin_failed``, ``rate_limited``,
``token_rejected`` (with ``reason``), ``refresh_reuse``, ``refresh_failed``,
``session_ended_elsewhere`` and ``revalidation_failed`` (the periodic check), ``signout``,
``signout_everywhere``, ``password_reset``, ``password_changed``, ``attribute_changed``,
``attribute_change_started``, ``attribute_change_refused`` (the new address is another
account's; the visitor is not told), ``signup``, ``confirmed``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest

from .request_meta import client_ip, email_digest, request_id

logger = logging.getLogger("cognito_forms.security")

#: LogRecord's own attribute names: an ``extra`` key among them would raise KeyError.
_RESERVED = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)
#: Field names that must never reach a log, whatever a caller passes.
_SECRET_WORDS = ("password", "token", "secret", "session", "cookie", "srp", "otp")
_MAX_VALUE = 200


def clean_value(value: Any) -> str | int | float | bool | None:
    """A log-safe version of ``value``: CR/LF escaped so one event stays one line, capped."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value).replace("\r", "\\r").replace("\n", "\\n")
    return text[:_MAX_VALUE]


def _is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return lowered == "code" or any(word in lowered for word in _SECRET_WORDS)


def log_event(
    request: HttpRequest | None,
    event: str,
    *,
    sub: str | None = None,
    email: str | None = None,
    level: int = logging.INFO,
    **fields: Any,
) -> None:
    """Log one security event. Never raises: logging must not break a journey.

    ``email`` is hashed (``email_hash``); pass ``sub`` when the user is known. Extra
    ``fields`` (e.g. ``reason="expired"``, ``action="signin"``) are added as attributes;
    names suggesting a secret (password, token, session, cookie, code ...) are dropped.
    """
    try:
        extra: dict[str, Any] = {
            "event": clean_value(event),
            "sub": clean_value(sub),
            "email_hash": email_digest(email) if email else None,
            "client_ip": client_ip(request) if request is not None else None,
            "request_id": request_id(request) if request is not None else None,
        }
        for name, value in fields.items():
            if _is_secret_name(name):
                continue
            key = f"cf_{name}" if name in _RESERVED or name in extra else name
            extra[key] = clean_value(value)
        summary = " ".join(
            f"{key}={value}" for key, value in extra.items() if value is not None and key != "event"
        )
        logger.log(level, "security event %s %s", extra["event"], summary, extra=extra)
    except Exception:  # a broken handler or request must not turn into a 500
        logger.exception("could not log security event")


# --- redaction of third-party debug logs ------------------------------------------------------
#: A quoted value after a key naming a secret, in a dict repr or a JSON body (botocore logs
#: request params and response bodies at DEBUG: passwords, codes, tokens, Sessions, SRP values;
#: and the visitor's IpAddress of UserContextData, which only security events may log: S12).
_SECRET_ITEM = re.compile(
    r"""(?P<key>['"]?[A-Za-z_]*(?:Password|PASSWORD|Token|TOKEN|Code|CODE|Session|SESSION|"""
    r"""Secret|SECRET|SRP_A|SRP_B|SALT|SIGNATURE|ANSWER|OTP|IpAddress)[A-Za-z_]*\\?['"]?\s*:\s*)"""
    r"""(?P<quote>\\?['"])(?P<value>(?:\\\\(?P=quote)|\\.|(?!(?P=quote)).)*?)(?P=quote)"""
)
_JWT = re.compile(r"eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*")
#: Loggers that print request or response contents at DEBUG. Their records are redacted even
#: when a site turns every logger to DEBUG; production settings keep them at WARNING anyway.
REDACTED_LOGGERS = (
    "botocore.endpoint",
    "botocore.parsers",
    "botocore.hooks",
    "botocore.retryhandler",
    "botocore.retries.standard",
    "botocore.retries.special",
    "botocore.httpsession",
    "botocore.awsrequest",
    "botocore.auth",
    "botocore.client",
    "botocore.utils",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.util.retry",
)


def redact(text: str) -> str:
    """``text`` with the values of secret-named fields and anything JWT-shaped replaced."""
    text = _SECRET_ITEM.sub(
        lambda m: f"{m.group('key')}{m.group('quote')}[redacted]{m.group('quote')}", text
    )
    return _JWT.sub("[redacted-jwt]", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record's message with :func:`redact` (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class DropTemplateContextFilter(logging.Filter):
    """Keeps ``django.template``'s "Exception while resolving variable" line, drops its
    exception: VariableDoesNotExist's text is the repr of the whole template context (a TOTP
    secret, the user's claims, the CSRF token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


def install_log_redaction() -> None:
    """Attach :class:`RedactSecretsFilter` to :data:`REDACTED_LOGGERS` and
    :class:`DropTemplateContextFilter` to ``django.template`` (idempotent)."""
    for name in REDACTED_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretsFilter) for f in target.filters):
            target.addFilter(RedactSecretsFilter())
    template = logging.getLogger("django.template")
    if not any(isinstance(f, DropTemplateContextFilter) for f in template.filters):
        template.addFilter(DropTemplateContextFilter())
