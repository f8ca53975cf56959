"""Helpers for the concurrency tests (real transactions and threads on PostgreSQL)."""

import threading

from django.db import connection

from core.exceptions import ApplicationError


def race(n, work):
    """Run ``work(i)`` in ``n`` threads released together; each outcome is
    ("ok", result) or ("refused", code)."""
    barrier = threading.Barrier(n)
    outcomes: list = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            result = ("ok", work(i))
        except ApplicationError as exc:
            result = ("refused", exc.code)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "a thread is still running"
    return outcomes
