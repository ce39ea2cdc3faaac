"""`make mutate`'s fork server: each run sees the module as it is on disk now, and a run whose client is gone
stops. A server that ran yesterday's code would count every mutant as surviving (or, worse, as killed)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tree(tmp_path):
    """A tiny tree of its own: one module, one test of it, a preload list of libraries only."""
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "__init__.py").write_text("")
    (tmp_path / "probe" / "rule.py").write_text("def allowed(age):\n    return age >= 18\n")
    (tmp_path / "test_rule.py").write_text(
        "import os, time\n"
        "from probe.rule import allowed\n\n"
        "def test_boundary():\n"
        "    time.sleep(float(os.environ.get('PROBE_SLEEP', '0')))\n"
        "    assert allowed(18) and not allowed(17)\n"
    )
    (tmp_path / "preload.txt").write_text("json\ndecimal\n")
    return tmp_path


@pytest.fixture
def server(tree):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "AJET_MUTATION_SOCKET": str(tree / "server.sock")}
    environment.pop("AJET_MUTATION_DB", None)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # the server itself must keep runs from caching bytecode
    command = [sys.executable, "-m", "mutation.forkserver", str(tree / "server.sock"), str(tree / "preload.txt")]
    process = subprocess.Popen(command, cwd=tree, env=environment, stdout=subprocess.PIPE,  # noqa: S603 - ours
                               text=True)
    assert process.stdout.readline().startswith("ready")
    yield environment
    process.kill()
    process.wait()


def ask(tree: Path, environment: dict, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-S", "-m", "mutation.client", "-q", "-p", "no:cacheprovider", "-p", "no:django",
         "-p", "no:randomly", "--noconftest", "test_rule.py"],
        cwd=tree, env={**environment, **extra}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)


def processes(tree: Path) -> list[str]:
    """The server's process and its children (a forked child keeps the server's command line)."""
    found = subprocess.run(["pgrep", "-f", str(tree / "server.sock")],  # noqa: S603, S607 - procps, a test path
                           capture_output=True, text=True)
    return found.stdout.split()


def test_each_run_sees_the_module_as_it_is_on_disk(tree, server):
    first = ask(tree, server)
    assert first.wait(timeout=60) == 0, first.stdout.read()
    assert "1 passed" in first.stdout.read()  # the run's output reaches the client's own streams

    (tree / "probe" / "rule.py").write_text("def allowed(age):\n    return age > 18\n")  # a mutant
    mutated = ask(tree, server)
    assert mutated.wait(timeout=60) == 1
    assert "1 failed" in mutated.stdout.read()

    (tree / "probe" / "rule.py").write_text("def allowed(age):\n    return age >= 18\n")  # restored
    assert ask(tree, server).wait(timeout=60) == 0


def test_a_mutant_the_same_size_and_second_as_the_last_is_read_afresh(tree, server):
    """Python trusts a cached .pyc whose source has the same size and mtime (whole seconds). Two mutants of one
    line often have both (`> 18` and `>=18`, written within a second): each run must still read its own."""
    rule = tree / "probe" / "rule.py"
    rule.write_text("def allowed(age):\n    return age > 18\n")  # a mutant the test kills
    stamp = rule.stat().st_mtime_ns
    assert ask(tree, server).wait(timeout=60) == 1
    rule.write_text("def allowed(age):\n    return age >=18\n")  # the next one: same size, and it passes
    os.utime(rule, ns=(stamp, stamp))  # written in the same second
    run = ask(tree, server)
    assert run.wait(timeout=60) == 0, run.stdout.read()


def test_a_run_whose_client_is_killed_is_killed_too(tree, server):
    client = ask(tree, server, PROBE_SLEEP="300")
    time.sleep(3)  # the child is running the test
    assert len(processes(tree)) == 2  # the server and its child
    os.killpg(client.pid, signal.SIGKILL)  # what cosmic-ray does when a run overstays its timeout
    client.wait()
    for _ in range(100):
        running = processes(tree)
        if len(running) == 1:
            break
        time.sleep(0.1)
    assert len(running) == 1  # only the server is left
    assert ask(tree, server).wait(timeout=60) == 0  # and it still serves


def test_the_client_fails_without_a_server(tree):
    client = ask(tree, {**os.environ, "PYTHONPATH": str(ROOT), "AJET_MUTATION_SOCKET": str(tree / "none.sock")})
    assert client.wait(timeout=60) == 70
    assert "no test run" in client.stdout.read()
