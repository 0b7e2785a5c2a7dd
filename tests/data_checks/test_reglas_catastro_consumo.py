"""The cadastre and consumption rules, each on a hand-made frame (see conftest.py)."""
from __future__ import annotations

import dataclasses
from datetime import date

from tests.data_checks.conftest import fallidas, lote


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
    # GX compares dates vectorised only in nanoseconds: the loader's batches come in them
    assert str(df["fecha_vinculacion"].dtype) == "datetime64[ns]"


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
