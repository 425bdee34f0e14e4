"""`manage.py check --deploy` is clean with the production settings of docs/deployment.md
(issue 9, finding 8f): HSTS and the HTTPS redirect follow SECURE_COOKIES / BEHIND_TLS_PROXY."""

import importlib.util
import io
from types import ModuleType

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import override_settings

import tsunagu.settings

# call_command closes the connections it finds unusable afterwards: it touches the database.
pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECRET_KEY": "a-production-key-of-fifty-characters-or-more-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "tsunagu.example.lg.jp",
    "CSRF_TRUSTED_ORIGINS": "https://tsunagu.example.lg.jp",
    "SECURE_COOKIES": "true",
    "BEHIND_TLS_PROXY": "true",
    "DEBUG": "false",
}
# What `check --deploy` reads.
CHECKED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SILENCED_SYSTEM_CHECKS", "X_FRAME_OPTIONS", "MIDDLEWARE")


def settings_from(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> ModuleType:
    """tsunagu/settings.py read afresh under `env`, as a server would start."""
    # DJANGO_ALLOW_ASYNC_UNSAFE: set for the browser tests only (tsunagu/tests/conftest.py).
    for name in [
        *PRODUCTION,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("production_settings", tsunagu.settings.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def deploy_check(module: ModuleType) -> str:
    values = {
        name: getattr(module, name)
        for name in dir(module)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")) or name in CHECKED
    }
    out = io.StringIO()
    with override_settings(**values):
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=out, stderr=out)
    return out.getvalue()


def test_check_deploy_is_clean_with_the_documented_production_settings(monkeypatch):
    module = settings_from(monkeypatch, PRODUCTION)
    assert (module.SECURE_SSL_REDIRECT, module.SECURE_HSTS_SECONDS) == (True, 365 * 24 * 3600)
    assert module.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert module.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]  # the proxy's health check over plain HTTP
    assert "System check identified no issues" in deploy_check(module)


def test_without_tls_the_deploy_check_names_hsts_and_the_redirect(monkeypatch):
    plain = {**PRODUCTION, "SECURE_COOKIES": "false", "BEHIND_TLS_PROXY": "false"}
    module = settings_from(monkeypatch, plain)
    assert (module.SECURE_SSL_REDIRECT, module.SECURE_HSTS_SECONDS) == (False, 0)
    with pytest.raises(SystemCheckError) as failure:
        deploy_check(module)
    for check in ["security.W004", "security.W008", "security.W012"]:
        assert check in str(failure.value)


def test_each_can_be_set_on_its_own(monkeypatch):
    module = settings_from(monkeypatch, {**PRODUCTION, "SECURE_HSTS_SECONDS": "600", "SECURE_SSL_REDIRECT": "false"})
    assert (module.SECURE_SSL_REDIRECT, module.SECURE_HSTS_SECONDS) == (False, 600)
    module = settings_from(monkeypatch, {**PRODUCTION, "SECURE_HSTS_PRELOAD": "true"})
    assert module.SILENCED_SYSTEM_CHECKS == []
    assert "System check identified no issues" in deploy_check(module)


def test_the_health_check_is_not_redirected_but_pages_are(client, monkeypatch, settings):
    module = settings_from(monkeypatch, PRODUCTION)
    settings.SECURE_SSL_REDIRECT = module.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = module.SECURE_REDIRECT_EXEMPT
    settings.SECURE_PROXY_SSL_HEADER = module.SECURE_PROXY_SSL_HEADER
    settings.SECURE_HSTS_SECONDS = module.SECURE_HSTS_SECONDS
    assert client.get("/healthz").content == b"ok"
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    secure = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_postgresql_runs_without_jit_compilation(monkeypatch):
    """JIT compiling took 100-400 ms a query on the larger pages (docs/benchmarks.md): off
    for every connection, an option of the server's own kept as given."""
    url = "postgres://tsunagu@db.example.lg.jp:5432/tsunagu"
    module = settings_from(monkeypatch, {**PRODUCTION, "DATABASE_URL": url})
    assert module.DATABASES["default"]["OPTIONS"]["options"] == "-c jit=off"
    kept = settings_from(monkeypatch, {**PRODUCTION, "DATABASE_URL": url + "?options=-c%20work_mem%3D64MB"})
    assert kept.DATABASES["default"]["OPTIONS"]["options"] == "-c work_mem=64MB -c jit=off"
    sqlite = settings_from(monkeypatch, {**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/tsunagu.sqlite3"})
    assert "options" not in sqlite.DATABASES["default"].get("OPTIONS", {})
    # And the suite's own connection, where it is PostgreSQL (CI runs the suite on both).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
