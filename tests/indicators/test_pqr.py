"""Petitions, complaints and claims (``indicators.md``, "Petitions, complaints and claims (PQR)").

Term: 15 business days for every tipo but ``sugerencia`` (config ``[pqr.plazos]``);
``vencimiento`` is the 15th business day after the *date* of ``fecha_radicacion``.
Hand-written exports loaded once per backend; the main period is P = 2026-08
(end(P) = Mon 2026-08-31), with 2026-07, 2026-09 and 2026-04 for the deadlines that
cross July's, September's and Holy Week's days. Every deadline is worked out by hand in
the comment of its filing with the 2026 holidays (see test_habiles.py):

    Mon 06-08, Mon 06-15 (Corpus, Sagrado Corazón), Mon 07-13 (Chiquinquirá, Ley 2578 de
    2026), Mon 07-20, Fri 08-07 (Boyacá), Mon 08-17 (Asunción), Thu 04-02 and Fri 04-03
    (Holy Week). September 2026 has none.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tests.indicators.conftest import cargar, indicadores, registros

D = dt.date

CAB = ("radicado,fecha_radicacion,tipo,servicio,causal,fecha_respuesta,tipo_respuesta,"
       "fecha_traslado_sspd\n")
PQR = CAB + "".join([
    # --- filed in July, deadline across Mon 07-13 and Mon 07-20: from Fri 07-10, 14(1)
    # 15(2) 16(3) 17(4) 21(5) 22(6) 23(7) 24(8) 27(9) 28(10) 29(11) 30(12) 31(13) 08-03(14)
    # 08-04(15): vencimiento 2026-08-04.
    # R01 answered on the deadline day, late in the day: on time.
    "R01,2026-07-10 10:30,reclamo,acueducto,101,2026-08-04 17:45,accede,\n",
    # R02 answered the day after: late.
    "R02,2026-07-10 08:00,peticion,acueducto,101,2026-08-05 08:00,accede_parcial,\n",
    # R03 filed Mon 08-03 across Fri 08-07 and Mon 08-17: 4 5 6 10 11 12 13 14 18 19 20 21
    # 24 25 26 -> 2026-08-26 (without the two holidays, 08-24); answered that day: on time.
    "R03,2026-08-03 09:00,queja,acueducto,201,2026-08-26 11:00,accede,\n",
    # R04 filed Fri 07-31 at 23:59 (its date is 07-31, not August): 08-03(1) 04 05 06 10(5)
    # 11 12 13 14(9) 18(10) 19 20 21 24(14) 25(15) -> 2026-08-25; never answered.
    "R04,2026-07-31 23:59,reclamo,acueducto,101,,,\n",
    # R05 a sugerencia: no term (15 business days would be 08-06), never answered.
    "R05,2026-07-15 09:00,sugerencia,aseo,206,,,\n",
    # R06 filed on Saturday 08-08: 10(1) 11 12 13 14(5) 18(6) 19 20 21 24(10) 25 26 27 28(14)
    # 31(15) -> 2026-08-31; answered that day at 23:59: on time.
    "R06,2026-08-08 10:00,peticion,acueducto,101,2026-08-31 23:59,accede,\n",
    # R07 filed on the holiday Mon 08-17: 18(1) … 31(10) 09-01(11) 02 03 04(14) 07(15) ->
    # 2026-09-07; unanswered; 5 business days left at end(P) (09-01 02 03 04 07).
    "R07,2026-08-17 08:00,reclamo,alcantarillado,101,,,\n",
    # R08 filed Wed 08-12: 13(1) 14(2) 18(3) 19 20 21 24(7) 25 26 27 28(11) 31(12) 09-01(13)
    # 02(14) 03(15) -> 2026-09-03; unanswered; 3 business days left (09-01 02 03): at risk.
    "R08,2026-08-12 16:00,peticion,acueducto,101,,,\n",
    # R09 filed Thu 08-13: 14(1) 18(2) … 09-03(14) 04(15) -> 2026-09-04; unanswered; 4 left.
    "R09,2026-08-13 09:00,queja,acueducto,201,,,\n",
    # R10 filed Wed 08-12 -> 2026-09-03; answered 09-02, after end(P): unanswered at end(P),
    # 3 left: at risk in 2026-08; on time in 2026-09.
    "R10,2026-08-12 10:00,reclamo,acueducto,101,2026-09-02 10:00,accede,\n",
    # R11 filed Fri 07-31 -> 2026-08-25 (as R04); answered 09-01: late, and unanswered at end(P).
    "R11,2026-07-31 09:00,peticion,acueducto,101,2026-09-01 09:00,accede,\n",
    # R12 filed on the holiday Fri 08-07: as from Sat 08-08 -> 2026-08-31 = end(P);
    # unanswered: late; 0 business days left: at risk, not vencida (08-31 is not < end(P)).
    "R12,2026-08-07 11:00,queja,acueducto,201,,,\n",
    # R13 filed Wed 08-12 -> 2026-09-03; answered on end(P) 08-31: not at risk. dias_habiles
    # (08-12, 08-31) = 13 14 18 19 20 21 24 25 26 27 28 31 = 12.
    "R13,2026-08-12 11:00,peticion,acueducto,101,2026-08-31 18:00,no_accede,\n",
    # R14 filed Wed 07-01: 02(1) 03 06 07 08 09 10(7) 14(8) 15 16 17(11) 21(12) 22 23 24(15)
    # -> 2026-07-24; answered 08-03: late. dias_habiles(07-01, 08-03) = 15 + 27 28 29 30 31
    # 08-03 = 21.
    "R14,2026-07-01 08:00,reclamo,acueducto,101,2026-08-03 10:00,accede_parcial,\n",
    # R15 filed Mon 06-01: 02(1) 03 04 05(4) 09(5) 10 11 12(8) 16(9) 17 18 19 22 23 24(15)
    # -> 2026-06-24; never answered.
    "R15,2026-06-01 08:00,peticion,acueducto,101,,,\n",
    # R16 a sugerencia filed Fri 08-14, answered Saturday 08-15: dias_habiles = 0.
    "R16,2026-08-14 15:00,sugerencia,aseo,206,2026-08-15 10:00,archiva,\n",
    # R17 filed Tue 08-18 -> 19(1) … 09-08(15); answered Thu 08-20: dias_habiles 19 20 = 2.
    "R17,2026-08-18 09:00,recurso_reposicion,acueducto,101,2026-08-20 09:00,revoca,\n",
    # R18 filed 08-18 -> 2026-09-08; answered Fri 08-21: 19 20 21 = 3; sent to the SSPD 08-25.
    ("R18,2026-08-18 10:00,recurso_reposicion_apelacion,acueducto,101,2026-08-21 09:00,confirma,"
     "2026-08-25\n"),
    # R19 filed Fri 08-14 -> 18(1) … 09-07(15); answered Tue 08-18: [17] 18 = 1.
    "R19,2026-08-14 09:00,reclamo,acueducto,101,2026-08-18 09:00,no_accede,\n",
    # R20 filed and answered in June; sent to the SSPD on 08-03.
    ("R20,2026-06-01 09:00,recurso_reposicion_apelacion,acueducto,101,2026-06-10 09:00,confirma,"
     "2026-08-03\n"),
    # R21 filed Wed 08-19 -> 20(1) … 09-09(15); answered Mon 08-24: 20 21 24 = 3.
    "R21,2026-08-19 09:00,recurso_reposicion,acueducto,101,2026-08-24 09:00,modifica,\n",
    # R22 filed on end(P) at 23:30: in month(P). 09-01(1) 02 03 04 07(5) 08 09 10 11(9)
    # 14(10) 15 16 17 18(14) 21(15) -> 2026-09-21; unanswered.
    "R22,2026-08-31 23:30,reclamo,acueducto,101,,,\n",
    # R23 filed at the first instant of September: not in month(P). 02(1) 03 04 07(4) 08 09
    # 10 11(8) 14(9) 15 16 17 18(13) 21(14) 22(15) -> 2026-09-22; unanswered.
    "R23,2026-09-01 00:00,reclamo,acueducto,101,,,\n",
    # R24 a sugerencia filed in month(P), unanswered.
    "R24,2026-08-20 09:00,sugerencia,aseo,206,,,\n",
    # R25 filed and answered in June; sent to the SSPD on 09-01 (not in month(P)).
    ("R25,2026-06-02 09:00,recurso_reposicion_apelacion,acueducto,101,2026-06-10 09:00,confirma,"
     "2026-09-01\n"),
    # --- October: end(P) = Sat 10-31, the next business day is Tue 11-03 (Mon 11-02 Todos
    # los Santos). R40 filed Fri 10-09, across Mon 10-12: 13(1) 14 15 16(4) 19(5) … 23(9)
    # 26(10) … 30(14) [11-02] 11-03(15) -> 2026-11-03; 1 business day left at 10-31.
    "R40,2026-10-09 09:00,peticion,acueducto,101,,,\n",
    # R41 filed Wed 10-14: 15(1) 16(2) 19(3) … 23(7) 26(8) … 30(12) 11-03(13) 04(14) 05(15)
    # -> 2026-11-05; 3 left (11-03 04 05): at risk.
    "R41,2026-10-14 09:00,queja,acueducto,201,,,\n",
    # R42 filed Thu 10-15: 16(1) 19(2) … 23(6) 26(7) … 30(11) 11-03(12) 04 05 06(15) ->
    # 2026-11-06; 4 left: not at risk.
    "R42,2026-10-15 09:00,reclamo,acueducto,101,,,\n",
    # --- Holy Week. R30, R31 filed Fri 03-27: 30(1) 31(2) 04-01(3) [02 03] 06(4) 07 08 09
    # 10(8) 13(9) 14 15 16 17(13) 20(14) 21(15) -> 2026-04-21.
    "R30,2026-03-27 09:00,peticion,acueducto,101,2026-04-21 16:00,accede,\n",     # on time
    "R31,2026-03-27 10:00,peticion,acueducto,101,2026-04-22 08:00,accede,\n",     # late
    # R32 filed on Viernes Santo 04-03: 06(1) 07 08 09 10(5) 13(6) 14 15 16 17(10) 20(11)
    # 21 22 23 24(15) -> 2026-04-24; answered that day: on time.
    "R32,2026-04-03 10:00,queja,acueducto,201,2026-04-24 10:00,accede,\n",
])

CAB_S = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,aseo,"
         "ciclo,ruta,estado\n")
SUSCRIPTORES = CAB_S + "".join(
    # 2026-08: A01–A08 activo, A09 suspendido, A10 inactivo: activos = 8
    [f"A{i:02d},2026-08,CL {i},20001,residencial,2,S,S,S,01,0101,activo\n" for i in range(1, 9)]
    + ["A09,2026-08,CL 9,20001,residencial,2,S,S,S,01,0101,suspendido\n",
       "A10,2026-08,CL 10,20001,residencial,2,S,S,S,01,0101,inactivo\n"]
    # 2026-07: A01–A04 activo, A05 cortado: activos = 4
    + [f"A{i:02d},2026-07,CL {i},20001,residencial,2,S,S,S,01,0101,activo\n" for i in range(1, 5)]
    + ["A05,2026-07,CL 5,20001,residencial,2,S,S,S,01,0101,cortado\n"])

PQR_IDS = ["pqr.radicadas", "pqr.reclamos_por_1000", "pqr.oportunidad", "pqr.fuera_de_termino",
           "pqr.dias_habiles_promedio", "pqr.vencidas_sin_respuesta", "pqr.en_riesgo",
           "pqr.a_favor_usuario", "pqr.traslados_sspd"]


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    settings = cargar(almacen_modulo, {"pqr.csv": PQR, "suscriptores.csv": SUSCRIPTORES},
                      tmp_path_factory.mktemp("pqr"))
    return almacen_modulo, settings


@pytest.fixture(scope="module")
def agosto(cargado):
    url, settings = cargado
    return indicadores(url, settings, "2026-08", ids=PQR_IDS)


def valor(filas, id):
    return filas[id]["valor"]


def fecha(x) -> dt.date:
    """A date from the warehouse (a date, or a date-time at midnight)."""
    return x.date() if isinstance(x, dt.datetime) else x


def por_radicado(url, settings, id, periodo, columna) -> dict:
    return {r["radicado"]: r[columna] for r in registros(url, settings, id, periodo)}


# --- Counts of the month --------------------------------------------------------------------

def test_radicadas_counts_filings_by_the_date_of_fecha_radicacion(agosto, cargado):
    # August: R03 R06 R07 R08 R09 R10 R12 R13 R16 R17 R18 R19 R21 R22 R24 = 15 (R22 at 23:30
    # on 08-31 counts; R04 at 23:59 on 07-31 and R23 at 00:00 on 09-01 do not).
    assert valor(agosto, "pqr.radicadas") == 15
    url, settings = cargado
    assert sorted(por_radicado(url, settings, "pqr.radicadas", "2026-08", "tipo")) == [
        "R03", "R06", "R07", "R08", "R09", "R10", "R12", "R13", "R16", "R17", "R18", "R19",
        "R21", "R22", "R24"]
    # July: R01 R02 R04 R05 R11 R14 = 6.
    julio = indicadores(url, settings, "2026-07", ids=["pqr.radicadas"])
    assert valor(julio, "pqr.radicadas") == 6


def test_radicadas_by_service(cargado):
    url, settings = cargado
    got = indicadores(url, settings, "2026-08", por="servicio", ids=["pqr.radicadas"])
    # acueducto: R03 R06 R08 R09 R10 R12 R13 R17 R18 R19 R21 R22 = 12; alcantarillado: R07;
    # aseo: R16 R24.
    assert {g: f["valor"] for (_, g), f in got.items()} == {
        "acueducto": 12, "alcantarillado": 1, "aseo": 2}


def test_reclamos_por_1000_over_the_active_accounts_of_p(agosto, cargado):
    # August reclamos: R07 R10 R19 R22 = 4 (recursos are not reclamos); activos(2026-08) = 8
    # (A09 suspendido, A10 inactivo are not): 4 × 1000 / 8 = 500.
    assert valor(agosto, "pqr.reclamos_por_1000") == pytest.approx(500)
    url, settings = cargado
    # July: R01 R04 R14 = 3 over activos(2026-07) = 4: 3 × 1000 / 4 = 750.
    julio = indicadores(url, settings, "2026-07", ids=["pqr.reclamos_por_1000"])
    assert valor(julio, "pqr.reclamos_por_1000") == pytest.approx(750)
    # April has filings but no cadastre snapshot: no denominator source, None.
    abril = indicadores(url, settings, "2026-04", ids=["pqr.reclamos_por_1000"])
    assert valor(abril, "pqr.reclamos_por_1000") is None


def test_traslados_sspd_by_date_of_the_transfer(agosto):
    # R18 (08-25) and R20 (filed in June, sent 08-03); R25 was sent 09-01.
    assert valor(agosto, "pqr.traslados_sspd") == 2


# --- Deadlines and timeliness ---------------------------------------------------------------

def test_deadlines_of_august_cross_the_july_and_august_holidays(cargado):
    url, settings = cargado
    got = por_radicado(url, settings, "pqr.oportunidad", "2026-08", "vencimiento")
    # Filings with a term due in August (R05, a sugerencia, has none).
    assert {k: fecha(v) for k, v in got.items()} == {
        "R01": D(2026, 8, 4), "R02": D(2026, 8, 4),      # across 07-13 and 07-20
        "R03": D(2026, 8, 26),                           # across 08-07 and 08-17
        "R04": D(2026, 8, 25), "R11": D(2026, 8, 25),    # across 08-07 and 08-17
        "R06": D(2026, 8, 31),                           # filed on a Saturday
        "R12": D(2026, 8, 31),                           # filed on a holiday
    }


def test_deadlines_of_september(cargado):
    url, settings = cargado
    got = por_radicado(url, settings, "pqr.oportunidad", "2026-09", "vencimiento")
    assert {k: fecha(v) for k, v in got.items()} == {
        "R07": D(2026, 9, 7), "R08": D(2026, 9, 3), "R09": D(2026, 9, 4), "R10": D(2026, 9, 3),
        "R13": D(2026, 9, 3), "R17": D(2026, 9, 8), "R18": D(2026, 9, 8), "R19": D(2026, 9, 7),
        "R21": D(2026, 9, 9), "R22": D(2026, 9, 21), "R23": D(2026, 9, 22)}


def test_oportunidad_answer_on_the_deadline_day_is_on_time(agosto, cargado):
    # Due in August: R01 on time (08-04 17:45 on 08-04), R02 late (08-05), R03 on time,
    # R04 unanswered: late, R06 on time (23:59 on 08-31), R11 late (09-01), R12 unanswered:
    # late. The sugerencias R05 (would be 08-06), R16, R24 are not counted. 3 / 7.
    assert valor(agosto, "pqr.oportunidad") == pytest.approx(3 / 7)
    assert (agosto["pqr.oportunidad"]["numerador"], agosto["pqr.oportunidad"]["denominador"]) \
        == (3, 7)
    url, settings = cargado
    a_tiempo = por_radicado(url, settings, "pqr.oportunidad", "2026-08", "numerador")
    assert a_tiempo == {"R01": 1, "R02": 0, "R03": 1, "R04": 0, "R06": 1, "R11": 0, "R12": 0}


def test_fuera_de_termino_counts_the_late_and_unanswered(agosto, cargado):
    # R02, R04, R11, R12.
    assert valor(agosto, "pqr.fuera_de_termino") == 4
    url, settings = cargado
    assert sorted(por_radicado(url, settings, "pqr.fuera_de_termino", "2026-08", "tipo")) == [
        "R02", "R04", "R11", "R12"]


def test_oportunidad_of_july_and_september(cargado):
    url, settings = cargado
    julio = indicadores(url, settings, "2026-07", ids=["pqr.oportunidad", "pqr.fuera_de_termino"])
    # Due in July: only R14 (07-24), answered 08-03: 0 / 1, one out of term.
    assert valor(julio, "pqr.oportunidad") == 0.0
    assert valor(julio, "pqr.fuera_de_termino") == 1
    sept = indicadores(url, settings, "2026-09", ids=["pqr.oportunidad", "pqr.fuera_de_termino"])
    # Due in September: R10 (09-02 ≤ 09-03), R13, R17, R18, R19, R21 on time; R07 R08 R09 R22
    # R23 unanswered: 6 / 11, five out of term.
    assert valor(sept, "pqr.oportunidad") == pytest.approx(6 / 11)
    assert valor(sept, "pqr.fuera_de_termino") == 5


def test_oportunidad_across_holy_week(cargado):
    url, settings = cargado
    abril = indicadores(url, settings, "2026-04", ids=["pqr.oportunidad"])
    # R30 on time (04-21), R31 late (04-22), R32 (filed on Viernes Santo, due 04-24) on
    # time: 2 / 3.
    assert valor(abril, "pqr.oportunidad") == pytest.approx(2 / 3)
    got = por_radicado(url, settings, "pqr.oportunidad", "2026-04", "vencimiento")
    assert {k: fecha(v) for k, v in got.items()} == {
        "R30": D(2026, 4, 21), "R31": D(2026, 4, 21), "R32": D(2026, 4, 24)}


def test_dias_habiles_promedio_over_the_answers_of_the_month(agosto, cargado):
    # Answered in August: R01 15, R02 16, R03 15, R06 15, R13 12, R14 21, R16 0 (answered on
    # a Saturday), R17 2, R18 3, R19 1, R21 3. Sum 103 over 11 answers.
    assert valor(agosto, "pqr.dias_habiles_promedio") == pytest.approx(103 / 11)
    url, settings = cargado
    assert por_radicado(url, settings, "pqr.dias_habiles_promedio", "2026-08", "dias_habiles") == {
        "R01": 15, "R02": 16, "R03": 15, "R06": 15, "R13": 12, "R14": 21, "R16": 0, "R17": 2,
        "R18": 3, "R19": 1, "R21": 3}
    # No answer dated in July: a zero denominator is None, not 0.
    julio = indicadores(url, settings, "2026-07", ids=["pqr.dias_habiles_promedio"])
    assert valor(julio, "pqr.dias_habiles_promedio") is None


# --- The stock at end(P) --------------------------------------------------------------------

def test_vencidas_sin_respuesta_at_end_of_p(agosto, cargado):
    # With a term, no answer on or before 08-31, vencimiento < 08-31: R04 (08-25), R11
    # (08-25, answered only on 09-01), R15 (06-24). Not R12 (due on 08-31 itself), not the
    # sugerencias R05, R24.
    assert valor(agosto, "pqr.vencidas_sin_respuesta") == 3
    url, settings = cargado
    assert sorted(por_radicado(url, settings, "pqr.vencidas_sin_respuesta", "2026-08",
                               "tipo")) == ["R04", "R11", "R15"]
    # At 07-31: R14 (07-24, answered 08-03) and R15.
    julio = indicadores(url, settings, "2026-07", ids=["pqr.vencidas_sin_respuesta"])
    assert valor(julio, "pqr.vencidas_sin_respuesta") == 2


def test_en_riesgo_three_business_days_left_counts_four_does_not(agosto, cargado):
    # Unanswered at 08-31 with vencimiento ≥ 08-31: R08 (09-03, 3 left), R10 (09-03, 3 left,
    # answered only on 09-02), R12 (08-31, 0 left) are at risk; R09 (09-04, 4 left), R07
    # (09-07, 5), R22 (09-21, 15) are not; R13 (answered 08-31) is not.
    assert valor(agosto, "pqr.en_riesgo") == 3
    url, settings = cargado
    assert por_radicado(url, settings, "pqr.en_riesgo", "2026-08", "dias_restantes") == {
        "R08": 3, "R10": 3, "R12": 0}
    # At 07-31: R01 and R02 are due 08-04, 2 business days later (08-03, 08-04), and were
    # answered only in August.
    julio = indicadores(url, settings, "2026-07", ids=["pqr.en_riesgo"])
    assert valor(julio, "pqr.en_riesgo") == 2


def test_the_stock_at_an_end_of_p_that_is_a_saturday(cargado):
    url, settings = cargado
    got = indicadores(url, settings, "2026-10", ids=["pqr.radicadas", "pqr.en_riesgo",
                                                     "pqr.vencidas_sin_respuesta"])
    assert valor(got, "pqr.radicadas") == 3                 # R40 R41 R42
    # dias_habiles(10-31, vencimiento): R40 1 (11-03), R41 3; R42 4 is not at risk.
    assert valor(got, "pqr.en_riesgo") == 2
    assert por_radicado(url, settings, "pqr.en_riesgo", "2026-10", "dias_restantes") == {
        "R40": 1, "R41": 3}
    # Unanswered at 10-31 and due before it: R04 (08-25), R07 (09-07), R08 (09-03), R09
    # (09-04), R12 (08-31), R15 (06-24), R22 (09-21), R23 (09-22). R10, R11 were answered in
    # September.
    assert sorted(por_radicado(url, settings, "pqr.vencidas_sin_respuesta", "2026-10",
                               "tipo")) == ["R04", "R07", "R08", "R09", "R12", "R15", "R22",
                                            "R23"]
    assert valor(got, "pqr.vencidas_sin_respuesta") == 8


def test_goals_of_config(agosto):
    # [metas] "pqr.oportunidad" = 0.98, higher is better: 3/7 does not meet it.
    assert (agosto["pqr.oportunidad"]["meta"], agosto["pqr.oportunidad"]["cumple"]) == (0.98, False)
    # No goal for the counts: cumple is None.
    assert (agosto["pqr.fuera_de_termino"]["meta"], agosto["pqr.fuera_de_termino"]["cumple"]) \
        == (None, None)


def test_a_favor_usuario_over_claims_and_appeals_answered_in_the_month(agosto, cargado):
    # Reclamos and recursos answered in August: R01 accede, R14 accede_parcial, R17 revoca,
    # R21 modifica (in favour); R18 confirma, R19 no_accede (not). Peticiones and quejas (R02
    # R03 R06 R13) and R10 (answered in September) are out. 4 / 6.
    assert valor(agosto, "pqr.a_favor_usuario") == pytest.approx(4 / 6)
    url, settings = cargado
    julio = indicadores(url, settings, "2026-07", ids=["pqr.a_favor_usuario"])
    assert valor(julio, "pqr.a_favor_usuario") is None       # no such answer in July


# --- No data ---------------------------------------------------------------------------------

def test_a_period_without_filings_has_no_values(cargado):
    url, settings = cargado
    # Nothing was filed, due, answered or open in February or May 2026 (R30–R32 were all
    # answered in April).
    for periodo in ("2026-02", "2026-05"):
        got = indicadores(url, settings, periodo, ids=PQR_IDS)
        assert {id: f["valor"] for id, f in got.items()} == dict.fromkeys(PQR_IDS), periodo


def test_a_month_no_export_reaches_is_empty_not_guessed(cargado):
    url, settings = cargado
    got = indicadores(url, settings, "2026-11", ids=["pqr.oportunidad",
                                                     "pqr.vencidas_sin_respuesta"])
    # Nothing is dated November 2026: no export of that month was loaded. R40 (due 11-03),
    # R41 (11-05) and R42 (11-06) may well have been answered in November, which only
    # November's export would say: the values are None (the data is missing), not 0 / 3.
    assert valor(got, "pqr.oportunidad") is None
    assert valor(got, "pqr.vencidas_sin_respuesta") is None


def test_counts_are_zero_not_none_with_data(cargado):
    url, settings = cargado
    julio = indicadores(url, settings, "2026-07", ids=["pqr.traslados_sspd"])
    assert valor(julio, "pqr.traslados_sspd") == 0        # filings in July, none sent
