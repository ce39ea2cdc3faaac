"""`python manage.py serve`: the production servers, in the foreground, stopped together by SIGTERM or Ctrl-C.

The topology (README, *Production*):

- **Pages: gunicorn (WSGI) on `--port`** (default 8000). Every page and form is sync Django; under an ASGI
  server each request pays a hand-off from the event loop to a thread, which costs about three quarters of
  the throughput of a bare view on this kind of machine (`make bench` prints the comparison). gunicorn's
  threaded worker class with `WEB_THREADS` threads (default 1): with one thread it serves like a sync
  worker (no thread switches under the GIL) but keeps idle keep-alive connections aside instead of
  blocking on them, so it also suits a browser talking to it directly (`make run` uses 4 threads); in
  `make bench` it matches the best of gunicorn's sync and threaded workers.
- **WebSockets: uvicorn (ASGI) on `--ws-port`** (default: the page port + 1, loopback only). Only the real-time
  traffic (the Peer Support Group's chat, `/ws/`) goes there. In production the reverse proxy joins both
  on one origin: `/ws/` to this port, everything else to the page port.

Worker counts come from the environment: `WEB_WORKERS` (default 2 × cores + 1), `WEB_THREADS` (default 1),
`WS_WORKERS` (default 1). Extra gunicorn flags can be given in `GUNICORN_CMD_ARGS`.

One address under `make run`? Production pages connect to `/ws/` on their own origin (nginx routes it,
README); under `make run` there is no proxy, so the chat's pages connect to the same host on `--ws-port`
(runsite sets CHAT_WS_PORT; the session cookie is sent to any port of the host, and Channels' origin check
compares host names), so the browser needs no configuration. A small reverse proxy in Python in front of
gunicorn would give one port but would put a second Python process in the path of every page on a 2-core
machine for the sake of one route; it was not built.

Before starting, every database (the default one and the PSG's own, ajet/support/routers.py) must have all
its migrations: `python manage.py migrate` migrates them all.

If one server stops by itself, the others are stopped too and the command exits with an error, so a process
manager (systemd, a container runtime) sees the failure and restarts the whole.
"""

import os
import signal
import subprocess
import sys
import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from ajet.core.env import env_int, env_str

STOP_TIMEOUT = 30  # seconds a server gets to finish its requests before it is killed


def default_web_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def server_commands(*, host: str, port: int, ws_port: int, web_workers: int, web_threads: int,
                    ws_workers: int) -> dict[str, list[str]]:
    """The command line of each server, by name."""
    python = sys.executable
    web = [
        python, "-m", "gunicorn", "ajet.wsgi:application", "--bind", f"{host}:{port}",
        "--workers", str(web_workers), "--worker-class", "gthread", "--threads", str(web_threads),
        "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",  # noqa: S108 - heartbeat files
        "--graceful-timeout", str(STOP_TIMEOUT - 5),
        "--no-control-socket",  # its default path is shared by every gunicorn of the user
    ]
    websockets = [
        python, "-m", "uvicorn", "ajet.asgi:application", "--host", "127.0.0.1", "--port", str(ws_port),
        "--workers", str(ws_workers), "--proxy-headers", "--no-access-log",
        "--timeout-graceful-shutdown", str(STOP_TIMEOUT - 5),
    ]
    return {"pages (gunicorn, WSGI)": web, "websockets (uvicorn, ASGI)": websockets}


# The same number for every machine of a deployment: their `serve` commands migrate one after the other.
MIGRATION_LOCK = 0x414A4554  # "AJET"


def migrate_every_database() -> None:
    """Bring every database up to date before serving (a fresh or upgraded deployment serves at once). On
    PostgreSQL an advisory lock makes the `serve` of several machines migrate one at a time."""
    from django.core.management import call_command
    from django.db import connections

    default = connections["default"]
    locked = default.vendor == "postgresql"
    if locked:
        with default.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
    try:
        call_command("migrate", interactive=False, verbosity=0)
    finally:
        if locked:
            with default.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
        connections.close_all()  # the servers are other processes: keep no connection open here


def refuse_unmigrated_database() -> None:
    """Serving a database that lacks migrations answers every page with a server error: say so at once.
    Every database is checked (the PSG's records have their own, see ajet/support/routers.py)."""
    from django.db import OperationalError, connections
    from django.db.migrations.executor import MigrationExecutor

    for alias in connections:
        try:
            executor = MigrationExecutor(connections[alias])
            missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except OperationalError as error:
            raise CommandError(f"The database {alias!r} cannot be reached ({error}). Create it (see README, "
                               f"Production), run `python manage.py migrate`, then serve.") from error
        if missing:
            raise CommandError(
                f"The database {alias!r} lacks {len(missing)} migration(s) (first: {missing[0][0].app_label}."
                f"{missing[0][0].name}). Run `python manage.py migrate` first, then serve."
            )


class Supervisor:
    """Start child processes, wait until one of them stops or we are told to stop, then stop them all."""

    def __init__(self, commands: dict[str, list[str]], env: dict[str, str] | None = None):
        self.commands = commands
        self.env = env
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def _ask_to_stop(self, signum, frame) -> None:
        self.stopping = True

    def run(self, on_started=None) -> int:
        previous = {sig: signal.signal(sig, self._ask_to_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for name, command in self.commands.items():
                self.children[name] = subprocess.Popen(command, env=self.env)  # noqa: S603 - our own servers
            if on_started is not None:
                on_started()
            stopped_by_itself = None
            while not self.stopping and stopped_by_itself is None:
                stopped_by_itself = next((name for name, child in self.children.items()
                                          if child.poll() is not None), None)
                time.sleep(0.2)
            return 0 if stopped_by_itself is None else 1
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop_all(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()  # SIGTERM: gunicorn, uvicorn and the task worker finish what they are doing
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def supervisor_for(*, host: str, port: int, ws_port: int | None, extra: dict[str, list[str]] | None = None,
                   web_workers: int | None = None, web_threads: int | None = None) -> Supervisor:
    try:
        commands = server_commands(
            host=host, port=port, ws_port=ws_port or port + 1,
            web_workers=env_int("WEB_WORKERS", web_workers or default_web_workers()),
            web_threads=env_int("WEB_THREADS", web_threads or 1),
            ws_workers=env_int("WS_WORKERS", 1),
        )
    except ImproperlyConfigured as error:
        raise CommandError(str(error)) from None
    return Supervisor({**commands, **(extra or {})})


class Command(BaseCommand):
    help = "Serve AJET Nexus: pages through gunicorn (WSGI) on --port, WebSockets through uvicorn (ASGI) on --ws-port."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=env_str("HOST", "127.0.0.1"), help="address for pages")
        parser.add_argument("--port", type=int, default=env_int("PORT", 8000), help="port for pages")
        parser.add_argument("--ws-port", type=int, default=env_int("WS_PORT", 0) or None,
                            help="loopback port of the WebSocket (ASGI) server; default: --port + 1")
        parser.add_argument("--no-migrate", action="store_true", default=env_str("SERVE_MIGRATE", "1") == "0",
                            help="do not migrate first (a release step did); refuse a database that lacks migrations")

    def handle(self, *args, host, port, ws_port, no_migrate, **options):
        supervisor = supervisor_for(host=host, port=port, ws_port=ws_port)
        if not no_migrate:
            try:
                migrate_every_database()
            except Exception as error:  # a database that cannot be reached or created: say so, start nothing
                raise CommandError(f"Migrating before serving failed: {error}") from error
        refuse_unmigrated_database()
        code = supervisor.run(on_started=lambda: self.stdout.write(
            f"Pages on http://{host}:{port}/ (gunicorn), WebSockets on 127.0.0.1:{ws_port or port + 1} (uvicorn).",
        ))
        if code:
            raise CommandError("A server stopped by itself; the others have been stopped.")
