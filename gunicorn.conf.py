"""gunicorn's configuration for the demo site, the benchmark and the production-like tests.

gunicorn reads ``./gunicorn.conf.py`` from its working directory by default; in production
name it explicitly (``gunicorn -c gunicorn.conf.py site_project.wsgi ...``, docs/production.md).
The command line keeps every tunable (workers, threads, timeouts, bind); this file holds only
what the command line cannot say.

gunicorn answers every request with ``Server: gunicorn`` and has no setting to turn it off
(it drops the ``Server`` header an application sets and adds its own). Naming the server
software only helps an attacker pick exploits (docs/security.md S11), so the header is left
out here. tests/test_production_outages.py checks that no response carries it.
"""

from __future__ import annotations

from typing import Any

from gunicorn.http import wsgi as _wsgi

_gunicorn_default_headers = _wsgi.Response.default_headers


def _default_headers_without_server(self: Any) -> list[str]:
    headers: list[str] = _gunicorn_default_headers(self)
    return [line for line in headers if not line.lower().startswith("server:")]


_wsgi.Response.default_headers = _default_headers_without_server  # type: ignore[method-assign]
