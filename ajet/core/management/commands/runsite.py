"""Serve the site for `make run`: the same servers as `manage.py serve`, plus the background task worker,
all stopped together by Ctrl-C.

Development defaults: two gunicorn workers with four threads each (threaded workers, because the browser
talks to gunicorn directly, with no reverse proxy to hold its idle keep-alive connections); `WEB_WORKERS` and
`WEB_THREADS` override them as for `serve`.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from ajet.core.env import env_int, env_str
from ajet.core.management.commands.serve import supervisor_for

DEV_WEB_WORKERS = 2
DEV_WEB_THREADS = 4


class Command(BaseCommand):
    help = "Serve AJET Nexus on 127.0.0.1:8000 with its background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=env_str("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env_int("PORT", 8000))

    def handle(self, *args, host, port, **options):
        supervisor = supervisor_for(
            host=host, port=port, ws_port=None, web_workers=DEV_WEB_WORKERS, web_threads=DEV_WEB_THREADS,
            extra={"tasks (db_worker)": [sys.executable, "manage.py", "db_worker"]},
        )
        # No proxy here: the chat's pages connect to the ASGI server's own port (serve's default, port + 1).
        supervisor.env = {**os.environ, "CHAT_WS_PORT": str(port + 1)}
        code = supervisor.run(on_started=lambda: self.stdout.write(self.style.SUCCESS(
            f"AJET Nexus is at http://{host}:{port}/ — Ctrl-C stops it.")))
        if code:
            raise CommandError("A server stopped by itself; the others have been stopped.")
