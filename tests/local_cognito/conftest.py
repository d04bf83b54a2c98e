"""One emulator server per test session; a fresh seeded pool for every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local_cognito import LocalCognito, SeedResult


@pytest.fixture(scope="session")
def local_cognito() -> Iterator[LocalCognito]:
    lc = LocalCognito()
    lc.start_server(host="127.0.0.1", port=0)
    yield lc
    lc.stop_server()


@pytest.fixture
def lc(local_cognito: LocalCognito) -> LocalCognito:
    local_cognito.reset()
    return local_cognito


@pytest.fixture
def seed(lc: LocalCognito) -> SeedResult:
    return lc.seed()


def make_client(lc: LocalCognito, region: str = "us-east-1") -> Any:
    return boto3.client(
        "cognito-idp",
        region_name=region,
        endpoint_url=lc.base_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def idp(lc: LocalCognito, seed: SeedResult) -> Any:
    return make_client(lc)


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = excinfo.value.response["Error"]
    return err["Code"], err.get("Message", "")


def sign_in(
    idp: Any, seed: SeedResult, email: str | None = None, password: str | None = None
) -> dict[str, Any]:
    response = idp.initiate_auth(
        ClientId=seed.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": email or seed.demo_email,
            "PASSWORD": password or seed.demo_password,
        },
    )
    return response["AuthenticationResult"]
