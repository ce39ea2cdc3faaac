"""Settings for the benchmark's server: the project's own, plus a bare view to compare against."""

from ajet.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
