"""gunicorn settings for the production shape (docker-compose ``web``; ``make soak``).

Sync workers with a few threads: requests are short and database-bound; a slow client
is the reverse proxy's problem (nginx buffers). Each worker is recycled after
``max_requests`` so a leak cannot grow without bound — gracefully: with no kept-alive
connections it only finishes the requests it has; ``timeout`` kills a stuck
worker (the request gets a 502 at the proxy, the transaction rolls back).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# gthread, recycled without dropping the connections it has accepted (gunicorn #3038),
# answering the errors it handles itself in the contract's JSON shape.
worker_class = "config.gunicorn_worker.RecyclingJsonErrorsWorker"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# No keep-alive at the application server: every response closes its connection.
# A worker recycled after ``max_requests`` (below) otherwise drops a request that a
# client sends on a kept-alive connection just as the worker leaves (gunicorn #3038,
# tests/faults/test_worker_recycle.py: 36 of 480 lost at keepalive = 5). The reverse
# proxy keeps the clients' connections; behind it this costs nothing, and a direct API
# client pays one TCP handshake per request on the court's network.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 0))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))
# Heartbeat files in memory, not on a possibly slow overlay filesystem.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented heartbeat location, not a temp file
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
# Request limits (ASVS 13.1): a request line or header block this large is refused
# before Django sees it; bodies are limited by DATA_UPLOAD_MAX_MEMORY_SIZE (413).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Behind the TLS-terminating proxy: trust its X-Forwarded-* only from it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Structured access log: one JSON object per line, no query string (it may carry names).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s}'
)
