"""``GET /accounts/health/``: the health check for load balancers (docs/production.md).

Public on purpose: a load balancer signs in to nothing, and the answer discloses only which
dependency is away (no host, error, version or setting). 200 when all is well, 503 otherwise.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import health as checks


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    report = checks.report()
    healthy = all(state == checks.OK for state in report.values())
    return JsonResponse(
        {"status": checks.OK if healthy else checks.UNAVAILABLE, "checks": report},
        status=200 if healthy else 503,
    )
