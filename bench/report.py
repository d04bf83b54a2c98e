"""bench/RESULTS.md (and a JSON twin): the machine, the date, the table, the verdicts."""

from __future__ import annotations

import json
import os
import platform
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .breakdown import Step
from .micro import RevalidationCost, SrpProfile, VerifyCost
from .phases import PageLoad, Storm


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


@dataclass
class Report:
    config: dict[str, Any]
    versions: dict[str, str]
    pages: list[PageLoad] = field(default_factory=list)
    signin_count: int = 0
    signin_seconds: float = 0.0
    signin_concurrency: int = 0
    signin_calls: dict[str, int] = field(default_factory=dict)
    storm: Storm | None = None
    jwks_fetches: int = 0
    verify: VerifyCost | None = None
    revalidation: RevalidationCost | None = None
    srp: SrpProfile | None = None
    breakdown: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load: str = ""

    def page(self, label: str) -> PageLoad:
        return next(p for p in self.pages if p.label == label)

    def ratio(self, label: str, against: str = "anonymous home") -> float:
        """Median of the per-round ratios: the two pages of one round ran seconds apart, so
        the machine's slow spells (a shared VM) weigh on both sides of each ratio alike."""
        page, base = self.page(label), self.page(against)
        pairs = [
            mine.rps / theirs.rps
            for mine, theirs in zip(page.rounds, base.rounds, strict=False)
            if mine.seconds and theirs.seconds and theirs.rps
        ]
        if pairs:
            return statistics.median(pairs)
        return page.rps / base.rps if base.rps else 0.0

    @property
    def signin_per_s(self) -> float:
        return self.signin_count / self.signin_seconds if self.signin_seconds else 0.0

    def machine(self) -> dict[str, str]:
        return {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": str(os.cpu_count()),
            "cpu": cpu_model(),
            "python": platform.python_version(),
            "load average at start / end": self.load,
            **{name: _version(name) for name in ("Django", "gunicorn", "PyJWT", "cryptography")},
            **self.versions,
        }


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def markdown(report: Report) -> str:
    machine = report.machine()
    signed = report.page("signed in (cognito-forms)")
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench.run`); see bench/README.md for what each",
        "figure means and how it is measured. Do not edit by hand: run it again.",
        "",
        "| machine | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in machine.items()),
        "| run | " + ", ".join(f"{k}={v}" for k, v in report.config.items()) + " |",
        "",
        "## Page views under load (wrk, 127.0.0.1, gunicorn)",
        "",
        "req/s is the median of the interleaved rounds (the range shows every round); each "
        "ratio is the median of the per-round ratios.",
        "",
        "| page | req/s | rounds | vs anonymous | p50 ms | p99 ms | not 200 | Cognito calls/view |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in report.pages:
        low, high = page.rps_range
        lines.append(
            f"| {page.label} (`{page.path}`) | {page.rps:,.0f} | {low:,.0f}-{high:,.0f} "
            f"| {report.ratio(page.label):.2f}x "
            f"| {page.p50_ms:.2f} | {page.p99_ms:.2f} | {page.not_ok} "
            f"| {page.calls_per_view:.4f} |"
        )
    signed_ratio = report.ratio(signed.label)
    vs_django = [p for p in report.pages if p.label.startswith("Django") and p.rps and signed.rps]
    lines += [
        "",
        f"- Signed-in / anonymous: **{signed_ratio:.2f}x** (target >= 0.8x: "
        f"{_mark(signed_ratio >= 0.8)}).",
        *(
            f"- Signed-in / {p.label}: **{report.ratio(signed.label, p.label):.2f}x**."
            for p in vs_django
        ),
        f"- Cognito calls per signed-in page view: **{signed.calls_per_view:.4f}** "
        f"({signed.cognito_calls} in {signed.ok:,} views; target 0: "
        f"{_mark(signed.cognito_calls == 0)}).",
        f"- JWKS fetches while the server ran (2 workers, whole run): **{report.jwks_fetches}** "
        f"(target 1 per worker lifetime: {_mark(1 <= report.jwks_fetches <= 2)}).",
        "",
        "## Sign-in and refresh",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| sign-ins through the form (GET + POST, SRP), {report.signin_concurrency} at a time "
        f"| {report.signin_per_s:.1f} /s ({report.signin_count} in "
        f"{report.signin_seconds:.1f} s) |",
        f"| Cognito calls per sign-in | {_per(report.signin_calls, report.signin_count)} |",
    ]
    if report.srp is not None:
        srp = report.srp
        lines += [
            f"| server time per sign-in POST (in-process, {srp.sign_ins} sign-ins) "
            f"| {srp.server_ms:.1f} ms |",
            f"| of which SRP maths (pycognito AWSSRP) | {srp.srp_ms:.1f} ms "
            f"({srp.srp_share:.0%}; {srp.srp_share_own:.0%} of the time not spent waiting "
            "on Cognito) |",
            f"| of which waiting on the embedded Cognito | {srp.cognito_ms:.1f} ms |",
        ]
    if report.storm is not None:
        storm = report.storm
        one_each = storm.refresh_calls == storm.users
        lines += [
            f"| refresh storm: users x concurrent requests | {storm.users} x "
            f"{storm.requests_per_user} (tokens {storm.expired_by_s:.0f} s past exp) |",
            f"| Cognito refreshes in the storm | **{storm.refresh_calls}** for {storm.users} "
            f"users (target one per user: {_mark(one_each)}) |",
            f"| Cognito calls per refresh | {storm.refresh_calls / max(1, storm.users):.2f} |",
            f"| storm answers 200 signed in | {storm.responses_200} of "
            f"{storm.users * storm.requests_per_user} ({storm.seconds:.2f} s) |",
            f"| users signed out by the storm | **{storm.signed_out}** (target 0: "
            f"{_mark(storm.signed_out == 0)}) |",
            f"| next page view with the new cookies | {storm.follow_up_ok} of {storm.users} "
            f"signed in, {storm.follow_up_calls} Cognito calls |",
        ]
    if report.verify is not None:
        v = report.verify
        lines += [
            "",
            f"## Token verification per request (in-process, median of {v.iterations:,})",
            "",
            "| step | microseconds |",
            "| --- | ---: |",
            f"| verify ID + access token, verified-claims cache warm | {v.cached_us:.1f} |",
            f"| verify ID + access token, cache off (RS256 twice) | {v.uncached_us:.1f} |",
            f"| open the token cookies (AES-GCM) | {v.unseal_us:.1f} |",
            f"| whole middleware to `request.user` (memos warm: no Redis read, no user query) "
            f"| {v.middleware_us:.1f} |",
            "",
            f"The claims cache makes verification {v.uncached_us / max(v.cached_us, 0.001):.0f}x "
            "cheaper.",
        ]
    if report.revalidation is not None:
        users = int(report.config.get("users", 0))
        lines += ["", *_revalidation(report.revalidation, signed, users)]
    if report.breakdown:
        lines += [
            "",
            "## Where a page view's time goes (in-process WSGI handler, median, no network)",
            "",
            "| page | us per request | anonymous / this |",
            "| --- | ---: | ---: |",
            *(
                f"| {step.label} | {step.us:,.0f} | {step.ratio:.2f}x |"
                for step in report.breakdown
            ),
        ]
    if report.notes:
        lines += ["", "## Notes", "", *(f"- {note}" for note in report.notes)]
    return "\n".join(lines) + "\n"


def _revalidation(r: RevalidationCost, signed: PageLoad, users: int) -> list[str]:
    """The periodic check with Cognito (COGNITO_REVALIDATE_SECONDS): what one costs in process
    and how many GetUser calls it adds per signed-in view at this run's own view rate."""
    lines = [
        f"## Revalidation with Cognito (in-process, median of {r.iterations})",
        "",
        "| step | microseconds |",
        "| --- | ---: |",
        f"| whole middleware, session due, answer already in Redis (another worker asked) "
        f"| {r.follower_us:.1f} |",
        f"| whole middleware, session due, this request calls GetUser (embedded Cognito) "
        f"| {r.leader_us:.1f} |",
        "",
        f"GetUser calls made by the {r.iterations} leader runs: **{r.get_user_calls}** "
        f"(target one each: {_mark(r.get_user_calls == r.iterations)}). A view that is not due "
        "makes none (the cookie says when Cognito last vouched for the session): the page "
        "figures above.",
    ]
    if r.interval_s and signed.ok and signed.rounds:
        seconds = sum(x.seconds for x in signed.rounds)
        per_user = signed.ok / seconds / max(1, users) if seconds else 0.0
        if per_user:
            lines.append(
                f"At this run's rate ({per_user:,.0f} views/s per signed-in user) and "
                f"COGNITO_REVALIDATE_SECONDS={r.interval_s:.0f}, revalidation adds one GetUser "
                f"per {per_user * r.interval_s:,.0f} signed-in views "
                f"({1 / (per_user * r.interval_s):.6f} per view); a real user viewing a page a "
                "minute adds one per "
                f"{r.interval_s / 60:.0f} views."
            )
    return lines


def _per(calls: dict[str, int], count: int) -> str:
    if not count:
        return "-"
    total = sum(calls.values()) / count
    parts = ", ".join(f"{name} {n / count:.2f}" for name, n in sorted(calls.items()))
    return f"{total:.2f} ({parts})"


def as_json(report: Report) -> dict[str, Any]:
    signed = report.page("signed in (cognito-forms)")
    storm = report.storm
    return {
        "machine": report.machine(),
        "config": report.config,
        "pages": {
            p.label: {
                "rps": p.rps,
                "ratio_vs_anonymous": report.ratio(p.label),
                "p50_ms": p.p50_ms,
                "p99_ms": p.p99_ms,
                "ok": p.ok,
                "not_ok": p.not_ok,
                "cognito_calls": p.cognito_calls,
            }
            for p in report.pages
        },
        "signed_in_cognito_calls_per_view": signed.calls_per_view,
        "jwks_fetches": report.jwks_fetches,
        "signin_per_s": report.signin_per_s,
        "signin_calls": report.signin_calls,
        "signin_count": report.signin_count,
        "storm": None
        if storm is None
        else {
            "users": storm.users,
            "requests_per_user": storm.requests_per_user,
            "refresh_calls": storm.refresh_calls,
            "responses_200": storm.responses_200,
            "responses_other": dict(storm.responses_other),
            "signed_out": storm.signed_out,
            "follow_up_ok": storm.follow_up_ok,
            "follow_up_calls": storm.follow_up_calls,
        },
        "verify_us": None if report.verify is None else vars(report.verify),
        "revalidation": None if report.revalidation is None else vars(report.revalidation),
        "srp": None if report.srp is None else vars(report.srp),
        "breakdown_us": {step.label.strip(): step.us for step in report.breakdown},
    }


def write(report: Report, markdown_path: Path | None, json_path: Path | None) -> None:
    if markdown_path is not None:
        markdown_path.write_text(markdown(report))
    if json_path is not None:
        json_path.write_text(json.dumps(as_json(report), indent=2, default=str) + "\n")
