"""`make mutate`: mutation testing (cosmic-ray) of the modules listed in mutation/modules.toml.

For each module, cosmic-ray makes every mutant (one small change to the code: `and` → `or`, `<=` → `<`,
`continue` → `break`, a decorator removed ...) and runs the module's test selection against it: a mutant the
tests do not notice "survived". The run happens in copies of the tree (one per job) under a temporary
directory, so an interrupted run never leaves a mutated file behind; each module's mutants are shared out
between the jobs. Survivors explained in mutation/EQUIVALENT.md count as equivalent, not as survivors.

    python -m mutation                      # every module
    python -m mutation ajet/people/roster.py --jobs 1

Prints killed / survived / score per module and every unexplained survivor; writes each module's survivors
with their diffs under var/mutation/. Exits 1 if a module scores below its minimum (100 % by default).
"""

import argparse
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"
REPORTS = ROOT / "var" / "mutation"
# "- `module`: `line before` → `line after` — why it changes nothing"
EQUIVALENT_LINE = re.compile(r"^- `(?P<module>[^`]+)`: `(?P<before>[^`]*)` → `(?P<after>[^`]*)` — (?P<why>.+)$")


@dataclass
class Module:
    path: str
    tests: str
    min_score: float = 100.0
    max_mutants: int | None = None  # a seeded random sample of this many, to bound the run's time


@dataclass
class Outcome:
    module: Module
    mutants: int = 0
    killed: int = 0
    survived: list = field(default_factory=list)  # (before, after, diff) of unexplained survivors
    equivalent: int = 0
    timeouts: int = 0  # killed by running too long (a loop the mutant made endless)
    errors: list = field(default_factory=list)  # what cosmic-ray said about mutants it could not run
    seconds: float = 0.0
    failure: str = ""
    sampled_from: int = 0  # when a sample was run: how many mutants there were

    @property
    def score(self) -> float:
        judged = self.killed + len(self.survived)
        return 100.0 * self.killed / judged if judged else 100.0


def load_config(path: Path) -> tuple[dict, list[Module]]:
    config = tomllib.loads(path.read_text())
    modules = []
    for module_path, entry in config["modules"].items():
        if isinstance(entry, str):
            entry = {"tests": entry}
        modules.append(Module(module_path, entry["tests"], float(entry.get("min-score", 100)),
                              entry.get("max-mutants")))
    return config.get("settings", {}), modules


def load_equivalents(path: Path) -> set[tuple[str, str, str]]:
    found = set()
    for line in path.read_text().splitlines() if path.exists() else ():
        match = EQUIVALENT_LINE.match(line.strip())
        if match:
            found.add((match["module"], match["before"].strip(), match["after"].strip()))
    return found


def copy_tree(destination: Path) -> None:
    """The files git knows (tracked or not ignored): no virtualenv, caches or local database."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _environment(copy: Path) -> dict:
    environment = dict(os.environ)
    environment.pop("DATABASE_URL", None)  # SQLite, nothing shared with other runs
    environment["AJET_MUTATION_DB"] = str(copy / "var" / "mutation-test.sqlite3")  # see mutation/testdb.py
    environment["AJET_MUTATION_SOCKET"] = str(copy / "var" / "mutation.sock")  # see mutation/forkserver.py
    return environment


def _cosmic_ray(*args, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "cosmic_ray.cli", *args], cwd=cwd, env=_environment(cwd), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_module(module: Module, settings: dict, copies: list[Path]) -> Outcome:
    outcome = Outcome(module)
    started = time.monotonic()
    arguments = f"-p mutation.testdb {settings.get('pytest-args', '')} {module.tests}"

    def baseline(copy: Path) -> subprocess.CompletedProcess:
        """The unmutated selection; also leaves the copy a migrated test database to start every run from."""
        return subprocess.run([sys.executable, "-m", "pytest", *shlex.split(arguments)], cwd=copy,
                              env={**_environment(copy), "AJET_MUTATION_PRELOAD": str(_preload_list(copy))},
                              capture_output=True, text=True)

    with ThreadPoolExecutor(len(copies)) as pool:
        for run in pool.map(baseline, copies):
            if run.returncode != 0:
                outcome.failure = "the tests fail without any mutant:\n" + run.stdout[-2000:]
                return outcome
        # A mutant that loops for ever is stopped (and counts as killed) at five times the unmutated run, which
        # includes the plain pytest start-up the fork server saves; never under 20 s, for a loaded machine.
        timeout = max(20.0, 5 * (time.monotonic() - started))
        servers = list(pool.map(_start_server, copies, [arguments] * len(copies)))
    try:
        if all(servers):
            command = shlex.join(_client_command(arguments))
        else:
            print("  (the fork server could not run the selection: a new pytest per mutant)", flush=True)
            command = f"{sys.executable} -m pytest {arguments}"
        return _run_mutants(outcome, module, settings, copies, command, timeout, started)
    finally:
        for server in filter(None, servers):
            server.kill()
            server.wait()


def _preload_list(copy: Path) -> Path:
    return copy / "var" / "mutation-preload.txt"


def _client_command(arguments: str) -> list[str]:
    """One test run through the copy's fork server (mutation/client.py): cosmic-ray's test command."""
    return [sys.executable, "-S", "-m", "mutation.client", *shlex.split(arguments)]


def _start_server(copy: Path, arguments: str) -> subprocess.Popen | None:
    """The copy's fork server (mutation/forkserver.py), once it has run the unmutated selection green through
    the client, as every mutant's run will; None if it cannot."""
    environment = _environment(copy)
    server = subprocess.Popen([sys.executable, "-m", "mutation.forkserver", environment["AJET_MUTATION_SOCKET"],
                               str(_preload_list(copy))], cwd=copy, env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    if server.stdout.readline().startswith("ready"):
        check = subprocess.run(_client_command(arguments), cwd=copy, env=environment, capture_output=True)
        if check.returncode == 0:
            return server
    server.kill()
    server.wait()
    return None


def _run_mutants(outcome: Outcome, module: Module, settings: dict, copies: list[Path], command: str,
                 timeout: float, started: float) -> Outcome:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    excluded = re.compile("|".join(f"(?:{pattern})" for pattern in settings.get("exclude-operators", ())) or "(?!)")

    def run_share(index: int, copy: Path) -> list:
        config = copy / "mutation.toml"
        config.write_text(
            "[cosmic-ray]\n"
            f"module-path = {json.dumps(module.path)}\n"
            f"timeout = {timeout}\n"
            "excluded-modules = []\n"
            f"test-command = {json.dumps(command)}\n"
            '[cosmic-ray.distributor]\nname = "local"\n'
        )
        session = copy / "mutation.sqlite"
        session.unlink(missing_ok=True)
        _cosmic_ray("init", str(config), str(session), cwd=copy)
        with use_db(str(session), WorkDB.Mode.open) as db:
            items = sorted(db.work_items, key=lambda item: (item.mutations[0].operator_name,
                                                            item.mutations[0].occurrence))
            chosen = [item for item in items if not excluded.match(item.mutations[0].operator_name)]
            outcome.sampled_from = len(chosen)
            if module.max_mutants is not None and len(chosen) > module.max_mutants:
                chosen = sorted(random.Random(module.path).sample(chosen, module.max_mutants),
                                key=items.index)
            mine = {item.job_id for number, item in enumerate(chosen) if number % len(copies) == index}
            skipped = [item.job_id for item in items if item.job_id not in mine]
            db.set_multiple_results(skipped, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
        _cosmic_ray("exec", str(config), str(session), cwd=copy)
        with use_db(str(session), WorkDB.Mode.open) as db:
            return [result for _item, result in db.completed_work_items
                    if result.worker_outcome != WorkerOutcome.SKIPPED]

    with ThreadPoolExecutor(len(copies)) as pool:
        shares = list(pool.map(run_share, range(len(copies)), copies))
    equivalents = load_equivalents(HERE / "EQUIVALENT.md")
    for result in (result for share in shares for result in share):
        if result.worker_outcome == WorkerOutcome.NO_TEST:
            continue
        outcome.mutants += 1
        if result.test_outcome == "killed":
            outcome.killed += 1
            outcome.timeouts += result.output == "timeout"
        elif result.test_outcome == "survived":
            before, after = _changed_lines(result.diff or "")
            if (module.path, before, after) in equivalents:
                outcome.equivalent += 1
            else:
                outcome.survived.append((before, after, result.diff))
        else:
            outcome.errors.append(f"{result.diff or ''}\n{result.output or ''}")
    outcome.seconds = time.monotonic() - started
    return outcome


def _changed_lines(diff: str) -> tuple[str, str]:
    lines = diff.splitlines()
    before = [line[1:].strip() for line in lines if line.startswith("-") and not line.startswith("---")]
    after = [line[1:].strip() for line in lines if line.startswith("+") and not line.startswith("+++")]
    return " ".join(filter(None, before)), " ".join(filter(None, after))


def print_table(outcomes: list[Outcome]) -> None:
    print()
    print(f"{'module':<36} {'mutants':>7} {'killed':>7} {'(timed out)':>11} {'equiv.':>7} {'survived':>8} {'errors':>6}"
          f" {'score':>7} {'time':>6}")
    for outcome in outcomes:
        status = f"{outcome.score:6.1f}%" if not outcome.failure else "  FAIL "
        sampled = f" (a sample of {outcome.sampled_from})" if outcome.mutants < outcome.sampled_from else ""
        print(f"{outcome.module.path:<36} {outcome.mutants:>7} {outcome.killed:>7} {outcome.timeouts:>11} "
              f"{outcome.equivalent:>7} {len(outcome.survived):>8} {len(outcome.errors):>6} {status:>7} "
              f"{outcome.seconds / 60:5.1f}m{sampled}")
    print("score = killed / (killed + survived); equivalent mutants (mutation/EQUIVALENT.md) are left out;")
    print("errors: mutants cosmic-ray could not run (why: in the module's file under var/mutation/).")


def write_report(outcome: Outcome) -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / (outcome.module.path.replace("/", ".") + ".txt")
    parts = [outcome.failure] if outcome.failure else []
    parts += [diff for _before, _after, diff in outcome.survived]
    parts += [f"--- could not be run ---\n{error}" for error in outcome.errors]
    report.write_text("\n\n".join(parts) + "\n")
    return report


def selected_modules(modules: list[Module], paths: list[str], *, whole: bool) -> list[Module]:
    """The modules to mutate: those named (all when none is), each whole (no sample) if `whole`."""
    picked = [module for module in modules if not paths or module.path in paths]
    return [replace(module, max_mutants=None) for module in picked] if whole else picked


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation", description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="only these modules (paths as in modules.toml)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="test runs at a time")
    parser.add_argument("--config", type=Path, default=HERE / "modules.toml")
    parser.add_argument("--whole", action="store_true",
                        help="every mutant of every module, not the seeded samples (max-mutants) that bound the run")
    args = parser.parse_args(argv)
    settings, modules = load_config(args.config)
    unknown = set(args.modules) - {module.path for module in modules}
    if unknown:
        parser.error(f"not in {args.config}: {', '.join(sorted(unknown))}")
    modules = selected_modules(modules, args.modules, whole=args.whole)

    outcomes = []
    with tempfile.TemporaryDirectory(prefix="ajet-mutate-") as scratch:
        copies = [Path(scratch) / f"copy{index}" for index in range(max(1, args.jobs))]
        for copy in copies:
            copy_tree(copy)
            (copy / "var").mkdir(exist_ok=True)
            # Compiled once here, so that each test run compiles only the mutated module.
            subprocess.run([sys.executable, "-m", "compileall", "-q", "ajet", "tests"], cwd=copy, check=True)
        for module in modules:
            print(f"mutating {module.path} against {module.tests} ...", flush=True)
            outcome = run_module(module, settings, copies)
            outcomes.append(outcome)
            report = write_report(outcome)
            print(f"  {outcome.killed}/{outcome.mutants} killed, {len(outcome.survived)} survived "
                  f"({outcome.seconds / 60:.1f} min; survivors in {report.relative_to(ROOT)})", flush=True)
            for before, after, _diff in outcome.survived:
                print(f"  survived: `{before}` → `{after}`")
            if outcome.failure:
                print("  " + outcome.failure.replace("\n", "\n  "))
    print_table(outcomes)
    below = [o for o in outcomes if o.failure or o.score < o.module.min_score]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
