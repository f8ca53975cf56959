"""gunicorn as production runs it (``config/gunicorn.py``, issue 17): worker recycling
loses no request (gunicorn #3038), and the errors gunicorn answers itself come in the
contract's JSON shape.


gunicorn recycles a worker after ``max_requests`` (the memory bound of
``config/gunicorn.py``). A request that arrives on a kept-alive connection just as its
worker leaves got no answer at all. The production settings close every connection
after its response (``keepalive = 0``; nginx keeps the clients' connections), so a
recycling worker only finishes what it has. Here the real configuration recycles
workers every few requests under clients that each reuse one connection for all their
requests, as an integrating court system does: every request is answered.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 4
REQUESTS_PER_CLIENT = 50
MAX_REQUESTS = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
        finally:
            conn.close()
    pytest.fail("gunicorn did not answer within 60 s")


def _client(port: int, answers: list, failures: list) -> None:
    """One integrating system: one HTTP/1.1 connection reused for every request (http.client
    reconnects only when the server said ``Connection: close``)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for n in range(REQUESTS_PER_CLIENT):
        try:
            conn.request("GET", f"/healthz?n={n}")
            response = conn.getresponse()
            response.read()
            answers.append(response.status)
        except (OSError, http.client.HTTPException) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
            conn.close()
    conn.close()


@pytest.fixture
def gunicorn(tmp_path):
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
        + "/postgres",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_MAX_REQUESTS": str(MAX_REQUESTS),
        "GUNICORN_MAX_REQUESTS_JITTER": "0",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py",
             "--log-level", "info"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(port, process, log)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_no_request_is_lost_while_workers_recycle(gunicorn):
    port, log = gunicorn
    answers: list[int] = []
    failures: list[str] = []
    threads = [threading.Thread(target=_client, args=(port, answers, failures)) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    recycles = len(re.findall(r"Autorestarting worker", log.read_text()))
    total = CLIENTS * REQUESTS_PER_CLIENT
    # the workers did recycle, many times, while the clients were sending
    assert recycles >= total // MAX_REQUESTS // 2, log.read_text()[-2000:]
    assert failures == [], f"{len(failures)} of {total} requests got no answer: {failures[:5]}"
    assert len(answers) == total and set(answers) == {200}


def _raw(port: int, payload: bytes) -> tuple[int, dict, dict]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body.decode())


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"GET /api/v1/cases/?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request_line_too_long"),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n", 400, "invalid_header"),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(150)) + b"\r\n",
         431, "request_headers_too_large"),
        (b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400, "invalid_request_line"),
    ],
)
def test_errors_gunicorn_answers_itself_are_in_the_contract_shape(gunicorn, payload, status, code):
    port, _log = gunicorn
    answer_status, headers, body = _raw(port, payload)
    assert answer_status == status
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert body["code"] == code and set(body) == {"code", "message", "extra"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])  # Chinese by default
