"""The demo site's own pages: a public home page and a page that needs a signed-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cognito_forms import request_auth


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site_project/home.html")


@never_cache
@login_required
def private(request: HttpRequest) -> HttpResponse:
    claims = request_auth.of(request).claims
    return render(request, "site_project/private.html", {"claims": claims})
