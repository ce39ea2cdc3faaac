"""A test-run server for `make mutate`: imports the libraries once, then forks a fresh pytest for each mutant.

Starting pytest with Django costs more than most selections' tests: importing pytest, Django, Hypothesis,
factory_boy and Faker is most of it, and every mutant would pay it again. One server per copy of the tree
imports those libraries (the modules a plain run of the selection loaded from outside the tree, listed by
mutation/testdb.py) and waits on a Unix socket; for each test run, `python -S -m mutation.client <pytest
arguments>` hands it its standard output and error, and the server forks a child that runs pytest in the copy.

The server never imports the project's own code (it refuses to start if a library pulled some in): the child
imports every project module afresh, so it sees the mutated file on disk as a new `python -m pytest` would.
A child whose client has gone (cosmic-ray's timeout kills the client) is killed with its process group.

    python -m mutation.forkserver SOCKET MODULE-LIST
"""

import contextlib
import importlib
import json
import os
import select
import signal
import socket
import sys
from pathlib import Path

from mutation.testdb import tree_modules

POLL_SECONDS = 0.02


def preload(names: list[str]) -> int:
    """Import what a plain run imported from outside the tree; a module that needs Django set up fails here
    and is imported by the child instead."""
    settings_module = os.environ.pop("DJANGO_SETTINGS_MODULE", None)  # nothing may configure Django here
    loaded = 0
    for name in names:
        with contextlib.suppress(Exception):  # e.g. Django's models before setup(): the child imports them
            importlib.import_module(name)
            loaded += 1
    if settings_module is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    project = sorted(name for name in tree_modules()  # but this server itself (also as "__mp_main__")
                     if sys.modules[name] is not sys.modules["__main__"] and not name.startswith("mutation."))
    if project:
        raise SystemExit(f"the preloaded libraries imported the project's own modules: {', '.join(project)}")
    return loaded


def run_child(request: dict, streams: list[int]) -> None:
    """In the forked child: pytest in the copy, its output on the client's streams; never returns."""
    code = 70
    try:
        os.setsid()  # its own process group, so that a timeout kills whatever the tests started too
        for target, stream in zip((1, 2), streams, strict=True):
            os.dup2(stream, target)
            os.close(stream)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["environment"])
        sys.argv = ["pytest", *request["args"]]
        sys.dont_write_bytecode = True  # as cosmic-ray asks of its test runs (PYTHONDONTWRITEBYTECODE)
        import pytest

        code = int(pytest.main(request["args"]))
    except BaseException as error:  # any failure to run is a failed run, never a pass
        print(f"mutation.forkserver: {error!r}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve_one(connection: socket.socket) -> None:
    message, streams, _flags, _address = socket.recv_fds(connection, 1 << 20, 2)
    request = json.loads(message)
    child = os.fork()
    if child == 0:
        connection.close()
        run_child(request, streams)
    for stream in streams:
        os.close(stream)
    while True:
        finished, status = os.waitpid(child, os.WNOHANG)
        if finished:
            connection.sendall(str(os.waitstatus_to_exitcode(status)).encode())
            return
        readable, _, _ = select.select([connection], [], [], POLL_SECONDS)
        if readable and not connection.recv(1):  # the client is gone: so is its test run
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child, signal.SIGKILL)
            os.waitpid(child, 0)
            return


def main(argv: list[str]) -> None:
    socket_path, module_list = argv
    loaded = preload(Path(module_list).read_text().split())
    Path(socket_path).unlink(missing_ok=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(socket_path)
        server.listen()
        print(f"ready ({loaded} modules preloaded)", flush=True)
        while True:
            connection, _ = server.accept()
            with connection:
                serve_one(connection)


if __name__ == "__main__":
    main(sys.argv[1:])
