"""``make bench``: a synthetic province generated straight into PostgreSQL and the
measurements of DESIGN "Scale" (see ``docs/performance.md``).

Not part of the test suite: pytest collects ``tests/`` only. Run it with
``make bench`` or ``python -m bench.run`` (``BENCH_CASES``, ``BENCH_DATABASE_URL``).
"""
