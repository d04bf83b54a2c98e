"""`make bench`: start the demo site under gunicorn with PostgreSQL, Redis and the embedded
Cognito, sign users in through the real forms, load the pages with wrk, run the refresh storm
and the in-process micro-benchmarks, and write bench/RESULTS.md. See bench/README.md."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import browser, load, phases, services
from .notes import notes
from .report import Report, write

HERE = Path(__file__).resolve().parent
PASSWORD = "Bench-Passw0rd!"
EMAIL_DOMAIN = "bench.example"


@dataclass(frozen=True)
class Config:
    users: int = 40  # signed-in users whose cookies wrk rotates through (and baseline users)
    seconds: float = 2.0  # per wrk run: short, so each round's pages share the same spell
    warmup: float = 2.0  # before each page's first run
    rounds: int = 12  # pages interleaved round by round; ratios are medians over rounds
    connections: int = 8
    workers: int = 2
    worker_class: str = "gthread"
    threads: int = 4
    signin_concurrency: int = 4
    storm_users: int = 10
    storm_requests: int = 20
    storm_wait_past_leeway: bool = True
    micro_iterations: int = 20000
    profile_sign_ins: int = 20


FULL = Config()
#: The smoke test's: seconds, not minutes; correctness figures only.
TINY = Config(
    users=3,
    seconds=1.0,
    warmup=0.0,
    rounds=1,
    connections=2,
    storm_users=2,
    storm_requests=20,
    storm_wait_past_leeway=False,
    micro_iterations=200,
    profile_sign_ins=2,
)


SIGNED_HOME = "signed in, home page (cognito-forms)"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--tiny", action="store_true", help="seconds per phase (smoke test)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cognito_forms_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
    )
    for item in dataclasses.fields(Config):
        if item.type in ("int", "float"):
            kind = int if item.type == "int" else float
            parser.add_argument(f"--{item.name.replace('_', '-')}", type=kind, default=None)
    parser.add_argument("--worker-class", default=None, help="gunicorn worker class")
    return parser.parse_args(argv)


def _config(args: argparse.Namespace) -> Config:
    config = TINY if args.tiny else FULL
    overrides = {
        item.name: getattr(args, item.name)
        for item in dataclasses.fields(Config)
        if getattr(args, item.name, None) is not None
    }
    return dataclasses.replace(config, **overrides)


def _setup_django(env: dict[str, str]) -> None:
    """The harness itself uses the bench settings (users, micro-benchmarks, profile)."""
    os.environ.update(env)
    import django

    django.setup()


def _reset_bench_users(count: int) -> list[tuple[str, str]]:
    """Baseline users in the local database (old bench users from earlier runs go first)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user_model.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
    users = []
    for number in range(count):
        name = f"django-{number}"
        user = user_model.objects.create_user(name, f"{name}@{EMAIL_DOMAIN}", PASSWORD)
        users.append((user.get_username(), PASSWORD))
    return users


def _cognito_users(cognito: services.Cognito, prefix: str, count: int) -> list[tuple[str, str]]:
    users = []
    for number in range(count):
        email = f"{prefix}-{number}@{EMAIL_DOMAIN}"
        cognito.lc.create_user(email, PASSWORD)
        users.append((email, PASSWORD))
    return users


def _cookie_file(folder: Path, name: str, signed: list[browser.SignedIn]) -> Path:
    path = folder / f"{name}.cookies"
    path.write_text("".join(s.cookie_header + "\n" for s in signed))
    return path


def _check_signed_in(base: str, path: str, signed: list[browser.SignedIn], what: str) -> None:
    for user in signed[:3]:
        page = browser.get(base, path, user.cookie_header)
        if page.status_code != 200 or user.email not in page.text:
            raise SystemExit(f"{what}: {user.email} is not signed in on {path}")


def run(config: Config, args: argparse.Namespace) -> Report:
    load.require_wrk()
    versions = {
        "PostgreSQL": services.ensure_database(args.database_url),
        "Redis": services.redis_version(args.redis_url),
        "wrk": load.wrk_version(),
    }
    settings = {k: v for k, v in dataclasses.asdict(config).items() if not k.startswith("micro")}
    report = Report(config=settings, versions=versions)
    # A fresh key prefix per run: nothing cached by an earlier run (JWKS, claims) is reused.
    prefix = f"bench{os.getpid()}x{int(time.time())}"
    folder = Path(tempfile.mkdtemp(prefix="cognito-forms-bench-"))
    with services.cognito() as cognito:
        env = services.server_env(args.database_url, args.redis_url, prefix, cognito)
        print("Migrating the bench database ...", flush=True)
        services.manage(env, "migrate", "--no-input", "-v", "0")
        _setup_django(env)
        baseline_users = _reset_bench_users(config.users)
        users = _cognito_users(cognito, "user", config.users)
        port = services.free_port()
        print(f"Starting gunicorn on 127.0.0.1:{port} ...", flush=True)
        with services.gunicorn(
            env, port, config.workers, config.worker_class, config.threads, folder / "gunicorn.log"
        ) as base:
            print(f"Signing {len(users)} users in through /accounts/signin/ ...", flush=True)
            before = cognito.actions()
            signed, seconds = browser.sign_in_all(
                base, "/accounts/signin/", users, concurrency=config.signin_concurrency
            )
            report.signin_calls = dict(phases.delta(cognito.actions(), before))
            report.signin_count, report.signin_seconds = len(signed), seconds
            report.signin_concurrency = config.signin_concurrency
            _check_signed_in(base, "/private/", signed, "cognito-forms")
            cookie_files: dict[str, Path | None] = {
                "anonymous home": None,
                "signed in (cognito-forms)": _cookie_file(folder, "cognito", signed),
            }
            # The same home page with the signed-in cookies: the session layer's own cost under
            # load, apart from /private/'s larger, never-cached page.
            cookie_files[SIGNED_HOME] = cookie_files["signed in (cognito-forms)"]
            pages = [
                phases.PageLoad("anonymous home", "/"),
                phases.PageLoad("signed in (cognito-forms)", "/private/"),
                phases.PageLoad(SIGNED_HOME, "/"),
            ]
            baseline_signed: dict[str, list[browser.SignedIn]] = {}
            for engine, label in (("signed", "signed_cookies"), ("db", "db")):
                login = f"/bench/django/{engine}/login/"
                done, _ = browser.sign_in_all(base, login, baseline_users, field="username")
                done = [dataclasses.replace(s, email=f"{s.email}@{EMAIL_DOMAIN}") for s in done]
                path = f"/bench/django/{engine}/private/"
                _check_signed_in(base, path, done, f"Django {label} session")
                name = f"Django session ({label})"
                cookie_files[name] = _cookie_file(folder, engine, done)
                baseline_signed[engine] = done
                pages.append(phases.PageLoad(name, path))
            report.pages = pages
            print("Loading the pages with wrk ...", flush=True)
            phases.page_load(
                cognito,
                base,
                pages,
                cookie_files,
                seconds=config.seconds,
                warmup=config.warmup,
                rounds=config.rounds,
                connections=config.connections,
            )
            print("Refresh storm ...", flush=True)
            from cognito_forms.conf import app_settings

            report.storm = phases.refresh_storm(
                cognito,
                base,
                _cognito_users(cognito, "storm", config.storm_users),
                config.storm_requests,
                leeway=app_settings.CLOCK_LEEWAY,
                wait_past_leeway=config.storm_wait_past_leeway,
            )
            report.jwks_fetches = cognito.jwks_fetches()
        print("In-process micro-benchmarks ...", flush=True)
        from . import breakdown, micro

        report.verify = micro.verification_cost(signed[0].cookie_header, config.micro_iterations)
        report.revalidation = micro.revalidation_cost(
            signed[0].cookie_header, min(100, max(20, config.micro_iterations // 200))
        )
        django_user = baseline_signed["signed"][0]
        report.breakdown = breakdown.breakdown(
            signed[0].cookie_header,
            signed[0].email,
            django_user.cookie_header,
            django_user.email,
            config.micro_iterations // 10,
        )
        report.srp = micro.profile_sign_in(
            _cognito_users(cognito, "profile", config.profile_sign_ins)
        )
    return report


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    config = _config(args)
    started = time.monotonic()
    load_before = _load_average()
    report = run(config, args)
    report.load = f"{load_before} / {_load_average()} (other work on the machine skews I/O waits)"
    report.notes = notes(report)
    write(report, args.output, args.json)
    print(f"\nWrote {args.output} in {time.monotonic() - started:.0f} s.\n", flush=True)
    sys.stdout.write(args.output.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
