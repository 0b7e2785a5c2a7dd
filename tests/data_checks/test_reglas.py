"""The rule registry, the contract's own rules, and the rules on the demo's files.

The domain rules' hand-made cases are in test_reglas_catastro_consumo.py and
test_reglas_cobro_y_atencion.py; the frames are built in conftest.py.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from data_checks.reglas import ERROR, ADVERTENCIA, REGLAS, reglas_de, tolerancia
from data_checks.revision import Revision
from data_checks.validar import como_lote, juzgar, validar
from etl import contract as c
from etl.contract import SOURCES
from etl.demo import generate
from etl.parse import ARROW_TYPES
from etl.reader import read_export
from tests.data_checks.conftest import BASE, HOY, fallidas, lote


# --- the registry -------------------------------------------------------------

def test_registro_completo(settings):
    assert {r.fuente for r in REGLAS} >= set(BASE)
    for r in REGLAS:
        assert r.severidad in (ERROR, ADVERTENCIA)
        assert r.descripcion.endswith(".") and r.descripcion[0].isupper()
        assert all(col.startswith("ctx_") for col in r.contexto)
        assert r.controla == r.id.startswith(("catastro.", "consumo.")), r.id
        assert tolerancia(r, settings) == settings.tolerancia_calidad


def test_tolerancia_por_regla(settings):
    regla = next(r for r in REGLAS if r.id == "consumo.lectura_regresiva")
    propio = dataclasses.replace(settings, tolerancias={"consumo.lectura_regresiva": 0.1})
    assert tolerancia(regla, propio) == 0.1


def test_un_resultado_por_regla_de_la_fuente(settings):
    """Without context columns, the rules that need them are skipped, not reported as passing."""
    df = lote("lecturas", {})
    assert [r.regla for r in validar("lecturas", df, settings, HOY)] == [
        r.id for r in reglas_de("lecturas") if not r.contexto]
    assert "consumo.sin_catastro" not in [r.regla for r in validar("lecturas", df, settings, HOY)]


# --- the contract ------------------------------------------------------------

def test_estructurales_fallan_fuera_del_loader(settings):
    df = lote("lecturas", {}, {"tipo_consumo": "otro_codigo"}, {"codigo": None})
    assert fallidas("lecturas", df, settings, "contrato.lecturas.codigos") == [1]
    assert fallidas("lecturas", df, settings, "contrato.lecturas.obligatorias") == [2]


# --- the demo -------------------------------------------------------------------

ARCHIVOS = ["suscriptores_2026-10.csv", "lecturas_2026-10.csv", "facturas_2026-10.csv",
            "pagos_2026-10.csv", "pqr_2026-10.csv", "ordenes_2026-10.csv", "encuestas_2026-S1.csv",
            "tarifas_2026-10.csv", "indices_2026-10.csv"]


def _chunks(folder: Path, archivo: str, settings):
    source = SOURCES[archivo.split("_")[0]]
    _, chunks = read_export(folder / archivo, source, settings)
    return source.name, [como_lote(ch.rows) for ch in chunks]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("demo")
    generate(folder, settings, "pequena", 1, "2026-10", defectos=False)
    return folder


@pytest.fixture(scope="module")
def demo_defectos(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("demo_defectos")
    generate(folder, settings, "pequena", 1, "2026-10", defectos=True)
    return folder


@pytest.mark.parametrize("archivo", ARCHIVOS)
def test_demo_limpia_no_dispara_reglas(demo, settings, archivo, capfd):
    fuente, chunks = _chunks(demo, archivo, settings)
    assert sum(len(df) for df in chunks) > 0
    for df in chunks:
        for r in validar(fuente, df, settings, HOY):
            assert r.fallidas == [], (archivo, r.regla, df.iloc[r.fallidas[:3]].to_dict("records"))
    err = capfd.readouterr().err
    assert "it/s" not in err and "%|" not in err, "GX printed progress bars"


def test_demo_con_defectos_encuentra_lecturas_regresivas(demo_defectos, settings):
    defectos = json.loads((demo_defectos / "defectos.json").read_text(encoding="utf-8"))
    archivos = set(ARCHIVOS)
    planted = {(d["archivo"], d["clave"]["codigo"], d["clave"]["periodo"]) for d in defectos
               if d["tipo"] == "lectura_regresiva" and d["archivo"] in archivos}
    assert planted, "the demo plants regressive readings in the last period"
    found = set()
    for archivo in sorted({a for a, _, _ in planted}):
        fuente, chunks = _chunks(demo_defectos, archivo, settings)
        for df in chunks:
            r = next(r for r in validar(fuente, df, settings, HOY)
                     if r.regla == "consumo.lectura_regresiva")
            rows = df.iloc[r.fallidas]
            found |= {(archivo, c, p) for c, p in zip(rows["codigo"], rows["periodo"])}
    assert planted <= found


# A plausible value of each context column the loader adds (``etl.contexto``).
CONTEXTO = {"ctx_cuentas_medidor": 1, "ctx_uso": "residencial", "ctx_estrato": 2,
            "ctx_unidades": 1, "ctx_en_catastro": 1, "ctx_promedio_similares": 12.0,
            "ctx_consumos_iguales": 0, "ctx_factura_conocida": 1, "ctx_cuenta_conocida": 1}


@pytest.mark.parametrize("archivo", ARCHIVOS)
def test_las_reglas_juzgan_igual_con_solo_las_columnas_que_leen(demo_defectos, settings,
                                                                 archivo):
    """The load hands the rules only the key and the columns they read (``Revision.columnas``):
    each rule flags the same rows as on the file's every column."""
    fuente, chunks = _chunks(demo_defectos, archivo, settings)
    contrato = set(SOURCES[fuente].names)
    leidas = (Revision(fuente, settings, HOY).columnas() & contrato) | set(SOURCES[fuente].key)
    assert leidas < contrato
    for df in chunks:
        df = df.assign(**{k: v for k, v in CONTEXTO.items()
                          if any(k in r.contexto for r in reglas_de(fuente))})
        todas, _ = juzgar(fuente, df, settings, HOY, estructurales=False)
        solo, _ = juzgar(fuente, df[[col for col in df.columns
                                     if col in leidas or col.startswith("ctx_")]],
                         settings, HOY, estructurales=False)
        assert todas and solo == todas


def _valida(source) -> dict:
    """A row of ``source`` that keeps its contract: a plain value of each column's type."""
    sample = {c.STR: "X1", c.CODE: None, c.PERIOD: "2026-10", c.INT: 1, c.DEC: 1.0,
              c.DATE: date(2026, 10, 1), c.DATETIME: datetime(2026, 10, 1, 9, 0), c.BOOL: True}
    row = {}
    for col in source.columns:
        row[col.name] = (col.codes[0] if col.codes else "1" * col.length if col.length
                         else sample[col.type])
    return row


@pytest.mark.parametrize("regla", [r for r in REGLAS if r.estructural], ids=lambda r: r.id)
def test_cada_regla_del_contrato(settings, regla):
    """Row 0 keeps the contract; row 1 breaks it in the one way the rule judges."""
    source = SOURCES[regla.fuente]
    ok = _valida(source)
    bad = dict(ok)
    kind = regla.id.rsplit(".", 1)[1]
    if kind == "obligatorias":
        bad[source.required[-1]] = None
    elif kind == "codigos":
        bad[next(col.name for col in source.columns if col.codes)] = "no_es_un_codigo"
    else:
        col = next(col for col in source.columns if col.length or col.type == c.PERIOD)
        bad[col.name] = "2026-13" if col.type == c.PERIOD else "1" * (col.length + 1)
    schema = pa.schema([(col.name, ARROW_TYPES[col.type]) for col in source.columns])
    df = como_lote(pa.Table.from_pylist([ok, bad], schema))
    assert fallidas(regla.fuente, df, settings, regla.id) == [1]
