"""The data-quality rules: each one on a hand-made frame, then on the demo.

Hand-made frames are typed like the loader's chunks: rows → Arrow table with
the contract's types → ``como_lote`` (as the loader does). Each test lists the positions that must
fail, worked out by hand in the comments.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from data_checks.reglas import ERROR, ADVERTENCIA, REGLAS, reglas_de, tolerancia
from data_checks.validar import como_lote, validar
from etl import contract as c
from etl.contract import SOURCES
from etl.demo import generate
from etl.parse import ARROW_TYPES
from etl.reader import read_export

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


# --- suscriptores -------------------------------------------------------------

def test_estrato_segun_uso(settings):
    df = lote("suscriptores",
              {"uso": "residencial", "estrato": 3},    # 0 ok
              {"uso": "residencial", "estrato": 0},    # 1 fails: residential needs 1-6
              {"uso": "residencial", "estrato": 7},    # 2 fails
              {"uso": "residencial", "estrato": None}, # 3 fails: residential without estrato
              {"uso": "comercial", "estrato": 0},      # 4 ok
              {"uso": "oficial", "estrato": None},     # 5 ok: empty for other uses
              {"uso": "comercial", "estrato": 4})      # 6 fails: estrato on a non-residential
    assert fallidas("suscriptores", df, settings, "catastro.estrato_segun_uso") == [1, 2, 3, 6]


def test_municipio_configurado(settings):
    df = lote("suscriptores", {"municipio_dane": "20001"}, {"municipio_dane": "05001"},
              {"municipio_dane": "20570"})
    # 1 fails: Medellín is not one of the utility's municipalities.
    assert fallidas("suscriptores", df, settings, "catastro.municipio_configurado") == [1]


def test_vinculacion_futura(settings):
    df = lote("suscriptores",
              {"fecha_vinculacion": date(2026, 10, 31)},  # 0 ok: the period's last day
              {"fecha_vinculacion": date(2026, 11, 1)},   # 1 fails: after October
              {"fecha_vinculacion": None},                # 2 ok: unknown
              {"periodo": "2026-02", "fecha_vinculacion": date(2026, 3, 1)})  # 3 fails
    assert fallidas("suscriptores", df, settings, "catastro.vinculacion_futura") == [1, 3]


def test_coordenadas_fuera_de_area(settings):
    # The shipped area is the department of Cesar: latitude 7.6–10.9, longitude −74.2–−72.8.
    df = lote("suscriptores", {"latitud": 10.46, "longitud": -73.25},   # 0 ok: Valledupar
              {"latitud": 6.25, "longitud": -75.56},                    # 1 fails: Medellín
              {"latitud": 10.46, "longitud": 73.25},                    # 2 fails: sign lost
              {"latitud": None, "longitud": None})                      # 3 ok: unknown
    assert fallidas("suscriptores", df, settings, "catastro.coordenadas_fuera_de_area") == [1, 2]
    sin_area = dataclasses.replace(settings, calidad=dataclasses.replace(
        settings.calidad, latitud=None, longitud=None))
    assert fallidas("suscriptores", df, sin_area, "catastro.coordenadas_fuera_de_area") == []


def test_medidor_compartido_con_contexto(settings):
    # ctx_cuentas_medidor: active accounts of the snapshot with the row's meter (SQL adds it).
    df = lote("suscriptores", {}, {}, {}, ctx_cuentas_medidor=[1, 2, None])
    assert fallidas("suscriptores", df, settings, "catastro.medidor_compartido") == [1]


# --- lecturas -----------------------------------------------------------------

def test_medido_diferencia(settings):
    df = lote("lecturas",
              {},                                                      # 0 ok: 110.5 - 100
              {"consumo_facturado": 10.51},                            # 1 ok: within 0.01
              {"consumo_facturado": 10.52},                            # 2 fails: 0.02 off
              {"lectura_actual": None},                                # 3 fails: medido unread
              {"tipo_consumo": "promedio", "consumo_facturado": 7.0,
               "causal_no_lectura": "predio_cerrado"},                 # 4 ok: not medido
              {"lectura_actual": 90.0, "consumo_facturado": 0.0})      # 5 ok here: regressive
    assert fallidas("lecturas", df, settings, "consumo.medido_diferencia") == [2, 3]


def test_lectura_regresiva(settings):
    df = lote("lecturas",
              {},                                                       # 0 ok
              {"lectura_actual": 90.0, "consumo_facturado": 0.0},       # 1 fails
              {"lectura_actual": 5.0, "consumo_facturado": 5.0,
               "tipo_consumo": "cambio_medidor"},                       # 2 ok: new meter
              {"lectura_actual": 100.0, "consumo_facturado": 0.0},      # 3 ok: equal
              {"lectura_actual": None, "tipo_consumo": "promedio",
               "causal_no_lectura": "otro"})                            # 4 ok: not read
    assert fallidas("lecturas", df, settings, "consumo.lectura_regresiva") == [1]


def test_estimado_sin_causal(settings):
    sin_leer = {"lectura_actual": None, "consumo_facturado": 8.0}
    df = lote("lecturas",
              {**sin_leer, "tipo_consumo": "promedio", "causal_no_lectura": "predio_cerrado"},  # 0 ok
              {**sin_leer, "tipo_consumo": "promedio"},                                         # 1 fails
              {**sin_leer, "tipo_consumo": "estimado"},                                         # 2 fails
              {**sin_leer, "tipo_consumo": "aforo"},                                            # 3 ok
              {})                                                                               # 4 ok
    assert fallidas("lecturas", df, settings, "consumo.estimado_sin_causal") == [1, 2]


def test_consumo_negativo(settings):
    df = lote("lecturas", {"tipo_consumo": "aforo", "consumo_facturado": 0.0},
              {"tipo_consumo": "aforo", "consumo_facturado": -3.0},   # 1 fails
              {"tipo_consumo": "aforo", "consumo_facturado": 12.0})
    assert fallidas("lecturas", df, settings, "consumo.negativo") == [1]


def test_fecha_fuera_de_ventana(settings):
    # Period 2026-10; the shipped window is 5 days before 1 Oct to 45 days after it.
    df = lote("lecturas", {"fecha_lectura": date(2026, 9, 26)},    # 0 ok: −5 days
              {"fecha_lectura": date(2026, 9, 25)},                # 1 fails: −6 days
              {"fecha_lectura": date(2026, 11, 15)},               # 2 ok: +45 days
              {"fecha_lectura": date(2026, 11, 16)},               # 3 fails: +46 days
              {"fecha_lectura": date(2025, 10, 10)},               # 4 fails: a year off
              {"fecha_lectura": None})                             # 5 ok: not read
    assert fallidas("lecturas", df, settings, "consumo.fecha_fuera_de_ventana") == [1, 3, 4]


def test_reglas_de_consumo_con_contexto(settings):
    estimado = {"tipo_consumo": "estimado", "lectura_actual": None,
                "causal_no_lectura": "sin_medidor"}
    df = lote("lecturas",
              {**estimado, "consumo_facturado": 15.5},   # 0: mean 15 ± 1 m³: ok
              {**estimado, "consumo_facturado": 17.0},   # 1: 2 m³ off the mean: fails
              {"consumo_facturado": 10.5},               # 2: medido, 2 equal earlier: fails
              {"consumo_facturado": 10.5},               # 3: medido, 1 equal earlier: ok
              {"lectura_actual": 610.0, "consumo_facturado": 510.0},   # 4: 510 > 2 × 250: fails
              ctx_promedio_similares=[15.0, 15.0, 15.0, 15.0, 15.0],
              ctx_consumos_iguales=[None, None, 2, 1, 0],
              ctx_en_catastro=[1, 1, 1, 0, None],        # 3 not in the cadastre; 4 not judged
              ctx_uso=["residencial"] * 5, ctx_unidades=[1, 1, 1, 1, 2])
    assert fallidas("lecturas", df, settings, "consumo.estimado_distinto_similares") == [1]
    assert fallidas("lecturas", df, settings, "consumo.repetido") == [2]
    assert fallidas("lecturas", df, settings, "consumo.sin_catastro") == [3]
    assert fallidas("lecturas", df, settings, "consumo.sobre_maximo") == [4]


# --- facturas -----------------------------------------------------------------

def test_valor_total(settings):
    df = lote("facturas",
              {},                                                    # 0 ok: 1000 + 9000
              {"subsidio": 2000.0, "valor_total": 8000.0},           # 1 ok
              {"contribucion": 500.0, "otros_cargos": None,
               "valor_total": 10500.0},                              # 2 ok: otros empty = 0
              {"otros_cargos": 300.0, "valor_total": 10301.0},       # 3 ok: 1 peso off
              {"valor_total": 10002.0},                              # 4 fails: 2 pesos off
              {"subsidio": 2000.0, "valor_total": 12000.0})          # 5 fails: subsidy added
    assert fallidas("facturas", df, settings, "facturacion.valor_total") == [4, 5]


def test_vencimiento_antes_expedicion(settings):
    df = lote("facturas", {},
              {"fecha_vencimiento": date(2026, 10, 15)},   # 1 fails: same day
              {"fecha_vencimiento": date(2026, 10, 1)})    # 2 fails: before
    assert fallidas("facturas", df, settings, "facturacion.vencimiento_antes_expedicion") == [1, 2]


def test_subsidio_indebido(settings):
    # Shipped shares: estrato 1 70 %, 2 40 %, 3 15 %; base cargo_fijo + valor_consumo = 10 000.
    df = lote("facturas",
              {"subsidio": 7000.0, "valor_total": 3000.0},   # 0 ok: estrato 1 at 70 %
              {"subsidio": 4500.0, "valor_total": 5500.0},   # 1 fails: estrato 2 above 40 %
              {"subsidio": 1000.0, "valor_total": 9000.0},   # 2 fails: estrato 4 has none
              {"subsidio": 1000.0, "valor_total": 9000.0},   # 3 fails: comercial has none
              {},                                            # 4 ok: no subsidy
              {"subsidio": 1000.0, "valor_total": 9000.0},   # 5 ok: no context (unknown account)
              {"subsidio": 1500.0, "valor_total": 8500.0},   # 6 ok: estrato 3 at 15 %
              {"subsidio": 1501.0, "valor_total": 8499.0},   # 7 ok: 1 peso of rounding
              ctx_uso=["residencial", "residencial", "residencial", "comercial", "industrial",
                       None, "residencial", "residencial"],
              ctx_estrato=[1, 2, 4, 0, 0, None, 3, 3])
    assert fallidas("facturas", df, settings, "facturacion.subsidio_indebido") == [1, 2, 3]


def test_contribucion_indebida(settings):
    con = {"contribucion": 5000.0, "valor_total": 15000.0}
    df = lote("facturas", con, con, con, con, con, con, {},
              ctx_uso=["residencial", "residencial", "comercial", "industrial", "oficial",
                       None, "oficial"],
              ctx_estrato=[5, 3, 0, 0, 0, None, 0])
    # 1 fails (estrato 3), 4 fails (oficial); 5 has no context; 6 has no contribution.
    assert fallidas("facturas", df, settings, "facturacion.contribucion_indebida") == [1, 4]


def test_reglas_con_contexto_se_omiten_sin_el(settings):
    df = lote("facturas", {"subsidio": 9000.0, "valor_total": 1000.0})
    ids = [r.regla for r in validar("facturas", df, settings, HOY)]
    assert "facturacion.valor_total" in ids
    assert "facturacion.subsidio_indebido" not in ids
    assert "facturacion.contribucion_indebida" not in ids
    # With only one of the two context columns the rules are still skipped.
    df["ctx_uso"] = "comercial"
    ids = [r.regla for r in validar("facturas", df, settings, HOY)]
    assert "facturacion.subsidio_indebido" not in ids


# --- pagos --------------------------------------------------------------------

def test_valor_no_positivo(settings):
    df = lote("pagos", {"valor": 1.0}, {"valor": 0.0}, {"valor": -50.0})  # 1, 2 fail
    assert fallidas("pagos", df, settings, "recaudo.valor_no_positivo") == [1, 2]


def test_pago_futuro_segun_hoy(settings):
    df = lote("pagos", {"fecha_pago": date(2026, 11, 5)}, {"fecha_pago": date(2026, 11, 6)},
              {"fecha_pago": date(2026, 1, 2)})
    # With hoy = 5 Nov only row 1 is in the future; with hoy = 1 Nov rows 0 and 1 are.
    assert fallidas("pagos", df, settings, "recaudo.pago_futuro", hoy=date(2026, 11, 5)) == [1]
    assert fallidas("pagos", df, settings, "recaudo.pago_futuro", hoy=date(2026, 11, 1)) == [0, 1]


def test_pago_sin_identificar_y_referencia_desconocida(settings):
    df = lote("pagos", {"codigo": "A1", "numero_factura": "F1"},   # 0 ok
              {"codigo": "A1"},                                    # 1 ok: the account is known
              {},                                                  # 2 unidentified
              {"codigo": "A9", "numero_factura": "F9"},            # 3 unknown to the warehouse
              ctx_factura_conocida=[1, None, None, 0], ctx_cuenta_conocida=[1, 1, None, 0])
    assert fallidas("pagos", df, settings, "recaudo.pago_sin_identificar") == [2]
    assert fallidas("pagos", df, settings, "recaudo.referencia_desconocida") == [3]


# --- pqr ----------------------------------------------------------------------

def test_respuesta_antes_radicacion(settings):
    df = lote("pqr", {}, {"fecha_respuesta": datetime(2026, 10, 1, 9, 0)},
              {"fecha_respuesta": datetime(2026, 10, 1, 8, 59)},   # 2 fails: a minute before
              {"fecha_respuesta": datetime(2026, 10, 9, 10, 0)})
    assert fallidas("pqr", df, settings, "pqr.respuesta_antes_radicacion") == [2]


def test_notificacion_antes_respuesta(settings):
    resp = {"fecha_respuesta": datetime(2026, 10, 9, 16, 30)}
    df = lote("pqr", {**resp, "fecha_notificacion": date(2026, 10, 9)},   # 0 ok: same day
              {**resp, "fecha_notificacion": date(2026, 10, 8)},          # 1 fails
              {**resp},                                                   # 2 ok: not notified
              {"fecha_notificacion": date(2026, 10, 8)})                  # 3 ok: no answer yet
    assert fallidas("pqr", df, settings, "pqr.notificacion_antes_respuesta") == [1]


def test_recurso_sin_origen(settings):
    df = lote("pqr", {"tipo": "recurso_reposicion", "radicado_origen": "R0"},
              {"tipo": "recurso_reposicion"},              # 1 fails
              {"tipo": "recurso_reposicion_apelacion"},    # 2 fails
              {"tipo": "reclamo"})
    assert fallidas("pqr", df, settings, "pqr.recurso_sin_origen") == [1, 2]


# --- ordenes, encuestas ---------------------------------------------------------

def test_ejecucion_antes_generacion(settings):
    df = lote("ordenes", {"fecha_ejecucion": datetime(2026, 10, 1, 14, 0)},
              {"fecha_ejecucion": datetime(2026, 9, 30, 14, 0)},   # 1 fails
              {})
    assert fallidas("ordenes", df, settings, "ordenes.ejecucion_antes_generacion") == [1]


def test_ejecutada_vencida(settings):
    # BASE: generated 1 Oct 09:00, due 2 Oct 09:00.
    df = lote("ordenes", {"fecha_ejecucion": datetime(2026, 10, 2, 9, 0)},   # 0 ok: on time
              {"fecha_ejecucion": datetime(2026, 10, 2, 9, 1)},              # 1 fails
              {})                                                            # 2 ok: pending
    assert fallidas("ordenes", df, settings, "ordenes.ejecutada_vencida") == [1]


def test_valor_fuera_de_escala(settings):
    df = lote("encuestas", {"valor": 1}, {"valor": 5}, {"valor": 0}, {"valor": 6},
              {"valor": None})   # 2, 3 fail; empty = no answer
    assert fallidas("encuestas", df, settings, "nsu.valor_fuera_de_escala") == [2, 3]


def test_pregunta_configurada(settings):
    df = lote("encuestas", {"pregunta": "p11"}, {"pregunta": "p12"})   # 1 fails
    assert fallidas("encuestas", df, settings, "nsu.pregunta_configurada") == [1]


def test_posiciones_con_indice_propio(settings):
    df = lote("pagos", {"valor": 1.0}, {"valor": 0.0})
    df.index = [10, 20]
    assert fallidas("pagos", df, settings, "recaudo.valor_no_positivo") == [1]


def test_estructurales_fallan_fuera_del_loader(settings):
    df = lote("lecturas", {}, {"tipo_consumo": "otro_codigo"}, {"codigo": None})
    assert fallidas("lecturas", df, settings, "contrato.lecturas.codigos") == [1]
    assert fallidas("lecturas", df, settings, "contrato.lecturas.obligatorias") == [2]


# --- the demo -------------------------------------------------------------------

ARCHIVOS = ["suscriptores_2026-10.csv", "lecturas_2026-10.csv", "facturas_2026-10.csv",
            "pagos_2026-10.csv", "pqr_2026-10.csv", "ordenes_2026-10.csv", "encuestas_2026-S1.csv"]


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
