"""Error pages of our own: the CSRF failure page (``CSRF_FAILURE_VIEW``).

A form kept open too long, or posted from another browser or site, lands on a page in the
site's layout that says what to do next, instead of Django's developer-facing default.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's ``CSRF_FAILURE_VIEW``: a friendly 403; nothing was done, nothing is called."""
    # The reason is for developers (it names the check); never shown, so nothing is disclosed.
    body = render_to_string("cognito_forms/csrf_failure.html", request=request)
    response = HttpResponse(body, status=403)
    add_never_cache_headers(response)
    return response
