"""``manage.py cognito_purge_unconfirmed --older-than 7d [--dry-run]``: delete sign-ups nobody
confirmed, so that a stranger's early sign-up cannot hold an address (docs/security.md S1).

Prints one line per stale account (username, creation time, what was done) and a summary;
exits 1 when a deletion failed and 2 when the pool cannot be listed. The logic lives in
:mod:`cognito_forms.flows.cleanup`; docs/production.md says when to run it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cognito_forms import exceptions as exc
from cognito_forms import gateway
from cognito_forms.flows import cleanup

UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_age(value: str) -> timedelta:
    """``7d``, ``36h`` or ``2880m``: an age of at least one day."""
    match = re.fullmatch(r"\s*(\d+)\s*([dhm])\s*", value or "")
    if not match:
        raise ValueError(f"not an age: {value!r} (use e.g. 7d, 36h)")
    age = timedelta(**{UNITS[match.group(2)]: int(match.group(1))})
    if age < cleanup.MIN_AGE:
        raise ValueError("at least 1d: the sign-up code lives 24 hours")
    return age


class Command(BaseCommand):
    help = (
        "Delete UNCONFIRMED Cognito accounts older than --older-than (ListUsers, AdminGetUser, "
        "AdminDeleteUser). --dry-run lists them only."
    )
    # It reads and writes the pool only; it must run even when the site's own checks would fail.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            required=True,
            help="Age of the accounts to delete: 7d, 36h ... (at least 1d).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the accounts; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            age = parse_age(options["older_than"])
        except ValueError as error:
            raise CommandError(f"--older-than: {error}") from None
        if not gateway.has_admin_credentials():
            raise CommandError(
                "No AWS credentials: this command needs cognito-idp:ListUsers, AdminGetUser "
                "and AdminDeleteUser on the pool.",
                returncode=2,
            )
        dry_run = bool(options["dry_run"])
        try:
            report = cleanup.purge_unconfirmed(age, dry_run=dry_run)
        except exc.CognitoFormsError as error:
            message = f"Could not list the pool's users ({error.code})."
            raise CommandError(message, returncode=2) from None
        self._print(report, dry_run)

    def _print(self, report: cleanup.PurgeReport, dry_run: bool) -> None:
        outcome = {a.username: "would delete" if dry_run else "" for a in report.stale}
        outcome.update({a.username: "deleted" for a in report.deleted})
        outcome.update({a.username: "kept (confirmed or gone meanwhile)" for a in report.skipped})
        outcome.update({a.username: f"FAILED ({code})" for a, code in report.failed})
        for account in report.stale:
            created = account.created_at.strftime("%Y-%m-%d %H:%M UTC")
            self.stdout.write(f"{account.username}  created {created}  {outcome[account.username]}")
        verb = "would be deleted" if dry_run else "deleted"
        count = len(report.stale) if dry_run else len(report.deleted)
        summary = (
            f"{len(report.stale)} stale unconfirmed account(s): {count} {verb}, "
            f"{len(report.skipped)} kept, {len(report.failed)} failed; "
            f"{report.younger} younger unconfirmed account(s) left alone."
        )
        if report.failed:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
