"""The project's ASGI application for the chat benchmark, with the line open and the benchmark's volunteer on
shift whatever the clock says: the two clock checks of ajet.support.queries are replaced (line_status and
current_shift). Everything else — the consumer, sign-in, the origin check, the database, the channel layer — is
the real thing."""

import datetime
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from ajet.asgi import application  # noqa: F401 - sets Django up
from ajet.support import hours, queries

BENCH_NIGHT = datetime.date(2000, 1, 1)  # the night the benchmark's volunteer is rostered on (shift 0)

queries.line_status = lambda moment=None: hours.Status(open=True, opens_at=None, closes_at=None)
queries.current_shift = lambda moment=None: (BENCH_NIGHT, 0)
