"""Collection and receivables indicators (``indicators.md``, "Collection (recaudo)" and
"Receivables (cartera)").

Hand-written exports for P = 2026-10 (end(P) = 2026-10-31), loaded once per backend through
the real load job; every expected value is worked out by hand in the comments next to it.
"""
from __future__ import annotations

import pytest

from tests.indicators.conftest import cargar, indicadores, registros

P = "2026-10"

# A1, A2, A3, A5 are in the cadastre of P; A4 is not.
SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado\n" + "".join([
                    "A1,2026-10,CL 1,20001,residencial,2,S,S,S,01,0101,activo\n",
                    "A2,2026-10,CL 2,20011,residencial,3,S,S,S,02,0201,activo\n",
                    "A3,2026-10,CL 3,20001,comercial,0,S,S,S,02,0202,activo\n",
                    "A5,2026-10,CL 5,20621,residencial,1,S,S,S,03,0301,activo\n",
                ]))

# Only the charge matters here: cargo_fijo = valor_total, the rest 0.
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n" + "".join(
                f"{n},{c},{p},{s},{exp},{venc},{v},0,0,0,{v}\n" for n, c, p, s, exp, venc, v in [
                    # --- P: billing 100000 + 200000 + 300000 + 100000 = 700000
                    ("R1", "A1", "2026-10", "acueducto", "2026-10-05", "2026-10-20", 60000),
                    ("R1", "A1", "2026-10", "alcantarillado", "2026-10-05", "2026-10-20", 40000),
                    ("R2", "A2", "2026-10", "acueducto", "2026-10-05", "2026-10-22", 150000),
                    ("R2", "A2", "2026-10", "aseo", "2026-10-05", "2026-10-22", 50000),
                    ("R3", "A3", "2026-10", "acueducto", "2026-10-05", "2026-10-25", 300000),
                    ("R4", "A4", "2026-10", "acueducto", "2026-10-05", "2026-10-20", 100000),
                    # --- earlier periods inside the 12 ending at P (2025-11 .. 2026-10)
                    # R0: an invoice of 2026-09 due in October
                    ("R0", "A1", "2026-09", "acueducto", "2026-09-25", "2026-10-10", 200000),
                    ("Q0", "A2", "2026-08", "acueducto", "2026-08-05", "2026-08-20", 300000),
                    # --- outside them: 2025-10 (13 periods back) and 2026-11 (after P)
                    ("Z0", "A1", "2025-10", "acueducto", "2025-10-05", "2025-10-20", 5000000),
                    ("N0", "A1", "2026-11", "acueducto", "2026-11-05", "2026-11-20", 7000000),
                    # --- 2025-06: an invoice whose services all total 0 (a credit used up)
                    ("Z6", "A1", "2025-06", "acueducto", "2025-06-05", "2025-06-20", 0),
                    ("Z6", "A1", "2025-06", "alcantarillado", "2025-06-05", "2025-06-20", 0),
                ]))

PAGOS = "id,codigo,numero_factura,fecha_pago,valor\n" + "".join([
    "G1,A1,R1,2026-10-20,100000\n",   # on R1's due date: on time
    "G2,A2,R2,2026-10-23,80000\n",    # a day after R2's due date (10-22): late
    "G3,A1,R0,2026-10-05,50000\n",    # before R0's due date, but R0 is of 2026-09
    "G4,A3,R3,2026-09-30,300000\n",   # paid the day before month(P), before R3's due date
    "G5,,R3,2026-10-10,10000\n",      # no codigo: to identify (and on time for R3)
    "G6,A2,,2026-10-12,20000\n",      # no invoice: to identify
    "G7,A1,XX99,2026-10-15,30000\n",  # an invoice the warehouse does not hold: to identify
    "G8,A4,R4,2026-10-31,40000\n",    # last day of month(P); late for R4; A4 not in cadastre
    "G9,A1,R1,2026-11-01,5000\n",     # November: not of month(P), late for R1
    "G0,A1,Z0,2025-10-20,4650000\n",  # 2025-10: 4650000 / 5000000 = 0.93
    "GJ,A1,Z0,2026-07-10,5000\n",     # July 2026: a payment, no billing of 2026-07
    "GZ,A1,Z6,2025-06-10,1000\n",     # June 2025: to Z6, whose services total 0
])

# d = fecha_corte − fecha_vencimiento at the latest cut-off of October, 2026-10-31
# (vencimientos checked on a calendar). Saldos double so each band's sum is unmistakable.
CARTERA = ("fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n" + "".join([
    "2026-10-31,A1,C01,acueducto,2026-11-05,1000\n",       # d = −5: no vencida
    "2026-10-31,A1,C02,alcantarillado,2026-10-31,2000\n",  # d = 0: no vencida
    "2026-10-31,A2,C03,acueducto,2026-10-30,4000\n",       # d = 1
    "2026-10-31,A2,C04,acueducto,2026-10-01,8000\n",       # d = 30
    "2026-10-31,A2,C05,acueducto,2026-09-30,16000\n",      # d = 31
    "2026-10-31,A3,C06,acueducto,2026-09-01,32000\n",      # d = 60
    "2026-10-31,A3,C07,acueducto,2026-08-31,64000\n",      # d = 61
    "2026-10-31,A3,C08,acueducto,2026-08-02,128000\n",     # d = 90
    "2026-10-31,A4,C09,acueducto,2026-08-01,256000\n",     # d = 91
    "2026-10-31,A4,C10,acueducto,2026-05-04,512000\n",     # d = 180
    "2026-10-31,A4,C11,acueducto,2026-05-03,1024000\n",    # d = 181
    "2026-10-31,A5,C12,acueducto,2025-11-05,2048000\n",    # d = 360
    "2026-10-31,A5,C13,aseo,2025-11-04,4096000\n",         # d = 361
    # an earlier cut-off of the same month: replaced by 2026-10-31
    "2026-10-15,A1,C01,acueducto,2026-11-05,900000000\n",
    "2026-10-15,A9,C99,acueducto,2026-01-01,90000000\n",
    # the cut-offs of September and November are not of October
    "2026-09-30,A1,C98,acueducto,2026-09-01,555000\n",
    "2026-11-05,A1,C97,acueducto,2026-09-01,777000\n",
]))

ARCHIVOS = {"suscriptores_2026-10.csv": SUSCRIPTORES, "facturas.csv": FACTURAS,
            "pagos.csv": PAGOS, "cartera.csv": CARTERA}

FACTURACION_P = 700000
# Σ saldo at 2026-10-31: 1000 · (1 + 2 + 4 + … + 4096) = 1000 · 8191
CARTERA_TOTAL = 8191000
# Annual billing: the 12 periods ending at P hold n = 3 billed periods (2026-08, -09, -10):
# (300000 + 200000 + 700000) · 12 / 3 = 1200000 · 4 = 4800000
ANUAL = 4800000


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    """The warehouse URL and its settings, with the exports above loaded once."""
    settings = cargar(almacen_modulo, ARCHIVOS, tmp_path_factory.mktemp("reccar") / "in")
    return almacen_modulo, settings


def uno(cargado, id, periodo=P):
    return indicadores(*cargado, periodo, ids=[id])[id]


def por_grupo(cargado, id, por, campo="valor"):
    got = indicadores(*cargado, P, por=por, ids=[id])
    if campo == "razon":
        return {g: (f["numerador"], f["denominador"]) for (_, g), f in got.items()}
    return {g: f[campo] for (_, g), f in got.items()}


# --- Collection --------------------------------------------------------------------------------

def test_recaudo_valor_is_the_payments_of_month_p(cargado):
    # G1 100000 + G2 80000 + G3 50000 + G5 10000 + G6 20000 + G7 30000 + G8 40000 = 330000
    # (not G4 of September, G9 of November, G0 of 2025, GJ of July)
    assert uno(cargado, "recaudo.valor")["valor"] == pytest.approx(330000)


def test_eficiencia(cargado):
    f = uno(cargado, "recaudo.eficiencia")
    # 330000 collected in October over 700000 billed in P
    assert f["numerador"] == pytest.approx(330000)
    assert f["denominador"] == pytest.approx(FACTURACION_P)
    assert f["valor"] == pytest.approx(330000 / 700000)


def test_eficiencia_oportuna(cargado):
    f = uno(cargado, "recaudo.eficiencia_oportuna")
    # Payments to invoices of P made on or before the invoice's due date:
    #   G1 100000 (R1, on 10-20, its due date), G4 300000 (R3, in September, before 10-25),
    #   G5 10000 (R3, 10-10) = 410000.
    # Not: G2 (a day late), G3 (R0 is of 2026-09), G6 (no invoice), G7 (unknown invoice),
    #   G8 (late), G9 (late).
    assert f["numerador"] == pytest.approx(410000)
    assert f["denominador"] == pytest.approx(FACTURACION_P)
    assert f["valor"] == pytest.approx(410000 / 700000)


def test_por_identificar(cargado):
    url, settings = cargado
    # G5 (no codigo) 10000 + G6 (no invoice) 20000 + G7 (unknown invoice) 30000 = 60000.
    # G3 pays an invoice of another period, which the warehouse holds: identified.
    assert uno(cargado, "recaudo.por_identificar")["valor"] == pytest.approx(60000)
    filas = registros(url, settings, "recaudo.por_identificar", P)
    assert sorted(f["id"] for f in filas) == ["G5", "G6", "G7"]


def test_servicio_spreads_a_payment_over_its_invoice_services(cargado):
    assert por_grupo(cargado, "recaudo.valor", "servicio") == {
        # G1 100000 over R1 (60000 / 40000): 60 % and 40 %: 60000 acueducto, 40000 alcantarillado
        # G2 80000 over R2 (150000 / 50000): 75 % and 25 %: 60000 acueducto, 20000 aseo
        # G3 50000 to R0, G5 10000 to R3, G8 40000 to R4: acueducto only
        "acueducto": pytest.approx(60000 + 60000 + 50000 + 10000 + 40000),   # 220000
        "alcantarillado": pytest.approx(40000),
        "aseo": pytest.approx(20000),
        "sin servicio": pytest.approx(50000),       # G6 (no invoice) 20000 + G7 (unknown) 30000
    }                                               # 220000 + 40000 + 20000 + 50000 = 330000


def test_eficiencia_by_servicio(cargado):
    assert por_grupo(cargado, "recaudo.eficiencia", "servicio", "razon") == {
        # billing of P by service: acueducto 60000 + 150000 + 300000 + 100000 = 610000
        "acueducto": (pytest.approx(220000), pytest.approx(610000)),
        "alcantarillado": (pytest.approx(40000), pytest.approx(40000)),
        "aseo": (pytest.approx(20000), pytest.approx(50000)),
        "sin servicio": (pytest.approx(50000), 0),
    }
    got = indicadores(*cargado, P, por="servicio", ids=["recaudo.eficiencia"])
    assert got[("recaudo.eficiencia", "sin servicio")]["valor"] is None     # denominator 0
    assert got[("recaudo.eficiencia", "alcantarillado")]["valor"] == pytest.approx(1.0)


def test_eficiencia_by_municipio_with_sin_catastro(cargado):
    assert por_grupo(cargado, "recaudo.eficiencia", "municipio", "razon") == {
        # payments: A1 G1 100000 + G3 50000 + G7 30000; invoices A1 R1 100000 + A3 R3 300000
        "20001": (pytest.approx(180000), pytest.approx(400000)),
        # A2 G2 80000 + G6 20000; R2 200000
        "20011": (pytest.approx(100000), pytest.approx(200000)),
        # A4 (not in the cadastre) G8 40000 and G5 (no account) 10000; R4 100000
        "sin catastro": (pytest.approx(50000), pytest.approx(100000)),
    }


def test_eficiencia_oportuna_by_servicio(cargado):
    assert por_grupo(cargado, "recaudo.eficiencia_oportuna", "servicio", "razon") == {
        # G1 100000 over R1: 60000 / 40000; G4 300000 and G5 10000 to R3 (acueducto)
        "acueducto": (pytest.approx(60000 + 300000 + 10000), pytest.approx(610000)),
        "alcantarillado": (pytest.approx(40000), pytest.approx(40000)),
        "aseo": (0, pytest.approx(50000)),
    }


# --- Receivables -------------------------------------------------------------------------------

def test_cartera_total_and_vencida_at_the_latest_cut_off(cargado):
    v = {i: f["valor"] for i, f in indicadores(*cargado, P, ids=["cartera.total",
                                                                "cartera.vencida"]).items()}
    # only the 2026-10-31 rows: 8191000 (with the 2026-10-15 cut-off it would be ~1 thousand
    # million more)
    assert v["cartera.total"] == pytest.approx(CARTERA_TOTAL)
    # d > 0: all but C01 (1000) and C02 (2000): 8191000 − 3000 = 8188000
    assert v["cartera.vencida"] == pytest.approx(8188000)


EDADES = {
    "cartera.edad_no_vencida": 1000 + 2000,           # d = −5, 0
    "cartera.edad_1_30": 4000 + 8000,                 # d = 1, 30
    "cartera.edad_31_60": 16000 + 32000,              # d = 31, 60
    "cartera.edad_61_90": 64000 + 128000,             # d = 61, 90
    "cartera.edad_91_180": 256000 + 512000,           # d = 91, 180
    "cartera.edad_181_360": 1024000 + 2048000,        # d = 181, 360
    "cartera.edad_mas_360": 4096000,                  # d = 361
}


def test_aging_bands_and_their_boundaries(cargado):
    got = indicadores(*cargado, P, ids=list(EDADES))
    assert {i: f["valor"] for i, f in got.items()} == {
        i: pytest.approx(v) for i, v in EDADES.items()}
    assert sum(EDADES.values()) == CARTERA_TOTAL          # the bands partition the total


def test_usuarios_morosos(cargado):
    url, settings = cargado
    # accounts with a row of d > 0: A2, A3, A4, A5 = 4; A1 owes only d = −5 and d = 0
    assert uno(cargado, "cartera.usuarios_morosos")["valor"] == 4
    filas = registros(url, settings, "cartera.usuarios_morosos", P)
    assert sorted(f["codigo"] for f in filas) == ["A2", "A3", "A4", "A5"]


def test_dias_rotacion_with_fewer_than_12_billed_periods(cargado):
    f = uno(cargado, "cartera.dias_rotacion")
    # 8191000 · 365 / 4800000 (annual billing from n = 3 periods: Z0 of 2025-10 and N0 of
    # 2026-11 are outside the 12 periods ending at P) = 622.857…
    assert f["numerador"] == pytest.approx(CARTERA_TOTAL)
    assert f["denominador"] == pytest.approx(ANUAL)
    assert f["valor"] == pytest.approx(CARTERA_TOTAL * 365 / ANUAL)


def test_an_earlier_cut_off_is_a_month_of_its_own(cargado):
    # 2026-09: its only cut-off is 2026-09-30, C98 555000
    assert uno(cargado, "cartera.total", "2026-09")["valor"] == pytest.approx(555000)


def test_cartera_by_municipio_with_sin_catastro(cargado):
    assert por_grupo(cargado, "cartera.total", "municipio") == {
        "20001": pytest.approx(3000 + 224000),       # A1 1000 + 2000; A3 32000 + 64000 + 128000
        "20011": pytest.approx(28000),               # A2 4000 + 8000 + 16000
        "20621": pytest.approx(6144000),             # A5 2048000 + 4096000
        "sin catastro": pytest.approx(1792000),      # A4 256000 + 512000 + 1024000
    }                                                # sum 8191000
    assert por_grupo(cargado, "cartera.usuarios_morosos", "municipio") == {
        "20001": 1, "20011": 1, "20621": 1, "sin catastro": 1}   # A3 | A2 | A5 | A4 (A1 is not)


def test_cartera_by_servicio(cargado):
    assert por_grupo(cargado, "cartera.total", "servicio") == {
        "acueducto": pytest.approx(8191000 - 2000 - 4096000),   # all but C02 and C13
        "alcantarillado": pytest.approx(2000),                  # C02
        "aseo": pytest.approx(4096000),                         # C13
    }


def test_dias_rotacion_by_municipio(cargado):
    got = indicadores(*cargado, P, por="municipio", ids=["cartera.dias_rotacion"])
    assert {g: (f["numerador"], f["denominador"]) for (_, g), f in got.items()} == {
        # invoices of the 12 periods × 12 / 3 = × 4, grouped by the account's snapshot of P
        "20001": (pytest.approx(227000), pytest.approx((100000 + 300000 + 200000) * 4)),  # R1 R3 R0
        "20011": (pytest.approx(28000), pytest.approx((200000 + 300000) * 4)),            # R2 Q0
        "20621": (pytest.approx(6144000), 0),                                             # none
        "sin catastro": (pytest.approx(1792000), pytest.approx(100000 * 4)),              # R4
    }
    assert got[("cartera.dias_rotacion", "20621")]["valor"] is None     # no billing: null
    assert got[("cartera.dias_rotacion", "20011")]["valor"] == pytest.approx(28000 * 365 / 2000000)


# --- Every breakdown adds up ---------------------------------------------------------------------

TOTALES = {   # id -> (numerador, denominador or None), as worked out above
    "recaudo.valor": (330000, None),
    "recaudo.eficiencia": (330000, FACTURACION_P),
    "recaudo.eficiencia_oportuna": (410000, FACTURACION_P),
    "recaudo.por_identificar": (60000, None),
    "cartera.total": (CARTERA_TOTAL, None),
    "cartera.vencida": (8188000, None),
    **{i: (v, None) for i, v in EDADES.items()},
    "cartera.usuarios_morosos": (4, None),
    "cartera.dias_rotacion": (CARTERA_TOTAL, ANUAL),
}


@pytest.mark.parametrize("por", ["municipio", "estrato", "uso", "ciclo", "servicio"])
def test_groups_add_up_to_the_total(cargado, por):
    # usuarios_morosos counts accounts: over servicio one account can be in several groups
    # (A5 owes acueducto and aseo), so it is not additive there.
    ids = [i for i in TOTALES if not (por == "servicio" and i == "cartera.usuarios_morosos")]
    got = indicadores(*cargado, P, por=por, ids=ids)
    for id in ids:
        filas = [f for (i, _), f in got.items() if i == id]
        assert len(filas) > 1, (id, por)
        num, den = TOTALES[id]
        assert sum(f["numerador"] for f in filas) == pytest.approx(num), (id, por)
        if den is not None:
            assert sum(f["denominador"] for f in filas) == pytest.approx(den), (id, por)


# --- Missing data and goals --------------------------------------------------------------------

def test_a_period_without_data_is_none_never_zero(cargado):
    # 2026-12: no payment, no invoice, no cut-off
    got = indicadores(*cargado, "2026-12", ids=list(TOTALES))
    assert {i: f["valor"] for i, f in got.items()} == {i: None for i in TOTALES}


def test_payments_without_the_billing_of_p_give_no_efficiency(cargado):
    got = indicadores(*cargado, "2026-07", ids=["recaudo.valor", "recaudo.eficiencia",
                                                "cartera.total"])
    assert got["recaudo.valor"]["valor"] == pytest.approx(5000)   # GJ
    assert got["recaudo.eficiencia"]["valor"] is None              # no invoices of 2026-07
    assert got["cartera.total"]["valor"] is None                   # no cut-off in July


def test_meta_and_cumple_of_eficiencia(cargado):
    # [metas] "recaudo.eficiencia" = { 2025 = 0.93, 2026 = 0.95 }, higher is better
    p = uno(cargado, "recaudo.eficiencia")
    assert p["meta"] == pytest.approx(0.95)
    assert p["cumple"] is False                   # 330000 / 700000 = 0.471… < 0.95
    # 2025-10: G0 4650000 over Z0 5000000 = 0.93, exactly the 2025 goal: valor ≥ meta
    a = uno(cargado, "recaudo.eficiencia", "2025-10")
    assert a["valor"] == pytest.approx(0.93)
    assert a["meta"] == pytest.approx(0.93)
    assert a["cumple"] is True
    # an indicator with no goal
    v = uno(cargado, "recaudo.valor")
    assert (v["meta"], v["cumple"]) == (None, None)


def test_a_zero_billing_gives_no_efficiency(cargado):
    got = indicadores(*cargado, "2025-06", ids=["recaudo.valor", "recaudo.eficiencia"])
    assert got["recaudo.valor"]["valor"] == pytest.approx(1000)    # GZ
    assert got["recaudo.eficiencia"]["denominador"] == 0           # Z6 totals 0 + 0
    assert got["recaudo.eficiencia"]["valor"] is None              # denominator 0: null, not 0


def test_servicio_spread_of_a_zero_total_invoice_adds_up(cargado):
    got = indicadores(*cargado, "2025-06", por="servicio", ids=["recaudo.valor"])
    # GZ pays 1000 to Z6 (acueducto 0, alcantarillado 0). However the 1000 is spread (the
    # proportion is undefined), the groups must add up to the 1000 collected, not 2000.
    assert sum(f["numerador"] for f in got.values()) == pytest.approx(1000)
