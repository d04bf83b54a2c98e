"""`make run`: start the embedded Cognito, then the demo site, and stop both on Ctrl-C.

The site reaches the embedded Cognito through COGNITO_ENDPOINT_URL exactly as it would reach
AWS, so nothing in the product knows it is talking to an emulator.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 30.0


def _start_emulator(port: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "local_cognito", "--host", "127.0.0.1", "--port", port],
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + READY_TIMEOUT
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if "ready on" in line:
            return process, line.strip()
        sys.stdout.write(line)
    process.terminate()
    raise SystemExit(f"The embedded Cognito did not start on port {port}.")


def _relay(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(f"[local_cognito] {line}")


def main() -> int:
    port = os.environ.get("PORT", "8000")
    cognito_port = os.environ.get("COGNITO_LOCAL_PORT", "9229")
    endpoint = f"http://127.0.0.1:{cognito_port}"
    emulator, ready = _start_emulator(cognito_port)
    env = {
        **os.environ,
        "COGNITO_ENDPOINT_URL": endpoint,
        "COGNITO_LOCAL_EMULATOR": "True",
        "DEBUG": os.environ.get("DEBUG", "True"),
    }
    # Keep draining the emulator's output so a full pipe never blocks it.
    threading.Thread(target=_relay, args=(emulator,), daemon=True).start()
    print(ready, flush=True)
    site_url = f"http://127.0.0.1:{port}"
    print(
        f"\n  cognito-forms demo site:  {site_url}/\n"
        f"  Sign up:                  {site_url}/accounts/signup/\n"
        "  Demo account:             demo@example.com  /  Demo-Passw0rd!\n"
        f"  Codes sent (email, SMS):  {site_url}/_local/outbox/\n"
        "  Press Ctrl-C to stop.\n",
        flush=True,
    )
    site = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        while site.poll() is None and emulator.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (site, emulator):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in (site, emulator):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
    print("\nStopped the demo site and the embedded Cognito.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
