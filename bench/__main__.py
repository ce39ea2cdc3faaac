"""`python -m bench` (`make bench`): every area of the benchmark on the shared harness (bench/harness.py).

Areas: bench/pages.py (servers, pages, SQL queries per page), bench/chat.py (the PSG chat's message round
trips through the ASGI server, beside a bare echo consumer) and bench/counting.py (the election counter
beside pyrankvote and votekit; no database). Prints a table and writes bench/results.json.
It is a measurement, not a test: nothing fails on time. Only ratios within one run mean something; the
absolute numbers depend on what else the machine is doing.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import harness


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ajet-bench-"))
    env = harness.bench_environment(folder)
    os.environ.update(env)
    sys.path.insert(0, str(harness.ROOT))
    try:
        import django

        django.setup()
        from bench import chat, counting, pages

        rows = pages.run(env)
        harness.say("\nThe PSG chat (WebSockets through uvicorn):")
        rows += chat.run(env)
        harness.say("\nCounting (the election counter, no database):")
        rows += counting.run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    harness.print_table(rows)
    harness.say(f"\nRatios: how many times better than the baseline (throughput value/baseline, latency "
                f"baseline/value, queries small/large). One worker per server; load: {harness.load_generator()}.")
    harness.write_results(rows)


if __name__ == "__main__":
    main()
