"""``python -m local_cognito [--host 127.0.0.1] [--port 9229]``: reset, seed, serve."""

from __future__ import annotations

import argparse
import os
import sys

from .facade import LocalCognito
from .server import BackgroundServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_cognito", description="Serve the embedded Cognito user pool."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("COGNITO_LOCAL_PORT", "9229"))
    )
    args = parser.parse_args(argv)
    local = LocalCognito()
    local.reset()
    seeded = local.seed()
    server = BackgroundServer(args.host, args.port)
    print(
        f"local_cognito ready on {server.url} pool={seeded.pool_id} client={seeded.client_id} "
        f"demo={seeded.demo_email}",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
