"""``cognito_purge_unconfirmed`` (docs/security.md S1): sign-ups nobody confirmed within days
are deleted, so a stranger's early sign-up no longer holds the address when its owner comes."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from botocore.stub import ANY, Stubber
from django.core.management import CommandError, call_command

from cognito_forms import gateway
from tests.journeys import STRONG, signed_in
from tests.session_helpers import idp_client

pytestmark = pytest.mark.django_db

DAY = 86400
ATTACKER_PASSWORD = "Attacker-Passw0rd!"


def created_days_ago(cognito, days, email, **kwargs):
    """A user whose UserCreateDate is ``days`` ago (the emulator's clock, moved back)."""
    cognito.lc.clock.advance(-days * DAY)
    try:
        return cognito.create_user(email, STRONG, **kwargs)
    finally:
        cognito.lc.clock.advance(days * DAY)


def exists(cognito, email):
    try:
        idp_client(cognito).admin_get_user(UserPoolId=cognito.seed.pool_id, Username=email)
    except idp_client(cognito).exceptions.UserNotFoundException:
        return False
    return True


def purge(*args):
    out = StringIO()
    call_command("cognito_purge_unconfirmed", *args, stdout=out)
    return out.getvalue()


def test_purge_deletes_only_unconfirmed_accounts_older_than_the_age(cognito):
    stale = created_days_ago(cognito, 8, "stale@example.com", confirmed=False)
    created_days_ago(cognito, 6, "recent@example.com", confirmed=False)
    created_days_ago(cognito, 30, "old-member@example.com", confirmed=True)
    gateway.reset_counters()
    output = purge("--older-than", "7d")
    assert not exists(cognito, "stale@example.com")
    assert exists(cognito, "recent@example.com")
    assert exists(cognito, "old-member@example.com")
    line = next(line for line in output.splitlines() if line.startswith(stale))
    assert line.endswith(" UTC  deleted")
    assert "1 stale unconfirmed account(s): 1 deleted, 0 kept, 0 failed" in output
    assert "1 younger unconfirmed account(s) left alone" in output
    assert dict(cognito.calls) == {"ListUsers": 1, "AdminGetUser": 1, "AdminDeleteUser": 1}


def test_purge_dry_run_lists_and_deletes_nothing(cognito):
    created_days_ago(cognito, 8, "stale@example.com", confirmed=False)
    gateway.reset_counters()
    output = purge("--older-than", "7d", "--dry-run")
    assert "would delete" in output
    assert "1 would be deleted" in output
    assert exists(cognito, "stale@example.com")
    assert dict(cognito.calls) == {"ListUsers": 1}


def test_after_the_purge_the_owner_signs_up_afresh_with_their_own_password(client, cognito):
    cognito.lc.clock.advance(-8 * DAY)
    early = client.post(
        "/accounts/signup/", {"email": "v@example.com", "password": ATTACKER_PASSWORD, "name": "A"}
    )
    cognito.lc.clock.advance(8 * DAY)
    assert early.status_code == 302
    assert exists(cognito, "v@example.com")
    assert "1 deleted" in purge("--older-than", "7d")
    owner = type(client)()
    owner.post("/accounts/signup/", {"email": "v@example.com", "password": STRONG, "name": "V"})
    code = cognito.code_for("v@example.com", "sign_up")
    assert signed_in(owner.post("/accounts/confirm/", {"code": code}))
    attacker = type(client)()
    response = attacker.post(
        "/accounts/signin/", {"email": "v@example.com", "password": ATTACKER_PASSWORD}
    )
    assert not signed_in(response)


def test_purge_pages_through_every_unconfirmed_account(cognito):
    for n in range(65):
        created_days_ago(cognito, 8, f"stale{n}@example.com", confirmed=False)
    gateway.reset_counters()
    output = purge("--older-than", "7d")
    assert "65 stale unconfirmed account(s): 65 deleted" in output
    assert cognito.calls["ListUsers"] == 2


def test_purge_keeps_an_account_confirmed_between_listing_and_deletion(cognito):
    listed = {
        "Username": "u-1",
        "Attributes": [],
        "UserStatus": "UNCONFIRMED",
        "Enabled": True,
        "UserCreateDate": datetime(2020, 1, 1, tzinfo=UTC),
    }
    with Stubber(gateway.client()) as stub:
        stub.add_response("list_users", {"Users": [listed]})
        stub.add_response(
            "admin_get_user",
            {"Username": "u-1", "UserStatus": "CONFIRMED"},
            expected_params={"UserPoolId": ANY, "Username": "u-1"},
        )
        output = purge("--older-than", "7d")
        stub.assert_no_pending_responses()  # and no AdminDeleteUser
    assert "u-1  created 2020-01-01 00:00 UTC  kept (confirmed or gone meanwhile)" in output


def test_purge_reports_a_failed_deletion_and_exits_1(cognito):
    created_days_ago(cognito, 8, "stale@example.com", confirmed=False)
    users, _ = gateway.list_users(filter_expression='cognito:user_status = "UNCONFIRMED"')
    with Stubber(gateway.client()) as stub:
        stub.add_response(
            "list_users",
            {"Users": [{"Username": users[0].username, "UserStatus": "UNCONFIRMED",
                        "UserCreateDate": users[0].created_at}]},
        )  # fmt: skip
        stub.add_response("admin_get_user", {"Username": "x", "UserStatus": "UNCONFIRMED"})
        stub.add_client_error("admin_delete_user", service_error_code="TooManyRequestsException")
        with pytest.raises(CommandError, match="1 failed") as failed:
            purge("--older-than", "7d")
    assert failed.value.returncode == 1


def test_purge_when_the_pool_cannot_be_listed_exits_2(cognito):
    with Stubber(gateway.client()) as stub:
        stub.add_client_error("list_users", service_error_code="NotAuthorizedException")
        with pytest.raises(CommandError, match="Could not list") as failed:
            purge("--older-than", "7d")
    assert failed.value.returncode == 2


@pytest.mark.parametrize("age", ["12h", "0d", "7", "seven days", "-7d"])
def test_purge_refuses_an_age_under_a_day_or_unreadable(cognito, age):
    with pytest.raises(CommandError, match="--older-than"):
        purge("--older-than", age)
    assert cognito.calls["ListUsers"] == 0
