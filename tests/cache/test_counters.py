"""Counts in a window: atomic, shared by every cache client, started again when the window ends."""

import threading
import time
import uuid

from django.core.cache import cache, caches

from framework.cache.counters import count_in_window


def key() -> str:
    return f"counter-{uuid.uuid4().hex}"


def test_each_call_adds_one_and_tells_the_time_left_in_the_window(cache_url):
    name = key()

    counts = [count_in_window(cache, name, 60) for _ in range(3)]

    assert [count.value for count in counts] == [1, 2, 3]
    assert 58 < counts[-1].seconds_left <= 60


def test_adding_zero_reads_the_count(cache_url):
    name = key()
    count_in_window(cache, name, 60)

    assert count_in_window(cache, name, 60, add=0).value == 1
    assert count_in_window(cache, name, 60, add=0).value == 1


def test_the_count_starts_again_when_its_window_ends(cache_url):
    name = key()
    count_in_window(cache, name, 1)
    count_in_window(cache, name, 1)

    time.sleep(1.2)

    assert count_in_window(cache, name, 1).value == 1


def test_parallel_additions_from_separate_clients_are_all_counted(cache_url):
    # Django gives each thread a cache object of its own: on Redis, a connection pool of its own, as another process has.
    name, results = key(), []

    def add_ten() -> None:
        results.extend(count_in_window(caches["default"], name, 60).value for _ in range(10))

    threads = [threading.Thread(target=add_ten) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == list(range(1, 81))
