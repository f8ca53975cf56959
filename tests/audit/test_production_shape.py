"""The production shape: the compose file, gunicorn's settings, and a backup that
restores into a working database whose node-event chain still verifies."""

import importlib.util
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection

from audit.services import node_events_seal
from core.models import NodeEvent
from tests.enforcement.factories import make_case

ROOT = Path(__file__).resolve().parents[2]


def _compose_config() -> dict:
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "p", "APP_DB_PASSWORD": "a"}
    answer = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return yaml.safe_load(answer.stdout)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is installed by .ci/run")
def test_the_compose_file_validates_and_has_the_production_shape():
    config = _compose_config()
    services = config["services"]
    assert set(services) >= {"postgres", "redis", "migrate", "web", "worker", "beat", "backup"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://zhixing_app:"), name
    assert "grant_app_role zhixing_app" in " ".join(services["migrate"]["command"])
    assert "backup.sh" in " ".join(services["backup"]["entrypoint"])


def test_compose_refuses_to_start_without_its_secrets():
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is installed by .ci/run")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "APP_DB_PASSWORD")}
    answer = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert answer.returncode != 0 and "set" in answer.stderr


def test_gunicorn_settings_are_bounded():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "config" / "gunicorn.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert 2 <= conf.workers <= 9 and conf.timeout <= 60 and conf.max_requests > 0
    assert conf.limit_request_line <= 8190 and conf.forwarded_allow_ips == "127.0.0.1"
    assert "%(q)s" not in conf.access_log_format  # no query strings (names) in the access log


def test_static_files_are_served_by_whitenoise_with_hashed_names():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    from config.settings import base

    assert base.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_working_database_whose_chain_verifies(courts, clerk, handler, tmp_path):
    for n in range(3):
        make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{3000 + n}号", handler=handler)
    node_events_seal()
    events = NodeEvent.objects.count()
    db = settings.DATABASES["default"]
    source = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    target_name = f"zhixing_restore_{uuid.uuid4().hex[:8]}"
    target = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{target_name}"
    env = {**os.environ, "DATABASE_URL": source, "BACKUP_DIR": str(tmp_path)}

    dump = subprocess.run(
        [str(ROOT / "deploy" / "backup.sh")], env=env, capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert Path(dump).is_file() and Path(dump).stat().st_size > 0

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    try:
        restore_env = {
            **os.environ,
            "DATABASE_URL": target,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHON": sys.executable,
        }
        answer = subprocess.run(
            [str(ROOT / "deploy" / "restore.sh"), dump],
            env=restore_env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert answer.returncode == 0, answer.stdout + answer.stderr
        assert f"chain ok: {events} node events" in answer.stdout
        count = subprocess.run(
            ["psql", target, "-tAc", "SELECT count(*) FROM enforcement_case"], capture_output=True, text=True, check=True
        )
        assert int(count.stdout) == 3
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
