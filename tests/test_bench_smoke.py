"""`make bench` in a tiny configuration (about a second per phase): the harness works end to
end, and the correctness figures hold. Speed is reported by `make bench`, never asserted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
        reason="needs REDIS_URL and DATABASE_URL (PostgreSQL and Redis), as .ci/run sets",
    ),
    pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)"),
]


def _bench_database(url: str) -> str:
    # Same server as the suite's database, its own database (created by the harness).
    return urlunsplit(urlsplit(url)._replace(path="/cognito_forms_bench_smoke"))


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("bench")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "COGNITO_"))}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--tiny",
            "--output",
            str(folder / "RESULTS.md"),
            "--json",
            str(folder / "results.json"),
            "--database-url",
            _bench_database(os.environ["DATABASE_URL"]),
            "--redis-url",
            os.environ["REDIS_URL"],
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "| signed in (cognito-forms)" in (folder / "RESULTS.md").read_text()
    return json.loads((folder / "results.json").read_text())


def test_every_benchmarked_page_answered_200_to_every_request(figures: dict) -> None:
    for label, page in figures["pages"].items():
        assert page["ok"] > 0, label
        assert page["not_ok"] == 0, label


def test_a_signed_in_page_view_makes_no_cognito_call(figures: dict) -> None:
    assert figures["pages"]["signed in (cognito-forms)"]["cognito_calls"] == 0
    assert figures["signed_in_cognito_calls_per_view"] == 0


def test_an_srp_sign_in_is_two_cognito_calls(figures: dict) -> None:
    calls = figures["signin_calls"]
    count = figures["signin_count"]
    assert calls == {"InitiateAuth": count, "RespondToAuthChallenge": count}


def test_the_refresh_storm_refreshes_once_per_user_and_signs_no_one_out(figures: dict) -> None:
    storm = figures["storm"]
    assert storm["refresh_calls"] == storm["users"]
    assert storm["responses_200"] == storm["users"] * storm["requests_per_user"]
    assert storm["signed_out"] == 0
    assert storm["follow_up_ok"] == storm["users"]
    assert storm["follow_up_calls"] == 0


def test_the_jwks_is_fetched_once_for_both_workers(figures: dict) -> None:
    assert figures["jwks_fetches"] == 1


def test_a_session_due_for_revalidation_makes_exactly_one_get_user_call(figures: dict) -> None:
    """docs/security.md S5: the leader of each due check asks Cognito once, no more."""
    revalidation = figures["revalidation"]
    assert revalidation["get_user_calls"] == revalidation["iterations"]
