"""Following each suspension notice until it is closed, on hand-made data.

Six accounts N1..N6 each owe two invoices (10.000 each) 40 and 70 days past due at the cut-off
of 2026-10-31: six suspension notices. A first batch issued on 2026-11-02 is re-issued on
2026-11-03 (the first six are voided: AS-2026-000001..6 anulado; AS-2026-000007..12 in
force), deadline 2026-11-13; [documentos] dias_cierre 5: closed on time until 2026-11-18.
Loaded afterwards:
- N1 pays 15.000 on 11-05 and 5.000 on 11-08: pagado on 11-08 (the sum reaches 20.000);
- N2 pays 5.000 on 11-05: still open, vencido at the end of November;
- N3 paid 20.000 on 11-02 (before the issue: does not count); suspended on 11-20: suspendido;
- N4 files a reclamo on 11-10: en reclamo;
- N5 nothing: vencido;
- N6 a petición on 11-06 (not a claim), a suspension order annulled, and one executed on 11-03,
  the issue day itself (not after it): vencido.
For November: 6 issued; 6 due in the month, 2 closed by 11-18 (N1, N4): 1/3; 3 open past
their deadline at 11-30 (N2, N5, N6), 17 days past it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from cauce.acciones import documentos as acc
from indicators import catalogo, cobro, listas
from indicators.definicion import Contexto
from tests.indicators.conftest import cargar, indicadores

P = "2026-10"
CORTE = dt.date(2026, 10, 31)
CUENTAS = ["N1", "N2", "N3", "N4", "N5", "N6"]

CATASTRO = ("codigo,periodo,nombre,direccion,municipio_dane,uso,estrato,acueducto,"
            "alcantarillado,aseo,ciclo,ruta,secuencia,estado\n") + "".join(
    f"{c},{P},Usuario {c},CL {i},20001,residencial,2,S,S,S,01,0101,{i},activo\n"
    for i, c in enumerate(CUENTAS, 1))
CARTERA = "fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n" + "".join(
    f"{CORTE},{c},F{c}{d},acueducto,{CORTE - dt.timedelta(days=d)},10000\n"
    for c in CUENTAS for d in (40, 70))

PAGOS = ("id,codigo,fecha_pago,valor\n"
         "P1,N1,2026-11-05,15000\nP2,N1,2026-11-08,5000\nP3,N2,2026-11-05,5000\n"
         "P4,N3,2026-11-02,20000\n")
ORDENES = ("numero,codigo,tipo,fecha_generacion,fecha_vencimiento,fecha_ejecucion,estado\n"
           "O1,N3,suspension,2026-11-19 08:00,2026-11-21 08:00,2026-11-20 10:00,ejecutada\n"
           "O2,N6,suspension,2026-11-19 08:00,2026-11-21 08:00,2026-11-20 10:00,anulada\n"
           "O3,N6,suspension,2026-11-01 08:00,2026-11-05 08:00,2026-11-03 10:00,ejecutada\n")
PQR = ("radicado,codigo,fecha_radicacion,tipo,servicio,causal\n"
       "R1,N4,2026-11-10 09:00,reclamo,acueducto,101\n"
       "R2,N6,2026-11-06 09:00,peticion,acueducto,101\n")


@pytest.fixture(scope="module")
def seguido(almacen_modulo, tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("cobro")
    settings = cargar(almacen_modulo, {"suscriptores_2026-10.csv": CATASTRO,
                                       "cartera.csv": CARTERA}, carpeta / "octubre")
    acc.emitir(settings, "aviso_suspension", P, carpeta / "lote1", hoy=dt.date(2026, 11, 2))
    acc.emitir(settings, "aviso_suspension", P, carpeta / "lote2", reemitir=True,
               hoy=dt.date(2026, 11, 3))
    cargar(almacen_modulo, {"pagos.csv": PAGOS, "ordenes.csv": ORDENES, "pqr.csv": PQR},
           carpeta / "noviembre")
    return almacen_modulo, dataclasses.replace(settings)


def leer(url, consulta):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return consulta(conn)
    finally:
        engine.dispose()


def test_each_notice_closes_on_the_first_event_after_its_issue(seguido):
    url, _ = seguido
    c = cobro.cierres().subquery()
    filas = leer(url, lambda conn: conn.execute(
        sa.select(c.c.numero, c.c.codigo, c.c.causa, c.c.fecha_cierre,
                  cobro.estado(c.c, sa.literal(dt.date(2026, 11, 12), sa.Date)).label("d12"),
                  cobro.estado(c.c, sa.literal(dt.date(2026, 11, 30), sa.Date)).label("d30"))
        .order_by(c.c.numero)).all())
    por = {f.numero: f for f in filas}
    assert [por[f"AS-2026-{k:06d}"].d30 for k in range(1, 7)] == ["anulado"] * 6
    vigentes = {por[f"AS-2026-{k:06d}"].codigo: por[f"AS-2026-{k:06d}"] for k in range(7, 13)}
    assert {c: (f.causa, f.fecha_cierre) for c, f in vigentes.items()} == {
        "N1": ("pagado", dt.date(2026, 11, 8)), "N2": (None, None),
        "N3": ("suspendido", dt.date(2026, 11, 20)), "N4": ("en reclamo", dt.date(2026, 11, 10)),
        "N5": (None, None), "N6": (None, None)}
    # on the 12th (deadline the 13th): N3 not suspended yet, the unpaid ones are abierto
    assert {c: f.d12 for c, f in vigentes.items()} == {
        "N1": "pagado", "N2": "abierto", "N3": "abierto", "N4": "en reclamo", "N5": "abierto",
        "N6": "abierto"}
    assert {c: f.d30 for c, f in vigentes.items()} == {
        "N1": "pagado", "N2": "vencido", "N3": "suspendido", "N4": "en reclamo",
        "N5": "vencido", "N6": "vencido"}


def test_the_notices_indicators(seguido):
    url, settings = seguido
    ids = ["cobro.avisos_emitidos", "cobro.avisos_cerrados", "cobro.avisos_vencidos"]
    nov = indicadores(url, settings, "2026-11", ids=ids)
    assert nov["cobro.avisos_emitidos"]["valor"] == 6          # the voided six do not count
    assert (nov["cobro.avisos_cerrados"]["numerador"],
            nov["cobro.avisos_cerrados"]["denominador"]) == (2, 6)
    assert nov["cobro.avisos_cerrados"]["valor"] == pytest.approx(1 / 3)
    assert nov["cobro.avisos_vencidos"]["valor"] == 3
    # October has no payments loaded: whether a notice was paid cannot be told, no value
    octubre = indicadores(url, settings, "2026-10", ids=ids)
    assert {f["valor"] for f in octubre.values()} == {None}
    # broken down through the cadastre of P: November's was not loaded, so "sin catastro"
    por = indicadores(url, settings, "2026-11", por="municipio", ids=["cobro.avisos_vencidos"])
    assert {k: f["valor"] for k, f in por.items()} == {
        ("cobro.avisos_vencidos", "sin catastro"): 3}
    tendencia = leer(url, lambda conn: catalogo.tendencia(conn, "2026-11", settings,
                                                           ids=["cobro.avisos_emitidos"], n=3))
    assert list(tendencia["valor"]) == [None, None, 6]         # September, October, November
    detalle = leer(url, lambda conn: catalogo.detalle(conn, "cobro.avisos_vencidos", "2026-11",
                                                      settings, solo_numerador=True))
    assert sorted(detalle["codigo"]) == ["N2", "N5", "N6"]


def test_the_open_notices_list(seguido):
    url, settings = seguido
    filas = leer(url, lambda conn: listas.obtener(conn, "avisos_abiertos", "2026-11", settings))
    assert [(f["codigo"], f["dias_vencido"], f["estado"], float(f["valor"]))
            for f in filas.to_dict("records")] == [
        ("N2", 17, "vencido", 20000.0), ("N5", 17, "vencido", 20000.0),
        ("N6", 17, "vencido", 20000.0)]
    assert list(filas.columns[:5]) == ["numero", "codigo", "nombre", "direccion", "ruta"]
    # at the end of October nothing was issued yet
    assert leer(url, lambda conn: listas.obtener(conn, "avisos_abiertos", "2026-10",
                                                 settings)).empty


def test_a_warehouse_without_the_register_reads_no_notices(seguido):
    url, settings = seguido

    def sin_registro(conn):
        q = Contexto(conn, "2026-11", settings)
        q._cache["hay_registro"] = False
        return conn.execute(cobro.avisos(q)).all()
    assert leer(url, sin_registro) == []


def test_the_register_shows_each_documents_state(seguido):
    url, _ = seguido
    frame = leer(url, lambda conn: acc.registro(conn, tipo="aviso_suspension", periodo=P,
                                                dia=dt.date(2026, 11, 30)))
    assert list(frame["numero"])[:6] == [f"AS-2026-{k:06d}" for k in range(7, 13)]  # newest first
    estados = dict(zip(frame["codigo"] + "/" + frame["lote"].astype(str), frame["estado"]))
    nuevo = max(frame["lote"])
    assert {c: estados[f"{c}/{nuevo}"] for c in CUENTAS} == {
        "N1": "pagado", "N2": "vencido", "N3": "suspendido", "N4": "en reclamo",
        "N5": "vencido", "N6": "vencido"}
    assert sorted(v for k, v in estados.items() if not k.endswith(f"/{nuevo}")) == ["anulado"] * 6


def test_a_batch_refreshes_the_notices_indicators_the_last_load_kept(tmp_path):
    """Between loads, the dashboard reads what the last load kept: a batch brings the
    notices' indicators up to date there (the other indicators stay as the load kept them)."""
    url = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    noviembre = CATASTRO.replace(f",{P},", ",2026-11,")
    settings = cargar(url, {"suscriptores_2026-10.csv": CATASTRO, "cartera.csv": CARTERA,
                            "suscriptores_2026-11.csv": noviembre, "pagos.csv": PAGOS},
                      tmp_path / "exportes")
    engine = sa.create_engine(url)
    try:
        assert catalogo.guardar_ultimos(engine, settings)
    finally:
        engine.dispose()
    ids = ["cobro.avisos_emitidos", "catastro.suscriptores"]

    def guardado(conn):
        assert catalogo._leer_lo_guardado(Contexto(conn, "2026-11", settings),
                                          {i: None for i in ids}, ids)      # all of them kept
        frame = catalogo.calcular(conn, "2026-11", settings, ids=ids)
        return dict(zip(frame["id"], frame["valor"]))
    assert leer(url, guardado) == {"cobro.avisos_emitidos": 0, "catastro.suscriptores": 6}
    acc.emitir(settings, "aviso_suspension", P, tmp_path / "lote", hoy=dt.date(2026, 11, 3))
    assert leer(url, guardado) == {"cobro.avisos_emitidos": 6, "catastro.suscriptores": 6}
