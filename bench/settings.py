"""Settings for the benchmark's servers: the project's own, plus a bare view to compare against."""

import os

from ajet.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
if os.environ.get("REDIS_URL"):
    CACHES["default"]["KEY_PREFIX"] = "ajet-bench"  # noqa: F405

# The chat benchmark (bench/chat.py): the in-memory channel layer for its one-process run, and a rate limit
# high enough to measure the most messages a server relays (the line's own limit is 20 per 10 s per side).
if os.environ.get("BENCH_CHANNEL_LAYER") == "memory":
    CHANNEL_LAYERS = {"default": {"BACKEND": "ajet.core.channel_layers.InMemoryChannelLayer"}}
elif os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = "ajet-bench"
SUPPORT_CHAT_RATE_LIMIT = int(os.environ.get("BENCH_CHAT_RATE_LIMIT", "20"))
