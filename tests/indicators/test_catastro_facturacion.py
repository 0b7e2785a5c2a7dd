"""Cadastre and billing/consumption indicators (``indicators.md``, "Cadastre (catastro)" and
"Billing and consumption (facturación)").

Hand-written exports for P = 2026-10 (end(P) = 2026-10-31) and P−1 = 2026-09, loaded once
per backend through the real load job; every expected value is worked out by hand in the
comments next to it.
"""
from __future__ import annotations

import dataclasses

import pytest

from tests.indicators.conftest import cargar, indicadores, registros

P = "2026-10"

CAB_SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                    "aseo,ciclo,ruta,estado,medidor,medidor_instalacion,fecha_vinculacion\n")

# The cadastre of P. Accounts S01–S05 are activo (activos(P) = 5).
SUSCRIPTORES_P = CAB_SUSCRIPTORES + "".join([
    # meter installed exactly 10 years before end(P): not "more than" 10 years
    "S01,2026-10,CL 1,20001,residencial,2,S,S,S,01,0101,activo,M01,2016-10-31,2020-01-15\n",
    # one day earlier: more than 10 years; connected on the first day of month(P): new
    "S02,2026-10,CL 2,20001,residencial,3,S,S,S,01,0101,activo,M02,2016-10-30,2026-10-01\n",
    # connected on the last day of month(P): new
    "S03,2026-10,CL 3,20011,comercial,0,S,S,S,02,0201,activo,M03,2020-05-05,2026-10-31\n",
    # no meter; connected the day before month(P): not new. (Cycle 01 in P−1, 02 now.)
    "S04,2026-10,CL 4,20011,residencial,1,S,S,N,02,0201,activo,,,2026-09-30\n",
    # a meter with no installation date: in the denominator of vida útil, not its numerator;
    # connected the day after month(P): not new
    "S05,2026-10,CL 5,20621,industrial,0,S,N,N,03,0301,activo,M05,,2026-11-01\n",
    # not activo: its 26-year-old meter is in no ratio of activos
    "S06,2026-10,CL 6,20001,residencial,2,S,S,S,01,0102,suspendido,M06,2000-01-01,\n",
    "S07,2026-10,CL 7,20570,residencial,2,S,S,S,03,0302,cortado,,,\n",
    # inactivo and connected in month(P): new counts any estado
    "S08,2026-10,CL 8,20570,residencial,4,S,S,S,03,0302,inactivo,,,2026-10-10\n",
    "S09,2026-10,CL 9,20001,oficial,0,S,S,S,01,0102,inactivo,,,\n",
])

# The cadastre of P−1: activos(P−1) = S01, S04, S06, S10 = 4. S10 has left the cadastre of P;
# S04 was in cycle 01; S06 was active and is suspended now. Nobody has a fecha_vinculacion.
SUSCRIPTORES_P1 = CAB_SUSCRIPTORES + "".join([
    "S01,2026-09,CL 1,20001,residencial,2,S,S,S,01,0101,activo,M01,2016-10-31,\n",
    "S04,2026-09,CL 4,20011,residencial,1,S,S,N,01,0101,activo,,,\n",
    "S06,2026-09,CL 6,20001,residencial,2,S,S,S,01,0102,activo,M06,2000-01-01,\n",
    "S10,2026-09,CL 10,20621,residencial,2,S,S,S,03,0301,activo,,,\n",
    "S09,2026-09,CL 9,20001,oficial,0,S,S,S,01,0102,inactivo,,,\n",
])

LECTURAS = ("codigo,periodo,lectura_actual,causal_no_lectura,consumo_facturado,tipo_consumo\n"
            + "".join([
                "S01,2026-10,120,,20,medido\n",                  # read
                "S02,2026-10,200,,15,medido\n",                  # read
                "S03,2026-10,,predio_cerrado,30,promedio\n",     # not read; no medido
                "S04,2026-10,,sin_medidor,10,estimado\n",        # out of lectura_efectiva
                "S05,2026-10,55,medidor_ilegible,25,estimado\n",  # a reading but a causal: not read
                "S06,2026-10,,,0,aforo\n",                       # no reading, no causal: not read
                "X01,2026-10,80,,12,medido\n",                   # read; not in the cadastre of P
                "S01,2026-09,100,,999,medido\n",                 # another period
            ]))

# One row per invoice and service. valor_total = cargo_fijo + valor_consumo − subsidio
# + contribucion + otros_cargos on every row.
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_entrega,fecha_vencimiento,"
            "cargo_fijo,valor_consumo,subsidio,contribucion,otros_cargos,valor_total\n"
            + "".join([
                # F01 delivered 2026-10-15, exactly 5 days before its due date 2026-10-20: on time
                "F01,S01,2026-10,acueducto,2026-10-05,2026-10-15,2026-10-20,10000,30000,12000,0,0,28000\n",
                "F01,S01,2026-10,alcantarillado,2026-10-05,2026-10-15,2026-10-20,8000,20000,8000,0,0,20000\n",
                # F02 delivered 2026-10-16, 4 days before: late
                "F02,S02,2026-10,acueducto,2026-10-05,2026-10-16,2026-10-20,10000,25000,3000,0,0,32000\n",
                # F03 delivered 19 days before: on time
                "F03,S03,2026-10,acueducto,2026-10-01,2026-10-01,2026-10-20,20000,60000,0,30000,0,110000\n",
                "F03,S03,2026-10,aseo,2026-10-01,2026-10-01,2026-10-20,15000,0,0,7500,0,22500\n",
                # F04 has no fecha_entrega: out of reparto_oportuno
                "F04,S04,2026-10,acueducto,2026-10-05,,2026-10-20,10000,20000,14000,0,0,16000\n",
                # F05 (X01, not in the cadastre of P) delivered 6 days before: on time
                "F05,X01,2026-10,acueducto,2026-10-05,2026-10-14,2026-10-20,10000,10000,0,0,0,20000\n",
                # F06, a second invoice of S03 in P, delivered 10 days before its due date
                "F06,S03,2026-10,acueducto,2026-10-10,2026-10-15,2026-10-25,0,0,0,0,5000,5000\n",
                # 2026-09: not of P; it has no fecha_entrega at all
                "F90,S01,2026-09,acueducto,2026-09-05,,2026-09-20,100000,899000,0,0,0,999000\n",
            ]))

ARCHIVOS = {
    "suscriptores_2026-09.csv": SUSCRIPTORES_P1,
    "suscriptores_2026-10.csv": SUSCRIPTORES_P,
    "lecturas.csv": LECTURAS,
    "facturas.csv": FACTURAS,
}


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    """The warehouse URL and its settings, with the exports above loaded once."""
    settings = cargar(almacen_modulo, ARCHIVOS, tmp_path_factory.mktemp("catfac") / "in")
    return almacen_modulo, settings


def valores(cargado, periodo=P, ids=None):
    url, settings = cargado
    return {k: f["valor"] for k, f in indicadores(url, settings, periodo, ids=ids).items()}


def uno(cargado, id, periodo=P):
    return indicadores(*cargado, periodo, ids=[id])[id]


# --- Cadastre ----------------------------------------------------------------------------------

def test_suscriptores_activos_inactivos(cargado):
    v = valores(cargado, ids=["catastro.suscriptores", "catastro.activos", "catastro.inactivos"])
    assert v["catastro.suscriptores"] == 9        # S01..S09, any estado
    assert v["catastro.activos"] == 5             # S01..S05
    assert v["catastro.inactivos"] == 2           # S08, S09 (suspendido / cortado are not)


def test_crecimiento_neto_is_activos_of_p_minus_activos_of_p_minus_1(cargado):
    v = valores(cargado, ids=["catastro.crecimiento_neto"])
    # activos(P) = 5 (S01..S05); activos(P−1) = 4 (S01, S04, S06, S10): 5 − 4 = 1
    assert v["catastro.crecimiento_neto"] == 1


def test_nuevos_are_connected_in_month_p(cargado):
    url, settings = cargado
    v = valores(cargado, ids=["catastro.nuevos"])
    # S02 (2026-10-01), S03 (2026-10-31), S08 (2026-10-10, inactivo); not S04 (09-30), S05 (11-01)
    assert v["catastro.nuevos"] == 3
    filas = registros(url, settings, "catastro.nuevos", P)
    assert sorted(f["codigo"] for f in filas) == ["S02", "S03", "S08"]


def test_cobertura_micromedicion(cargado):
    f = indicadores(*cargado, P, ids=["catastro.cobertura_micromedicion"])[
        "catastro.cobertura_micromedicion"]
    # activos with a medidor: S01, S02, S03, S05 = 4 of 5 (S04 has none; S06 is not activo)
    assert (f["numerador"], f["denominador"]) == (4, 5)
    assert f["valor"] == pytest.approx(4 / 5)


def test_medidores_vida_util_vencida_boundary(cargado):
    url, settings = cargado
    f = indicadores(url, settings, P, ids=["catastro.medidores_vida_util_vencida"])[
        "catastro.medidores_vida_util_vencida"]
    # 10 years before end(P) is 2016-10-31. S01 (installed 2016-10-31) is not more than 10
    # years; S02 (2016-10-30) is. Denominator: activos with a medidor S01, S02, S03, S05 = 4
    # (S05's unknown installation date is not "more than"); S06's old meter is not activo.
    assert (f["numerador"], f["denominador"]) == (1, 4)
    assert f["valor"] == pytest.approx(1 / 4)
    filas = registros(url, settings, "catastro.medidores_vida_util_vencida", P)
    vencidos = [r["codigo"] for r in filas if r["numerador"] == 1]
    assert vencidos == ["S02"]


def test_vida_util_comes_from_micromedicion_settings(cargado):
    url, settings = cargado
    seis = dataclasses.replace(settings, vida_util_anios=6)
    f = indicadores(url, seis, P, ids=["catastro.medidores_vida_util_vencida"])[
        "catastro.medidores_vida_util_vencida"]
    # 6 years before end(P) is 2020-10-31: S01, S02 and S03 (2020-05-05) are older: 3 / 4
    assert (f["numerador"], f["denominador"]) == (3, 4)


# --- Billing and consumption -------------------------------------------------------------------

def test_facturas_sums(cargado):
    v = valores(cargado, ids=["facturacion.usuarios", "facturacion.valor", "facturacion.subsidios",
                              "facturacion.contribuciones", "facturacion.balance_solidario"])
    # distinct accounts of P: S01, S02, S03 (two invoices, three rows), S04, X01 = 5
    assert v["facturacion.usuarios"] == 5
    # 28000 + 20000 + 32000 + 110000 + 22500 + 16000 + 20000 + 5000 = 253500 (not F90 of 2026-09)
    assert v["facturacion.valor"] == pytest.approx(253500)
    # 12000 + 8000 + 3000 + 14000 = 37000
    assert v["facturacion.subsidios"] == pytest.approx(37000)
    # 30000 + 7500 = 37500
    assert v["facturacion.contribuciones"] == pytest.approx(37500)
    # 37500 − 37000 = 500
    assert v["facturacion.balance_solidario"] == pytest.approx(500)


def test_lecturas_m3_and_average(cargado):
    url, settings = cargado
    got = indicadores(url, settings, P, ids=["facturacion.m3", "facturacion.consumo_promedio"])
    # 20 + 15 + 30 + 10 + 25 + 0 + 12 = 112 (S01's 999 of 2026-09 is not of P)
    assert got["facturacion.m3"]["valor"] == pytest.approx(112)
    # 112 m³ over 7 rows = 16
    f = got["facturacion.consumo_promedio"]
    assert (f["numerador"], f["denominador"]) == (pytest.approx(112), 7)
    assert f["valor"] == pytest.approx(16)


def test_lectura_efectiva_sin_medidor_leaves_the_denominator(cargado):
    f = uno(cargado, "facturacion.lectura_efectiva")
    # read (lectura_actual and no causal): S01, S02, X01 = 3. Denominator: 7 rows less S04
    # (sin_medidor) = 6; S05 has a reading but a causal, S03 and S06 have no reading.
    assert (f["numerador"], f["denominador"]) == (3, 6)
    assert f["valor"] == pytest.approx(3 / 6)


def test_consumo_no_medido(cargado):
    f = uno(cargado, "facturacion.consumo_no_medido")
    # promedio S03, estimado S04 and S05 = 3 of 7 rows (aforo and medido are not)
    assert (f["numerador"], f["denominador"]) == (3, 7)
    assert f["valor"] == pytest.approx(3 / 7)


def test_reparto_oportuno_boundary(cargado):
    url, settings = cargado
    f = indicadores(url, settings, P, ids=["facturacion.reparto_oportuno"])[
        "facturacion.reparto_oportuno"]
    # Invoices with a fecha_entrega: F01, F02, F03, F05, F06 = 5 (F04 has none). On time
    # (entrega ≤ vencimiento − 5 days): F01 (exactly 5), F03 (19), F05 (6), F06 (10) = 4;
    # F02 (4 days) is late. F01 and F03 have two rows each but count once.
    assert (f["numerador"], f["denominador"]) == (4, 5)
    assert f["valor"] == pytest.approx(4 / 5)


def test_reparto_days_come_from_facturacion_settings(cargado):
    url, settings = cargado
    cuatro = dataclasses.replace(settings, dias_entrega_antes_vencimiento=4)
    f = uno((url, cuatro), "facturacion.reparto_oportuno")
    # with 4 days F02 (delivered 4 days before) is on time too: 5 / 5
    assert (f["numerador"], f["denominador"]) == (5, 5)


# --- Breakdowns --------------------------------------------------------------------------------

def test_valor_by_municipio_with_sin_catastro(cargado):
    got = indicadores(*cargado, P, por="municipio", ids=["facturacion.valor"])
    assert {g: f["valor"] for (_, g), f in got.items()} == {
        "20001": pytest.approx(80000),         # S01 28000 + 20000, S02 32000
        "20011": pytest.approx(153500),        # S03 110000 + 22500 + 5000, S04 16000
        "sin catastro": pytest.approx(20000),  # X01's F05
    }                                          # 80000 + 153500 + 20000 = 253500


def test_valor_by_servicio(cargado):
    got = indicadores(*cargado, P, por="servicio", ids=["facturacion.valor"])
    assert {g: f["valor"] for (_, g), f in got.items()} == {
        # 28000 + 32000 + 110000 + 16000 + 20000 + 5000
        "acueducto": pytest.approx(211000),
        "alcantarillado": pytest.approx(20000),
        "aseo": pytest.approx(22500),
    }


def test_lectura_efectiva_by_uso(cargado):
    got = indicadores(*cargado, P, por="uso", ids=["facturacion.lectura_efectiva"])
    assert {g: (f["numerador"], f["denominador"]) for (_, g), f in got.items()} == {
        "residencial": (2, 3),      # S01, S02 read; S06 not; S04 sin_medidor out
        "comercial": (0, 1),        # S03
        "industrial": (0, 1),       # S05
        "sin catastro": (1, 1),     # X01
    }


def test_m3_by_estrato(cargado):
    got = indicadores(*cargado, P, por="estrato", ids=["facturacion.m3"])
    assert {g: f["valor"] for (_, g), f in got.items()} == {
        "0": pytest.approx(55),     # S03 comercial 30 + S05 industrial 25
        "1": pytest.approx(10),     # S04
        "2": pytest.approx(20),     # S01 20 + S06 0
        "3": pytest.approx(15),     # S02
        "sin catastro": pytest.approx(12),   # X01
    }


def test_cadastre_by_ciclo(cargado):
    got = indicadores(*cargado, P, por="ciclo",
                      ids=["catastro.suscriptores", "catastro.cobertura_micromedicion"])
    assert {g: f["valor"] for (i, g), f in got.items() if i == "catastro.suscriptores"} == {
        "01": 4, "02": 2, "03": 3}          # S01 S02 S06 S09 | S03 S04 | S05 S07 S08
    assert {g: (f["numerador"], f["denominador"]) for (i, g), f in got.items()
            if i == "catastro.cobertura_micromedicion"} == {
        "01": (2, 2), "02": (1, 2), "03": (1, 1)}   # S01 S02 | S03 (S04 none) | S05


def test_reparto_oportuno_by_municipio(cargado):
    got = indicadores(*cargado, P, por="municipio", ids=["facturacion.reparto_oportuno"])
    assert {g: (f["numerador"], f["denominador"]) for (_, g), f in got.items()} == {
        "20001": (1, 2),            # F01 on time, F02 late
        "20011": (2, 2),            # F03, F06 on time; F04 not delivered
        "sin catastro": (1, 1),     # F05
    }


def test_crecimiento_neto_by_ciclo_uses_the_snapshot_of_p(cargado):
    got = indicadores(*cargado, P, por="ciclo", ids=["catastro.crecimiento_neto"])
    # +1 for each activo of P in its cycle of P: 01 S01 S02, 02 S03 S04, 03 S05.
    # −1 for each activo of P−1 in its cycle of P: S01 → 01, S06 → 01, S04 → 02 (it was in
    # 01 in P−1), S10 is not in the cadastre of P → "sin catastro".
    assert {g: f["valor"] for (_, g), f in got.items()} == {
        "01": 0,                    # 2 − 2
        "02": 1,                    # 2 − 1
        "03": 1,                    # 1 − 0
        "sin catastro": -1,         # S10
    }


ADITIVOS = {
    # id: the breakdowns whose groups add up to the total (a distinct count of accounts or
    # invoices is not additive over servicio: one account has several services)
    "catastro.suscriptores": ("municipio", "estrato", "uso", "ciclo"),
    "catastro.activos": ("municipio", "estrato", "uso", "ciclo"),
    "catastro.crecimiento_neto": ("municipio", "estrato", "uso", "ciclo"),
    "catastro.nuevos": ("municipio", "estrato", "uso", "ciclo"),
    "catastro.inactivos": ("municipio", "estrato", "uso", "ciclo"),
    "catastro.cobertura_micromedicion": ("municipio", "estrato", "uso", "ciclo"),
    "catastro.medidores_vida_util_vencida": ("municipio", "estrato", "uso", "ciclo"),
    "facturacion.usuarios": ("municipio", "estrato", "uso", "ciclo"),
    "facturacion.valor": ("municipio", "estrato", "uso", "ciclo", "servicio"),
    "facturacion.m3": ("municipio", "estrato", "uso", "ciclo"),
    "facturacion.consumo_promedio": ("municipio", "estrato", "uso", "ciclo"),
    "facturacion.lectura_efectiva": ("municipio", "estrato", "uso", "ciclo"),
    "facturacion.consumo_no_medido": ("municipio", "estrato", "uso", "ciclo"),
    "facturacion.subsidios": ("municipio", "estrato", "uso", "ciclo", "servicio"),
    "facturacion.contribuciones": ("municipio", "estrato", "uso", "ciclo", "servicio"),
    "facturacion.balance_solidario": ("municipio", "estrato", "uso", "ciclo", "servicio"),
    "facturacion.reparto_oportuno": ("municipio", "estrato", "uso", "ciclo"),
}
# The totals, as worked out above: id -> (numerador, denominador or None)
TOTALES = {
    "catastro.suscriptores": (9, None), "catastro.activos": (5, None),
    "catastro.crecimiento_neto": (1, None), "catastro.nuevos": (3, None),
    "catastro.inactivos": (2, None), "catastro.cobertura_micromedicion": (4, 5),
    "catastro.medidores_vida_util_vencida": (1, 4), "facturacion.usuarios": (5, None),
    "facturacion.valor": (253500, None), "facturacion.m3": (112, None),
    "facturacion.consumo_promedio": (112, 7), "facturacion.lectura_efectiva": (3, 6),
    "facturacion.consumo_no_medido": (3, 7), "facturacion.subsidios": (37000, None),
    "facturacion.contribuciones": (37500, None), "facturacion.balance_solidario": (500, None),
    "facturacion.reparto_oportuno": (4, 5),
}


@pytest.mark.parametrize("por", ["municipio", "estrato", "uso", "ciclo", "servicio"])
def test_groups_add_up_to_the_total(cargado, por):
    ids = [i for i, dims in ADITIVOS.items() if por in dims]
    got = indicadores(*cargado, P, por=por, ids=ids)
    for id in ids:
        filas = [f for (i, _), f in got.items() if i == id]
        assert len(filas) > 1, (id, por)            # really broken down
        num, den = TOTALES[id]
        assert sum(f["numerador"] for f in filas) == pytest.approx(num), (id, por)
        if den is not None:
            assert sum(f["denominador"] for f in filas) == pytest.approx(den), (id, por)


# --- Missing data and goals --------------------------------------------------------------------

def test_a_period_without_data_is_none_never_zero(cargado):
    # 2026-11: no snapshot, no readings, no invoices
    v = valores(cargado, "2026-11", ids=list(TOTALES))
    assert v == {id: None for id in TOTALES}


def test_p_minus_1_missing_or_an_empty_denominator_is_none(cargado):
    v = valores(cargado, "2026-09", ids=["catastro.activos", "catastro.crecimiento_neto",
                                        "catastro.nuevos", "facturacion.valor",
                                        "facturacion.reparto_oportuno"])
    assert v["catastro.activos"] == 4                 # S01, S04, S06, S10
    assert v["catastro.crecimiento_neto"] is None     # no snapshot of 2026-08
    assert v["catastro.nuevos"] == 0                  # a snapshot with nobody new: a real 0
    assert v["facturacion.valor"] == pytest.approx(999000)   # F90
    assert v["facturacion.reparto_oportuno"] is None  # no invoice of 2026-09 has a fecha_entrega


def test_goal_and_cumple(cargado):
    got = indicadores(*cargado, P, ids=["catastro.cobertura_micromedicion",
                                       "facturacion.consumo_no_medido", "facturacion.valor"])
    c = got["catastro.cobertura_micromedicion"]   # goal 0.90, higher is better: 0.8 misses it
    assert (c["meta"], c["cumple"]) == (pytest.approx(0.90), False)
    n = got["facturacion.consumo_no_medido"]      # goal 0.10, lower is better: 3/7 misses it
    assert (n["meta"], n["cumple"]) == (pytest.approx(0.10), False)
    v = got["facturacion.valor"]                  # no goal
    assert (v["meta"], v["cumple"]) == (None, None)
