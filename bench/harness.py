"""The load harness shared by the benchmark's areas: environments, servers, load, results.

- `bench_environment`: a temporary SQLite database (or BENCH_DATABASE_URL) in the production configuration
  (AJET_ENV=production, Redis cache on BENCH_REDIS_URL, static files collected), plus the bare view of
  `bench.settings`.
- `Server`: one server process (uvicorn, gunicorn sync or threaded, `manage.py serve`, the no-middleware app
  of `bench.minimal`) on a free loopback port, started and stopped with the run.
- `measure`: scenarios (a server, a path, cookies) take turns in ROUNDS rounds, so a busy moment on the
  machine hits them all alike. The load comes from `wrk` (Debian package) when it is installed: it runs
  outside Python, so the client does not compete with the server for the interpreter. Otherwise a small
  asyncio client with keep-alive connections does the same.
- `result`, `print_table`, `write_results`: rows of bench/results.json, `{"name", "value", "unit",
  "baseline", "baseline_value", "ratio", "target"}`, where ratio says how many times better than the
  baseline the value is (higher is better) and target is the least ratio asked for (or null).
"""

import asyncio
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = Path(__file__).with_name("results.json")
CONCURRENCY = 8
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS_PER_ROUND = float(os.environ.get("BENCH_SECONDS", "4"))
WARMUP_REQUESTS = 30
WRK = shutil.which("wrk")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")  # flushed: a database of its own


def say(text: str) -> None:
    print(text, flush=True)


def bench_environment(folder: Path) -> dict[str, str]:
    """The production configuration, on loopback and without TLS (nginx would terminate it)."""
    return {
        # BENCH_DATABASE_URL points the run at an empty PostgreSQL database instead (it is wiped and refilled).
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"),
        "AJET_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "AJET_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",  # testserver: the in-process query counts
        "SITE_URL": "https://127.0.0.1",  # production insists on https links in e-mails; none are sent here
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "smtp://127.0.0.1:25",  # never used: tasks go to the dummy backend
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- servers ----------------------------------------------------------------------------------------------

def uvicorn(app: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
            "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "120"]


def gunicorn(app: str, port: int, threads: int = 1) -> list[str]:
    return [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--worker-class", "gthread" if threads > 1 else "sync", "--threads", str(threads),
            "--log-level", "warning", "--keep-alive", "120", "--no-control-socket"]


def serve(port: int) -> list[str]:
    """The project's own production command, with one page worker like the others."""
    return [sys.executable, "manage.py", "serve", "--port", str(port), "--ws-port", str(free_port())]


@dataclass
class Server:
    name: str
    command_for: object  # port -> command line
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(self.command_for(self.port), cwd=ROOT,
                                        env={**os.environ, **env, "WEB_WORKERS": "1", **self.env})

    def wait_until_up(self, path: str = "/bench/bare/", timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped with exit code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # not up yet, or slow to start
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer {path} within a minute")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- load -------------------------------------------------------------------------------------------------

@dataclass
class Scenario:
    name: str
    server: Server
    path: str
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


@dataclass
class Load:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    p50s: list[float] = field(default_factory=list)  # ms, one per round
    p99s: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.p50s)

    @property
    def p99(self) -> float:
        return statistics.median(self.p99s)

    def add(self, other: "Load") -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.p50s += other.p50s
        self.p99s += other.p99s


def check_status(scenario: Scenario) -> None:
    """The page must answer 200 (not a redirect to sign-in) before it is measured; this also warms it up."""
    for _ in range(WARMUP_REQUESTS):
        connection = http.client.HTTPConnection("127.0.0.1", scenario.server.port, timeout=30)
        headers = {"Cookie": scenario.cookie_header} if scenario.cookies else {}
        connection.request("GET", scenario.path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise SystemExit(f"{scenario.name}: {scenario.path} answered {response.status}; the benchmark needs 200")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk_time(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk_round(scenario: Scenario, seconds: float) -> Load:
    command = [WRK, "-t", "2", "-c", str(CONCURRENCY), "-d", f"{seconds:g}s", "--latency", "--timeout", "10s",
               f"http://127.0.0.1:{scenario.server.port}{scenario.path}"]
    if scenario.cookies:
        command[1:1] = ["-H", f"Cookie: {scenario.cookie_header}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests, took = re.search(r"(\d+) requests in ([\d.]+)(ms|s)", output).groups()[:2]
    took_seconds = float(took) / (1000 if re.search(r"requests in [\d.]+ms", output) else 1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    return Load(
        requests=int(requests), seconds=took_seconds,
        errors=(int(non_2xx.group(1)) if non_2xx else 0) + (int(timeouts.group(1)) if timeouts else 0),
        p50s=[_wrk_time(re.search(r"^\s+50%\s+(\S+)$", output, re.MULTILINE).group(1))],
        p99s=[_wrk_time(re.search(r"^\s+99%\s+(\S+)$", output, re.MULTILINE).group(1))],
    )


async def read_body(head: bytes, reader) -> tuple[int, bool]:
    """After a response's head: read its body (by length or chunks). Returns (status, whether the server
    closes the connection)."""
    status_line, *header_lines = head[:-4].split(b"\r\n")
    headers = dict(line.lower().split(b":", 1) for line in header_lines)
    if b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").strip() == b"chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return int(status_line.split()[1]), headers.get(b"connection", b"").strip() == b"close"


class HttpConnection:
    """One keep-alive HTTP/1.1 connection that sends the same GET again and again (the fallback client)."""

    def __init__(self, port: int, path: str, cookie: str):
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/html"]
        lines += [f"Cookie: {cookie}"] if cookie else []
        self.port = port
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self.reader = self.writer = None

    async def get(self) -> int:
        try:
            head = await self._send()
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()  # the server closed the connection (sync workers do after each response)
            head = await self._send()
        status, closing = await read_body(head, self.reader)
        if closing:
            await self.close()
        return status

    async def _send(self) -> bytes:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(self.request)
        await self.writer.drain()
        return await self.reader.readuntil(b"\r\n\r\n")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()
            self.reader = self.writer = None


async def _asyncio_round(scenario: Scenario, seconds: float) -> Load:
    connections = [HttpConnection(scenario.server.port, scenario.path, scenario.cookie_header)
                   for _ in range(CONCURRENCY)]
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(connection: HttpConnection) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            status = await connection.get()
            latencies.append(time.perf_counter() - sent)
            errors += status != 200

    try:
        await asyncio.gather(*(worker(connection) for connection in connections))
    finally:
        for connection in connections:
            await connection.close()
    ordered = sorted(latencies)

    def percentile(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000

    return Load(len(latencies), errors, time.perf_counter() - started, [percentile(0.5)], [percentile(0.99)])


def one_round(scenario: Scenario, seconds: float) -> Load:
    if WRK:
        return wrk_round(scenario, seconds)
    return asyncio.run(_asyncio_round(scenario, seconds))


def measure(scenarios: list[Scenario]) -> dict[str, Load]:
    for scenario in scenarios:
        check_status(scenario)
    totals = {scenario.name: Load() for scenario in scenarios}
    for number in range(1, ROUNDS + 1):
        for scenario in scenarios:
            totals[scenario.name].add(one_round(scenario, SECONDS_PER_ROUND))
        say(f"  round {number}/{ROUNDS}: " + ", ".join(
            f"{name} {load.throughput:.0f}" for name, load in totals.items()) + " req/s")
    return totals


def load_generator() -> str:
    client = "wrk (-t 2)" if WRK else "asyncio client (wrk not installed)"
    return f"{client}, {CONCURRENCY} connections, {ROUNDS} rounds × {SECONDS_PER_ROUND:g} s per scenario"


# --- results ----------------------------------------------------------------------------------------------

def result(name, value, unit, baseline=None, baseline_value=None, ratio=None, target=None) -> dict:
    return {"name": name, "value": round(value, 2), "unit": unit, "baseline": baseline,
            "baseline_value": None if baseline_value is None else round(baseline_value, 2),
            "ratio": None if ratio is None else round(ratio, 3),
            "target": None if target is None else round(target, 3)}


def run_alone(area: str, run, prepare=None) -> list[dict]:
    """`python -m bench.<area>`: one area on a fresh temporary database in the benchmark's environment;
    `prepare()` (e.g. migrate and seed) runs first once Django is set up. Prints the table; returns the rows."""
    folder = Path(tempfile.mkdtemp(prefix=f"ajet-bench-{area}-"))
    environment = bench_environment(folder)
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        if prepare is not None:
            prepare()
        rows = run(environment)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(rows)
    return rows


def print_table(rows: list[dict]) -> None:
    say("")
    say(f"{'measure':<66} {'value':>9} {'unit':<7} {'baseline':>9} {'ratio':>7} {'target':>7}")
    say("-" * 110)
    for row in rows:
        baseline = "" if row["baseline_value"] is None else f"{row['baseline_value']:.2f}"
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.3f}"
        target = "" if row["target"] is None else f"≥{row['target']:.3g}"
        met = "" if row["target"] is None or row["ratio"] is None else ("  ok" if row["ratio"] >= row["target"]
                                                                          else "  MISSED")
        say(f"{row['name']:<66} {row['value']:>9.2f} {row['unit']:<7} {baseline:>9} {ratio:>7} {target:>7}{met}")


def write_results(rows: list[dict]) -> None:
    RESULTS_FILE.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    say(f"Wrote {RESULTS_FILE.relative_to(ROOT)}")
