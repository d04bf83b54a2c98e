"""Stale unconfirmed accounts: find them and delete them (``cognito_purge_unconfirmed``).

An unconfirmed account holds its address with a password chosen by whoever signed up. If that
was not the address's owner, the owner's own sign-up later finds the address taken, and once
they confirm it, the stranger's password signs in as them (docs/security.md S1). Deleting
accounts nobody confirmed within days frees the address for its owner. The sign-up code lives
24 hours, so an account older than a day can only be confirmed after asking for a new code.

Needs admin credentials allowed ``cognito-idp:ListUsers``, ``AdminGetUser`` and
``AdminDeleteUser`` on the pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .. import exceptions as exc
from .. import gateway
from ..types import CognitoUser

UNCONFIRMED = "UNCONFIRMED"
#: A younger account may be in the middle of its confirmation: its code lives 24 hours.
MIN_AGE = timedelta(days=1)


@dataclass(frozen=True)
class StaleAccount:
    username: str
    created_at: datetime


@dataclass
class PurgeReport:
    """What a purge found and did; ``failed`` holds (account, error code) pairs."""

    stale: list[StaleAccount] = field(default_factory=list)
    deleted: list[StaleAccount] = field(default_factory=list)
    skipped: list[StaleAccount] = field(default_factory=list)  # confirmed meanwhile, or gone
    failed: list[tuple[StaleAccount, str]] = field(default_factory=list)
    younger: int = 0


def unconfirmed_users() -> Iterator[CognitoUser]:
    """Every UNCONFIRMED user of the pool, page by page (ListUsers, 60 a page)."""
    token: str | None = None
    while True:
        users, token = gateway.list_users(
            filter_expression=f'cognito:user_status = "{UNCONFIRMED}"', pagination_token=token
        )
        yield from users
        if not token:
            return


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def purge_unconfirmed(
    older_than: timedelta, *, dry_run: bool = False, now: datetime | None = None
) -> PurgeReport:
    """Delete (or with ``dry_run`` only list) UNCONFIRMED accounts created before
    ``now - older_than``. Listing failures raise; a failed deletion is reported and skipped."""
    if older_than < MIN_AGE:
        raise ValueError("older_than must be at least one day")
    cutoff = (now or datetime.now(UTC)) - older_than
    report = PurgeReport()
    for user in unconfirmed_users():
        if user.status != UNCONFIRMED or user.created_at is None:
            continue
        account = StaleAccount(user.username, _aware(user.created_at))
        if account.created_at >= cutoff:
            report.younger += 1
            continue
        report.stale.append(account)
        if not dry_run:
            _delete_if_still_unconfirmed(account, report)
    return report


def _delete_if_still_unconfirmed(account: StaleAccount, report: PurgeReport) -> None:
    try:
        # Cognito has no conditional delete: look again right before, so an owner who
        # confirmed since the listing keeps their account.
        current = gateway.admin_get_user(username=account.username)
        if current.status != UNCONFIRMED:
            report.skipped.append(account)
            return
        gateway.admin_delete_user(username=account.username)
    except exc.UserNotFound:
        report.skipped.append(account)
    except exc.CognitoFormsError as error:
        report.failed.append((account, error.code))
    else:
        report.deleted.append(account)
