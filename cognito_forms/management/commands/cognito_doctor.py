"""``manage.py cognito_doctor``: check the user pool and app client this site is configured for.

Prints one line per check with a verdict (OK / WARN / FAIL) and exits non-zero when a check
fails or the pool cannot be read. The logic lives in :mod:`cognito_forms.doctor`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cognito_forms import doctor


class Command(BaseCommand):
    help = "Check the Cognito user pool and app client settings that matter for a public client."
    # The doctor reads the pool; it must run even when the site's own checks would fail.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            findings = doctor.run()
        except doctor.DoctorUnavailable as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(doctor.table(findings))
        counts = {v: sum(f.verdict == v for f in findings) for v in (doctor.OK, doctor.WARN)}
        failures = sum(f.verdict == doctor.FAIL for f in findings)
        summary = f"\n{counts['OK']} OK, {counts['WARN']} WARN, {failures} FAIL"
        if failures:
            raise CommandError(summary.strip(), returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
