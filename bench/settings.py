"""Settings for the benchmark's servers: the project's own, plus a bare view to compare against."""

import os

from ajet.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
if os.environ.get("REDIS_URL"):
    CACHES["default"]["KEY_PREFIX"] = "ajet-bench"  # noqa: F405
