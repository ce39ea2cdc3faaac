"""`make mutate`'s configuration: every line names a module and test files that exist (a renamed test file would
otherwise leave a module's mutants to a selection that runs nothing), and `--whole` lifts the samples."""

import shlex
from pathlib import Path

from mutation.__main__ import EQUIVALENT_LINE, load_config, selected_modules

ROOT = Path(__file__).resolve().parents[2]
MUTATION = ROOT / "mutation"


def test_every_configured_module_and_test_file_exists():
    _settings, modules = load_config(MUTATION / "modules.toml")
    assert modules
    for module in modules:
        assert (ROOT / module.path).is_file(), module.path
        files = [word.split("::")[0] for word in shlex.split(module.tests) if word.startswith("tests/")]
        assert files, module.path
        for name in files:
            assert (ROOT / name).is_file(), f"{module.path}: {name}"


def test_whole_runs_every_mutant_of_the_modules_asked_for():
    _settings, modules = load_config(MUTATION / "modules.toml")
    sampled = [module.path for module in modules if module.max_mutants is not None]
    assert sampled  # the samples that keep `make mutate` near half an hour
    assert selected_modules(modules, [], whole=False) == modules
    assert all(module.max_mutants is None for module in selected_modules(modules, [], whole=True))
    one = selected_modules(modules, [sampled[0]], whole=True)
    assert [module.path for module in one] == [sampled[0]] and one[0].max_mutants is None
    assert selected_modules(modules, [sampled[0]], whole=False)[0].max_mutants is not None


def test_every_equivalent_mutant_is_written_so_that_the_run_can_match_it():
    """A line the pattern does not match would leave its mutant counted as a survivor, with no word why."""
    lines = [line for line in (MUTATION / "EQUIVALENT.md").read_text().splitlines() if line.startswith("- `")]
    assert lines
    configured = {module.path for module in load_config(MUTATION / "modules.toml")[1]}
    seen = set()
    for line in lines[1:]:  # (the first is the form itself)
        match = EQUIVALENT_LINE.match(line.strip())
        assert match, line
        assert match["module"] in configured, line
        key = (match["module"], match["before"], match["after"])
        assert key not in seen, f"listed twice: {line}"
        seen.add(key)


def test_every_equivalent_mutant_is_of_a_line_the_module_still_has():
    """A line rewritten since leaves its reason behind: the reason must go (or be written again) with it."""
    lines = [line for line in (MUTATION / "EQUIVALENT.md").read_text().splitlines() if line.startswith("- `")]
    for line in lines[1:]:
        match = EQUIVALENT_LINE.match(line.strip())
        source = {text.strip() for text in (ROOT / match["module"]).read_text().splitlines()}
        assert match["before"] in source, f"no longer in {match['module']}: {match['before']}"
