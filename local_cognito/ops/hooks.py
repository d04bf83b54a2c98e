"""What ``install()`` changes on moto besides the operations: which backend serves a call,
the bookkeeping around every call (counts, UserContextData, unknown actions), moto's key
import and its JWKS endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from moto.cognitoidp import models as moto_models
from moto.cognitoidp import responses as moto_responses
from moto.cognitoidp.models import CognitoIdpBackend, cognitoidp_backends
from moto.core.utils import camelcase_to_underscores

from .. import errors, model
from ..state import EMULATOR, ContextRecord

#: The unauthenticated actions that take ``UserContextData`` (Cognito's API model).
CONTEXT_ACTIONS = frozenset(
    {
        "SignUp",
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "ForgotPassword",
        "ConfirmForgotPassword",
    }
)


def _region_agnostic_backend(self: moto_responses.CognitoIdpResponse) -> CognitoIdpBackend:
    """Pool ids name their region; serve them whatever region the client was configured with."""
    try:
        pool_id = json.loads(self.body or "{}").get("UserPoolId")
    except (ValueError, AttributeError):
        pool_id = None
    if pool_id:
        found = model.backend_of_pool(pool_id)
        if found is not None:
            return found
    return cognitoidp_backends[self.current_account][self.region]


def _record_context(action: str, body: str | bytes | None) -> None:
    """Keep what threat protection would see of an unauthenticated call (tests read it)."""
    try:
        params = json.loads(body or "{}")
    except ValueError:
        return
    if not isinstance(params, dict):
        return
    context = params.get("UserContextData")
    context = context if isinstance(context, dict) else {}
    try:
        client, _pool = model.client_and_pool(str(params.get("ClientId", "")))
        propagated = bool(client.extended_config.get("EnablePropagateAdditionalUserContextData"))
    except errors.CognitoError:  # the action itself answers ResourceNotFound
        propagated = False
    address = context.get("IpAddress")
    EMULATOR.user_context.append(
        ContextRecord(
            action=action,
            ip_address=str(address) if address is not None else None,
            encoded_data=bool(context.get("EncodedData")),
            propagated=propagated,
        )
    )


def _wrap_call_action(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def call_action(self: moto_responses.CognitoIdpResponse) -> Any:
        action = self._get_action() or ""
        with EMULATOR.lock:
            EMULATOR.calls[action] += 1
            if action in CONTEXT_ACTIONS:
                _record_context(action, self.body)
            if not hasattr(self, camelcase_to_underscores(action)):
                err = errors.UnknownOperation(f"Unknown operation {action}")
                return (
                    err.code,
                    {
                        "Content-Type": "application/x-amz-json-1.1",
                        "x-amzn-ErrorType": err.error_type,
                    },
                    err.description,
                )
            return original(self)

    call_action.__wrapped__ = original  # type: ignore[attr-defined]
    return call_action


def _cache_motos_key_import() -> None:
    """moto re-imports its published private key (~0.15 s) for every CreateUserPool; we never
    sign with it, so one import serves every pool and reset()+seed() stays fast."""
    real = moto_models.jwk
    cached: dict[str, Any] = {}

    def import_key(data: Any) -> Any:
        key = json.dumps(data, sort_keys=True)
        if key not in cached:
            cached[key] = real.RSAKey.import_key(data)
        return cached[key]

    moto_models.jwk = SimpleNamespace(  # type: ignore[assignment]
        RSAKey=SimpleNamespace(import_key=import_key)
    )


def install_hooks(cls: type[moto_responses.CognitoIdpResponse]) -> None:
    """Apply the hooks; ``ops.install()`` calls this exactly once per process."""
    cls.backend = property(_region_agnostic_backend)  # type: ignore[assignment,method-assign]
    cls.call_action = _wrap_call_action(cls.call_action)  # type: ignore[method-assign,assignment]
    _cache_motos_key_import()
    # moto's mock JWKS endpoint reads this attribute at call time: serve our keys there too
    # (the key ring lives as long as the process, reset() keeps it).
    moto_responses.CognitoIdpJsonWebKeyResponse.json_web_key = json.dumps(
        EMULATOR.keys.jwks()
    ).encode("utf-8")
