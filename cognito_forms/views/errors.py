"""Error pages of our own: the CSRF failure page (``CSRF_FAILURE_VIEW``) and the 400 page
(``handler400``, and the middleware's answer to a form it cannot decode).

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


def undecodable_form(request: HttpRequest) -> bool:
    """A form POST whose declared charset Django refuses to decode (anything but UTF-8).

    Django raises ``BadRequest`` whenever ``request.POST`` is read for such a request, and its
    own 400 and 500 handlers read it again (through the CSRF check of ``requires_csrf_token``),
    so the visitor got a 500. A charset Python does not know is ignored by Django (UTF-8).
    """
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return False
    encoding = request.encoding
    return encoding is not None and encoding.lower() != "utf-8"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A friendly 400 in the site's layout (usable as ``handler400``); never reads the body.

    Unlike Django's default handler, it runs no CSRF check, which would parse the very body
    that could not be read and turn the 400 into a 500 (docs/security.md S8).
    """
    body = render_to_string("cognito_forms/bad_request.html", request=request)
    response = HttpResponse(body, status=400)
    add_never_cache_headers(response)
    return response
