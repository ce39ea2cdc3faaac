"""bench/voice.py's memory row: a measured growth of 0 (or under the floor) must give a ratio, not end the
run in a ZeroDivisionError as it did at 10,000 responses."""

from bench.voice import MEMORY_FLOOR_MB, MEMORY_TARGET, memory_row


def test_no_growth_at_either_size_is_flat():
    row = memory_row(10_000, 0.0, 100_000, 0.0)
    assert row["ratio"] == 1.0
    assert row["ratio"] >= row["target"] == round(MEMORY_TARGET, 3)
    assert row["value"] == 0.0 and row["baseline_value"] == 0.0  # the measurements themselves are kept


def test_growths_under_the_floor_count_as_the_floor():
    assert memory_row(10_000, MEMORY_FLOOR_MB / 2, 100_000, 0.0)["ratio"] == 1.0


def test_growth_that_follows_the_responses_misses_the_target():
    row = memory_row(10_000, 0.0, 100_000, 10 * MEMORY_FLOOR_MB)
    assert row["ratio"] == 0.1
    assert row["ratio"] < row["target"]


def test_flat_growth_above_the_floor():
    assert memory_row(10_000, 12.0, 100_000, 12.5)["ratio"] == round(12.0 / 12.5, 3)
