"""Serve the site for `make run`: the ASGI server and the background task worker, stopped together by Ctrl-C."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve AJET Nexus on 127.0.0.1:8000 with its background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, host, port, **options):
        python = sys.executable
        children = [
            subprocess.Popen([python, "manage.py", "db_worker"]),  # noqa: S603
            subprocess.Popen([  # noqa: S603
                python, "-m", "uvicorn", "ajet.asgi:application", "--host", host, "--port", str(port),
            ]),
        ]
        self.stdout.write(self.style.SUCCESS(f"AJET Nexus is at http://{host}:{port}/ — Ctrl-C stops it."))
        try:
            while all(child.poll() is None for child in children):
                try:
                    children[1].wait(timeout=1)
                except subprocess.TimeoutExpired:
                    continue
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
