"""`manage.py serve`: pages through the WSGI server on the public port, the ASGI server on the internal one,
everything stopped by SIGTERM."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings

BASE_DIR = Path(django_settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (Linux /proc)."""
    found, pending = set(), [pid]
    while pending:
        parent = pending.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except FileNotFoundError:
            continue
        for child in map(int, children):
            found.add(child)
            pending.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped; only its parent has not read its exit code yet


def get(url: str, deadline: float):
    """GET url, retrying while the server starts (bounded by deadline, a timeout, not a measurement)."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.status, dict(response.headers), response.read()
        except (urllib.error.URLError, OSError):  # refused, reset, or a slow first answer (TimeoutError)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def serve_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AJET_"))}
    env.update(
        AJET_ENV="development", DEBUG="false", AJET_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}", DJANGO_SETTINGS_MODULE="ajet.settings",
        WEB_WORKERS="2", WEB_THREADS="1", WS_WORKERS="1",
    )
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True,
                   timeout=300)
    return env


def test_serve_answers_pages_through_gunicorn_and_stops_every_child_on_sigterm(serve_env):
    port, ws_port = free_port(), free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "serve", "--port", str(port), "--ws-port", str(ws_port)],
        cwd=BASE_DIR, env=serve_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group: a failed test can stop the servers it started too
    )
    try:
        deadline = time.monotonic() + 60
        status, headers, body = get(f"http://127.0.0.1:{port}/healthz", deadline)
        assert (status, body) == (200, b"ok")
        assert headers["Server"].startswith("gunicorn")  # pages: the WSGI server
        status, headers, _ = get(f"http://127.0.0.1:{ws_port}/healthz", deadline)
        assert status == 200 and headers["server"] == "uvicorn"  # the ASGI server, for /ws/

        children = descendants(server.pid)
        assert len(children) >= 4  # gunicorn's master and two workers, uvicorn
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        stop_deadline = time.monotonic() + 30
        while any(alive(pid) for pid in children) and time.monotonic() < stop_deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if alive(pid)]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # whatever is left of the group (nothing, if the test passed)
        output = server.communicate(timeout=60)[0]
    assert "Pages on http://127.0.0.1:" in output


def test_serve_stops_everything_when_a_server_cannot_start(serve_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "serve", "--port", str(port), "--ws-port", str(free_port())],
            cwd=BASE_DIR, env=serve_env, capture_output=True,
            text=True, timeout=120, check=False,
        )
    assert result.returncode != 0
    assert "A server stopped by itself" in result.stderr


def test_bad_worker_count_is_a_clear_error(serve_env):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "serve", "--port", str(free_port())],
        cwd=BASE_DIR, env={**serve_env, "WEB_WORKERS": "many"}, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "WEB_WORKERS must be a whole number" in result.stderr


def test_serve_refuses_a_database_without_its_migrations(serve_env, tmp_path):
    """Told not to migrate (a release step does it): not a server error on every page, but a clear message
    before any server starts."""
    fresh = {**serve_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "serve", "--no-migrate", "--port", str(free_port())],
        cwd=BASE_DIR, env=fresh, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert "python manage.py migrate" in result.stderr and "Pages on" not in result.stdout


def test_serve_brings_a_fresh_database_up_to_date_and_answers_pages(serve_env, tmp_path):
    """A new deployment: static files collected, nobody ran migrate; serve migrates every database first."""
    var = tmp_path / "new"
    var.mkdir()
    fresh = {**serve_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}", "AJET_VAR_DIR": str(var)}
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "serve", "--port", str(port), "--ws-port", str(free_port())],
        cwd=BASE_DIR, env=fresh, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        status, _, _ = get(f"http://127.0.0.1:{port}/council/", time.monotonic() + 120)
        assert status == 200
        assert (var / "support.sqlite3").exists()  # the PSG's own database too
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        output = server.communicate(timeout=60)[0]
    assert "Pages on http://127.0.0.1:" in output, output[-2000:]
