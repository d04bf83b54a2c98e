"""Settings for the test suite: the demo site's, on an in-memory SQLite database and a
local-memory cache, so `make test` needs no services. The production-like tests start their
own server processes with REDIS_URL and DATABASE_URL from the environment."""

from __future__ import annotations

import os
import tempfile

from site_project.settings import *  # noqa: F403

DEBUG = False
# A file, not ":memory:": the in-memory test database is shared between threads through
# SQLite's shared cache, whose table locks fail at once ("database table is locked") where a
# file database waits; the threaded tests (parallel refreshes, live_server) need the waiting.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {
            "NAME": os.path.join(tempfile.gettempdir(), f"cognito_forms_tests_{os.getpid()}.db")
        },
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECRET_KEY = "tests-secret-key-not-for-production-0123456789abcdef"
SECRET_KEY_FALLBACKS: list[str] = []
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
LANGUAGE_CODE = "en"
# Filled in per test session by tests/conftest.py (the embedded Cognito on a free port).
COGNITO_USER_POOL_ID = "us-east-1_LocalDemo"
COGNITO_CLIENT_ID = "localdemoclient00000000000"
COGNITO_REGION = "us-east-1"
COGNITO_LOCAL_EMULATOR = True
COGNITO_ENDPOINT_URL = "http://127.0.0.1:9"
COGNITO_SIGNUP_ATTRIBUTES = ["name", "custom:company"]
