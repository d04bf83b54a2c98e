"""``/accounts/brand.css``: the operator's branding as CSS custom properties.

A stylesheet and not an inline ``<style>``: the content security policy forbids inline styles.
It is cached by browsers and proxies; its URL carries a digest of its content (``?v=``), and
its ETag is that digest, so a changed setting is picked up at once.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import condition, require_safe

from ..branding import current_brand

#: A day: the URL changes with the content, so a long lifetime is safe.
MAX_AGE = 86400


def _etag(request: HttpRequest) -> str:
    return current_brand().version


@login_not_required
@require_safe
@condition(etag_func=_etag)
def brand_css(request: HttpRequest) -> HttpResponse:
    """The generated stylesheet (no Cognito call, no database query)."""
    brand = current_brand()
    response = HttpResponse(brand.stylesheet, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
