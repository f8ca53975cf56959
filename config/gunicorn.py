"""gunicorn settings for the production shape (docker-compose ``web``; ``make soak``).

Sync workers with a few threads: requests are short and database-bound; a slow client
is the reverse proxy's problem (nginx buffers). Each worker is recycled after
``max_requests`` so a leak cannot grow without bound; ``timeout`` kills a stuck
worker (the request gets a 502 at the proxy, the transaction rolls back).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
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
