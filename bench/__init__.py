"""`make bench`: throughput, latency and SQL queries per page of AJET Nexus (see bench/__main__.py)."""
