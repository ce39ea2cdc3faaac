"""`make bench` starts its servers with the production configuration: that configuration must load."""

import subprocess
import sys
from pathlib import Path

from bench.harness import bench_environment

ROOT = Path(__file__).resolve().parents[2]
PRINT_SITE_URL = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def test_the_benchmark_environment_passes_the_production_checks(tmp_path):
    env = {"PATH": "/usr/bin:/bin", **bench_environment(tmp_path)}
    loaded = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PRINT_SITE_URL],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.strip().startswith("https://")
