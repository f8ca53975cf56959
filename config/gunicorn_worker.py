"""gunicorn's threaded worker, recycled without dropping a request, answering its own
errors in the contract's JSON shape (issue 17).

gunicorn's ``gthread`` worker accepts a connection and parks it in its poller until
the request's bytes arrive. When the worker decides to leave — ``max_requests``
reached, the memory bound of ``config/gunicorn.py`` — its loop stops at once, and a
connection parked there is closed unanswered: the client sent a request and got a
reset (gunicorn #3038; 15 of 200 requests at ``keepalive = 0`` in
tests/faults/test_worker_recycle.py before this worker).

This worker, as it leaves, stops accepting and hands every connection it accepted but
has not read yet to its threads, before the thread pool shuts down; gunicorn then waits
up to ``graceful_timeout`` for them as for any request in progress. A parked connection
whose client never sends is given ``DRAIN_READ_TIMEOUT`` seconds. Connections kept
alive after an earlier response (``keepalive`` > 0) are closed as before — a client may
be about to reuse one, which no server can tell; ``config/gunicorn.py`` therefore runs
with ``keepalive = 0``.
"""

import json
import ssl
import threading
from concurrent import futures

from gunicorn import util
from gunicorn.http import errors as http_errors
from gunicorn.workers.gthread import ThreadWorker

DRAIN_READ_TIMEOUT = 10


class _DrainingPool(futures.ThreadPoolExecutor):
    """The worker's thread pool; shutting it down first serves what was accepted."""

    def __init__(self, worker: "RecyclingThreadWorker", max_workers: int) -> None:
        super().__init__(max_workers=max_workers)
        self._worker = worker

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._worker.serve_accepted()
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


class RecyclingThreadWorker(ThreadWorker):
    _served_accepted = False

    def get_thread_pool(self) -> futures.ThreadPoolExecutor:
        return _DrainingPool(self, self.cfg.threads)

    def serve_accepted(self) -> None:
        """Stop accepting; give every accepted, never-read connection to a thread."""
        if self._served_accepted:
            return
        self._served_accepted = True
        parked = []
        with self._lock:
            for key in list(self.poller.get_map().values()):
                self.poller.unregister(key.fileobj)
                if key.fileobj in self.sockets:  # a listener: accept no more
                    continue
                conn = key.data.args[0]  # partial(on_client_socket_readable, conn)
                if conn.initialized:  # kept alive after an earlier response
                    if conn in self._keep:
                        self._keep.remove(conn)
                    self.nr_conns -= 1
                    conn.close()
                    continue
                parked.append(conn)
        for conn in parked:
            conn.init()
            conn.sock.settimeout(DRAIN_READ_TIMEOUT)
            self._wrap_future(self.tpool.submit(self.handle, conn), conn)


# --- errors gunicorn answers itself, in the contract's shape ------------------------------------
#
# A request line too long, a malformed header, … never reach Django: gunicorn answers
# them with an English HTML page. Integrating systems parse every error as
# ``{"code", "message", "extra"}`` (API.md), in Chinese by default.

_GUNICORN_ERRORS = [
    (http_errors.LimitRequestLine, "request_line_too_long", "请求行过长（上限 8190 字节），请缩短网址或查询参数。"),
    (http_errors.LimitRequestHeaders, "request_headers_too_large", "请求头过多或过大。"),
    ((http_errors.InvalidHeader, http_errors.InvalidHeaderName, http_errors.ObsoleteFolding),
     "invalid_header", "请求头格式不正确。"),
    ((http_errors.InvalidRequestLine, http_errors.InvalidRequestMethod, http_errors.InvalidHTTPVersion),
     "invalid_request_line", "请求行格式不正确。"),
    (http_errors.UnsupportedTransferCoding, "unsupported_transfer_coding", "不支持该传输编码。"),
    ((http_errors.ForbiddenProxyRequest, ssl.SSLError), "forbidden", "请求被拒绝。"),
]
_local = threading.local()


def error_body(exc: BaseException | None, status: int) -> dict:
    """The contract's body for an error gunicorn answers itself."""
    for kinds, code, message in _GUNICORN_ERRORS:
        if isinstance(exc, kinds):
            return {"code": code, "message": message, "extra": {}}
    if status >= 500:
        return {"code": "server_error", "message": "服务器内部错误，请稍后重试。", "extra": {}}
    return {"code": "bad_request", "message": "请求格式不正确。", "extra": {}}


def _write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    body = json.dumps(error_body(getattr(_local, "exc", None), status_int), ensure_ascii=False).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class RecyclingJsonErrorsWorker(RecyclingThreadWorker):
    """The worker ``config/gunicorn.py`` runs: recycled without loss, errors in JSON."""

    def init_process(self) -> None:
        util.write_error = _write_json_error  # this worker process's gunicorn only
        super().init_process()

    def handle_error(self, req, client, addr, exc) -> None:
        _local.exc = exc
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            _local.exc = None
