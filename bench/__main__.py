"""`python -m bench` (`make bench`): every area of the benchmark on the shared harness (bench/harness.py).

Areas: bench/pages.py (servers, pages, SQL queries per page), bench/hub.py (an announcement to every member
queued and delivered over SMTP beside send_mass_mail; the hub's pages with 10,000 announcements and events),
bench/voice.py (survey results, XLSX and PDF at 100,000 responses, on the same database), bench/chat.py (the
PSG chat's message round trips through the ASGI server, beside a bare echo consumer), bench/counting.py (the
election counter beside pyrankvote and votekit; no database) and bench/casting.py (the electorate casting
through the cast view on PostgreSQL, beside a bare insert view). Prints a table and writes bench/results.json.
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
        from bench import casting, chat, counting, hub, pages, voice

        rows = pages.run(env)
        rows += hub.run()  # on the large world that pages.run leaves in the database
        rows += voice.run()
        harness.say("\nThe PSG chat (WebSockets through uvicorn):")
        rows += chat.run(env)
        harness.say("\nCounting (the election counter, no database):")
        rows += counting.run()
        harness.say("\nCasting (the cast view on PostgreSQL, 200 voters at once):")
        rows += casting.run(env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    harness.print_table(rows)
    harness.say(f"\nRatios: how many times better than the baseline (throughput value/baseline, latency "
                f"baseline/value, queries small/large). One worker per server; load: {harness.load_generator()}.")
    harness.write_results(rows)


if __name__ == "__main__":
    main()
