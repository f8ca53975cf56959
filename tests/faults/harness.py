"""Real processes for the fault tests: a private Redis (a redis-server of the test's
own on a free loopback port, so stopping it harms nobody), Celery workers and beats
as subprocesses pointed at the test's database (and started on the suite's frozen
clock, tests/frozen_process.py), and a way to point this process's Celery app at the
private broker."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.frozen_process import frozen_env, python_module

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout=40.0, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """``redis-server --save "" --appendonly no``: a restart forgets every queued
    message, as a Redis without persistence does."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.workdir = workdir
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

        def answers():
            try:
                return self.client().ping()
            except redis.ConnectionError:
                return False

        assert wait_for(answers, timeout=10, step=0.05), "private redis-server did not start"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def queued(self, queue: str) -> int:
        return self.client().llen(queue)


def subprocess_env(broker_url: str, queue: str, **extra: str) -> dict:
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **extra,
    }


def start_celery(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        python_module("celery", "-A", "config", *args),
        cwd=ROOT, env={**env, **frozen_env()}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def start_worker(env: dict) -> subprocess.Popen:
    return start_celery(
        ["worker", "--pool=solo", "-Q", env["CELERY_TASK_DEFAULT_QUEUE"], "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        env,
    )


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> str:
    """Stop (or with SIGKILL, kill outright) and return what it printed."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    return output.decode(errors="replace")


def new_queue() -> str:
    return f"faults-{uuid.uuid4().hex[:8]}"


@contextlib.contextmanager
def app_broker(url: str):
    """Point this process's Celery app (what ``enqueue_on_commit`` publishes with)
    at ``url`` for the block; the connection pools are rebuilt either side."""
    from config.celery_app import app

    def reset():
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    old = app.conf.broker_url
    app.conf.CELERY_BROKER_URL = url  # the key config_from_object(namespace="CELERY") reads
    reset()
    assert app.connection_for_write().as_uri().startswith(url.rsplit("/", 1)[0])
    try:
        yield app
    finally:
        app.conf.CELERY_BROKER_URL = old
        reset()


def send(broker_url: str, name: str, queue: str, **kwargs) -> None:
    """Publish task ``name`` to the private broker (a client of its own)."""
    from celery import Celery

    with Celery("faults-client", broker=broker_url, set_as_current=False) as client:
        client.send_task(name, kwargs=kwargs, queue=queue)
