"""The working lists on hand-made receivables (cut-off 2026-10-31) and claims.

Days past due d = fecha_corte − fecha_vencimiento; each row below gives d, and its due
date is written as the cut-off minus d days. Bands of the shipped config: persuasivo
1–90, prejurídico 91–180, jurídico from 181; suspension from 2 past-due invoices.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from cauce.cli import main
from indicators import listas
from tests.indicators.conftest import cargar, indicadores

P = "2026-10"
CORTE = dt.date(2026, 10, 31)

# (account, invoice, d, saldo)
DEUDAS = [
    ("S01", "F011", 30, 10000), ("S01", "F012", 60, 20000),   # 2 past due: suspension; 60
    ("S02", "F021", 100, 5000), ("S02", "F022", 10, 7000),    # F022 under an open reclamo
    ("S03", "F031", 200, 1000), ("S03", "F032", 190, 1000),   # oficial: marked
    ("S04", "F041", 5, 300), ("S04", "F042", 6, 300),         # suspendido: not in suspension
    ("S05", "F051", 0, 800), ("S05", "F052", 1, 900),         # d = 0 is not past due
    ("S06", "F061", 90, 100),                                 # persuasivo's last day
    ("S07", "F071", 91, 100),                                 # prejurídico's first
    ("S08", "F081", 180, 100),                                # prejurídico's last
    ("S09", "F091", 181, 100),                                # jurídico's first
    ("S10", "F101", 40, 400), ("S10", "F102", 35, 400),       # claim answered before the cut
    ("S11", "F111", 40, 300), ("S11", "F112", 35, 300),       # appeal answered after the cut
    ("S12", "F121", 40, 200), ("S12", "F122", 35, 200),       # a petición does not protect
    ("S13", "F131", 50, 600),                                 # not in the cadastre of P
    ("S14", "F141", 45, 500), ("S14", "F142", 15, 250),       # proteccion_especial
]

CARTERA = "fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n" + "".join(
    f"{CORTE},{c},{f},acueducto,{CORTE - dt.timedelta(days=d)},{s}\n" for c, f, d, s in DEUDAS
) + "2026-10-15,S99,F999,acueducto,2025-12-19,99999\n"   # an earlier cut-off of the month

CATASTRO = ("codigo,periodo,nombre,direccion,municipio_dane,uso,estrato,acueducto,"
            "alcantarillado,aseo,ciclo,ruta,secuencia,estado,proteccion_especial\n") + "".join(
    f"{c},{P},{n},CL {i},20001,{uso},{e},S,S,S,{ciclo},{ruta},{sec},{estado},"
    f"{'S' if c == 'S14' else ''}\n"
    for i, (c, n, uso, e, ciclo, ruta, sec, estado) in enumerate([
        ("S01", "=HYPERLINK(\"http://x\")", "residencial", 2, "02", "0201", 5, "activo"),
        ("S02", "Ana Pérez", "residencial", 2, "01", "0101", 1, "activo"),
        ("S03", "Alcaldía", "oficial", 0, "01", "0101", 2, "activo"),
        ("S04", "Luis Díaz", "residencial", 1, "01", "0101", 3, "suspendido"),
        ("S05", "Eva Ruiz", "residencial", 3, "01", "0101", 4, "activo"),
        ("S06", "B", "residencial", 3, "01", "0102", 1, "activo"),
        ("S07", "C", "residencial", 3, "01", "0102", 2, "activo"),
        ("S08", "D", "residencial", 3, "01", "0102", 3, "activo"),
        ("S09", "E", "residencial", 3, "01", "0102", 4, "activo"),
        ("S10", "F", "comercial", 0, "01", "0101", 9, "activo"),
        ("S11", "G", "residencial", 2, "02", "0201", 1, "activo"),
        ("S12", "H", "residencial", 2, "01", "0101", 7, "activo"),
        ("S14", "Hospital San José", "especial", 0, "01", "0101", 8, "activo"),
    ], 1))

PQR = "radicado,codigo,fecha_radicacion,tipo,servicio,causal,numero_factura,fecha_respuesta\n" + \
    "R1,S02,2026-10-05 09:00,reclamo,acueducto,101,F022,\n" + \
    "R2,S10,2026-10-01 09:00,reclamo,acueducto,101,F102,2026-10-20 10:00\n" + \
    "R3,S11,2026-10-01 09:00,recurso_reposicion,acueducto,101,F112,2026-11-05 10:00\n" + \
    "R4,S12,2026-10-01 09:00,peticion,acueducto,101,F122,\n"


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("listas")
    settings = cargar(almacen_modulo, {"suscriptores_2026-10.csv": CATASTRO,
                                       "cartera.csv": CARTERA, "pqr.csv": PQR}, carpeta)
    return almacen_modulo, settings


def obtener(cargado, tipo):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return listas.obtener(conn, tipo, P, settings)
    finally:
        engine.dispose()


def test_collection_lists_by_the_oldest_debt(cargado):
    # persuasivo, oldest first (then larger debt, then account): S06 90; S01 60; S13 50;
    # S14 45; S10, S11, S12 at 40 with past-due 800, 600, 400; S04 6; S05 1 (F051 at d = 0
    # is not due).
    assert list(obtener(cargado, "persuasivo")["codigo"]) == [
        "S06", "S01", "S13", "S14", "S10", "S11", "S12", "S04", "S05"]
    assert list(obtener(cargado, "prejuridico")["codigo"]) == ["S08", "S02", "S07"]
    assert list(obtener(cargado, "juridico")["codigo"]) == ["S03", "S09"]


def test_a_page_gets_the_first_rows_and_how_many_there_are(cargado):
    # the walking order of suspension: S03, S12, S10, S01 (below); a page of 2 rows
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            filas, total = listas.primeras(conn, "suspension", P, settings, 2)
            vacia, ninguna = listas.primeras(conn, "suspension", P, settings, 2,
                                             {"municipio": "99999"})
    finally:
        engine.dispose()
    assert list(filas["codigo"]) == ["S03", "S12"] and total == 4
    assert list(filas.columns) == list(obtener(cargado, "suspension").columns)
    assert vacia.empty and ninguna == 0


def test_a_collection_row_says_what_is_owed_and_since_when(cargado):
    filas = {f["codigo"]: f for f in obtener(cargado, "persuasivo").to_dict("records")}
    s05 = filas["S05"]
    assert (s05["nombre"], s05["direccion"], s05["ruta"]) == ("Eva Ruiz", "CL 5", "0101")
    assert (s05["facturas_vencidas"], s05["dias_mora"]) == (1, 1)
    assert float(s05["saldo_vencido"]) == 900         # F052 only
    assert float(s05["saldo_total"]) == 1700          # 800 + 900
    assert s05["vencimiento_mas_antiguo"] == dt.date(2026, 10, 30)
    assert pd.isna(filas["S13"]["nombre"])            # not in the cadastre of P: still listed
    assert float(filas["S01"]["saldo_vencido"]) == 30000


def test_suspension_leaves_out_invoices_under_open_claims(cargado):
    # S01: 2 past due. S02: F022 is under an open reclamo, 1 left. S03: oficial, listed and
    # marked. S04: not active. S05: 1 past due. S10: its claim was answered before the cut,
    # 2. S11: the appeal was answered after the cut (still open at it), 1 left. S12: a
    # petición does not protect, 2. S13: not in the cadastre, so not an active account. S14:
    # 2 past due, but of special protection: in its own list.
    # Walking order: ciclo 01 ruta 0101 by secuencia (S03 2, S12 7, S10 9), then ciclo 02.
    filas = obtener(cargado, "suspension")
    assert list(filas["codigo"]) == ["S03", "S12", "S10", "S01"]
    por = {f["codigo"]: f for f in filas.to_dict("records")}
    assert por["S03"]["tratamiento"] == "especial: uso oficial"
    assert {por[c]["tratamiento"] for c in ("S01", "S10", "S12")} == {"suspender"}
    assert [por[c]["facturas_vencidas"] for c in ("S03", "S12", "S10", "S01")] == [2, 2, 2, 2]
    assert [por[c]["facturas_en_reclamo"] for c in ("S03", "S12", "S10", "S01")] == [0, 0, 0, 0]


def test_special_protection_leaves_suspension_for_its_own_list(cargado):
    protegidas = obtener(cargado, "proteccion_especial").to_dict("records")
    assert [f["codigo"] for f in protegidas] == ["S14"]
    s14 = protegidas[0]
    assert (s14["nombre"], s14["facturas_vencidas"], float(s14["saldo_vencido"])) == (
        "Hospital San José", 2, 750.0)
    assert "S14" not in set(obtener(cargado, "suspension")["codigo"])


def test_the_collection_lists_are_the_debtors_the_indicator_counts(cargado):
    url, settings = cargado
    v = indicadores(url, settings, P, ids=["cartera.usuarios_morosos", "cartera.vencida"])
    cobro = [obtener(cargado, t) for t in ("persuasivo", "prejuridico", "juridico")]
    # 14 accounts owe past due at the 31st (S99 is in the earlier cut-off, left out).
    assert v["cartera.usuarios_morosos"]["valor"] == 14 == sum(len(x) for x in cobro)
    # past due = everything but F051 (800) and S99's 99999
    vencida = sum(s for _, _, d, s in DEUDAS if d > 0)
    assert v["cartera.vencida"]["valor"] == vencida == sum(float(x["saldo_vencido"].sum())
                                                           for x in cobro)


def test_files_for_excel_keep_accents_and_never_run_user_text(cargado, tmp_path):
    url, _ = cargado
    csv, xlsx = tmp_path / "persuasivo.csv", tmp_path / "persuasivo.xlsx"
    for ruta in (csv, xlsx):
        assert main(["listas", "persuasivo", "--periodo", P, "--salida", str(ruta),
                     "--almacen", url]) == 0
    datos = csv.read_bytes()
    assert datos.startswith(b"\xef\xbb\xbf")               # UTF-8 BOM: Excel reads the accents
    texto = datos.decode("utf-8-sig")
    # for Colombian Excel (the shipped [formato.csv]): ";" between columns
    assert texto.splitlines()[0].startswith("Cuenta;Nombre;Dirección;Ruta;")
    assert "'=HYPERLINK" in texto                        # neutralised, shown as text
    assert "Luis Díaz" in texto
    libro = openpyxl.load_workbook(xlsx)
    assert libro.sheetnames == ["Cobro persuasivo"]       # the list's title, as on the dashboard
    hoja = libro.active
    encabezado = [c.value for c in hoja[1]]
    assert encabezado[:4] == ["Cuenta", "Nombre", "Dirección", "Ruta"]
    filas = {r[0].value: r for r in hoja.iter_rows(min_row=2)}
    assert len(filas) == 9
    nombre = filas["S01"][1]
    assert nombre.data_type == "s" and nombre.value == '=HYPERLINK("http://x")'
    saldo = filas["S01"][encabezado.index("Saldo vencido")]
    assert saldo.value == 30000 and "$" in saldo.number_format
    assert hoja.freeze_panes == "A2"


def test_a_warehouse_of_an_earlier_cauce_reads_without_special_protection(cargado):
    """Read as it is (no proteccion_especial column), nobody is protected; the next command
    that writes adds the column back, empty. Last in the module: it changes the warehouse."""
    from etl import migracion
    from etl import warehouse as w
    url, _ = cargado
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE suscriptores DROP COLUMN proteccion_especial")
        w._al_dia.clear()                 # this process saw the column before
        assert "S14" in set(obtener(cargado, "suspension")["codigo"])
        assert obtener(cargado, "proteccion_especial").empty
        migracion.ensure_schema(engine)
        with engine.connect() as conn:
            assert w.tiene_columna(conn, "suscriptores", "proteccion_especial")
    finally:
        engine.dispose()
