"""Settings of the cognito-forms demo site.

Site-level values come from the environment (and a local .env file) through django-environ;
the app reads its own COGNITO_* settings through cognito_forms.conf at access time.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=False)
# A development-only fallback: production settings refuse to start without a real key.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-change-me")
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cognito_forms",
    "site_project",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP without inline script, framing refused, request id: on every response, dev included.
    "cognito_forms.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cognito_forms.middleware.CognitoAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "cognito_forms.backends.CognitoBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "site_project.urls"
WSGI_APPLICATION = "site_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The demo site's branding overrides come before the app's own templates.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cognito_forms.context_processors.cognito_forms",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

REDIS_URL = env.str("REDIS_URL", default="")
# A Redis that hangs must cost a request about a second per operation, not minutes: every
# cache read then fails fast into the documented outage behaviour (docs/production.md).
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="cf"),
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français"), ("de", "Deutsch")]
# The demo site's own strings (templates/ and site_project/); the app ships its own locale/.
LOCALE_PATHS = [BASE_DIR / "site_project" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "cognito_forms:signin"
# A refused form (missing or foreign CSRF token) gets a page in the site's layout, not Django's.
CSRF_FAILURE_VIEW = "cognito_forms.views.errors.csrf_failure"
LOGIN_REDIRECT_URL = "/private/"
LOGOUT_REDIRECT_URL = "/"

# Multi-step state and messages do not need a server-side session store.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# --- cognito-forms --------------------------------------------------------------------------
COGNITO_USER_POOL_ID = env.str("COGNITO_USER_POOL_ID", default="")
COGNITO_CLIENT_ID = env.str("COGNITO_CLIENT_ID", default="")
COGNITO_CLIENT_SECRET = env.str("COGNITO_CLIENT_SECRET", default="")
COGNITO_REGION = env.str("COGNITO_REGION", default="")
COGNITO_ENDPOINT_URL = env.str("COGNITO_ENDPOINT_URL", default="")
COGNITO_LOCAL_EMULATOR = env.bool("COGNITO_LOCAL_EMULATOR", default=False)
# The demo site serves the embedded Cognito's outbox (site_project/outbox_urls.py).
COGNITO_LOCAL_OUTBOX_URL = "local_outbox"
COGNITO_SIGNUP_ATTRIBUTES = env.list("COGNITO_SIGNUP_ATTRIBUTES", default=[])
COGNITO_STAFF_GROUP = env.str("COGNITO_STAFF_GROUP", default="staff")
COGNITO_AUTH_FLOW = env.str("COGNITO_AUTH_FLOW", default="USER_SRP_AUTH")
COGNITO_CHOICE_BASED_SIGN_IN = env.bool("COGNITO_CHOICE_BASED_SIGN_IN", default=False)
COGNITO_TRUSTED_PROXY_COUNT = env.int("COGNITO_TRUSTED_PROXY_COUNT", default=0)
# Empty: the admin's Cognito actions appear with the embedded Cognito or AWS credentials.
COGNITO_ADMIN_ENABLED = (
    env.bool("COGNITO_ADMIN_ENABLED", default=None)
    if env.str("COGNITO_ADMIN_ENABLED", default="")
    else None
)
# MFA methods users may turn on; empty: inferred from the pool (the seeded one allows all).
COGNITO_MFA_METHODS = env.list("COGNITO_MFA_METHODS", default=[])
COGNITO_ATTRIBUTE_LABELS = {
    "custom:company": _("Company"),
    "custom:seats": _("Number of seats"),
    "custom:member_id": _("Membership number"),
}
COGNITO_ATTRIBUTE_HELP_TEXTS = {
    "custom:company": _("The organisation you borrow for, if any."),
}
# The demo's re-brand: name, logo, colours and font by settings (served as /accounts/brand.css),
# the rest by one layout override in templates/cognito_forms/layouts/base.html.
COGNITO_BRAND = {
    "site_name": env.str("BRAND_SITE_NAME", default="Lighthouse Library"),
    "logo_url": "/" + STATIC_URL + "site_project/logo.svg",
    "primary_color": "#0f766e",
    "primary_text_color": "#ffffff",
    "text_color": "#1f2937",
    "background_color": "#f0fdfa",
    "border_color": "#99d5cc",
    "font_family": 'Charter, "Bitstream Charter", Georgia, serif',
    "radius": "4px",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # botocore at DEBUG prints request bodies (passwords, tokens): never above WARNING here.
        "botocore": {"level": "WARNING"},
        "boto3": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}
