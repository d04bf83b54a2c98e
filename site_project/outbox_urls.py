"""The local outbox: every code the embedded Cognito has "sent", for people and tests.

Both pages answer 404 unless DEBUG is on and the embedded Cognito is the configured endpoint:
they show live codes, so they must never exist on a real deployment.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from cognito_forms.conf import app_settings


def _fetch() -> list[dict[str, Any]] | None:
    if not (settings.DEBUG and app_settings.LOCAL_EMULATOR and app_settings.ENDPOINT_URL):
        raise Http404
    url = f"{app_settings.ENDPOINT_URL}/_local/outbox.json"
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:  # noqa: S310 (configured local URL)
            data = json.load(answer)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    return [item for item in data if isinstance(item, dict)]


@never_cache
def outbox_json(request: HttpRequest) -> HttpResponse:
    messages = _fetch()
    if messages is None:
        return JsonResponse({"error": "embedded Cognito unreachable"}, status=503)
    keys = ("to", "purpose", "code", "sent_at")
    return JsonResponse([{k: m.get(k) for k in keys} for m in messages], safe=False)


@never_cache
def outbox_page(request: HttpRequest) -> HttpResponse:
    messages = _fetch()
    rows = []
    for message in messages or []:
        sent_at = message.get("sent_at")
        try:
            sent = datetime.fromisoformat(str(sent_at)) if sent_at else None
        except ValueError:
            sent = None
        rows.append({**message, "sent": sent})
    status = 200 if messages is not None else 503
    return render(
        request,
        "site_project/outbox.html",
        {"messages_sent": rows, "unreachable": messages is None},
        status=status,
    )


urlpatterns = [
    path("outbox/", outbox_page, name="local_outbox"),
    path("outbox.json", outbox_json, name="local_outbox_json"),
]
