"""The rules that judge a row against its context (``etl.contexto``), through the real load.

Each test writes small hand-made exports, loads them (forced: a handful of rows
always goes past the 2 % gate) into both warehouses, and asserts exactly which
keys each rule flagged in ``hallazgo`` and its ``fallidas``/``total`` in
``resultado_regla``. Every expected row is worked out by hand in the comments.
"""
from __future__ import annotations

import sqlalchemy as sa

from etl.load import load_folder
from tests.conftest import rows, write

P = "2026-10"

SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado,medidor,unidades,latitud,longitud")
LECTURAS = ("codigo,periodo,fecha_lectura,lectura_anterior,lectura_actual,causal_no_lectura,"
            "consumo_facturado,tipo_consumo")
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,otros_cargos,valor_total")
PAGOS = "id,codigo,numero_factura,fecha_pago,valor,canal"


def csv(header: str, *rows: str) -> str:
    """A CSV export: the header (file row 1), then one line per row (file rows 2, 3, ...)."""
    return "\n".join((header, *rows)) + "\n"


def cuenta(codigo: str, periodo: str = P, uso: str = "residencial", estrato: str = "2",
           estado: str = "activo", medidor: str = "", unidades: str = "") -> str:
    """A valid cadastre row of Valledupar; estrato 0 for the uses that are not residencial."""
    return (f"{codigo},{periodo},CL {codigo} # 1-2,20001,{uso},{estrato},S,S,S,01,0101,"
            f"{estado},{medidor},{unidades},10.46,-73.25")


def medida(codigo: str, consumo: str, periodo: str = P, anterior: int = 1000) -> str:
    """A measured reading: actual − anterior = consumo_facturado, read on the 10th."""
    actual = anterior + float(consumo)
    return f"{codigo},{periodo},{periodo}-10,{anterior},{actual:g},,{consumo},medido"


def sin_lectura(codigo: str, consumo: str, tipo: str = "estimado", periodo: str = P,
                causal: str = "sin_medidor") -> str:
    """A consumption not read (promedio / estimado), with its causal de no lectura."""
    return f"{codigo},{periodo},,,,{causal},{consumo},{tipo}"


def factura(numero: str, codigo: str, cargo_fijo: int, valor_consumo: int, subsidio: int = 0,
            contribucion: int = 0) -> str:
    total = cargo_fijo + valor_consumo - subsidio + contribucion
    return (f"{numero},{codigo},{P},acueducto,2026-10-15,2026-10-30,{cargo_fijo},"
            f"{valor_consumo},{subsidio},{contribucion},0,{total}")


def exports(folder, files: dict[str, str]):
    """The given files (name -> text) in a folder of their own."""
    folder.mkdir()
    for name, text in files.items():
        write(folder / name, text)
    return folder


def cargar(url: str, settings_for, tmp_path, files: dict[str, str]) -> dict[str, str]:
    """Load the files (forced); returns each file's estado by file name."""
    settings = settings_for(url)
    results = load_folder(exports(tmp_path / "in", files), settings, forzar=True)
    return {r.archivo: r.estado for r in results}


def hallazgos(url: str, regla: str) -> list[tuple[str, int | None]]:
    """(clave, fila) of every row the rule flagged, over all loads, by clave."""
    h = sa.table("hallazgo", sa.column("regla"), sa.column("clave"), sa.column("fila"))
    return rows(url, sa.select(h.c.clave, h.c.fila).where(h.c.regla == regla)
                     .order_by(h.c.clave))


def balances(url: str, regla: str) -> list[tuple[int, int]]:
    """(fallidas, total) of the rule on each load that judged it, in load order."""
    r = sa.table("resultado_regla", sa.column("carga_id"), sa.column("regla"),
                 sa.column("fallidas"), sa.column("total"))
    return rows(url, sa.select(r.c.fallidas, r.c.total).where(r.c.regla == regla)
                     .order_by(r.c.carga_id))


# --- consumo.sin_catastro -------------------------------------------------------------------

def test_sin_catastro(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores_2026-10.csv": csv(SUSCRIPTORES, cuenta("A1"), cuenta("A2")),
        # No cadastre of 2026-09 was ever loaded: its readings are not judged (ctx null).
        "lecturas_2026-09.csv": csv(LECTURAS, medida("A9", "10", "2026-09")),
        "lecturas_2026-10.csv": csv(
            LECTURAS,
            medida("A1", "11"),      # row 2: A1 is in the 2026-10 cadastre
            medida("A3", "12")),     # row 3: A3 is not: flagged
    })
    assert hallazgos(almacen, "consumo.sin_catastro") == [("A3 | 2026-10", 3)]
    # 2026-09: 0 of its 1 row (the rule runs; a null context never fails); 2026-10: 1 of 2.
    assert balances(almacen, "consumo.sin_catastro") == [(0, 1), (1, 2)]
    assert estados["lecturas_2026-09.csv"] == "cargado"
    assert estados["lecturas_2026-10.csv"] == "forzado"


# --- consumo.estimado_distinto_similares ------------------------------------------------------

def test_estimado_distinto_de_similares(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores.csv": csv(SUSCRIPTORES, *[cuenta(c) for c in ("E1", "E2", "E3", "E4")],
                                cuenta("E5", estrato="3")),
        "lecturas.csv": csv(
            LECTURAS,
            medida("E1", "10"),            # row 2: residencial 2, measured
            medida("E2", "20"),            # row 3: residencial 2: mean (10 + 20) / 2 = 15
            sin_lectura("E3", "15.5"),     # row 4: |15.5 − 15| = 0.5 ≤ 1 m³: not flagged
            sin_lectura("E4", "17"),       # row 5: |17 − 15| = 2 > 1 m³: flagged
            # row 6: residencial 3 is another group and does not move the mean of 15
            # (in the same group, (10 + 20 + 100) / 3 = 43.3 would flag E3 too).
            medida("E5", "100")),
    })
    assert hallazgos(almacen, "consumo.estimado_distinto_similares") == [("E4 | 2026-10", 5)]
    assert balances(almacen, "consumo.estimado_distinto_similares") == [(1, 5)]
    assert estados["lecturas.csv"] == "forzado"


# --- consumo.repetido --------------------------------------------------------------------------

def test_consumo_repetido(almacen, settings_for, tmp_path):
    def periodo(p: str, a2: str, a3: str) -> str:
        a3_row = (medida("A3", "12.5", p) if a3 == "medido"
                  else sin_lectura("A3", "12.5", "promedio", p, "predio_cerrado"))
        return csv(LECTURAS, medida("A1", "12.5", p), medida("A2", a2, p), a3_row)

    # Loaded in name order: 2026-08, 2026-09, 2026-10 (periodos_repetidos = 3).
    estados = cargar(almacen, settings_for, tmp_path, {
        "lecturas_2026-08.csv": periodo("2026-08", "12.5", "medido"),
        "lecturas_2026-09.csv": periodo("2026-09", "12.5", "promedio"),
        "lecturas_2026-10.csv": periodo("2026-10", "13", "medido"),
    })
    # 2026-10: A1 (row 2) measured 12.5 in 08, 09 and 10: flagged. A2 (row 3) 12.5, 12.5, 13:
    # the last differs. A3 (row 4) 12.5 in 08 and 10, but 09 was a promedio: not three measured.
    # 2026-08 and 2026-09 have at most one equal earlier period: nothing flagged.
    assert hallazgos(almacen, "consumo.repetido") == [("A1 | 2026-10", 2)]
    assert balances(almacen, "consumo.repetido") == [(0, 3), (0, 3), (1, 3)]
    assert [estados[f"lecturas_2026-{m}.csv"] for m in ("08", "09", "10")] == [
        "cargado", "cargado", "forzado"]


def test_consumo_repetido_en_un_solo_archivo(almacen, settings_for, tmp_path):
    # The same readings as above for A1, in one export of three periods: the same finding.
    cargar(almacen, settings_for, tmp_path, {"lecturas.csv": csv(
        LECTURAS, *[medida("A1", "12.5", p) for p in ("2026-08", "2026-09", "2026-10")])})
    # Row 4 is 2026-10, the third measured 12.5 in a row.
    assert hallazgos(almacen, "consumo.repetido") == [("A1 | 2026-10", 4)]
    assert balances(almacen, "consumo.repetido") == [(1, 3)]


def test_lecturas_sin_filas_validas(almacen, settings_for, tmp_path):
    # The only row's consumo_facturado is not a number: it is quarantined, nothing is staged.
    estados = cargar(almacen, settings_for, tmp_path, {"lecturas.csv": csv(
        LECTURAS, "A1,2026-10,2026-10-10,1000,1010,,diez,medido")})
    assert estados == {"lecturas.csv": "cargado"}
    cuarentena = sa.table("cuarentena", sa.column("clave"))
    assert rows(almacen, sa.select(cuarentena.c.clave)) == [("A1 | 2026-10",)]


# --- consumo.sobre_maximo ----------------------------------------------------------------------

def test_consumo_sobre_maximo(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores.csv": csv(SUSCRIPTORES, cuenta("M1", unidades="2"),
                                cuenta("M2", unidades="2"), cuenta("M3"),
                                cuenta("C1", uso="comercial", estrato="0")),
        "lecturas.csv": csv(
            LECTURAS,
            medida("M1", "500"),     # row 2: residencial, 2 units: 500 ≤ 2 × 250
            medida("M2", "501"),     # row 3: 501 > 500: flagged
            medida("M3", "251"),     # row 4: no unidades is 1 unit: 251 > 250: flagged
            medida("C1", "1999")),   # row 5: comercial, ceiling 2000: not flagged
    })
    assert hallazgos(almacen, "consumo.sobre_maximo") == [("M2 | 2026-10", 3),
                                                          ("M3 | 2026-10", 4)]
    assert balances(almacen, "consumo.sobre_maximo") == [(2, 4)]
    assert estados["lecturas.csv"] == "forzado"


# --- catastro.medidor_compartido ---------------------------------------------------------------

def test_medidor_compartido(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores.csv": csv(
            SUSCRIPTORES,
            cuenta("C1", medidor="M1"),                     # row 2: M1 has 2 active: flagged
            cuenta("C2", medidor="M1"),                     # row 3: flagged
            cuenta("C3", medidor="M2"),                     # row 4: the only active M2
            cuenta("C4", medidor="M2", estado="inactivo"),  # row 5: not active
            cuenta("C5", medidor="M3"),                     # row 6: its own meter
            cuenta("C6")),                                  # row 7: no meter
    })
    assert hallazgos(almacen, "catastro.medidor_compartido") == [("C1 | 2026-10", 2),
                                                                 ("C2 | 2026-10", 3)]
    assert balances(almacen, "catastro.medidor_compartido") == [(2, 6)]
    assert estados["suscriptores.csv"] == "forzado"


# --- catastro.cuenta_desaparecida --------------------------------------------------------------

def test_cuenta_desaparecida(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores_2026-09.csv": csv(SUSCRIPTORES, cuenta("A1", "2026-09"),
                                        cuenta("A2", "2026-09", estado="inactivo"),
                                        cuenta("A3", "2026-09")),
        "suscriptores_2026-10.csv": csv(SUSCRIPTORES, cuenta("A1")),
    })
    # A1 is still there; A2 was inactive, so it may leave; A3 was active and is gone:
    # flagged, with no row of the file (fila null). Judged: the 3 accounts of 2026-09.
    assert hallazgos(almacen, "catastro.cuenta_desaparecida") == [("A3 | 2026-10", None)]
    # The 2026-09 load has no earlier snapshot: the rule is not judged there at all.
    assert balances(almacen, "catastro.cuenta_desaparecida") == [(1, 3)]
    assert estados == {"suscriptores_2026-09.csv": "cargado",
                       "suscriptores_2026-10.csv": "forzado"}


def test_cuenta_en_cuarentena_no_desaparece(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores_2026-09.csv": csv(SUSCRIPTORES, cuenta("A1", "2026-09"),
                                        cuenta("A4", "2026-09")),
        # A4's 2026-10 row (row 3) is residencial without estrato: quarantined, not loaded;
        # but the account is in the export, so it has not vanished.
        "suscriptores_2026-10.csv": csv(SUSCRIPTORES, cuenta("A1"), cuenta("A4", estrato="")),
    })
    cuarentena = sa.table("cuarentena", sa.column("clave"), sa.column("fila"))
    assert rows(almacen, sa.select(cuarentena.c.clave, cuarentena.c.fila)) == [
        ("A4 | 2026-10", 3)]
    assert hallazgos(almacen, "catastro.cuenta_desaparecida") == []
    assert balances(almacen, "catastro.cuenta_desaparecida") == [(0, 2)]
    assert estados["suscriptores_2026-10.csv"] == "cargado"


# --- recaudo.referencia_desconocida / recaudo.pago_sin_identificar ---------------------------

def test_pagos_sin_referencia(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores.csv": csv(SUSCRIPTORES, cuenta("A1")),
        "facturas.csv": csv(FACTURAS, factura("F1", "A1", 8000, 30000)),
        "pagos.csv": csv(
            PAGOS,
            "P1,A1,F1,2026-10-20,38000,banco",  # row 2: known invoice and account: fine
            "P2,A1,F9,2026-10-21,38000,banco",  # row 3: invoice F9 is not in the warehouse
            "P3,,,2026-10-22,15000,oficina",    # row 4: neither account nor invoice
            "P4,Z9,,2026-10-23,15000,pse"),     # row 5: account Z9 is in no cadastre
    })
    # P3 gives no reference at all: not "unknown" (nothing to look up) but unidentified.
    assert hallazgos(almacen, "recaudo.referencia_desconocida") == [("P2", 3), ("P4", 5)]
    assert balances(almacen, "recaudo.referencia_desconocida") == [(2, 4)]
    assert hallazgos(almacen, "recaudo.pago_sin_identificar") == [("P3", 4)]
    assert balances(almacen, "recaudo.pago_sin_identificar") == [(1, 4)]
    assert estados["pagos.csv"] == "cargado"     # neither rule gates the load


# --- facturacion.subsidio_indebido --------------------------------------------------------------

def test_subsidio_indebido(almacen, settings_for, tmp_path):
    estados = cargar(almacen, settings_for, tmp_path, {
        "suscriptores.csv": csv(SUSCRIPTORES, cuenta("K1", uso="comercial", estrato="0"),
                                cuenta("R1", estrato="1"), cuenta("R2", estrato="1"),
                                cuenta("R5", estrato="5")),
        "facturas.csv": csv(
            FACTURAS,
            # row 2: a comercial account gets no subsidy: flagged
            factura("FK1", "K1", 10000, 50000, subsidio=1000),
            # row 3: estrato 1, cap 70 % × (10000 + 20000) = 21000: within
            factura("FR1", "R1", 10000, 20000, subsidio=21000),
            # row 4: 21002 − 21000 = 2 pesos above the cap (1 peso allowed): flagged
            factura("FR2", "R2", 10000, 20000, subsidio=21002),
            # row 5: estrato 5 pays contribution and gets no subsidy: 0 is fine
            factura("FR5", "R5", 10000, 20000, contribucion=10000)),
    })
    assert hallazgos(almacen, "facturacion.subsidio_indebido") == [("FK1 | acueducto", 2),
                                                                   ("FR2 | acueducto", 4)]
    assert balances(almacen, "facturacion.subsidio_indebido") == [(2, 4)]
    assert estados["facturas.csv"] == "cargado"     # the facturacion rules do not gate


# --- both warehouses, same findings ---------------------------------------------------------

MEZCLA = {
    # One file with both snapshots: 2026-09 (rows 2-3) is the previous snapshot of 2026-10.
    "suscriptores.csv": csv(
        SUSCRIPTORES,
        cuenta("A1", "2026-09", medidor="X1"),  # row 2: X1's only active account in 2026-09
        cuenta("A2", "2026-09"),                # row 3: active, missing from 2026-10: vanished
        cuenta("A1", medidor="X1"),             # row 4: X1 has two active accounts: flagged
        cuenta("A5", medidor="X1"),             # row 5: flagged
        cuenta("A6"),
        cuenta("K1", uso="comercial", estrato="0")),
    "lecturas.csv": csv(
        LECTURAS,
        medida("A1", "10"),           # row 2: residencial 2: mean (10 + 20) / 2 = 15
        medida("A5", "20"),           # row 3
        sin_lectura("A6", "17"),      # row 4: |17 − 15| = 2 > 1 m³: flagged
        medida("A7", "12"),           # row 5: not in the 2026-10 cadastre: flagged
        medida("K1", "2500")),        # row 6: comercial, 2500 > 2000 m³: flagged
    "facturas.csv": csv(
        FACTURAS,
        factura("F1", "A1", 8000, 30000),                   # row 2: no subsidy: fine
        factura("F2", "K1", 10000, 50000, subsidio=1000)),  # row 3: comercial subsidy: flagged
    "pagos.csv": csv(
        PAGOS,
        "P1,A1,F1,2026-10-20,38000,banco",   # row 2: fine
        "P2,A1,F9,2026-10-21,100,banco",     # row 3: unknown invoice: flagged
        "P3,,,2026-10-22,15000,oficina"),    # row 4: unidentified: flagged
}


def test_mismos_hallazgos_en_duckdb_y_postgresql(pg_url, settings_for, tmp_path):
    found = {}
    for name, url in (("duckdb", f"duckdb:///{tmp_path / 'a.duckdb'}"), ("postgresql", pg_url)):
        settings = settings_for(url)
        load_folder(exports(tmp_path / name, MEZCLA), settings, forzar=True)
        found[name] = (
            sorted(rows(url, sa.text("SELECT fuente, regla, fila, clave FROM hallazgo")),
                   key=repr),
            sorted(rows(url, sa.text("SELECT fuente, regla, severidad, fallidas, total, "
                                          "tolerancia FROM resultado_regla")), key=repr))
    assert found["duckdb"] == found["postgresql"]
    assert found["duckdb"][0] == sorted([
        ("suscriptores", "catastro.medidor_compartido", 4, "A1 | 2026-10"),
        ("suscriptores", "catastro.medidor_compartido", 5, "A5 | 2026-10"),
        ("suscriptores", "catastro.cuenta_desaparecida", None, "A2 | 2026-10"),
        ("lecturas", "consumo.estimado_distinto_similares", 4, "A6 | 2026-10"),
        ("lecturas", "consumo.sin_catastro", 5, "A7 | 2026-10"),
        ("lecturas", "consumo.sobre_maximo", 6, "K1 | 2026-10"),
        ("facturas", "facturacion.subsidio_indebido", 3, "F2 | acueducto"),
        ("pagos", "recaudo.referencia_desconocida", 3, "P2"),
        ("pagos", "recaudo.pago_sin_identificar", 4, "P3"),
    ], key=repr)
