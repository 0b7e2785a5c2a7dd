"""Shared fixtures: a real warehouse per test, on DuckDB and on PostgreSQL.

PostgreSQL tests use the database named by CAUCE_TEST_PG (default: a
``cauce_test`` database on 127.0.0.1:5432), one fresh schema per test. Where
no server answers they are skipped, except under CI (CI=true), where that is
a failure.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from cauce.settings import SHIPPED_CONFIG, load_settings

# The dashboard computes the next pages in the background after a page is drawn; the tests
# draw each page themselves and hold the DuckDB file on purpose, so it stays off here.
os.environ["CAUCE_TABLERO_CALENTAR"] = "0"

PG_URL = os.environ.get("CAUCE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/cauce_test")


def _pg_available() -> str | None:
    url = sa.engine.make_url(PG_URL)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"),
                                  {"d": url.database}).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
        return None
    except (sa.exc.IntegrityError, sa.exc.ProgrammingError):
        return None          # another pytest-xdist worker created it first
    except sa.exc.OperationalError as e:
        return str(e.orig).splitlines()[0]
    finally:
        admin.dispose()


_PG_PROBLEM = _pg_available()


# The files that take minutes, measured (benchmarks/RESULTS.md, «Duración de las pruebas»),
# longest first. pytest-xdist (``--dist loadfile``, ``--no-loadscope-reorder`` in pyproject)
# hands whole files to its workers in collection order: a long file handed out last keeps
# one worker busy alone at the end while the other has nothing left to do.
PRIMERO = ("tests/etl/test_fallas.py", "tests/indicators/test_guardados.py",
           "tests/dashboards/test_navegador.py", "tests/dashboards/test_navegador_presentacion.py",
           "tests/dashboards/test_navegador_sesion.py", "tests/etl/test_load_calidad.py",
           "tests/dashboards/test_navegador_registros.py",
           "tests/dashboards/test_navegador_lectura.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long files first, in the order of ``PRIMERO``; the rest as collected."""
    orden = {archivo: i for i, archivo in enumerate(PRIMERO)}
    items.sort(key=lambda item: orden.get(item.nodeid.split("::")[0], len(PRIMERO)))


@contextlib.contextmanager
def pg_schema():
    """The URL of an empty PostgreSQL schema of its own, dropped afterwards (skipped without a
    server, but not in CI)."""
    if _PG_PROBLEM:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL no responde en CI: {_PG_PROBLEM}")
        pytest.skip(f"PostgreSQL no disponible: {_PG_PROBLEM}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture
def pg_url():
    with pg_schema() as url:
        yield url


@pytest.fixture(params=["duckdb", "postgresql"])
def almacen(request, tmp_path) -> str:
    """The URL of an empty warehouse of each kind."""
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def settings_for(tmp_path):
    """Settings of the shipped config.toml on a given warehouse; archive and GX context under tmp_path."""
    def make(url: str, **changes):
        base = load_settings(SHIPPED_CONFIG, almacen=url)
        return dataclasses.replace(base, archivo_dir=tmp_path / "archivo",
                                   calidad_dir=tmp_path / "calidad", **changes)
    return make


def rows(url: str, query) -> list[tuple]:
    """The rows of a SQL text or a SQLAlchemy query on the warehouse at ``url``."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(query) if isinstance(query, str)
                                                   else query)]
    finally:
        engine.dispose()


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, as plain values: to compare a warehouse before and after."""
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        out = {}
        with engine.connect() as conn:
            for name in sorted(inspector.get_table_names()):
                rows = conn.execute(sa.text(f'SELECT * FROM "{name}"')).all()
                out[name] = sorted((tuple(r) for r in rows), key=repr)
        return out
    finally:
        engine.dispose()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
