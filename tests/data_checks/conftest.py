"""Shared by the rule tests: a valid row of each source and frames typed as the loader's.

Hand-made frames are typed like the loader's batches: rows → Arrow table with
the contract's types → ``como_lote``. Each test lists the positions that must
fail, worked out by hand in its comments.
"""
from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from data_checks.validar import como_lote, validar
from etl.contract import SOURCES
from etl.parse import ARROW_TYPES

HOY = date(2026, 11, 5)


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    base = load_settings(SHIPPED_CONFIG)
    return dataclasses.replace(base, calidad_dir=tmp_path_factory.mktemp("calidad"))


# A valid row of each source; a test overrides the cells its rule reads.
BASE = {
    "suscriptores": dict(
        codigo="00000001", periodo="2026-10", direccion="CL 1 # 2-3", municipio_dane="20001",
        uso="residencial", estrato=2, acueducto=True, alcantarillado=True, aseo=True,
        ciclo="01", ruta="01001", estado="activo", fecha_vinculacion=date(2020, 1, 1)),
    "lecturas": dict(
        codigo="00000001", periodo="2026-10", lectura_anterior=100.0, lectura_actual=110.5,
        consumo_facturado=10.5, tipo_consumo="medido"),
    "facturas": dict(
        numero="1", codigo="00000001", periodo="2026-10", servicio="acueducto",
        fecha_expedicion=date(2026, 10, 15), fecha_vencimiento=date(2026, 10, 30),
        cargo_fijo=1000.0, valor_consumo=9000.0, subsidio=0.0, contribucion=0.0,
        otros_cargos=0.0, valor_total=10000.0),
    "pagos": dict(id="P1", fecha_pago=date(2026, 10, 20), valor=5000.0),
    "pqr": dict(
        radicado="R1", fecha_radicacion=datetime(2026, 10, 1, 9, 0), tipo="reclamo",
        servicio="acueducto", causal="101"),
    "ordenes": dict(
        numero="OT1", tipo="corte", fecha_generacion=datetime(2026, 10, 1, 9, 0),
        fecha_vencimiento=datetime(2026, 10, 2, 9, 0), estado="pendiente"),
    "encuestas": dict(ronda="2026-S1", encuesta="E1", municipio_dane="20001", pregunta="p01",
                      valor=3),
    # Valledupar (169 m: basic block 16 m³), residential estrato 2 at the deepest subsidy
    "tarifas": dict(municipio_dane="20001", servicio="acueducto", vigente_desde=date(2026, 7, 1),
                    uso="residencial", estrato=2, cargo_fijo=10000.0, cargo_consumo=3000.0,
                    consumo_basico_m3=16.0, factor=-0.40),
    "indices": dict(periodo="2026-10", indice=104.0),
}


def lote(fuente: str, *cambios: dict, **ctx) -> pd.DataFrame:
    """A typed frame of ``fuente``: one row per dict of changes over BASE, plus ctx_* columns."""
    source = SOURCES[fuente]
    schema = pa.schema([(col.name, ARROW_TYPES[col.type]) for col in source.columns])
    rows = [{**BASE[fuente], **c} for c in cambios]
    df = como_lote(pa.Table.from_pylist(rows, schema))
    for name, values in ctx.items():
        df[name] = values
    return df


def fallidas(fuente, df, settings, regla, hoy=HOY) -> list[int]:
    resultados = {r.regla: r for r in validar(fuente, df, settings, hoy)}
    assert resultados[regla].total == len(df)
    return resultados[regla].fallidas
