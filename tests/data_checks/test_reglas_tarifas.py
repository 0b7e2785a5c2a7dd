"""The checks on the tariff table itself (``tariffs.md``): they flag, never refuse."""
from __future__ import annotations

from datetime import date

from data_checks.reglas import REGLAS
from tests.data_checks.conftest import fallidas, lote


def test_flag_never_refuse():
    assert all(not r.controla for r in REGLAS if r.fuente in ("tarifas", "indices"))


def test_costos_de_referencia_iguales_entre_clases(settings):
    df = lote("tarifas",
              {},                                                    # 0 20001 acueducto 07-01
              {"estrato": 1, "factor": -0.70},                       # 1 same costs: ok
              {"estrato": 3, "factor": -0.15, "cargo_fijo": 10500.0},  # 2 other fixed charge
              {"servicio": "aseo", "consumo_basico_m3": None},       # 3 alone in its group: ok
              {"vigente_desde": date(2026, 1, 1), "cargo_consumo": 2800.0})  # 4 another date: ok
    # the three classes of 20001 acueducto 2026-07-01 disagree: every one of them is flagged
    assert fallidas("tarifas", df, settings, "tarifas.costos_distintos") == [0, 1, 2]


def test_factor_entre_menos_uno_y_uno(settings):
    df = lote("tarifas", {"factor": -1.0}, {"factor": -1.01}, {"uso": "comercial", "estrato": 0,
                                                               "factor": 1.5})
    assert fallidas("tarifas", df, settings, "tarifas.factor_fuera_de_rango") == [1, 2]


def test_subsidio_solo_estratos_1_a_3_y_dentro_del_maximo(settings):
    # [tarifas.subsidio_maximo]: 0.70, 0.40, 0.15
    df = lote("tarifas",
              {"estrato": 1, "factor": -0.70},                # 0 ok: at the maximum
              {"estrato": 2, "factor": -0.41},                # 1 deeper than 40 %
              {"estrato": 3, "factor": -0.15},                # 2 ok
              {"estrato": 4, "factor": -0.05},                # 3 estrato 4 has no subsidy
              {"uso": "comercial", "estrato": 0, "factor": -0.10},  # 4 not residential
              {"estrato": 5, "factor": 0.50})                 # 5 a contribution: not judged here
    assert fallidas("tarifas", df, settings, "tarifas.subsidio_indebido") == [1, 3, 4]


def test_contribucion_solo_5_6_comercial_industrial(settings):
    df = lote("tarifas",
              {"estrato": 5, "factor": 0.50},                 # 0 ok
              {"estrato": 6, "factor": 0.60},                 # 1 ok
              {"uso": "comercial", "estrato": 0, "factor": 0.50},   # 2 ok
              {"uso": "industrial", "estrato": 0, "factor": 0.30},  # 3 ok
              {"estrato": 4, "factor": 0.10},                 # 4 estrato 4: factor 0
              {"uso": "oficial", "estrato": 0, "factor": 0.20},     # 5 oficial: factor 0
              {"uso": "especial", "estrato": 0, "factor": -0.20},   # 6 especial: factor 0
              {"estrato": 3, "factor": 0.10},                 # 7 estrato 3 does not contribute
              {"uso": "provisional", "estrato": 0, "factor": 0.0})  # 8 ok
    assert fallidas("tarifas", df, settings, "tarifas.contribucion_indebida") == [4, 5, 6, 7]


def test_consumo_basico_segun_altitud(settings):
    # 20001 Valledupar 169 m: 16 m³; 20570 Pueblo Bello 1,100 m: 13 m³
    df = lote("tarifas",
              {},                                                       # 0 ok: 16
              {"municipio_dane": "20570", "consumo_basico_m3": 16.0},   # 1 should be 13
              {"municipio_dane": "20570", "consumo_basico_m3": 13.0},   # 2 ok
              {"consumo_basico_m3": None},                              # 3 missing: flagged
              {"servicio": "aseo", "consumo_basico_m3": None},          # 4 aseo: not judged
              {"municipio_dane": "99999", "consumo_basico_m3": 20.0})   # 5 not configured
    assert fallidas("tarifas", df, settings, "tarifas.consumo_basico") == [1, 3]


def test_la_serie_del_indice_sin_meses_faltantes(settings):
    df = lote("indices",
              {"periodo": "2026-01"},                 # 0 the first month: nothing before it
              {"periodo": "2026-02"},                 # 1 ok
              {"periodo": "2026-04"},                 # 2 March is missing
              {"periodo": "2026-05"},                 # 3 ok
              {"periodo": "2025-12"},                 # 4 the first month, out of order: ok
              {"periodo": "2026-08"})                 # 5 June and July missing: flagged once
    # 2025-12 is now the first month, and 2026-01 follows it
    assert fallidas("indices", df, settings, "indices.mes_faltante") == [2, 5]
