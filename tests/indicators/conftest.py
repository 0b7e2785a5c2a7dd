"""Hand-made exports loaded once per test module, on DuckDB and on PostgreSQL.

Each module writes its own small exports (CSV text, every expected value worked out
by hand in its comments), loads them through the real load job and reads the
catalogue back.
"""
from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cauce.settings import SHIPPED_CONFIG, Settings, load_settings
from etl.load import load_folder
from indicators import catalogo
from tests.conftest import pg_schema, write


@contextlib.contextmanager
def almacen_vacio(motor: str, tmp_path_factory) -> Iterator[str]:
    """The URL of an empty warehouse of ``motor`` ("duckdb" or "postgresql")."""
    if motor == "duckdb":
        yield f"duckdb:///{tmp_path_factory.mktemp('almacen') / 'almacen.duckdb'}"
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def almacen_modulo(request, tmp_path_factory) -> str:
    """An empty warehouse of each kind, shared by the tests of one module."""
    with almacen_vacio(request.param, tmp_path_factory) as url:
        yield url


def cargar(url: str, archivos: dict[str, str], carpeta: Path, **cambios) -> Settings:
    """Write ``{file name: CSV text}`` into ``carpeta``, load it into ``url`` and return the
    settings (the shipped config.toml with ``cambios``). The load is forced: these tests
    are about the indicators, not the data-quality gate, and tiny files trip tolerances."""
    carpeta.mkdir(parents=True, exist_ok=True)
    for nombre, texto in archivos.items():
        write(carpeta / nombre, texto)
    base = load_settings(SHIPPED_CONFIG, almacen=url)
    settings = dataclasses.replace(base, archivo_dir=carpeta / "archivo",
                                   calidad_dir=carpeta / "calidad", **cambios)
    results = load_folder(carpeta, settings, forzar=True)
    malas = [(r.archivo, r.mensaje) for r in results if r.cuarentena or r.estado == "rechazado"]
    assert not malas, f"the hand-made exports must load whole: {malas}"
    return settings


def indicadores(url: str, settings: Settings, periodo: str, por: str | None = None,
                ids: list[str] | None = None) -> dict:
    """``{id: row}`` without ``por``; ``{(id, grupo): row}`` with it. Rows are dicts with
    valor, numerador, denominador, meta, cumple, unidad, grupo."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            frame = catalogo.calcular(conn, periodo, settings, por, ids)
    finally:
        engine.dispose()
    filas = frame.to_dict("records")
    if por is None:
        return {f["id"]: f for f in filas}
    return {(f["id"], f["grupo"]): f for f in filas}


def registros(url: str, settings: Settings, id: str, periodo: str, **kwargs):
    """The records behind an indicator (``catalogo.detalle``) as a list of dicts."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return catalogo.detalle(conn, id, periodo, settings, **kwargs).to_dict("records")
    finally:
        engine.dispose()
