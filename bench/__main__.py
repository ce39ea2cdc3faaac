"""`python -m bench` (`make bench`): how fast the member dashboard and the council page are, and whether
their SQL queries stay constant as AJET grows.

1. A fresh SQLite database in a temporary folder (DATABASE_URL, AJET_VAR_DIR), migrated.
2. SQL queries per page, counted in-process (CaptureQueriesContext) with the demo world at 580 members /
   5 chapters and again at 5,800 members / 50 chapters (the real size of AJET).
3. The real ASGI server (uvicorn, BENCH_WORKERS processes, default 1; DEBUG off; settings `bench.settings`)
   on a free loopback port,
   loaded by a small asyncio HTTP/1.1 client with 8 keep-alive connections: a bare view that returns a fixed string
   (the baseline), the same view signed in (what every signed-in page pays: session, user, member, powers),
   the dashboard signed in as the demo member, and the public council page.

Prints a table and writes bench/results.json. It is a measurement, not a test: nothing fails on time.
"""

import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = Path(__file__).with_name("results.json")
SMALL = (580, 5)  # members, chapters
LARGE = (5800, 50)
CONCURRENCY = 8
WARMUP_REQUESTS = 50
ROUNDS = 5  # the scenarios take turns, so that a busy moment on the machine hits them all alike
REQUESTS_PER_ROUND = 500
SECONDS_PER_ROUND = 15.0  # whichever comes first: the request count or this
THROUGHPUT_TARGET = 1 / 3  # the issue: the dashboard serves at least a third of the bare view's rate


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def bench_environment(folder: Path) -> dict[str, str]:
    return {
        # BENCH_DATABASE_URL points the run at an empty PostgreSQL database instead (it is wiped and refilled).
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"),
        "AJET_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "AJET_ENV": "development",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }


def say(text: str) -> None:
    print(text, flush=True)


# --- in-process: database, demo world, query counts -------------------------------------------------------

def seed(members: int, chapters: int) -> None:
    from ajet.organisation.demo import build_demo_world

    started = time.perf_counter()
    summary = build_demo_world(members=members, chapters=chapters)
    say(f"  seeded {summary.members} members, {summary.chapters} chapters in {time.perf_counter() - started:.1f} s")


def wipe() -> None:
    from django.contrib.sessions.models import Session

    from ajet.organisation.models import Chapter, Term
    from ajet.people.models import User

    Term.objects.all().delete()
    Chapter.objects.all().delete()  # with their officer posts and memberships
    User.objects.all().delete()  # with members, e-mail addresses and authenticators
    Session.objects.all().delete()


def demo_user(role: str):
    from ajet.organisation.demo import DEMO_ACCOUNTS
    from ajet.people.models import User

    return User.objects.get(email=next(account.email for account in DEMO_ACCOUNTS if account.role == role))


def signed_in_client(role: str | None):
    from django.test import Client

    client = Client()
    if role is not None:
        client.force_login(demo_user(role))
    return client


QUERY_PAGES = [
    # name, URL, signed in as
    ("dashboard", "/dashboard/", "member"),
    ("council", "/council/", None),
    ("chapter list", "/chapters/", None),
    ("pending list", "/members/pending/", "block representative"),
]


def count_queries() -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url, role in QUERY_PAGES:
        client = signed_in_client(role)
        client.get(url)  # warm-up: per-process caches (content types, templates) are not the page's cost
        cache.clear()  # but count the page's queries without cached powers or panels: the worst case
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} in-process; the benchmark needs 200")
        counts[name] = len(queries)
    return counts


# --- the server and the load ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "uvicorn", "ajet.asgi:application", "--host", "127.0.0.1", "--port", str(port),
        "--workers", os.environ.get("BENCH_WORKERS", "1"),
        "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "120",
    ]
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})


def wait_until_up(base_url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz within a minute")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class HttpConnection:
    """One keep-alive HTTP/1.1 connection that sends the same GET again and again.

    A few lines over asyncio streams instead of a full client library: the load generator shares the machine
    with the server, so the less CPU it needs per request, the more the numbers say about the server.
    """

    def __init__(self, host: str, port: int, path: str, cookies: dict[str, str]):
        self.host, self.port = host, port
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/html"]
        lines += [f"Cookie: {cookie}"] if cookie else []
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self.reader = self.writer = None

    async def get(self) -> int:
        try:
            head = await self._send()
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()  # the server closed an idle keep-alive connection: open a new one
            head = await self._send()
        status_line, *header_lines = head[:-4].split(b"\r\n")
        headers = dict(line.lower().split(b":", 1) for line in header_lines)
        if b"content-length" in headers:
            await self.reader.readexactly(int(headers[b"content-length"]))
        elif headers.get(b"transfer-encoding", b"").strip() == b"chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if headers.get(b"connection", b"").strip() == b"close":
            await self.close()
        return int(status_line.split()[1])

    async def _send(self) -> bytes:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.request)
        await self.writer.drain()
        return await self.reader.readuntil(b"\r\n\r\n")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()
            self.reader = self.writer = None


async def warm_up(connections: list[HttpConnection], path: str) -> None:
    for number in range(WARMUP_REQUESTS):
        status = await connections[number % len(connections)].get()
        if status != 200:
            raise SystemExit(f"{path} answered {status} over HTTP; the benchmark needs 200")


async def one_round(connections: list[HttpConnection]) -> Load:
    """Up to REQUESTS_PER_ROUND requests (bounded by SECONDS_PER_ROUND), one in flight per connection."""
    latencies: list[float] = []
    errors = 0
    remaining = REQUESTS_PER_ROUND
    started = time.perf_counter()
    deadline = started + SECONDS_PER_ROUND

    async def worker(connection: HttpConnection) -> None:
        nonlocal remaining, errors
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            sent = time.perf_counter()
            status = await connection.get()
            latencies.append(time.perf_counter() - sent)
            errors += status != 200

    await asyncio.gather(*(worker(connection) for connection in connections))
    return Load(len(latencies), errors, time.perf_counter() - started, latencies)


async def load_all(port: int, scenarios: list[tuple[str, str, dict[str, str]]]) -> dict[str, Load]:
    pools = {name: [HttpConnection("127.0.0.1", port, path, cookies) for _ in range(CONCURRENCY)]
             for name, path, cookies in scenarios}
    totals = {name: Load(0, 0, 0.0, []) for name, _, _ in scenarios}
    try:
        for name, path, _ in scenarios:
            await warm_up(pools[name], path)
        for number in range(1, ROUNDS + 1):
            for name, _, _ in scenarios:
                measured = await one_round(pools[name])
                total = totals[name]
                total.requests += measured.requests
                total.errors += measured.errors
                total.seconds += measured.seconds
                total.latencies += measured.latencies
            say(f"  round {number}/{ROUNDS}: " + ", ".join(
                f"{name} {total.throughput:.0f} req/s" for name, total in totals.items()))
    finally:
        for pool in pools.values():
            for connection in pool:
                await connection.close()
    return totals


# --- results ----------------------------------------------------------------------------------------------

def result(name, value, unit, baseline=None, baseline_value=None, ratio=None, target=None) -> dict:
    return {"name": name, "value": round(value, 2), "unit": unit, "baseline": baseline,
            "baseline_value": None if baseline_value is None else round(baseline_value, 2),
            "ratio": None if ratio is None else round(ratio, 3), "target": target}


def load_results(loads: dict[str, Load]) -> list[dict]:
    bare = loads["bare view"]
    rows = [
        result("bare view throughput", bare.throughput, "req/s"),
        result("bare view latency p50", bare.percentile(0.50), "ms"),
        result("bare view latency p99", bare.percentile(0.99), "ms"),
    ]
    for name in ("bare view signed in", "dashboard", "council"):
        page = loads[name]
        rows += [
            result(f"{name} throughput", page.throughput, "req/s", "bare view throughput", bare.throughput,
                   page.throughput / bare.throughput, round(THROUGHPUT_TARGET, 3) if name == "dashboard" else None),
            result(f"{name} latency p50", page.percentile(0.50), "ms", "bare view latency p50",
                   bare.percentile(0.50), bare.percentile(0.50) / page.percentile(0.50)),
            result(f"{name} latency p99", page.percentile(0.99), "ms", "bare view latency p99",
                   bare.percentile(0.99), bare.percentile(0.99) / page.percentile(0.99)),
        ]
    return rows


def query_results(small: dict[str, int], large: dict[str, int]) -> list[dict]:
    return [
        result(f"{name} SQL queries per page ({LARGE[0]:,} members, {LARGE[1]} chapters)", large[name], "queries",
               f"{name} SQL queries per page ({SMALL[0]:,} members, {SMALL[1]} chapters)", small[name],
               small[name] / large[name], 1.0)
        for name in small
    ]


def print_table(rows: list[dict], loads: dict[str, Load]) -> None:
    say("")
    say(f"{'measure':<62} {'value':>10} {'unit':<8} {'baseline':>10} {'ratio':>7} {'target':>7}")
    say("-" * 108)
    for row in rows:
        baseline = "" if row["baseline_value"] is None else f"{row['baseline_value']:.2f}"
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.3f}"
        target = "" if row["target"] is None else f"≥{row['target']:.3g}"
        say(f"{row['name']:<62} {row['value']:>10.2f} {row['unit']:<8} {baseline:>10} {ratio:>7} {target:>7}")
    say("")
    for name, page in loads.items():
        say(f"  {name}: {page.requests} requests in {page.seconds:.1f} s, {page.errors} not 200, "
            f"mean {statistics.fmean(page.latencies) * 1000:.1f} ms")
    say(f"Ratios: how many times better than the baseline (throughput value/baseline, latency baseline/value, "
        f"queries small/large). Concurrency {CONCURRENCY}, {os.environ.get('BENCH_WORKERS', '1')} uvicorn worker(s), "
        f"load generator (asyncio, keep-alive) on the same machine.")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ajet-bench-"))
    (folder / "static").mkdir()  # STATIC_ROOT: whitenoise warns when it is missing
    env = bench_environment(folder)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        say(f"Database {connections['default'].settings_dict['NAME']}; migrating…")
        call_command("migrate", verbosity=0)
        wipe()  # an empty database, also when BENCH_DATABASE_URL is reused

        say(f"Query counts at {SMALL[0]:,} members / {SMALL[1]} chapters:")
        seed(*SMALL)
        small = count_queries()
        wipe()
        say(f"Query counts at {LARGE[0]:,} members / {LARGE[1]} chapters:")
        seed(*LARGE)
        large = count_queries()
        session = signed_in_client("member").cookies["sessionid"].value
        connections.close_all()

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        say(f"Starting uvicorn on {base_url} …")
        server = start_server(env, port)
        wait_until_up(base_url, server)
        loads = asyncio.run(load_all(port, [
            ("bare view", "/bench/bare/", {}),
            ("bare view signed in", "/bench/bare/", {"sessionid": session}),
            ("dashboard", "/dashboard/", {"sessionid": session}),
            ("council", "/council/", {}),
        ]))
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(folder, ignore_errors=True)

    rows = load_results(loads) + query_results(small, large)
    print_table(rows, loads)
    RESULTS_FILE.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    say(f"Wrote {RESULTS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
