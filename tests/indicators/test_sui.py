"""The SUI reports (``sui-formats.md``) on hand-made exports, byte for byte, on DuckDB and
PostgreSQL: which rows, in which order, every field.

Period P = 2026-08 (month(P) = 08-01 … 08-31). Config as shipped: municipio_defecto 20001,
causal 201 is group P, [subsidios] estrato_2 = 0.40, [contribuciones] estrato_5 = 0.50 and
comercial = 0.50.
"""
from __future__ import annotations

import sqlalchemy as sa
import pytest

from indicators import sui
from indicators.sui.formato import CARPETA
from tests.indicators.conftest import cargar

SUSCRIPTORES = (
    "codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,aseo,ciclo,"
    "ruta,estado,medidor,unidades\n"
    "A01,2026-08,CL 1 # 2-3,20001,residencial,2,S,S,S,01,0101,activo,M1,1\n"
    # a comma in the address: the flat file has no quoting, so it becomes a space
    'A02,2026-08,"KR 5, APTO 2",20011,comercial,0,S,S,N,01,0101,activo,,3\n'
    "A03,2026-08,CL 9 SUR,20621,residencial,5,S,N,N,01,0101,activo,M3,\n")
# A04 files PQRs but is not in the snapshot of 2026-08.

PQR = (
    "radicado,codigo,fecha_radicacion,tipo,servicio,causal,grupo_causal,numero_factura,"
    "fecha_respuesta,tipo_respuesta,fecha_notificacion,tipo_notificacion,fecha_traslado_sspd\n"
    # filed in June, never answered: still unanswered on 08-01 -> reported, pending
    "R10,A01,2026-06-10 09:00,reclamo,acueducto,101,F,,,,,,\n"
    # filed in July, never answered -> pending; no grupo_causal: 201 is P in config.toml
    "R02,A02,2026-07-20 10:00,peticion,alcantarillado,201,,,,,,,\n"
    # filed and answered in July -> not reported in August
    "R03,A01,2026-07-15 08:00,queja,acueducto,201,P,,2026-07-30 10:00,accede,2026-07-31,personal,\n"
    # filed in July, answered on 08-01 (unanswered on the first day of P) -> reported;
    # electronic notification is code 1 (personal)
    "R04,A03,2026-07-28 16:00,reclamo,acueducto,101,F,F300,2026-08-01 08:00,no_accede,"
    "2026-08-05,electronica,\n"
    # a recurso answered in July, notified in August: answered before P -> not reported
    "R11,A03,2026-07-10 09:00,recurso_reposicion,acueducto,101,F,F300,2026-07-31 23:59,revoca,"
    "2026-08-02,personal,\n"
    "R01,A01,2026-08-03 09:00,reclamo,acueducto,101,F,F100,2026-08-10 10:00,accede,2026-08-12,personal,\n"
    # an appeal sent to the SSPD: tipo 5, field 16
    "R07,A02,2026-08-05 11:00,recurso_reposicion_apelacion,acueducto,102,F,F200,"
    "2026-08-20 15:00,confirma,2026-08-21,aviso,2026-08-25\n"
    # a suggestion: not reported
    "R05,,2026-08-06 09:00,sugerencia,aseo,206,P,,,,,,\n"
    # a non-subscriber (account 0000, the default municipality 20001), answered after end(P):
    # pending at end(P)
    "R06,,2026-08-15 10:00,peticion,aseo,206,P,,2026-09-02 09:00,accede,2026-09-03,personal,\n"
    # filed at 23:30 on end(P) by an account missing from the snapshot (default municipality),
    # answered that night, notified after end(P): no notification at end(P)
    "R09,A04,2026-08-31 23:30,reclamo,acueducto,101,F,F400,2026-08-31 23:45,modifica,"
    "2026-09-03,personal,\n"
    # filed on 09-01: September
    "R08,A01,2026-09-01 00:00,reclamo,acueducto,101,F,,,,,,\n")

LECTURAS = (
    "codigo,periodo,lectura_anterior,lectura_actual,causal_no_lectura,consumo_facturado,"
    "tipo_consumo\n"
    "A01,2026-08,100,115,,15,medido\n"
    "A02,2026-08,,,sin_medidor,20,promedio\n"
    "A03,2026-08,50,80,,30,medido\n")

FACTURAS = (
    "numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,consumo_m3,cargo_fijo,"
    "valor_consumo,subsidio,contribucion,otros_cargos,valor_total\n"
    # July: only paid in August
    "F0,A01,2026-07,acueducto,2026-07-05,2026-07-20,10,10000,10000,0,0,,20000\n"
    "F0,A01,2026-07,alcantarillado,2026-07-05,2026-07-20,10,5000,5000,0,0,,10000\n"
    # 10000 + 30000 - 12000 = 28000
    "F1,A01,2026-08,acueducto,2026-08-05,2026-08-20,15,10000,30000,12000,0,,28000\n"
    "F1,A01,2026-08,alcantarillado,2026-08-05,2026-08-20,15,5000,20000,8000,0,,17000\n"
    # 12000 + 50000 + 25000 + 3000 = 90000
    "F2,A02,2026-08,acueducto,2026-08-05,2026-08-20,20,12000,50000,0,25000,3000,90000\n"
    "F2,A02,2026-08,alcantarillado,2026-08-05,2026-08-20,20,6000,30000,0,15000,,51000\n"
    # 10000 + 60000.5 + 30000.25 = 100000.75
    "F3,A03,2026-08,acueducto,2026-08-06,2026-08-21,30,10000,60000.5,0,30000.25,0,100000.75\n")

PAGOS = (
    "id,codigo,numero_factura,fecha_pago,valor\n"
    # F0 is 20000 acueducto + 10000 alcantarillado: 15000 -> 10000 and 5000
    "P1,A01,F0,2026-08-10,15000\n"
    # F2 is 90000 + 51000 = 141000: 90000 -> 90000·90/141 = 57446.8085 and 32553.1915
    "P2,A02,F2,2026-08-25,90000\n"
    "P3,A03,F3,2026-09-02,100000.75\n"     # September
    "P4,,,2026-08-12,5000\n"               # not identified: no account, no service
    "P5,A03,F9,2026-08-15,7000\n")         # an invoice the warehouse does not hold: no service

CARTERA = (
    "fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n"
    # the last cut-off of August: A01's oldest acueducto debt is due 07-20 -> 42 days
    # (11 + 31); A03's 08-21 -> 10 days; A02 owes nothing at 08-31
    "2026-08-31,A01,F0,acueducto,2026-07-20,5000\n"
    "2026-08-31,A01,F0,alcantarillado,2026-07-20,2500\n"
    "2026-08-31,A01,F1,acueducto,2026-08-20,28000\n"
    "2026-08-31,A03,F3,acueducto,2026-08-21,100000.75\n"
    # an earlier cut-off of August and one of July: not the month's last, not counted
    "2026-08-15,A02,F2,acueducto,2026-08-01,90000\n"
    "2026-07-31,A02,F9,acueducto,2026-06-30,1000\n")

# The utility's tariff values the contract does not carry, set over the shipped layouts.
DEFECTOS_ACUEDUCTO = """
[formato]
hereda = "facturacion_acueducto"

[defectos]
cargo_basico = "2000"
cargo_complementario = "2000"
cargo_suntuario = "2500"
cmt = 1500.50
"""
DEFECTOS_ALCANTARILLADO = """
[formato]
hereda = "facturacion_alcantarillado"

[defectos]
vertimiento_basico = "1800"
vertimiento_complementario = "1800"
vertimiento_suntuario = "2100"
cmt = "950.75"
"""


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    settings = cargar(almacen_modulo, {
        "suscriptores.csv": SUSCRIPTORES, "pqr.csv": PQR, "lecturas.csv": LECTURAS,
        "facturas.csv": FACTURAS, "pagos.csv": PAGOS, "cartera.csv": CARTERA},
        tmp_path_factory.mktemp("sui"))
    return almacen_modulo, settings


def generar(cargado, formato, periodo, salida, **kwargs):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sui.generar(conn, formato, periodo, settings, salida, **kwargs)
    finally:
        engine.dispose()


def formato(cargado, nombre, texto=None, carpeta=None):
    """A shipped layout, or one written here (``texto``) in ``carpeta``."""
    _, settings = cargado
    if texto is None:
        return sui.leer(CARPETA / f"{nombre}.toml", settings)
    ruta = carpeta / f"{nombre}.toml"
    ruta.write_text(texto, encoding="utf-8")
    return sui.leer(ruta, settings)


# --- PQR, Formato A -------------------------------------------------------------------------

PQR_AGOSTO = (
    # by filing date: R10 (06-10), R02 (07-20), R04 (07-28), R01, R07, R06, R09
    "20,001,000,R10,10-06-2026,1,F,101,A01,N,9,,R10,,3,\r\n"
    "20,011,000,R02,20-07-2026,6,P,201,A02,N,9,,R02,,3,\r\n"
    "20,621,000,R04,28-07-2026,1,F,101,A03,F300,3,01-08-2026,R04,05-08-2026,1,\r\n"
    "20,001,000,R01,03-08-2026,1,F,101,A01,F100,1,10-08-2026,R01,12-08-2026,1,\r\n"
    "20,011,000,R07,05-08-2026,5,F,102,A02,F200,4,20-08-2026,R07,21-08-2026,4,25-08-2026\r\n"
    "20,001,000,R06,15-08-2026,6,P,206,0000,N,9,,R06,,3,\r\n"
    "20,001,000,R09,31-08-2026,1,F,101,A04,F400,5,31-08-2026,R09,,,\r\n")


# Rows travel in lots (construir.FILAS_POR_LOTE): the files are the same whatever their size.
LOTES = pytest.mark.parametrize("lote", [sui.FILAS_POR_LOTE, 1, 2])


@LOTES
def test_pqr_file_byte_for_byte(cargado, tmp_path, lote):
    r = generar(cargado, formato(cargado, "pqr"), "2026-08", tmp_path / "pqr.csv",
                filas_por_lote=lote)
    assert r.validacion.valida, [str(e) for e in r.validacion.errores]
    assert r.filas == 7 and r.salida == tmp_path / "pqr.csv"
    assert (tmp_path / "pqr.csv").read_bytes() == PQR_AGOSTO.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pqr.csv"]     # no temporary left


def test_pqr_state_at_the_end_of_another_period(cargado, tmp_path):
    # September: R10 and R02 still pending; R06 (answered 09-02) and R08 (filed 09-01). There
    # is no cadastre snapshot of 2026-09, so every row takes the default municipality 20001.
    r = generar(cargado, formato(cargado, "pqr"), "2026-09", tmp_path / "pqr.csv")
    assert (tmp_path / "pqr.csv").read_bytes().decode("utf-8") == (
        "20,001,000,R10,10-06-2026,1,F,101,A01,N,9,,R10,,3,\r\n"
        "20,001,000,R02,20-07-2026,6,P,201,A02,N,9,,R02,,3,\r\n"
        "20,001,000,R06,15-08-2026,6,P,206,0000,N,1,02-09-2026,R06,03-09-2026,1,\r\n"
        "20,001,000,R08,01-09-2026,1,F,101,A01,N,9,,R08,,3,\r\n")
    assert r.filas == 4


def test_pqr_one_file_per_service_by_layout(cargado, tmp_path):
    texto = (CARPETA / "pqr.toml").read_text(encoding="utf-8").replace(
        '# servicio = "acueducto"', 'servicio = "acueducto"')
    f = formato(cargado, "pqr_acueducto", texto, tmp_path)
    generar(cargado, f, "2026-08", tmp_path / "a.csv")
    lineas = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()
    assert [x.split(",")[3] for x in lineas] == ["R10", "R04", "R01", "R07", "R09"]


def test_pqr_review_workbook(cargado, tmp_path):
    import datetime as dt

    import openpyxl
    r = generar(cargado, formato(cargado, "pqr"), "2026-08", tmp_path / "pqr.csv", xlsx=True)
    assert r.xlsx == tmp_path / "pqr.xlsx"
    hoja = openpyxl.load_workbook(r.xlsx).active
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][:6] == ("1 Código Departamento", "2 Código Municipio",
                            "3 Código Centro Poblado", "4 Radicado Recibido",
                            "5 Fecha Radicación", "6 Tipo de Trámite")
    assert len(filas) == 8
    # codes keep their leading zeros (text), dates are dates, empty stays empty
    assert filas[1][:5] == ("20", "001", "000", "R10", dt.datetime(2026, 6, 10))
    assert filas[1][11] is None and filas[1][10] == "9"


# --- Billing, water ---------------------------------------------------------------------------

ACUEDUCTO_AGOSTO = (
    # 1-3 account, account, DANE; 4-9 IGAC (empty); 10 address; 11-14 invoice, issued, start,
    # days; 15 class (estrato 2); 16-17 units; 18 hogar comunitario (no); 19 meter works;
    # 20 read; 21-23 readings and m³; 24 fixed; 25-28 the configured tariff values; 29
    # 30000/15; 30-32 consumption, subsidy, contribution; 33-34 factor -0.40; 35-40 zero;
    # 41 42 days; 42-43 zero; 44 otros (empty -> 0); 45-46 empty; 47 total; 48 P1's share
    "A01,A01,20001,,,,,,,CL 1 # 2-3,F1,05-08-2026,01-08-2026,31,2,0,0,2,1,1,100,115,15,10000,"
    "2000,2000,2500,1500.5,2000,30000,12000,0,-0.4,-0.4,0,0,0,0,0,0,42,0,0,0,,,28000,10000\r\n"
    # comercial: class 10, 3 non-residential units, no meter (3), average (2), no readings;
    # 50000/20 = 2500; factor +0.50; otros 3000; P2's share 90000·90000/141000
    "A02,A02,20011,,,,,,,KR 5 APTO 2,F2,05-08-2026,01-08-2026,31,10,0,3,2,3,2,,,20,12000,"
    "2000,2000,2500,1500.5,2500,50000,0,25000,0.5,0.5,0,0,0,0,0,0,0,0,0,3000,,,90000,57446.8085\r\n"
    # estrato 5: factor +0.50; 60000.5/30 = 2000.01666… -> 2000.0167; 10 days; paid in September
    "A03,A03,20621,,,,,,,CL 9 SUR,F3,06-08-2026,01-08-2026,31,5,0,0,2,1,1,50,80,30,10000,"
    "2000,2000,2500,1500.5,2000.0167,60000.5,0,30000.25,0.5,0.5,0,0,0,0,0,0,10,0,0,0,,,"
    "100000.75,0\r\n")


@LOTES
def test_facturacion_acueducto_file_byte_for_byte(cargado, tmp_path, lote):
    f = formato(cargado, "facturacion_acueducto", DEFECTOS_ACUEDUCTO, tmp_path)
    assert len(f.campos) == 48
    r = generar(cargado, f, "2026-08", tmp_path / "out" / "acueducto.txt", filas_por_lote=lote)
    assert r.validacion.valida, [str(e) for e in r.validacion.errores]
    assert all(len(x.split(",")) == 48 for x in ACUEDUCTO_AGOSTO.split("\r\n")[:-1])
    assert (tmp_path / "out" / "acueducto.txt").read_bytes() == ACUEDUCTO_AGOSTO.encode("utf-8")


@LOTES
def test_facturacion_acueducto_as_shipped_names_the_empty_mandatory_fields(cargado, tmp_path,
                                                                           lote):
    # the tariff values (25-28) are mandatory and the shipped layout leaves them empty
    r = generar(cargado, formato(cargado, "facturacion_acueducto"), "2026-08",
                tmp_path / "acueducto.csv", filas_por_lote=lote)
    assert r.salida is None and not (tmp_path / "acueducto.csv").exists()
    assert list(tmp_path.iterdir()) == []
    assert r.validacion.vacios == {25: 3, 26: 3, 27: 3, 28: 3}
    assert r.validacion.total == 12
    assert str(r.validacion.errores[0]) == (
        "Fila 1 (factura F1 de la cuenta A01), campo 25 «Cargo por consumo básico» = «»: es "
        "obligatorio y está vacío.")


@LOTES
def test_facturacion_alcantarillado_file_byte_for_byte(cargado, tmp_path, lote):
    f = formato(cargado, "facturacion_alcantarillado", DEFECTOS_ALCANTARILLADO, tmp_path)
    assert len(f.campos) == 41
    r = generar(cargado, f, "2026-08", tmp_path / "alcantarillado.csv", filas_por_lote=lote)
    assert r.validacion.valida, [str(e) for e in r.validacion.errores]
    assert (tmp_path / "alcantarillado.csv").read_bytes().decode("utf-8") == (
        # 19 not gauged (2), 20 no characterization (2); 21 fixed, 22-25 configured, 26 m³,
        # 27-29 discharge, subsidy, contribution; 30-31 factor; 32-33 zero; 34 days (F0's
        # sewerage debt, due 07-20); 35-37; 38-39 empty; 40 total; 41 P1's sewerage share
        "A01,A01,20001,,,,,,,CL 1 # 2-3,F1,05-08-2026,01-08-2026,31,2,0,0,2,2,2,5000,1800,1800,"
        "2100,950.75,15,20000,8000,0,-0.4,-0.4,0,0,42,0,0,0,,,17000,5000\r\n"
        "A02,A02,20011,,,,,,,KR 5 APTO 2,F2,05-08-2026,01-08-2026,31,10,0,3,2,2,2,6000,1800,1800,"
        "2100,950.75,20,30000,0,15000,0.5,0.5,0,0,0,0,0,0,,,51000,32553.1915\r\n")


def test_a_period_without_invoices_writes_nothing(cargado, tmp_path):
    f = formato(cargado, "facturacion_acueducto", DEFECTOS_ACUEDUCTO, tmp_path)
    r = generar(cargado, f, "2026-10", tmp_path / "vacio.csv")
    assert r.filas == 0 and r.salida is None and not (tmp_path / "vacio.csv").exists()


# --- A new format, written here -------------------------------------------------------------

NUEVO = """
[formato]
titulo = "Reclamos de acueducto (formato de prueba)"
resolucion = "Resolución SSPD 99999 de 2030"
version = "2030-1"
origen = "Escrito en la prueba."

[filas]
conjunto = "pqr"
servicio = "acueducto"
excluir_tipos = ["sugerencia", "peticion", "queja"]

[codigos.tramite]
reclamo = "01"
recurso_reposicion_apelacion = "03"

[[campos]]
id = "dane"
nombre = "Departamento"
tipo = "codigo"
longitud = 2
digitos = true
obligatorio = true
derivacion = "departamento"

[[campos]]
id = "radicado"
nombre = "Radicado"
tipo = "texto"
longitud = 5
obligatorio = true
columna = "pqr.radicado"

[[campos]]
id = "tramite"
nombre = "Trámite"
tipo = "codigo"
obligatorio = true
columna = "pqr.tipo"
codigos = "tramite"

[[campos]]
id = "version"
nombre = "Versión del formato"
tipo = "entero"
obligatorio = true
constante = 2030

[[campos]]
id = "notificacion"
nombre = "Notificación"
tipo = "fecha"
columna = "pqr.fecha_notificacion"

[[campos]]
id = "factura"
nombre = "Factura"
tipo = "texto"
obligatorio = true
columna = "pqr.numero_factura"
defecto = "SIN"

[[reglas]]
tipo = "unico"
campo = "factura"
"""


def test_a_layout_written_by_the_utility(cargado, tmp_path):
    f = formato(cargado, "reclamos_2030", NUEVO, tmp_path)
    assert (f.nombre, f.resolucion) == ("reclamos_2030", "Resolución SSPD 99999 de 2030")
    r = generar(cargado, f, "2026-08", tmp_path / "nuevo.csv")
    assert r.validacion.valida, [str(e) for e in r.validacion.errores]
    # acueducto reclamos and recursos of August's report: R10, R04, R01, R07, R09
    assert (tmp_path / "nuevo.csv").read_bytes().decode("utf-8") == (
        "20,R10,01,2030,,SIN\r\n"
        "20,R04,01,2030,05-08-2026,F300\r\n"
        "20,R01,01,2030,12-08-2026,F100\r\n"
        "20,R07,03,2030,21-08-2026,F200\r\n"
        "20,R09,01,2030,03-09-2026,F400\r\n")


@LOTES
def test_a_layout_written_by_the_utility_is_validated_too(cargado, tmp_path, lote):
    # without "reclamo" in its code table the raw value stays, the validator names it and
    # nothing is written
    texto = NUEVO.replace('reclamo = "01"\n', "").replace(
        'excluir_tipos = ["sugerencia", "peticion", "queja"]',
        'excluir_tipos = ["sugerencia", "peticion", "queja", "recurso_reposicion_apelacion"]')
    f = formato(cargado, "reclamos_2030", texto, tmp_path)
    r = generar(cargado, f, "2026-08", tmp_path / "nuevo.csv", filas_por_lote=lote)
    assert not (tmp_path / "nuevo.csv").exists()
    assert [str(e) for e in r.validacion.errores] == [
        "Fila 1 (radicado R10), campo 3 «Trámite» = «reclamo»: no es un código permitido (03).",
        "Fila 2 (radicado R04), campo 3 «Trámite» = «reclamo»: no es un código permitido (03).",
        "Fila 3 (radicado R01), campo 3 «Trámite» = «reclamo»: no es un código permitido (03).",
        "Fila 4 (radicado R09), campo 3 «Trámite» = «reclamo»: no es un código permitido (03).",
    ]
