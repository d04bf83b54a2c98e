"""Settings of the benchmark: the demo site as deployed (DEBUG off, PostgreSQL, Redis), plus
one bench-only page behind Django's own session authentication, the baseline a Django
developer would otherwise use.

The baseline lives on the same server, so both pages pay for the same middleware stack:
``bench.baseline.PerPathSessionMiddleware`` replaces Django's ``SessionMiddleware`` and picks
the session engine by path (``/bench/django/signed/`` -> ``signed_cookies``,
``/bench/django/db/`` -> ``db``, everywhere else the site's own engine), and
``bench.baseline.BaselineAuthenticationMiddleware`` sets ``request.user`` from the Django
session on those paths only (everywhere else cognito-forms' middleware decides).
"""

from __future__ import annotations

from site_project.settings import *  # noqa: F403
from site_project.settings import DATABASES, INSTALLED_APPS, MIDDLEWARE, env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # its login template

# As in site_project/settings_production.py: persistent database connections and the security
# headers on every response, so the pages cost what they cost in production.
DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 60}}

MIDDLEWARE = [
    "bench.baseline.PerPathSessionMiddleware"
    if name == "django.contrib.sessions.middleware.SessionMiddleware"
    else name
    for name in MIDDLEWARE
]
if "cognito_forms.headers.SecurityHeadersMiddleware" not in MIDDLEWARE:
    MIDDLEWARE.insert(1, "cognito_forms.headers.SecurityHeadersMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("cognito_forms.middleware.CognitoAuthenticationMiddleware") + 1,
    "bench.baseline.BaselineAuthenticationMiddleware",
)

# The baseline users sign in once each through Django's LoginView; a page view never hashes a
# password, so a fast hasher only shortens the set-up (never use it outside a benchmark).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Every bench user signs in from 127.0.0.1: the per-IP sign-in limits would refuse the
# benchmark itself. Page views are not rate-limited, so this changes nothing measured there.
COGNITO_RATE_LIMITS = {"signin": None, "signin_failed": None}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("BENCH_LOG_LEVEL", default="WARNING")},
}

# The benchmark measures the deployed configuration (DEBUG off) against the embedded Cognito
# on 127.0.0.1 on purpose; these two checks exist to stop exactly that in production.
SILENCED_SYSTEM_CHECKS = ["cognito_forms.E003", "cognito_forms.E004"]
