"""A dead process's metric files folded into the folder's running totals, so that a scrape reads a few files, not one per process ever started.

gunicorn replaces each worker after WEB_MAX_REQUESTS requests; prometheus-client
keeps the files of every process that wrote (a counter must keep what they
counted), and a scrape reads them all: on a busy service, thousands a day. When
a process ends, its counters, histograms and summaries are added to one file
per type and its own files removed. Scrapes take a shared lock on the folder,
the folding an exclusive one: no scrape sees a count twice or not at all.

prometheus-client has no public API to write its files: `MmapedDict` and
`mmap_key` (prometheus_client.mmap_dict) write them as its values do, and
`MultiProcessCollector.merge(accumulate=False)` reads them as they are stored.
Checked against prometheus-client 0.20 to 0.26.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK = "scrapes.lock"
#: The types whose values a dead process keeps counting in the totals (its gauges end with it).
FOLDED = ("counter", "histogram", "summary")
#: The running totals of each type: a file prometheus-client reads as any process's.
TOTALS = "{type}_folded.db"


@contextmanager
def locked(folder: Path, *, exclusive: bool) -> Iterator[None]:
    """The folder's lock: shared by scrapes, exclusive while a process's files are folded."""
    with open(folder / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def fold(folder: Path, pid: int) -> None:
    """Add the values of the ended process `pid` to the totals, and remove its files."""
    from prometheus_client.mmap_dict import MmapedDict, mmap_key
    from prometheus_client.multiprocess import MultiProcessCollector

    with locked(folder, exclusive=True):
        for kind in FOLDED:
            ended = folder / f"{kind}_{pid}.db"
            if not ended.exists():
                continue
            totals = folder / TOTALS.format(type=kind)
            files = [str(path) for path in (totals, ended) if path.exists()]
            metrics = MultiProcessCollector.merge(files, accumulate=False)
            # Written beside, then put in place: a process killed meanwhile leaves the totals as they were.
            written = folder / f"{kind}_folded.partial"
            values = MmapedDict(str(written))
            try:
                for metric in metrics:
                    for sample in metric.samples:
                        key = mmap_key(
                            metric.name, sample.name, list(sample.labels), list(sample.labels.values()), metric.documentation
                        )
                        values.write_value(key, sample.value, sample.timestamp or 0.0)
            finally:
                values.close()
            os.replace(written, totals)
            ended.unlink()
