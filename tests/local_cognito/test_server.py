"""The server: routes, JWKS with our own keys, OpenID configuration, outbox, errors, regions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from moto.utilities.utils import load_resource

from local_cognito import LocalCognito, SeedResult

from .conftest import make_client, sign_in

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def test_jwks_serves_two_generated_rs256_keys_never_motos(
    lc: LocalCognito, seed: SeedResult
) -> None:
    status, jwks = _get(f"{lc.base_url}/{seed.pool_id}/.well-known/jwks.json")
    assert status == 200
    moto_n = {k["n"] for k in load_resource("cognitoidp/resources/jwks-public.json")["keys"]}
    assert len(jwks["keys"]) == 2
    for key in jwks["keys"]:
        assert key["alg"] == "RS256"
        assert key["kty"] == "RSA"
        assert key["use"] == "sig"
        assert key["kid"] != "dummy"
        assert len(key["kid"]) == 44
        assert key["n"] not in moto_n


def test_openid_configuration_names_the_real_issuer(lc: LocalCognito, seed: SeedResult) -> None:
    status, doc = _get(f"{lc.base_url}/{seed.pool_id}/.well-known/openid-configuration")
    assert status == 200
    assert doc["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{seed.pool_id}"
    assert doc["jwks_uri"] == f"{lc.base_url}/{seed.pool_id}/.well-known/jwks.json"


def test_unknown_pool_well_known_is_404_json(lc: LocalCognito, seed: SeedResult) -> None:
    status, body = _get(f"{lc.base_url}/us-east-1_Nope/.well-known/jwks.json")
    assert status == 404
    assert "message" in body


def test_unknown_action_answers_a_cognito_json_error(lc: LocalCognito, seed: SeedResult) -> None:
    request = urllib.request.Request(
        f"{lc.base_url}/",
        data=b"{}",
        method="POST",
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.NoSuchAction",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request)
    assert excinfo.value.code == 400
    body = json.load(excinfo.value)
    assert body["__type"] == "UnknownOperationException"


def test_outbox_json_lists_newest_first(lc: LocalCognito, seed: SeedResult) -> None:
    idp = make_client(lc)
    idp.forgot_password(ClientId=seed.client_id, Username=seed.demo_email)
    idp.forgot_password(ClientId=seed.client_id, Username=seed.demo_email)
    status, messages = _get(f"{lc.base_url}/_local/outbox.json")
    assert status == 200
    assert len(messages) == 2
    assert set(messages[0]) >= {"to", "purpose", "code", "sent_at", "medium"}
    assert messages[0]["purpose"] == "forgot_password"
    assert messages[0]["to"] == seed.demo_email
    assert messages[0]["sent_at"] >= messages[1]["sent_at"]
    assert messages[0]["code"] == lc.outbox.latest_code(seed.demo_email, "forgot_password")


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2"])
def test_any_client_region_reaches_the_seeded_pool(
    lc: LocalCognito, seed: SeedResult, region: str
) -> None:
    idp = make_client(lc, region)
    tokens = sign_in(idp, seed)
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"]
    described = idp.describe_user_pool(UserPoolId=seed.pool_id)["UserPool"]
    assert described["Id"] == seed.pool_id
    idp.global_sign_out(AccessToken=tokens["AccessToken"])


def test_calls_are_counted_per_action(lc: LocalCognito, seed: SeedResult) -> None:
    idp = make_client(lc)
    sign_in(idp, seed)
    sign_in(idp, seed)
    assert lc.calls["InitiateAuth"] == 2


def test_cli_prints_ready_line_and_serves(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COGNITO_LOCAL_PORT": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "local_cognito"],
        stdout=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("local_cognito ready on http://127.0.0.1:")
        assert "pool=us-east-1_LocalDemo client=localdemoclient00000000000" in line
        assert "demo=demo@example.com" in line
        url = line.split()[3]
        status, jwks = _get(f"{url}/us-east-1_LocalDemo/.well-known/jwks.json")
        assert status == 200
        assert jwks["keys"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def test_parallel_requests_are_served(lc: LocalCognito, seed: SeedResult) -> None:
    from concurrent.futures import ThreadPoolExecutor

    idp = make_client(lc)
    tokens = sign_in(idp, seed)

    def refresh(_: int) -> str:
        result = idp.get_tokens_from_refresh_token(
            ClientId=seed.client_id, RefreshToken=tokens["RefreshToken"]
        )
        return str(result["AuthenticationResult"]["AccessToken"])

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(refresh, range(20)))
    assert len(set(results)) == 20  # all within the grace period, all served
