"""Work orders, user satisfaction (NSU), the commercial calendar and official correspondence
(``indicators.md``, "Work orders", "User satisfaction (NSU)", "Commercial calendar and
correspondence").

Hand-written exports loaded once per backend; P = 2026-10 (end(P) = Sat 2026-10-31) unless
a test says otherwise. Every expected value is worked out by hand in the comments.
"""
from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

from indicators import catalogo
from tests.indicators.conftest import cargar, indicadores, registros

P = "2026-10"

ORDENES = ("numero,tipo,fecha_generacion,fecha_vencimiento,fecha_ejecucion,estado,valor_cargo,"
           "facturado\n") + "".join([
    # --- deadlines in October (ordenes.cumplimiento) and the stock at end(P)
    # executed exactly at the deadline: on time
    "O01,suspension,2026-10-01 08:00,2026-10-05 17:00,2026-10-05 17:00,ejecutada,,\n",
    # executed one minute after the deadline, the same day: late
    "O02,suspension,2026-10-01 08:00,2026-10-05 17:00,2026-10-05 17:01,ejecutada,,\n",
    # never executed, due 10-10: late; pending and overdue at end(P)
    "O03,corte,2026-10-02 08:00,2026-10-10 12:00,,pendiente,,\n",
    # due on end(P) at 23:59 (its date is in month(P)), done 10-20: on time
    "O04,revision_desviacion,2026-10-02 08:00,2026-10-31 23:59,2026-10-20 10:00,ejecutada,,\n",
    # due at the first instant of November: not in month(P)
    "O05,revision_desviacion,2026-10-02 08:00,2026-11-01 00:00,2026-10-15 10:00,ejecutada,,\n",
    # due 09-30 (date < end(P)), never executed: overdue at end(P)
    "O06,corte,2026-09-20 08:00,2026-09-30 23:59,,pendiente,,\n",
    # annulled: left out everywhere (else late and overdue)
    "O07,corte,2026-10-02 08:00,2026-10-08 12:00,,anulada,,\n",
    # due at the first instant of October, done the evening before: on time
    "O08,aviso_suspension,2026-09-28 08:00,2026-10-01 00:00,2026-09-30 22:00,ejecutada,,\n",
    # due 10-20, executed 11-02 (after end(P)): late; still pending at end(P): overdue
    "O09,suspension,2026-10-05 08:00,2026-10-20 17:00,2026-11-02 09:00,ejecutada,,\n",
    # due on end(P) itself, not executed: late, but not overdue (10-31 is not < end(P))
    "O10,suspension,2026-10-20 08:00,2026-10-31 08:00,,pendiente,,\n",
    # due 10-30, executed on end(P) at 23:59: late, but executed by end(P): not pending
    "O11,suspension,2026-10-20 08:00,2026-10-30 23:59,2026-10-31 23:59,ejecutada,,\n",
    # --- reinstatements and reconnections (fecha_vencimiento = generation + 24 h)
    # exactly 24 h: on time; a 35 000 charge not billed
    "N01,reinstalacion,2026-10-06 10:00,2026-10-07 10:00,2026-10-07 10:00,ejecutada,35000,N\n",
    # 24 h + 1 min: late; its charge was billed
    "N02,reconexion,2026-10-06 10:00,2026-10-07 10:00,2026-10-07 10:01,ejecutada,35000,S\n",
    # generated 10-30, never executed: late (due 10-31 15:00, not overdue at end(P))
    "N03,reinstalacion,2026-10-30 15:00,2026-10-31 15:00,,pendiente,,\n",
    # generated in September (9 h): not in October's 24 h share; due 10-01, on time
    "N04,reinstalacion,2026-09-30 23:00,2026-10-01 23:00,2026-10-01 08:00,ejecutada,,\n",
    # generated on end(P) at 23:30, executed 11-01 09:00 (9 h 30 min): on time
    "N05,reconexion,2026-10-31 23:30,2026-11-01 23:30,2026-11-01 09:00,ejecutada,,\n",
    # annulled
    "N07,reinstalacion,2026-10-12 08:00,2026-10-13 08:00,,anulada,,\n",
    # 12 h: on time
    "N08,reinstalacion,2026-10-13 08:00,2026-10-14 08:00,2026-10-13 20:00,ejecutada,,\n",
    # 48 h: late
    "N09,reconexion,2026-10-20 07:00,2026-10-21 07:00,2026-10-22 07:00,ejecutada,,\n",
    # --- charges (due in November: out of October's cumplimiento)
    "C01,conexion_nueva,2026-10-01 08:00,2026-11-15 17:00,2026-10-05 10:00,ejecutada,25000,N\n",
    "C02,cambio_medidor,2026-10-01 08:00,2026-11-15 17:00,2026-10-06 10:00,ejecutada,40000.50,S\n",
    ("C03,instalacion_medidor,2026-10-01 08:00,2026-11-15 17:00,2026-10-31 23:59,ejecutada,"
     "10000,N\n"),
    # executed at the first instant of November: not in month(P)
    ("C04,instalacion_medidor,2026-10-01 08:00,2026-11-15 17:00,2026-11-01 00:00,ejecutada,"
     "70000,N\n"),
    # no charge
    "C05,cambio_medidor,2026-10-01 08:00,2026-11-15 17:00,2026-10-10 10:00,ejecutada,0,N\n",
    # annulled
    "C06,conexion_nueva,2026-10-01 08:00,2026-11-15 17:00,2026-10-10 10:00,anulada,90000,N\n",
    # September: due 09-30 23:59, done 09-30 12:00, charge billed in September's terms
    "C07,otro,2026-09-01 08:00,2026-09-30 23:59,2026-09-30 12:00,ejecutada,5000,N\n",
])

# Long format: one row per answer. [nsu.preguntas]: p01 p02 p03 servicio; p04 p05 p06
# facturacion; p07 p08 atencion; p09 p10 saneamiento; p11 general.
ENCUESTAS = "ronda,encuesta,municipio_dane,pregunta,valor\n" + "".join([
    "2026-S2,E1,20001,p01,5\n", "2026-S2,E1,20001,p02,4\n", "2026-S2,E1,20001,p04,2\n",
    "2026-S2,E1,20001,p07,3\n", "2026-S2,E1,20001,p11,5\n",
    "2026-S2,E2,20001,p01,3\n", "2026-S2,E2,20001,p02,\n", "2026-S2,E2,20001,p04,4\n",
    "2026-S2,E2,20001,p07,1\n", "2026-S2,E2,20001,p11,4\n",
    "2026-S2,E3,20011,p01,1\n", "2026-S2,E3,20011,p03,4\n", "2026-S2,E3,20011,p05,5\n",
    "2026-S2,E3,20011,p08,3\n", "2026-S2,E3,20011,p11,2\n",
    # a questionnaire with no answer at all: an encuesta, no answers
    "2026-S2,E4,20011,p01,\n", "2026-S2,E4,20011,p11,\n",
    # the first round of 2026
    "2026-S1,F1,20001,p01,5\n", "2026-S1,F1,20001,p11,5\n",
    "2026-S1,F2,20001,p01,4\n", "2026-S1,F2,20001,p11,2\n",
    # the second round of 2025
    "2025-S2,G1,20001,p01,1\n",
])

# activos(2026-10) = 1000 (S0001–S1000); S1001, S1002 are inactivo.
SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado\n") + "".join(
    f"S{i:04d},2026-10,CL {i},20001,residencial,2,S,S,S,01,0101,"
    f"{'activo' if i <= 1000 else 'inactivo'}\n" for i in range(1, 1003))

CALENDARIO = "periodo,ciclo,actividad,fecha_programada,fecha_ejecutada\n" + "".join([
    "2026-10,01,lectura,2026-10-05,2026-10-05\n",        # on the day: on time
    "2026-10,01,critica,2026-10-07,2026-10-08\n",        # a day late
    "2026-10,01,reparto,2026-10-15,\n",                  # not done: late
    "2026-10,02,lectura,2026-10-06,2026-10-04\n",        # early: on time
    "2026-10,02,liquidacion,2026-10-09,2026-10-09\n",    # on time
    "2026-09,01,lectura,2026-09-05,2026-09-30\n",        # periodo 2026-09: late
    "2026-11,01,lectura,2026-10-30,2026-10-30\n",        # planned in October, of periodo 2026-11
])

CORRESPONDENCIA = "radicado,fecha_recibido,tipo,fecha_limite,fecha_respuesta\n" + "".join([
    "D1,2026-10-01,tutela,2026-10-10,2026-10-10\n",             # on the limit: on time
    "D2,2026-10-01,derecho_peticion,2026-10-10,2026-10-11\n",   # a day late
    "D3,2026-10-20,requerimiento,2026-10-31,\n",                # unanswered: not on time
    "D4,2026-09-25,derecho_peticion,2026-10-01,2026-09-30\n",   # received in September
    "D5,2026-10-25,citacion,2026-11-02,2026-10-26\n",           # due in November
    "D6,2026-09-01,requerimiento,2026-09-30,2026-10-01\n",      # due in September, late
])

ORDENES_IDS = ["ordenes.cumplimiento", "ordenes.vencidas_pendientes", "ordenes.reinstalacion_24h",
               "ordenes.cargos_sin_facturar"]
DIMENSIONES = ["nsu.dimension.servicio", "nsu.dimension.facturacion", "nsu.dimension.atencion",
               "nsu.dimension.saneamiento", "nsu.dimension.general"]
NSU_IDS = ["nsu.indice", "nsu.encuestas", "nsu.margen_error", "nsu.muestra_requerida"] + DIMENSIONES


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    settings = cargar(almacen_modulo, {
        "ordenes.csv": ORDENES, "encuestas.csv": ENCUESTAS, "suscriptores.csv": SUSCRIPTORES,
        "calendario.csv": CALENDARIO, "correspondencia.csv": CORRESPONDENCIA,
    }, tmp_path_factory.mktemp("ordenes_nsu"))
    return almacen_modulo, settings


@pytest.fixture(scope="module")
def octubre(cargado):
    url, settings = cargado
    return indicadores(url, settings, P, ids=ORDENES_IDS + NSU_IDS + [
        "calendario.cumplimiento", "correspondencia.oportunidad"])


def valores(url, settings, periodo, ids) -> dict:
    return {id: f["valor"] for id, f in indicadores(url, settings, periodo, ids=ids).items()}


def numeros(url, settings, id, periodo, columna="numerador") -> dict:
    return {r["numero"]: r[columna] for r in registros(url, settings, id, periodo)}


# --- Work orders -----------------------------------------------------------------------------

def test_cumplimiento_compares_full_date_times(octubre, cargado):
    # Due in October (not anulada): on time O01 (17:00 = 17:00), O04, O08, N01, N04, N08;
    # late O02 (17:01), O03 (never), O09, O10 (never), O11 (a day late), N02, N03, N09.
    # 6 / 14 = 3 / 7. O05 and N05 are due in November, O06 in September, O07 and N07 annulled.
    f = octubre["ordenes.cumplimiento"]
    assert (f["numerador"], f["denominador"]) == (6, 14)
    assert f["valor"] == pytest.approx(3 / 7)
    url, settings = cargado
    assert numeros(url, settings, "ordenes.cumplimiento", P) == {
        "O01": 1, "O02": 0, "O03": 0, "O04": 1, "O08": 1, "O09": 0, "O10": 0, "O11": 0,
        "N01": 1, "N02": 0, "N03": 0, "N04": 1, "N08": 1, "N09": 0}


def test_vencidas_pendientes_at_end_of_p(octubre, cargado):
    # Not executed by 10-31 and due before 10-31: O03 (10-10), O06 (09-30), O09 (executed
    # only 11-02). Not O10 or N03 (due on 10-31 itself), not O11 (executed 10-31 23:59), not
    # the annulled O07 and N07.
    assert octubre["ordenes.vencidas_pendientes"]["valor"] == 3
    url, settings = cargado
    assert sorted(numeros(url, settings, "ordenes.vencidas_pendientes", P)) == [
        "O03", "O06", "O09"]


def test_reinstalacion_24h(octubre, cargado):
    # Reinstalación / reconexión generated in October, not annulled: N01 (exactly 24 h) on
    # time, N02 (24 h 1 min) late, N03 (never) late, N05 (9 h 30 min, done in November) on
    # time, N08 (12 h) on time, N09 (48 h) late: 3 / 6. N04 was generated in September;
    # other types (O01 …) are not reinstatements.
    f = octubre["ordenes.reinstalacion_24h"]
    assert (f["numerador"], f["denominador"]) == (3, 6)
    assert f["valor"] == pytest.approx(0.5)
    url, settings = cargado
    assert numeros(url, settings, "ordenes.reinstalacion_24h", P) == {
        "N01": 1, "N02": 0, "N03": 0, "N05": 1, "N08": 1, "N09": 0}
    # September: N04 alone, 9 h: 1 / 1.
    assert valores(url, settings, "2026-09", ["ordenes.reinstalacion_24h"]) == {
        "ordenes.reinstalacion_24h": pytest.approx(1.0)}


def test_cargos_sin_facturar(octubre):
    # Executed in October with a charge not billed: N01 35 000 + C01 25 000 + C03 10 000
    # (10-31 23:59) = 70 000. Not N02, C02 (billed), C04 (11-01 00:00), C05 (0), C06 (annulled),
    # C07 (September).
    assert octubre["ordenes.cargos_sin_facturar"]["valor"] == pytest.approx(70000)


def test_orders_of_september(cargado):
    url, settings = cargado
    got = valores(url, settings, "2026-09", ["ordenes.cumplimiento", "ordenes.vencidas_pendientes",
                                              "ordenes.cargos_sin_facturar"])
    # Due in September: O06 (never) late, C07 on time: 1 / 2. At 09-30 nothing is overdue
    # (O06 is due on 09-30 itself): 0, not None. C07's 5 000 was executed in September.
    assert got == {"ordenes.cumplimiento": pytest.approx(0.5), "ordenes.vencidas_pendientes": 0,
                   "ordenes.cargos_sin_facturar": pytest.approx(5000)}


def test_a_month_no_export_reaches_is_empty_not_guessed(cargado):
    url, settings = cargado
    # No order is dated November 2026 (the orders' export of a month holds those generated
    # in it): November was not loaded, so whether O03, O06, O10 and N03 were executed there,
    # or the seven orders due in November on time, is unknown: None, not a guess.
    assert valores(url, settings, "2026-11", ["ordenes.cumplimiento",
                                              "ordenes.vencidas_pendientes"]) == {
        "ordenes.cumplimiento": None, "ordenes.vencidas_pendientes": None}


# --- User satisfaction (NSU) -------------------------------------------------------------------

def test_nsu_indice_is_the_top_two_box_share_of_the_answers(octubre):
    # Round of 2026-10: 2026-S2. Answers (valor 1–5): E1 5 4 2 3 5, E2 3 4 1 4 (p02 empty),
    # E3 1 4 5 3 2, E4 none: 14 answers; 4 or 5: E1 3, E2 2, E3 2 = 7. 7 / 14.
    f = octubre["nsu.indice"]
    assert (f["numerador"], f["denominador"]) == (7, 14)
    assert f["valor"] == pytest.approx(0.5)


def test_nsu_encuestas_counts_distinct_questionnaires(octubre):
    # E1, E2, E3 and E4 (which has no answer) in 2026-S2.
    assert octubre["nsu.encuestas"]["valor"] == 4


def test_nsu_margen_error_and_muestra_requerida(octubre):
    # p = 0.5, n = 4, N = activos(2026-10) = 1000:
    # 1.96 · √(0.25 / 4) · √((1000 − 4) / (1000 − 1)) = 1.96 · 0.25 · √(996 / 999)
    # = 0.49 · 0.998497… = 0.489264…
    assert octubre["nsu.margen_error"]["valor"] == pytest.approx(0.49 * math.sqrt(996 / 999))
    assert octubre["nsu.margen_error"]["valor"] == pytest.approx(0.489264, abs=1e-6)
    # n₀ = 1.96² · 0.25 / 0.05² = 3.8416 · 0.25 / 0.0025 = 384.16;
    # 384.16 / (1 + 383.16 / 1000) = 384.16 / 1.38316 = 277.74… -> 278.
    assert octubre["nsu.muestra_requerida"]["valor"] == 278


def test_nsu_dimensions_of_the_config(octubre):
    got = {d: octubre[d]["valor"] for d in DIMENSIONES}
    assert got == {
        # p01 p02 p03: E1 5 4, E2 3, E3 1 4 -> 3 / 5
        "nsu.dimension.servicio": pytest.approx(3 / 5),
        # p04 p05 p06: E1 2, E2 4, E3 5 -> 2 / 3
        "nsu.dimension.facturacion": pytest.approx(2 / 3),
        # p07 p08: E1 3, E2 1, E3 3 -> 0 / 3 = 0, not None
        "nsu.dimension.atencion": 0.0,
        # p09 p10: no answer -> a zero denominator: None
        "nsu.dimension.saneamiento": None,
        # p11: E1 5, E2 4, E3 2 (E4 empty) -> 2 / 3
        "nsu.dimension.general": pytest.approx(2 / 3),
    }


def test_the_survey_round_of_p(cargado):
    url, settings = cargado
    ids = ["nsu.indice", "nsu.encuestas"]
    # 2026-S1 (January–June): F1 5 5, F2 4 2 -> 3 / 4; two questionnaires.
    for periodo in ("2026-03", "2026-01", "2026-06"):
        assert valores(url, settings, periodo, ids) == {
            "nsu.indice": pytest.approx(0.75), "nsu.encuestas": 2}, periodo
    # 2026-S2 (July–December): 7 / 14, four questionnaires.
    for periodo in ("2026-07", "2026-12"):
        assert valores(url, settings, periodo, ids) == {
            "nsu.indice": pytest.approx(0.5), "nsu.encuestas": 4}, periodo
    # 2025-S2: G1's 1 -> 0 / 1.
    assert valores(url, settings, "2025-12", ids) == {"nsu.indice": 0.0, "nsu.encuestas": 1}


def test_a_round_without_surveys_points_to_the_last_one_with_answers(cargado):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            def ultima(periodo, id="nsu.indice", **kw):
                return catalogo.ultima_ronda(conn, id, periodo, settings, **kw)
            # 2027-S1 has no survey: the last round with answers is 2026-S2, 7 / 14
            assert ultima("2027-03") == {"ronda": "2026-S2", "periodo": "2026-12",
                                         "valor": pytest.approx(0.5)}
            assert ultima("2027-03", "nsu.encuestas")["valor"] == 4
            # with the filter of Aguachica (20011): E3's 1 4 5 3 2 -> 2 / 5
            assert ultima("2027-03", filtro={"municipio": "20011"})["valor"] == pytest.approx(0.4)
            # before 2025-S2, no round at all
            assert ultima("2025-09") is None
    finally:
        engine.dispose()


def test_nsu_margin_needs_the_cadastre_of_p(cargado):
    url, settings = cargado
    got = valores(url, settings, "2026-07", ["nsu.indice", "nsu.margen_error",
                                             "nsu.muestra_requerida"])
    # The round 2026-S2 has answers, but no snapshot of 2026-07 is loaded: no N.
    assert got == {"nsu.indice": pytest.approx(0.5), "nsu.margen_error": None,
                   "nsu.muestra_requerida": None}


# --- Commercial calendar and correspondence -------------------------------------------------

def test_calendario_cumplimiento(octubre, cargado):
    # Activities of periodo 2026-10: 01 lectura on time, 01 critica late, 01 reparto not done
    # (late), 02 lectura early, 02 liquidacion on time: 3 / 5. The 2026-11 activity planned
    # on 10-30 is not of P.
    assert octubre["calendario.cumplimiento"]["valor"] == pytest.approx(3 / 5)
    url, settings = cargado
    por_ciclo = indicadores(url, settings, P, por="ciclo", ids=["calendario.cumplimiento"])
    # ciclo 01: 1 / 3; ciclo 02: 2 / 2.
    assert {g: f["valor"] for (_, g), f in por_ciclo.items()} == {
        "01": pytest.approx(1 / 3), "02": pytest.approx(1.0)}
    assert valores(url, settings, "2026-09", ["calendario.cumplimiento"]) == {
        "calendario.cumplimiento": 0.0}                   # 0 / 1
    assert valores(url, settings, "2026-11", ["calendario.cumplimiento"]) == {
        "calendario.cumplimiento": pytest.approx(1.0)}    # 1 / 1


def test_correspondencia_oportunidad(octubre, cargado):
    # Due in October: D1 on time (on the limit), D2 late, D3 unanswered, D4 (received in
    # September) on time: 2 / 4. D5 is due in November, D6 in September.
    f = octubre["correspondencia.oportunidad"]
    assert (f["numerador"], f["denominador"]) == (2, 4)
    assert f["valor"] == pytest.approx(0.5)
    url, settings = cargado
    # September: D6, answered 10-01 after its 09-30 limit: 0 / 1.
    assert valores(url, settings, "2026-09", ["correspondencia.oportunidad"]) == {
        "correspondencia.oportunidad": 0.0}


def test_correspondencia_of_a_month_no_export_reaches_is_empty(cargado):
    url, settings = cargado
    # D5 (limit 2026-11-02) is due in November, but no letter is dated November: that
    # month's export was not loaded, so the value is None rather than a judgement.
    assert valores(url, settings, "2026-11", ["correspondencia.oportunidad"]) == {
        "correspondencia.oportunidad": None}


def test_goals_of_config(octubre):
    # [metas]: every one of these is higher-is-better and missed by P's values.
    metas = {"ordenes.cumplimiento": 0.90, "ordenes.reinstalacion_24h": 0.95, "nsu.indice": 0.80,
             "calendario.cumplimiento": 0.90, "correspondencia.oportunidad": 1.0}
    assert {id: (octubre[id]["meta"], octubre[id]["cumple"]) for id in metas} == {
        id: (m, False) for id, m in metas.items()}
    # No goal: cumple is None.
    assert (octubre["nsu.margen_error"]["meta"], octubre["nsu.margen_error"]["cumple"]) == (
        None, None)


# --- No data ---------------------------------------------------------------------------------

def test_a_period_without_data_has_no_values(cargado):
    url, settings = cargado
    # August 2026, before any order, calendar periodo or letter; 2027-01 has no survey round
    # (2027-S1) and no cadastre.
    ids = ORDENES_IDS + ["calendario.cumplimiento", "correspondencia.oportunidad"]
    assert valores(url, settings, "2026-08", ids) == dict.fromkeys(ids)
    assert valores(url, settings, "2027-01", NSU_IDS) == dict.fromkeys(NSU_IDS)
