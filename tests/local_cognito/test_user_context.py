"""UserContextData: what each unauthenticated call told threat protection is recorded."""

from __future__ import annotations

from typing import Any

from local_cognito import LocalCognito, SeedResult
from local_cognito.state import ContextRecord

from .conftest import sign_in


def test_unauthenticated_calls_record_the_address_they_carried(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    idp.forgot_password(
        ClientId=seed.client_id,
        Username=seed.demo_email,
        UserContextData={"IpAddress": "198.51.100.4", "EncodedData": "collected-by-script"},
    )
    idp.forgot_password(ClientId=seed.client_id, Username=seed.demo_email)

    assert lc.user_context == [
        ContextRecord("ForgotPassword", "198.51.100.4", encoded_data=True, propagated=False),
        ContextRecord("ForgotPassword", None, encoded_data=False, propagated=False),
    ]


def test_calls_that_take_no_user_context_data_are_not_recorded(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    tokens = sign_in(idp, seed)  # InitiateAuth USER_PASSWORD_AUTH: recorded
    idp.get_user(AccessToken=tokens["AccessToken"])

    assert [record.action for record in lc.user_context] == ["InitiateAuth"]


def test_the_record_says_whether_the_client_accepts_an_address(
    lc: LocalCognito, seed: SeedResult, idp: Any
) -> None:
    lc.update_client(EnablePropagateAdditionalUserContextData=True)

    idp.forgot_password(
        ClientId=seed.client_id,
        Username=seed.demo_email,
        UserContextData={"IpAddress": "198.51.100.4"},
    )

    assert lc.user_context[-1].propagated is True


def test_reset_forgets_the_records(lc: LocalCognito, seed: SeedResult, idp: Any) -> None:
    idp.forgot_password(ClientId=seed.client_id, Username=seed.demo_email)

    lc.reset()

    assert lc.user_context == []
