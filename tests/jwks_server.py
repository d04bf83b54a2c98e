"""A tiny local JWKS endpoint and token factory for the token-verification tests
(docs/security.md T).

The server counts fetches and can be told to answer normally, fail, hang, or serve an empty or
invalid document, so the cache behaviour of cognito_forms.jwks is observable from outside.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from cognito_forms import tokens

from .fault_servers import QuietHandler, serve, shut

POOL_ID = "us-east-1_TestPool1"
CLIENT_ID = "testclient0000000000000001"
ISSUER = f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return dict(jwk)


@dataclass
class JwksServer:
    keys: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "ok"  # ok, down (500), slow, empty, invalid
    delay: float = 5.0
    fetches: int = 0
    paths: list[str] = field(default_factory=list)
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        owner = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                owner.fetches += 1
                owner.paths.append(self.path)
                if owner.mode == "slow":
                    time.sleep(owner.delay)
                if owner.mode == "down":
                    self.send_response(500)
                    self.end_headers()
                    return
                body = {
                    "ok": json.dumps({"keys": owner.keys}).encode(),
                    "slow": json.dumps({"keys": owner.keys}).encode(),
                    "empty": b'{"keys": []}',
                    "invalid": b"<html>not json",
                }[owner.mode]
                self.reply(200, body, "application/json")

        self._server = serve(Handler)
        port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/{POOL_ID}/.well-known/jwks.json"

    def stop(self) -> None:
        shut(self._server)


@contextmanager
def verifying_against(server: JwksServer, settings: Any) -> Iterator[JwksServer]:
    """Point the product at `server`'s test pool, with empty key caches before and after."""
    settings.COGNITO_USER_POOL_ID = POOL_ID
    settings.COGNITO_CLIENT_ID = CLIENT_ID
    settings.COGNITO_REGION = "us-east-1"
    settings.COGNITO_JWKS_URL = server.url
    settings.COGNITO_JWKS_TIMEOUT = 0.5
    settings.COGNITO_JWKS_COOLDOWN = 10
    tokens.reset_caches()
    try:
        yield server
    finally:
        tokens.reset_caches()


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims(use: str = "id", **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "sub": "11111111-2222-3333-4444-555555555555",
        "iss": ISSUER,
        "token_use": use,
        "auth_time": now,
        "iat": now,
        "exp": now + 3600,
        "origin_jti": "family-1",
        "jti": "jti-1",
    }
    if use == "id":
        base.update({"aud": CLIENT_ID, "email": "ann@example.com", "cognito:username": "ann"})
    else:
        base.update({"client_id": CLIENT_ID, "scope": "aws.cognito.signin.user.admin"})
    for name, value in overrides.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    return base


def sign(
    payload: dict[str, Any],
    key: Any,
    kid: str | None = "k1",
    alg: str = "RS256",
    headers: dict[str, Any] | None = None,
) -> str:
    extra = dict(headers or {})
    if kid is not None:
        extra["kid"] = kid
    return jwt.encode(payload, key, algorithm=alg, headers=extra)


def hand_made(header: dict[str, Any], payload: Any, signature: bytes = b"sig") -> str:
    return ".".join(
        [
            b64(json.dumps(header).encode()),
            b64(json.dumps(payload).encode()),
            b64(signature),
        ]
    )


def hs256_with(secret: bytes, payload: dict[str, Any], kid: str = "k1") -> str:
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64(json.dumps(payload).encode())
    mac = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(mac)}"
