"""The data's cut-off (``indicators.md``, "corte de los datos"): what is due after the latest
event date of the loaded exports is not judged yet. It leaves the denominator of the
timeliness shares, and those shares and ``recaudo.eficiencia_oportuna`` say how many of
their items are not yet due (``provisional``).

Hand-written exports loaded once per backend. The latest event is a payment on Sunday
2026-12-06: the cut-off. The 2026 holidays around it: Mon 11-02, Mon 11-16, Tue 12-08.
November (the last billed month) is judged for the calendar and the on-time collection;
December (the month the cut-off falls in) for the PQR, the work orders and the letters.
Every expected value is worked out by hand in the comments.
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from etl import migracion
from etl import warehouse as w
from etl.contract import SOURCES
from indicators import catalogo, guardados
from tests.conftest import rows
from tests.indicators.conftest import cargar, indicadores, registros

NOV, DIC = "2026-11", "2026-12"
CORTE = dt.date(2026, 12, 6)
PROVISIONALES = ["calendario.cumplimiento", "pqr.oportunidad", "ordenes.cumplimiento",
                 "correspondencia.oportunidad", "recaudo.eficiencia_oportuna"]

SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado\n"
                "C1,2026-11,CL 1,20001,residencial,2,S,S,S,01,0101,activo\n"
                "C2,2026-11,CL 2,20011,residencial,2,S,S,S,01,0101,activo\n")
# November's billing: 300.000. F2 is due 12-10, after the cut-off; F3 on the cut-off's day.
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F1,C1,2026-11,acueducto,2026-11-05,2026-11-25,0,100000,0,0,100000\n"
            "F1,C1,2026-11,alcantarillado,2026-11-05,2026-11-25,0,50000,0,0,50000\n"
            "F2,C2,2026-11,acueducto,2026-11-20,2026-12-10,0,80000,0,0,80000\n"
            "F2,C2,2026-11,aseo,2026-11-20,2026-12-10,0,20000,0,0,20000\n"
            "F3,C1,2026-11,acueducto,2026-11-16,2026-12-06,0,50000,0,0,50000\n")
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor\n"
         "PG1,C1,F1,2026-11-20,150000\n"     # before F1's 11-25
         "PG2,C2,F2,2026-12-01,60000\n"      # before F2's 12-10
         "PG3,C1,F3,2026-12-06,20000\n")     # on F3's 12-06: the latest event of all

# The issue's November calendar: 140 activities (14 cycles of the 10 activities). k < 80
# done on their day; 80 ≤ k < 125 planned in November and not done (late); k ≥ 125 planned
# 7–16 December, after the cut-off, and not done: not judged yet.
ACTIVIDADES = SOURCES["calendario"].column("actividad").codes


def _actividad(k: int) -> str:
    ciclo, actividad = f"{k // 10 + 1:02d}", ACTIVIDADES[k % 10]
    if k < 125:
        programada = f"2026-11-{k % 28 + 1:02d}"
        return f"2026-11,{ciclo},{actividad},{programada},{programada if k < 80 else ''}\n"
    return f"2026-11,{ciclo},{actividad},2026-12-{7 + (k - 125) % 10:02d},\n"


CALENDARIO = "periodo,ciclo,actividad,fecha_programada,fecha_ejecutada\n" + "".join(
    _actividad(k) for k in range(140))

PQR = ("radicado,fecha_radicacion,tipo,servicio,causal,fecha_respuesta,tipo_respuesta\n"
       # filed Mon 11-09: 10 11 12 13 17(5) 18 19 20 23 24(10) 25 26 27 30 12-01(15): due
       # 12-01; answered 11-30: on time
       "Q1,2026-11-09 09:00,reclamo,acueducto,101,2026-11-30 10:00,accede\n"
       # filed Thu 11-12: 13 17 18 19 20(5) 23 24 25 26 27(10) 30 12-01 02 03 04(15): due
       # 12-04, two days before the cut-off; unanswered: late
       "Q2,2026-11-12 09:00,reclamo,alcantarillado,101,,\n"
       # filed Fri 11-13: 17 18 19 20 23(5) 24 25 26 27 30(10) 12-01 02 03 04 07(15): due
       # 12-07, the day after the cut-off; unanswered: not due yet
       "Q3,2026-11-13 09:00,peticion,acueducto,101,,\n"
       # filed Wed 11-18: 19 20 23 24 25(5) 26 27 30 12-01 02(10) 03 04 07 09 10(15) (12-08
       # is a holiday): due 12-10; answered early, on 12-02, but not due yet: not judged
       "Q4,2026-11-18 09:00,queja,aseo,201,2026-12-02 08:00,accede\n"
       # filed Wed 12-02: 03 04 07 09 10(5) 11 14 15 16 17(10) 18 21 22 23 24(15): due
       # 12-24; a December filing, so December has PQR data
       "Q5,2026-12-02 10:00,peticion,acueducto,101,,\n")

ORDENES = ("numero,tipo,fecha_generacion,fecha_vencimiento,fecha_ejecucion,estado\n"
           # due on the cut-off's day at 17:00, executed at 18:00: judged, and late
           "O1,suspension,2026-12-01 08:00,2026-12-06 17:00,2026-12-06 18:00,ejecutada\n"
           # due 12-03 12:00, executed 12-02: on time
           "O2,corte,2026-12-01 08:00,2026-12-03 12:00,2026-12-02 10:00,ejecutada\n"
           # due at the first instant after the cut-off's day: not due yet
           "O3,suspension,2026-12-02 08:00,2026-12-07 00:00,,pendiente\n"
           # due 12-15: not due yet
           "O4,corte,2026-12-02 08:00,2026-12-15 17:00,,pendiente\n"
           # annulled: out of everything
           "O5,corte,2026-12-02 08:00,2026-12-04 17:00,,anulada\n")

CORRESPONDENCIA = ("radicado,fecha_recibido,tipo,fecha_limite,fecha_respuesta\n"
                   "D1,2026-12-01,tutela,2026-12-04,2026-12-04\n"       # on its limit: on time
                   "D2,2026-12-01,requerimiento,2026-12-06,\n"          # due on the cut-off: late
                   "D3,2026-12-02,derecho_peticion,2026-12-11,2026-12-03\n"  # due later
                   "D4,2026-12-03,citacion,2026-12-07,\n")              # due the day after


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    settings = cargar(almacen_modulo, {
        "suscriptores.csv": SUSCRIPTORES, "facturas.csv": FACTURAS, "pagos.csv": PAGOS,
        "calendario.csv": CALENDARIO, "pqr.csv": PQR, "ordenes.csv": ORDENES,
        "correspondencia.csv": CORRESPONDENCIA}, tmp_path_factory.mktemp("corte"))
    return almacen_modulo, settings


def _conectado(url, fn):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return fn(conn)
    finally:
        engine.dispose()


def _cifras(fila) -> tuple:
    return fila["numerador"], fila["denominador"], fila["provisional"]


def test_the_cut_off_is_the_latest_event_date(cargado):
    url, _ = cargado
    # PG3's payment on 12-06; O1's execution at 18:00 that day counts by its date. Later
    # dates are deadlines (F2's 12-10, O4's 12-15, Q5's 12-24), not events.
    assert _conectado(url, catalogo.corte) == CORTE


def test_the_issues_november_calendar(cargado):
    url, settings = cargado
    f = indicadores(url, settings, NOV, ids=["calendario.cumplimiento"])["calendario.cumplimiento"]
    # 80 done of the 125 due by the cut-off (not 80 of 140 = 57,1 %); 15 not due yet
    assert _cifras(f) == (80, 125, 15)
    assert f["valor"] == pytest.approx(0.64)
    por_ciclo = indicadores(url, settings, NOV, por="ciclo", ids=["calendario.cumplimiento"])
    ciclos = {g: (_cifras(x), x["valor"]) for (_, g), x in por_ciclo.items()}
    # cycles 01–08 (k 0–79) all on time; 09–12 (k 80–119) all late; 13: k 120–124 late and
    # 125–129 not due; 14: k 130–139 not due, nothing judged: no value
    assert ciclos == {**{f"{c:02d}": ((10, 10, 0), 1.0) for c in range(1, 9)},
                      **{f"{c:02d}": ((0, 10, 0), 0.0) for c in range(9, 13)},
                      "13": ((0, 5, 5), 0.0), "14": ((0, 0, 10), None)}
    # the records are all 140 activities, the 15 not yet judged marked so
    filas = registros(url, settings, "calendario.cumplimiento", NOV)
    assert len(filas) == 140
    pendientes = [r for r in filas if r["aun_no_vence"] == 1]
    assert len(pendientes) == 15
    assert {(r["numerador"], r["denominador"]) for r in pendientes} == {(0, 0)}
    assert {r["fecha_programada"] for r in pendientes} == {
        dt.date(2026, 12, d) for d in range(7, 17)}


def test_pqr_oportunidad_judges_what_was_due(cargado):
    url, settings = cargado
    got = indicadores(url, settings, DIC, ids=["pqr.oportunidad", "pqr.fuera_de_termino"])
    # due in December by the cut-off: Q1 (on time) and Q2 (late): 1 / 2; Q3, Q4 (answered
    # early) and Q5 not due yet: 3. Without the cut-off it was 2 / 5.
    assert _cifras(got["pqr.oportunidad"]) == (1, 2, 3)
    assert got["pqr.oportunidad"]["valor"] == pytest.approx(0.5)
    # a filing not yet due is not out of term either: only Q2
    assert got["pqr.fuera_de_termino"]["valor"] == 1
    assert got["pqr.fuera_de_termino"]["provisional"] is None
    por = indicadores(url, settings, DIC, por="servicio", ids=["pqr.oportunidad"])
    # acueducto: Q1 1 / 1, Q3 and Q5 not due; alcantarillado: Q2 0 / 1; aseo: Q4 not due
    assert {g: _cifras(f) for (_, g), f in por.items()} == {
        "acueducto": (1, 1, 2), "alcantarillado": (0, 1, 0), "aseo": (0, 0, 1)}
    filas = {r["radicado"]: (r["numerador"], r["denominador"], r["aun_no_vence"])
             for r in registros(url, settings, "pqr.oportunidad", DIC)}
    assert filas == {"Q1": (1, 1, 0), "Q2": (0, 1, 0), "Q3": (0, 0, 1), "Q4": (0, 0, 1),
                     "Q5": (0, 0, 1)}


def test_ordenes_cumplimiento_judges_what_was_due(cargado):
    url, settings = cargado
    f = indicadores(url, settings, DIC, ids=["ordenes.cumplimiento"])["ordenes.cumplimiento"]
    # O1 (due on the cut-off's day, executed an hour late) and O2 (on time): 1 / 2; O3 and
    # O4 are due after the cut-off's day: 2 not due; O5 is annulled. Without it: 1 / 4.
    assert _cifras(f) == (1, 2, 2)
    filas = {r["numero"]: (r["numerador"], r["denominador"], r["aun_no_vence"])
             for r in registros(url, settings, "ordenes.cumplimiento", DIC)}
    assert filas == {"O1": (0, 1, 0), "O2": (1, 1, 0), "O3": (0, 0, 1), "O4": (0, 0, 1)}


def test_correspondencia_oportunidad_judges_what_was_due(cargado):
    url, settings = cargado
    f = indicadores(url, settings, DIC, ids=["correspondencia.oportunidad"])[
        "correspondencia.oportunidad"]
    # D1 on time, D2 (due on the cut-off) unanswered: 1 / 2; D3 (answered early) and D4 are
    # due after it: 2 not due. Without it: 2 / 4.
    assert _cifras(f) == (1, 2, 2)
    assert f["valor"] == pytest.approx(0.5)


def test_eficiencia_oportuna_is_provisional_while_invoices_are_not_due(cargado):
    url, settings = cargado
    f = indicadores(url, settings, NOV, ids=["recaudo.eficiencia_oportuna"])[
        "recaudo.eficiencia_oportuna"]
    # paid by the due date: PG1 150.000 + PG2 60.000 + PG3 20.000 = 230.000 of the 300.000
    # billed (the billing stays whole); F2 (two services, one invoice) is due after the
    # cut-off: 1
    assert _cifras(f) == (230000, 300000, 1)
    assert f["valor"] == pytest.approx(230000 / 300000)
    por = indicadores(url, settings, NOV, por="municipio", ids=["recaudo.eficiencia_oportuna"])
    # C1 (20001): F1 and F3, (150.000 + 20.000) / 200.000; C2 (20011): F2, 60.000 / 100.000
    assert {g: _cifras(f) for (_, g), f in por.items()} == {
        "20001": (170000, 200000, 0), "20011": (60000, 100000, 1)}
    por = indicadores(url, settings, NOV, por="servicio", ids=["recaudo.eficiencia_oportuna"])
    # a payment spread over its invoice's services (F1 100:50, F2 80:20); F2 is one invoice
    # of acueducto and one of aseo
    assert {g: _cifras(f) for (_, g), f in por.items()} == {
        "acueducto": (pytest.approx(100000 + 48000 + 20000), 230000, 1),
        "alcantarillado": (pytest.approx(50000), 50000, 0),
        "aseo": (pytest.approx(12000), 20000, 1)}
    # the same with the filter of a municipality
    filtrado = _conectado(url, lambda conn: catalogo.calcular(
        conn, NOV, settings, ids=["recaudo.eficiencia_oportuna"], filtro={"municipio": "20011"},
        guardados=False))
    assert filtrado.loc[0, "provisional"] == 1
    # the invoice rows of the records add up to it: F2 once, on one of its two rows
    facturas: dict[str, list] = {}
    for r in registros(url, settings, "recaudo.eficiencia_oportuna", NOV):
        if r["registro"] == "factura":
            facturas.setdefault(r["referencia"], []).append(r["aun_no_vence"])
    assert {n: sorted(v) for n, v in facturas.items()} == {
        "F1": [0, 0], "F2": [0, 1], "F3": [0]}


def test_only_those_five_are_provisional(cargado):
    url, settings = cargado
    todos = indicadores(url, settings, DIC)
    assert {id for id, f in todos.items() if f["provisional"] is not None} == set(PROVISIONALES)
    # a month without their data: no value, and no item pending
    octubre = indicadores(url, settings, "2026-10", ids=PROVISIONALES)
    assert {id: (f["valor"], f["provisional"]) for id, f in octubre.items()} == {
        id: (None, 0) for id in PROVISIONALES}


def test_the_kept_results_carry_it(cargado):
    url, settings = cargado
    engine = w.create_engine(url)
    try:
        assert catalogo.guardar_ultimos(engine, settings)
    finally:
        engine.dispose()
    T = w.resultado_indicador
    kept = dict(rows(url, sa.select(T.c.id, T.c.provisional).where(
        T.c.periodo == NOV, T.c.por.is_(None))))
    assert kept["calendario.cumplimiento"] == 15
    assert kept["recaudo.eficiencia_oportuna"] == 1
    assert kept["recaudo.eficiencia"] is None
    municipio = dict(rows(url, sa.select(T.c.grupo, T.c.provisional).where(
        T.c.periodo == NOV, T.c.por == "municipio", T.c.id == "recaudo.eficiencia_oportuna")))
    assert municipio == {"20001": 0, "20011": 1}

    def ambos(conn):
        return [(catalogo.calcular(conn, NOV, settings, **pedido),
                 catalogo.calcular(conn, NOV, settings, **pedido, guardados=False))
                for pedido in ({}, {"por": "municipio"}, {"filtro": {"servicio": "aseo"}})]
    for leido, computado in _conectado(url, ambos):
        assert leido.equals(computado)


def test_a_warehouse_without_the_column_gets_it(cargado):
    url, _ = cargado
    T = w.resultado_indicador
    engine = w.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER TABLE {T.name} DROP COLUMN provisional")
        w._al_dia.clear()                 # this process saw the column before
        with engine.connect() as conn:
            assert not w.al_dia(conn)     # read as a warehouse of an older Cauce
        migracion.ensure_schema(engine)
        with engine.connect() as conn:
            assert w.tiene_columna(conn, T.name, "provisional") and w.al_dia(conn)
    finally:
        engine.dispose()
