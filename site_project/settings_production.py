"""Production settings: the demo site's, hardened (site_project.settings_production).

Everything secret or site-specific comes from the environment and is required: SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), REDIS_URL (the shared cache every worker needs for
rate limits, refresh locks and the sign-out deny list), COGNITO_USER_POOL_ID and
COGNITO_CLIENT_ID. ``manage.py check --deploy --fail-level WARNING`` passes with these.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from site_project.settings import *  # noqa: F403
from site_project.settings import LOGGING, MIDDLEWARE, REDIS_TIMEOUT, env

DEBUG = False

# No fallback: a missing or development key must stop the site, not sign its cookies.
SECRET_KEY = env.str("SECRET_KEY")
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a long random value in production.")
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) in production.")

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
# A kept connection is checked before reuse, so the first request after a database restart
# does not fail on a dead socket.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if "postgresql" in str(DATABASES["default"].get("ENGINE", "")):
    # An unreachable database must answer "unavailable" within seconds (libpq waits forever).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3)
    )
REDIS_URL = env.str("REDIS_URL")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required: every worker must share one cache.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="cf"),
        "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
    }
}

# --- HTTPS ------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31_536_000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The sign-in challenge and other multi-step state are bound to the CSRF secret: the __Host-
# prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/, so a
# sibling subdomain or an HTTP page cannot plant one (docs/security.md S11).
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_PATH = "/"
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only behind a proxy that sets X-Forwarded-Proto and strips it from clients: otherwise anyone
# could claim HTTPS.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if "cognito_forms.headers.SecurityHeadersMiddleware" not in MIDDLEWARE:
    MIDDLEWARE = [MIDDLEWARE[0], "cognito_forms.headers.SecurityHeadersMiddleware", *MIDDLEWARE[1:]]

# --- cognito-forms ----------------------------------------------------------------------------
COGNITO_USER_POOL_ID = env.str("COGNITO_USER_POOL_ID")
COGNITO_CLIENT_ID = env.str("COGNITO_CLIENT_ID")
if not COGNITO_USER_POOL_ID or not COGNITO_CLIENT_ID:
    raise ImproperlyConfigured("COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID are required.")
# The embedded Cognito is for development only; production always reaches AWS.
COGNITO_LOCAL_EMULATOR = False
COGNITO_ENDPOINT_URL = ""
COGNITO_COOKIE_SECURE = True

# --- logging ----------------------------------------------------------------------------------
# botocore at DEBUG logs request bodies (passwords, codes, tokens): pinned whatever LOG_LEVEL is.
_base_loggers: dict[str, Any] = dict(LOGGING.get("loggers", {}))  # type: ignore[call-overload]
LOGGING = {
    **LOGGING,
    "loggers": {
        **_base_loggers,
        "botocore": {"level": "WARNING"},
        "boto3": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        "cognito_forms.security": {"level": "INFO"},
    },
}
