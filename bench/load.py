"""wrk runs: one path, a fixed duration and connection count, per-request cookies."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "pages.lua"


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    ok: int
    not_ok: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(
            "wrk is not installed: `apt-get update && apt-get install -y wrk` (Debian package)."
        )
    return found


def wrk_version() -> str:
    out = subprocess.run(
        [require_wrk(), "-v"], capture_output=True, text=True, timeout=10, check=False
    )
    first = (out.stdout or out.stderr).splitlines()
    return first[0].split(" [")[0] if first else "?"


def run(
    base: str,
    path: str,
    cookie_file: Path | None,
    seconds: float,
    connections: int,
    threads: int = 1,
) -> LoadResult:
    """GET ``base + path`` for ``seconds`` with ``connections`` open; 127.0.0.1 only."""
    if not base.startswith("http://127.0.0.1:"):
        raise ValueError("the benchmark only sends traffic to 127.0.0.1")
    command = [
        require_wrk(),
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(LUA),
        base + path,
        "--",
        path,
        str(cookie_file or ""),
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON ") :])
            return LoadResult(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                ok=data["ok"],
                not_ok=data["not_ok"],
                socket_errors=data["socket_errors"],
                p50_ms=data["p50_us"] / 1000,
                p90_ms=data["p90_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
            )
    raise RuntimeError(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
