"""``/accounts/preview/``: every form and message state with sample data, for checking a
re-brand in one place. Only with DEBUG on or for staff; 404 for everyone else (it would show
nothing secret, but it is not a page visitors need to find)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import preview
from ..preview_pages import SampleMessage


def _allowed(request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    if not (settings.DEBUG or (user is not None and user.is_active and user.is_staff)):
        raise Http404


@login_not_required
@never_cache
@require_safe
def preview_index(request: HttpRequest) -> HttpResponse:
    """A list of every state, grouped, each linking to its page."""
    _allowed(request)
    groups: dict[str, list[preview.State]] = {}
    for state in preview.STATES:
        groups.setdefault(str(state.group), []).append(state)
    return render(request, "cognito_forms/preview/index.html", {"groups": groups})


@login_not_required
@never_cache
@require_safe
def preview_state(request: HttpRequest, slug: str) -> HttpResponse:
    """One state rendered by its real page template, with sample data."""
    _allowed(request)
    state = preview.find(slug)
    if state is None:
        raise Http404
    rendered = preview.render_state(state)
    context = dict(rendered.context)
    banner = SampleMessage(
        _("Preview with sample data: %(state)s. Forms here do not submit.")
        % {"state": state.label},
        "info cf-preview",
    )
    context["messages"] = [banner, *context.get("messages", [])]
    # A preview form posts nowhere useful: point it back at this page (GET only, 405 on POST).
    context.setdefault("form_action", request.path)
    return render(request, rendered.template, context, status=rendered.status)
