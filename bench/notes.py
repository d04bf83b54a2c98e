"""The notes under the table: what a missed target was, from this run's own figures."""

from __future__ import annotations

from .report import Report

SIGNED = "signed in (cognito-forms)"


def _step(report: Report, prefix: str) -> float | None:
    for step in report.breakdown:
        if step.label.strip().startswith(prefix):
            return step.us
    return None


def notes(report: Report) -> list[str]:
    found: list[str] = []
    ratio = report.ratio(SIGNED)
    shipped = _step(report, "signed in")
    no_deny = _step(report, "without the deny-list")
    no_query = _step(report, "without the local-user")
    no_io = _step(report, "without both")
    anonymous = _step(report, "anonymous")
    if ratio < 0.8 and shipped and no_deny and no_query and no_io and anonymous:
        found.append(
            f"Signed-in / anonymous is {ratio:.2f}x, below the 0.8x target. What stands in the "
            "way is I/O, not token verification: a signed-in view makes two network round "
            "trips the anonymous page does not - the sign-out deny-list read in Redis "
            f"(`revocation.is_revoked`, {max(0.0, shipped - no_deny):,.0f} us here, of which "
            "a good part is redis-py 8 building a client per operation inside Django's "
            "RedisCache) and "
            "the local-user query in PostgreSQL (`CognitoBackend.user_for_claims`, "
            f"{max(0.0, shipped - no_query):,.0f} us). With both taken away the handler costs "
            f"{no_io:,.0f} us against {anonymous:,.0f} us anonymous "
            f"({anonymous / no_io:.2f}x): cookies (AES-GCM) plus cached claims are cheap."
        )
        found.append(
            "Both round trips are design decisions of the session layer (issue 3), kept as they "
            "are here: sign-out must reach every worker at once (SECURITY.md C6) and the local "
            "user must be fresh (deactivation, groups). Ways to remove them, each a trade-off "
            "for its owner to take: (1) a per-worker replica of the deny list synced from Redis "
            "at most every few hundred ms (a bounded sign-out delay instead of a read per "
            "view); (2) the local user cached in the shared cache, invalidated by post_save / "
            "m2m_changed and read in the same `get_many` as the deny list (one round trip "
            "instead of two); (3) a cache client that reuses one redis-py client per pool."
        )
    django = [p for p in report.pages if p.label.startswith("Django") and p.rps]
    signed = report.page(SIGNED)
    if django and signed.rps:
        best = max(django, key=lambda p: p.rps)
        found.append(
            f"The Django baseline pays the user query too ({best.label}: "
            f"{report.ratio(best.label):.2f}x of anonymous); cognito-forms pays it plus the "
            f"deny-list read, and reaches {signed.rps / best.rps:.2f}x of it."
        )
    found.append(
        "Found and fixed by this benchmark (cognito_forms/tokens.py): two cold gunicorn workers "
        "signing users in at once - the one that lost the JWKS fetch cool-down answered "
        "'sign-in temporarily unavailable' (503) until the other's fetch landed; it now waits "
        "for that document (one JWKS timeout at most). Pinned by "
        "tests/test_jwks_cold_workers.py."
    )
    found.append(
        "The storm's tokens are past `exp` when it starts: its users sign in with the "
        "embedded Cognito's clock set back an hour, and the clock is put right before the "
        "requests, so the refreshed tokens are current."
    )
    return found
