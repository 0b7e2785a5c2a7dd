"""The year's report (``planning.md``): ``informe_AAAA.xlsx`` read back with openpyxl and the
HTML checked for personal data and external references; the subsidies by municipality,
service and stratum and the balance with each solidarity fund worked out by hand; a year with
months missing says which. DuckDB and PostgreSQL.

Hand-made exports: 2026-01 and 2026-02 (the other ten months of 2026 are missing) and
2025-12 (of the year before).
"""
from __future__ import annotations

import re

import openpyxl
import pytest
import sqlalchemy as sa

from indicators import anual
from tests.indicators.conftest import cargar

CAB = ("codigo,periodo,nombre,documento,direccion,municipio_dane,uso,estrato,acueducto,"
       "alcantarillado,aseo,ciclo,ruta,estado,telefono\n")
PERSONAS = {"S1": ("Zoila Secreta", "900111", "CL 77 SUR"), "S2": ("Elvis Oculto", "900222",
                                                                  "KR 99 ESTE"),
            "S3": ("Comercio Reservado", "900333", "AV 55 NORTE")}
CUENTAS = {"S1": ("20001", "residencial", "1"), "S2": ("20001", "residencial", "5"),
           "S3": ("20011", "comercial", "")}


def _suscriptores() -> str:
    filas = [CAB]
    for p in ("2025-12", "2026-01", "2026-02"):
        for c, (nombre, doc, dir_) in PERSONAS.items():
            m, uso, estrato = CUENTAS[c]
            filas.append(f"{c},{p},{nombre},{doc},{dir_},{m},{uso},{estrato},S,S,N,01,0101,"
                         f"activo,3001234567\n")
    return "".join(filas)


# S1 (estrato 1, Valledupar) is subsidised; S2 (estrato 5) and S3 (comercial, Aguachica)
# contribute. valor_total = cargo_fijo + valor_consumo − subsidio + contribucion.
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n" + "".join([
                "A1,S1,2026-01,acueducto,2026-01-05,2026-01-20,1000,4000,2000,0,3000\n",
                "A1,S1,2026-01,alcantarillado,2026-01-05,2026-01-20,800,2000,1000,0,1800\n",
                "A2,S2,2026-01,acueducto,2026-01-05,2026-01-20,1000,4000,0,2500,7500\n",
                "A3,S3,2026-01,acueducto,2026-01-05,2026-01-20,1000,9000,0,5000,15000\n",
                "B1,S1,2026-02,acueducto,2026-02-05,2026-02-20,1000,6000,3000,0,4000\n",
                "B2,S2,2026-02,acueducto,2026-02-05,2026-02-20,1000,2000,0,1500,4500\n",
                "B3,S3,2026-02,acueducto,2026-02-05,2026-02-20,1000,1000,0,1000,3000\n",
                # the year before: not in 2026's sums
                "Z1,S1,2025-12,acueducto,2025-12-05,2025-12-20,1000,9000,9999,0,1\n",
            ]))
PAGOS = "id,codigo,numero_factura,fecha_pago,valor\n" + "".join([
    "p1,S1,A1,2026-01-15,4800\n", "p2,S3,A3,2026-02-10,15000\n", "p3,S1,Z1,2025-12-18,1\n"])
PQR = ("radicado,codigo,fecha_radicacion,tipo,servicio,causal,canal\n"
       "R1,S1,2026-01-10,reclamo,acueducto,101,presencial\n"
       "R2,S2,2026-02-11,peticion,acueducto,201,telefonico\n"
       "R3,S2,2026-02-12,reclamo,acueducto,101,presencial\n")


@pytest.fixture(scope="module")
def informe(almacen_modulo, tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("anual")
    settings = cargar(almacen_modulo, {"suscriptores.csv": _suscriptores(),
                                       "facturas.csv": FACTURAS, "pagos.csv": PAGOS,
                                       "pqr.csv": PQR}, carpeta / "in")
    engine = sa.create_engine(almacen_modulo)
    try:
        with engine.connect() as conn:
            datos = anual.reunir(conn, 2026, settings)
    finally:
        engine.dispose()
    libro = anual.escribir_libro(datos, settings, carpeta / "informe_2026.xlsx")
    html = anual.escribir_html(datos, settings, carpeta / "informe_2026.html")
    return datos, libro, html


def test_missing_months_are_said(informe):
    datos, libro, html = informe
    assert datos.faltan == [f"2026-{m:02d}" for m in range(3, 13)]
    texto = " ".join(c.value for c in openpyxl.load_workbook(libro)["Portada"]["A"] if c.value)
    assert "Faltan 10 de los 12 meses de 2026" in texto and "marzo de 2026" in texto
    assert "con los 2 meses que hay" in texto
    assert "Faltan 10 de los 12 meses de 2026" in html.read_text(encoding="utf-8")


def test_subsidies_by_municipality_service_and_stratum(informe):
    datos, libro, _ = informe
    ws = openpyxl.load_workbook(libro)["Uso de los subsidios"]
    filas = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    inicio = filas.index(("Municipio", "Servicio", "Estrato", "Subsidios", "Contribuciones"))
    tabla = {}
    for r in filas[inicio + 1:]:
        if r[0] == "Balance con el fondo de solidaridad de cada municipio":
            break
        tabla[r[:3]] = r[3:5]
    # S1: acueducto 2000 + 3000, alcantarillado 1000; S2 acueducto 2500 + 1500; S3 5000 + 1000
    assert tabla == {("Valledupar", "acueducto", "estrato 1"): (5000, 0),
                     ("Valledupar", "alcantarillado", "estrato 1"): (1000, 0),
                     ("Valledupar", "acueducto", "estrato 5"): (0, 4000),
                     ("Aguachica", "acueducto", "sin estrato"): (0, 6000)}
    balance = {r[0]: r[1:5] for r in filas[filas.index(
        ("Municipio", "Subsidios", "Contribuciones", "Balance", "Lectura")) + 1:]}
    # Valledupar: 4000 − 6000 = −2000, a deficit; Aguachica: 6000, a surplus
    assert balance["Valledupar"][:3] == (6000, 4000, -2000)
    assert balance["Valledupar"][3].startswith("déficit")
    assert balance["Aguachica"][:3] == (0, 6000, 6000)
    assert balance["Aguachica"][3].startswith("superávit")


def test_indicators_year_against_the_previous_and_the_months(informe):
    _, libro, _ = informe
    ws = openpyxl.load_workbook(libro)["Indicadores"]
    filas = list(ws.iter_rows(values_only=True))
    cab = filas[0]
    assert cab[3:5] == ("2026", "2025")
    por_codigo = {r[2]: dict(zip(cab, r)) for r in filas[1:] if r[2]}
    valor = por_codigo["facturacion.valor"]
    # 2026: 3000 + 1800 + 7500 + 15000 + 4000 + 4500 + 3000 = 38.800; 2025: Z1 = 1
    assert valor["2026"] == 38800 and valor["2025"] == 1
    assert valor["ene 2026"] == 27300 and valor["feb 2026"] == 11500
    assert valor["mar 2026"] is None                  # missing: empty, not 0
    # collection efficiency over the year's sums: (4800 + 15000) / 38800
    ef = por_codigo["recaudo.eficiencia"]
    assert ef["2026"] == pytest.approx(19800 / 38800)
    # January 4800/27300 and February 15000/11500: only February meets 0.95
    assert ef["Meses que cumplen"] == "1 de 2"
    assert por_codigo["catastro.activos"]["2026"] == 3       # a stock: at the year's close
    assert por_codigo["pqr.radicadas"]["2026"] == 3


def test_other_sheets(informe):
    _, libro, _ = informe
    wb = openpyxl.load_workbook(libro)
    assert wb.sheetnames == ["Portada", "Indicadores", "Facturación y recaudo", "PQR",
                             "Usuarios", "Proyección", "Uso de los subsidios"]
    fr = {r[0]: r[1:3] for r in wb["Facturación y recaudo"].iter_rows(values_only=True)}
    # Valledupar: S1 and S2 billed 3000 + 1800 + 7500 + 4000 + 4500 = 20.800, collected 4.800
    assert fr["Valledupar"] == (20800, 4800)
    # a payment spreads over its invoice's services: p1 is A1's acueducto 3000 and
    # alcantarillado 1800; p2 is A3's acueducto 15000
    assert fr["acueducto"] == (37000, 18000) and fr["alcantarillado"] == (1800, 1800)
    pqr = {r[0]: r[1] for r in wb["PQR"].iter_rows(values_only=True)}
    assert pqr["reclamo"] == 2 and pqr["petición"] == 1
    proy = " ".join(str(c) for r in wb["Proyección"].iter_rows(values_only=True) for c in r if c)
    assert "sin proyección (hay menos de 6 meses de historia)" in proy
    assert "[metas]" in proy


def test_no_personal_data_nor_external_references(informe):
    _, libro, html = informe
    texto = html.read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(libro)
    celdas = " ".join(str(c) for ws in wb for r in ws.iter_rows(values_only=True) for c in r
                      if c is not None)
    for nombre, documento, direccion in PERSONAS.values():
        for dato in (nombre, documento, direccion, "3001234567"):
            assert dato not in texto and dato not in celdas
    assert not re.search(r"(?i)\b(src|href)\s*=|https?://|//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(",
                         texto)
    assert "<script" not in texto and "<img" not in texto and "<link" not in texto
    assert "Uso de los subsidios en 2026" in texto
