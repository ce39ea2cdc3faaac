"""Run the same work in several threads at once, each with its own database connection (PostgreSQL only:
SQLite serialises writers, so it cannot show these races)."""

import threading

import pytest
from django.db import connection, connections

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races between connections are shown on PostgreSQL only"
)


def run_together(count: int, work) -> list:
    """Call `work(index)` in `count` threads released together; return each result or raised exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
