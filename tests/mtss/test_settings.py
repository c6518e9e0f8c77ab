"""Settings come from the environment and reject bad values with a clear error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mtss.env import database_from_url, email_from_url, env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_rejects_a_word_it_does_not_know(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG='maybe' is not a boolean"):
        env_bool("SOME_FLAG", False)


def test_env_bool_reads_true_and_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "FALSE")
    assert env_bool("SOME_FLAG", True) is False
    monkeypatch.setenv("SOME_FLAG", "yes")
    assert env_bool("SOME_FLAG", False) is True


def test_env_int_rejects_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 1"):
        env_int("SOME_NUMBER", 1, minimum=1)


def test_empty_values_are_refused(monkeypatch):
    monkeypatch.setenv("SOME_TEXT", "  ")
    with pytest.raises(ImproperlyConfigured, match="set but empty"):
        env_str("SOME_TEXT", "x")
    monkeypatch.setenv("SOME_LIST", " , ")
    with pytest.raises(ImproperlyConfigured, match="lists nothing"):
        env_list("SOME_LIST", ["x"])


def test_database_url_parses_postgres_and_rejects_other_schemes():
    config = database_from_url("postgres://app:s%40cret@db.internal:6543/mtss")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("mtss", "app", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "6543")
    with pytest.raises(ImproperlyConfigured, match="scheme 'mysql' is not supported"):
        database_from_url("mysql://root@localhost/mtss")
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        database_from_url("postgres://localhost")


def test_email_url_parses_smtp_with_tls_and_rejects_unknown_schemes():
    email = email_from_url("smtp://mailer:pw@smtp.example.org:587?tls=true")
    assert (email.host, email.port, email.user, email.use_tls) == ("smtp.example.org", 587, "mailer", True)
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        email_from_url("pigeon://coop")


def _run_django(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "mtss.example.org",
    "DATABASE_URL": "postgres://mtss@127.0.0.1:5432/mtss",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://smtp.example.org:587?tls=true",
}


def test_deploy_check_is_clean_with_production_variables(tmp_path):
    result = _run_django(
        ["check", "--deploy", "--fail-level", "WARNING"], MTSS_VAR_DIR=str(tmp_path), **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start(tmp_path):
    env = {**PRODUCTION, "MTSS_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY")
    result = _run_django(["check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_a_bad_value_stops_start_up_with_its_name(tmp_path):
    result = _run_django(["check"], MTSS_VAR_DIR=str(tmp_path), DEBUG="sometimes")
    assert result.returncode != 0
    assert "DEBUG='sometimes' is not a boolean" in result.stderr
