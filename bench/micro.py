"""In-process measurements, in the harness's own process with the bench settings:
token verification cost per request (with and without the verified-claims cache) and the
share of a sign-in's server time spent in SRP maths (timed helper calls)."""

from __future__ import annotations

import contextlib
import functools
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any


def _median_ns(call: Callable[[], Any], iterations: int) -> float:
    for _ in range(min(50, iterations)):  # warm caches and code paths
        call()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - started)
    return float(statistics.median(samples))


def _request(cookie_header: str, path: str = "/private/") -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get(path, HTTP_HOST="127.0.0.1")
    parsed: SimpleCookie = SimpleCookie()
    parsed.load(cookie_header)
    request.COOKIES = {name: morsel.value for name, morsel in parsed.items()}
    return request


@dataclass(frozen=True)
class VerifyCost:
    cached_us: float
    uncached_us: float
    unseal_us: float
    middleware_us: float
    iterations: int


def verification_cost(cookie_header: str, iterations: int) -> VerifyCost:
    """Median microseconds of: verify_pair with a warm claims cache; without it (RSA twice);
    opening the cookies (AES-GCM); the whole middleware up to ``request.user``."""
    from django.http import HttpResponse
    from django.test import override_settings

    from cognito_forms import cookies, tokens
    from cognito_forms.middleware import CognitoAuthenticationMiddleware

    state = cookies.read_session(_request(cookie_header))
    if state is None:
        raise RuntimeError("the bench user's cookies hold no session")
    pair = (state.id_token, state.access_token)
    cached = _median_ns(lambda: tokens.verify_pair(*pair), iterations)
    with override_settings(COGNITO_CLAIMS_CACHE=False):
        uncached = _median_ns(lambda: tokens.verify_pair(*pair), max(200, iterations // 10))
    unseal = _median_ns(lambda: cookies.read_session(_request(cookie_header)), iterations)
    middleware = CognitoAuthenticationMiddleware(lambda request: HttpResponse())

    def through_middleware() -> None:
        request = _request(cookie_header)
        middleware(request)
        if not request.user.is_authenticated:
            raise RuntimeError("the middleware did not sign the bench user in")

    whole = _median_ns(through_middleware, max(200, iterations // 10))
    return VerifyCost(
        cached_us=cached / 1000,
        uncached_us=uncached / 1000,
        unseal_us=unseal / 1000,
        middleware_us=whole / 1000,
        iterations=iterations,
    )


@dataclass(frozen=True)
class RevalidationCost:
    """The periodic check with Cognito (docs/security.md S5), in process. A view that is not
    due pays a float comparison (inside ``middleware_us`` above); a due one either reuses
    another worker's answer from the cache or, once per session per interval, calls GetUser."""

    interval_s: float
    follower_us: float  # due, another worker already asked: a Redis read and a new cookie
    leader_us: float  # due and first: GetUser on the embedded Cognito, lock and result in Redis
    get_user_calls: int  # GetUser calls the leader runs made (one each)
    iterations: int


def revalidation_cost(cookie_header: str, iterations: int) -> RevalidationCost:
    """Median microseconds of the whole middleware for a session due for revalidation: as a
    follower (the answer is in the shared cache) and as the leader (a fresh token family per
    run, so each run calls GetUser)."""
    import dataclasses
    import secrets

    from django.http import HttpResponse

    from cognito_forms import cookies, gateway
    from cognito_forms.conf import app_settings
    from cognito_forms.middleware import CognitoAuthenticationMiddleware

    state = cookies.read_session(_request(cookie_header))
    if state is None:
        raise RuntimeError("the bench user's cookies hold no session")
    middleware = CognitoAuthenticationMiddleware(lambda request: HttpResponse())

    def due_cookies(family: str) -> dict[str, str]:
        # The same tokens, last vouched for long ago, sealed as the site seals them.
        response = HttpResponse()
        old = dataclasses.replace(state, family=family, validated_at=0.0)
        cookies.write_session(response, _request(""), old)
        return {name: morsel.value for name, morsel in response.cookies.items()}

    def through_middleware(jar: dict[str, str]) -> int:
        request = _request("")
        request.COOKIES = dict(jar)
        middleware(request)
        if not request.user.is_authenticated:
            raise RuntimeError("revalidation signed the bench user out")
        return 1

    follower_jar = due_cookies(state.family)
    through_middleware(follower_jar)  # the first run asks Cognito; the others reuse it
    follower = _median_ns(lambda: through_middleware(follower_jar), iterations)
    before = gateway.calls["GetUser"]
    samples = []
    for _ in range(iterations):
        jar = due_cookies(secrets.token_urlsafe(16))
        started = time.perf_counter_ns()
        through_middleware(jar)
        samples.append(time.perf_counter_ns() - started)
    return RevalidationCost(
        interval_s=app_settings.REVALIDATE_SECONDS,
        follower_us=follower / 1000,
        leader_us=float(statistics.median(samples)) / 1000,
        get_user_calls=gateway.calls["GetUser"] - before,
        iterations=iterations,
    )


@dataclass(frozen=True)
class SrpProfile:
    sign_ins: int
    server_ms: float  # per sign-in, wall time of the POST inside Django
    srp_ms: float  # per sign-in, in pycognito's SRP helpers (big-number maths)
    cognito_ms: float  # per sign-in, waiting on the (embedded) Cognito through the gateway

    @property
    def srp_share(self) -> float:
        return self.srp_ms / self.server_ms if self.server_ms else 0.0

    @property
    def srp_share_own(self) -> float:
        own = self.server_ms - self.cognito_ms
        return self.srp_ms / own if own > 0 else 0.0


@contextlib.contextmanager
def _timed(owner: Any, names: tuple[str, ...], total: list[float]) -> Iterator[None]:
    """Add the wall time of every call to ``owner.<name>`` to ``total[0]`` (outermost only)."""
    originals = {name: getattr(owner, name) for name in names}
    depth = [0]

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    total[0] += time.perf_counter() - started

        return timed

    for name, original in originals.items():
        setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(owner, name, original)


def profile_sign_in(users: list[tuple[str, str]]) -> SrpProfile:
    """POST the sign-in form in-process (Django test client), once per user, timing the SRP
    helpers (pycognito's AWSSRP: the random ``a`` and ``A = g^a``, then the password proof)
    and the gateway's calls to the (embedded) Cognito. Timers, not a profiler: a profiler's
    per-call overhead would inflate the Python parts against the big-number maths."""
    from django.test import Client, override_settings
    from pycognito import aws_srp

    from cognito_forms import gateway

    server = 0.0
    srp = [0.0]
    cognito = [0.0]
    srp_methods = ("__init__", "get_auth_params", "process_challenge")
    with (
        override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]),
        _timed(aws_srp.AWSSRP, srp_methods, srp),
        _timed(gateway.connection, ("call",), cognito),
    ):
        for email, password in users:
            client = Client()
            client.get("/accounts/signin/")
            started = time.perf_counter()
            response = client.post("/accounts/signin/", {"email": email, "password": password})
            server += time.perf_counter() - started
            if response.status_code != 302:
                raise RuntimeError(f"in-process sign-in answered {response.status_code}")
    n = max(1, len(users))
    return SrpProfile(
        sign_ins=len(users),
        server_ms=server * 1000 / n,
        srp_ms=srp[0] * 1000 / n,
        cognito_ms=cognito[0] * 1000 / n,
    )
