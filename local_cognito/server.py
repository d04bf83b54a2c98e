"""A small threaded WSGI server: the Cognito API, JWKS, OpenID configuration, the outbox."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.request import Request as MotoRequest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Response

from . import errors, model
from .state import EMULATOR

log = logging.getLogger(__name__)
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
WELL_KNOWN = re.compile(
    r"^/(?P<pool>[\w-]+_[0-9A-Za-z]+)/\.well-known/(?P<doc>jwks\.json|openid-configuration)$"
)
AMZ_JSON = "application/x-amz-json-1.1"


class _Request(MotoRequest):
    from_wsgi_server = True


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Request lines are noise in test output."""


def _json(status: int, body: Any, content_type: str = "application/json") -> Response:
    return Response(json.dumps(body), status=status, content_type=content_type)


def _error(err: errors.CognitoError) -> Response:
    response = Response(err.description, status=err.code, content_type=AMZ_JSON)
    response.headers["x-amzn-ErrorType"] = err.error_type
    return response


def _api(request: _Request) -> Response:
    target = request.headers.get("X-Amz-Target", "")
    if not target.startswith(TARGET_PREFIX):
        return _error(errors.UnknownOperation(f"Unknown operation {target or '(none)'}"))
    status, headers, body = CognitoIdpResponse.dispatch(request, request.url, request.headers)
    clean = {k: str(v) for k, v in headers.items() if k.lower() not in ("status", "content-length")}
    clean.setdefault("Content-Type", AMZ_JSON)
    return Response(body, status=int(status), headers=clean)


def _well_known(pool_id: str, doc: str, host_url: str) -> Response:
    pool = model.find_pool(pool_id)
    if pool is None:
        return _json(404, {"message": f"User pool {pool_id} does not exist."})
    if doc == "jwks.json":
        return _json(200, EMULATOR.keys.jwks())
    issuer = f"https://cognito-idp.{pool.region}.amazonaws.com/{pool.id}"
    return _json(
        200,
        {
            "issuer": issuer,
            "jwks_uri": f"{host_url.rstrip('/')}/{pool.id}/.well-known/jwks.json",
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        },
    )


def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    request = _Request(environ)
    try:
        if request.method == "POST" and request.path == "/":
            response = _api(request)
        elif request.method == "GET" and request.path == "/_local/outbox.json":
            response = _json(200, EMULATOR.outbox.to_json())
        elif request.method == "GET" and (match := WELL_KNOWN.match(request.path)):
            response = _well_known(match["pool"], match["doc"], request.host_url)
        else:
            response = _json(404, {"message": "Not found"})
    except errors.CognitoError as err:
        response = _error(err)
    except Exception:  # never an HTML 500: answer like Cognito's InternalErrorException
        log.exception("local_cognito failed to serve %s %s", request.method, request.path)
        response = _error(errors.InternalError())
    return response(environ, start_response)


class BackgroundServer:
    def __init__(self, host: str, port: int) -> None:
        self._server: BaseWSGIServer = make_server(
            host, port, application, threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="local_cognito", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def start(self) -> None:
        self._thread.start()

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
