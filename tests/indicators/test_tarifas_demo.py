"""The demo's invoices against its own tariff table: every row billed off the tariff that the
demo plants (``defectos.json``) is found, and nothing else is.

The demo (pequena, seed 1, to 2026-10) bills from the tariff table it writes; it plants an
old tariff after the change (2026-05, the first period of the new tariff), and in 2026-10 a
subsidy on every m³, a contribution on estrato 4, a wrong basic block and a multi-unit account
billed as one; one class (especial, aseo, Valledupar) has no tariff. Loaded on DuckDB and
PostgreSQL.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
from decimal import Decimal

import pytest
import sqlalchemy as sa

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl.demo import generate
from etl.load import load_folder
from indicators import catalogo, tarifas
from indicators.definicion import Contexto
from indicators.tarifas import cargos
from tests.etl.conftest import TARIFA_ERRADA

PERIODOS = ("2026-05", "2026-10")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    full = tmp_path_factory.mktemp("demo_completa")
    generate(full, load_settings(SHIPPED_CONFIG), "pequena", 1, "2026-10", True)
    folder = tmp_path_factory.mktemp("demo_tarifas")
    for p in PERIODOS:
        for fuente in ("suscriptores", "facturas"):
            shutil.copy(full / f"{fuente}_{p}.csv", folder)
    shutil.copy(full / "tarifas_2026-10.csv", folder)
    return folder, json.loads((full / "defectos.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cargada(demo, almacen_modulo, tmp_path_factory):
    folder, _ = demo
    base = tmp_path_factory.mktemp("carga")
    settings = dataclasses.replace(load_settings(SHIPPED_CONFIG, almacen=almacen_modulo),
                                   archivo_dir=base / "archivo", calidad_dir=base / "calidad")
    load_folder(folder, settings, forzar=True)
    return almacen_modulo, settings


def _cargos(url, settings) -> dict[str, list[dict]]:
    """{periodo: the rows of cargos(P), in key order}."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {p: sorted((r._asdict() for r in conn.execute(cargos(Contexto(conn, p, settings)))),
                              key=lambda r: (r["numero"], r["servicio"])) for p in PERIODOS}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def filas(cargada):
    """{periodo: the rows of cargos(P)} on each warehouse, computed when asked."""
    return _cargos(*cargada)


def test_the_load_keeps_on_each_row_what_would_be_computed(cargada, filas):
    url, settings = cargada
    F = tarifas.F
    leidas = [c for c in F.c if c.name not in tarifas.GUARDADAS]    # the exports' columns
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            antes = conn.execute(sa.select(*leidas).order_by(F.c.numero, F.c.servicio)).all()
        catalogo.guardar_ultimos(engine, settings)
        with engine.connect() as conn:
            assert all(tarifas.al_dia(conn, Contexto(conn, p, settings)) for p in PERIODOS)
            # the rows are written again with what is kept: nothing else of them changes
            assert conn.execute(sa.select(*leidas).order_by(F.c.numero, F.c.servicio)
                                ).all() == antes
    finally:
        engine.dispose()
    guardadas = _cargos(url, settings)
    for p in PERIODOS:      # every column of every row: classes, tariff rows, expected, verdict
        assert [{k: _igual(v) for k, v in r.items()} for r in guardadas[p]] == \
            [{k: _igual(v) for k, v in r.items()} for r in filas[p]]


def _igual(v):
    """A value as both paths must agree on it: decimals by value, whatever their scale."""
    return Decimal(str(v)).normalize() if isinstance(v, (Decimal, float)) else v


def _plantadas(defectos, periodo, tipos):
    return {(d["clave"]["numero"], d["clave"]["servicio"]) for d in defectos
            if d["tipo"] in tipos and d["archivo"] == f"facturas_{periodo}.csv"}


@pytest.mark.parametrize("periodo", PERIODOS)
def test_exactly_the_planted_rows_are_off_the_tariff(demo, filas, periodo):
    _, defectos = demo
    mal = {(r["numero"], r["servicio"]) for r in filas[periodo]
           if r["verificable"] == 1 and r["conforme"] == 0}
    esperadas = _plantadas(defectos, periodo, TARIFA_ERRADA)
    assert esperadas and mal == esperadas
    # and the bulk is conforme
    verificables = sum(r["verificable"] for r in filas[periodo])
    assert verificables > 0.95 * len(filas[periodo])


def test_the_planted_kinds_fall_where_expected(demo, filas):
    _, defectos = demo
    por_fila = {(r["numero"], r["servicio"]): r for p in PERIODOS for r in filas[p]}
    for d in (d for d in defectos if d["tipo"] in TARIFA_ERRADA):
        k = (d["clave"]["numero"], d["clave"]["servicio"])
        if d["tipo"] in ("tarifa_anterior", "subsidio_todo_consumo", "bloque_basico_errado"):
            assert por_fila[k]["subfacturado"] > 0, d          # charged less than the tariff
        elif d["tipo"] == "contribucion_estrato_4":
            assert por_fila[k]["sobrefacturado"] > 0, d
            assert por_fila[k]["facturado_contribucion"] > 0 == por_fila[k]["esperado_contribucion"]
        elif d["tipo"] == "multiusuario_como_uno":
            assert int(por_fila[k]["unidades"]) > 1
            assert por_fila[k]["facturado_cargo_fijo"] < por_fila[k]["esperado_cargo_fijo"]


@pytest.mark.parametrize("periodo", PERIODOS)
def test_sin_tarifa_is_the_class_left_out_and_the_accounts_out_of_the_cadastre(demo, filas,
                                                                                 periodo):
    _, defectos = demo
    fuera = {d["clave"]["codigo"] for d in defectos if d["tipo"] == "residencial_sin_estrato"
             and d["clave"]["periodo"] == periodo}
    esperadas = _plantadas(defectos, periodo, {"clase_sin_tarifa"}) | {
        (r["numero"], r["servicio"]) for r in filas[periodo] if r["codigo"] in fuera}
    sin = {(r["numero"], r["servicio"]) for r in filas[periodo] if r["sin_tarifa"] == 1}
    assert sin == esperadas and _plantadas(defectos, periodo, {"clase_sin_tarifa"})
