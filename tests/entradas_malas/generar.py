"""The bad-input corpus (issue 7): export files and configurations a user can really produce.

``generar(carpeta)`` writes, under ``carpeta``:

- ``config.toml``: the shipped configuration, unchanged (archive and quality results land
  beside it, not in the project);
- ``base/``: a small good data set (cadastre, readings, invoices, payments, PQR of
  2026-10) loaded before each case, so a bad load has something to damage;
- ``<caso>/entrada/``: the folder given to ``cauce cargar`` for each case, and
  ``<caso>/config.toml`` for the cases whose fault is the configuration.

Every file is written here, from code, at test time: nothing binary is committed.
``python -m tests.entradas_malas.generar CARPETA`` writes the corpus to look at it.
"""
from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Callable

import openpyxl

from cauce.settings import SHIPPED_CONFIG

MILLON = 1_000_000
DIEZ_MB = 10 * 2**20

PAGOS = "id,codigo,numero_factura,fecha_pago,valor,canal,entidad\n"
SUSCRIPTORES = ("codigo;periodo;nombre;documento;direccion;barrio;municipio_dane;uso;estrato;"
                "acueducto;alcantarillado;aseo;ciclo;ruta;estado;telefono\n")
LECTURAS = ("codigo,periodo,fecha_lectura,lectura_anterior,lectura_actual,consumo_facturado,"
            "tipo_consumo\n")
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n")
PQR = "radicado,codigo,fecha_radicacion,tipo,servicio,causal,descripcion\n"
CARTERA = "fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n"

# The same three accounts in every file of the base, and in the cases that need an account.
CUENTAS = (("001", "Ana Peñaloza", "CL 1 # 2-3", "1"), ("002", "Luis Núñez", "CR 4 # 5-6", "2"),
           ("003", "Eva Cárdenas", "AV 7 # 8-9", "3"))

# Text that tries to become a formula in a spreadsheet, or to run as SQL (cases below).
FORMULAS = {"nombre": '=HYPERLINK("http://malo.example/x","Ver factura")',
            "documento": "+57 300 1234567", "direccion": "-2+3+cmd|' /C calc'!A0",
            "barrio": "@SUM(1+1)", "telefono": "=1+1"}
SQL = {"id": "P'; DROP TABLE facturas; --", "codigo": "001\\",
       "numero_factura": 'F-1" OR "1"="1', "entidad": "Robert'); DELETE FROM pagos; --\\\\ \"x\""}


def _csv_cell(text: str, sep: str = ",") -> str:
    """A CSV field as Excel writes it: quoted when it holds the delimiter, a quote or a line
    break."""
    if any(ch in text for ch in sep + '"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def _suscriptor(codigo, nombre, direccion, estrato, periodo="2026-10", **cambios) -> str:
    row = dict(codigo=codigo, periodo=periodo, nombre=nombre, documento=f"10{codigo}",
               direccion=direccion, barrio="Centro", municipio_dane="20001", uso="residencial",
               estrato=estrato, acueducto="S", alcantarillado="S", aseo="S", ciclo="01",
               ruta="0101", estado="activo", telefono="3001234567")
    row.update(cambios)
    return ";".join(row.values()) + "\n"


PAGO_BUENO = "Q1,001,F-1,2026-11-05,10000,banco,Banco\n"    # row 2 of the cases below: it loads


def _pagos_de_noviembre(d: Path, *filas: str) -> None:
    """A November payments file: the good row, then ``filas``."""
    _write(d / "pagos_2026-11.csv", PAGOS + PAGO_BUENO + "".join(filas))


def _pagos_validos(periodo: str = "2026-11") -> str:
    return PAGOS + "".join(f"Q{i},{c[0]},F-{i},{periodo}-05,{10000 * i},banco,Banco Agrario\n"
                           for i, c in enumerate(CUENTAS, 1))


# --- the good base ------------------------------------------------------------

def base(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "suscriptores_2026-10.csv",
           SUSCRIPTORES + "".join(_suscriptor(*c) for c in CUENTAS))
    _write(folder / "lecturas_2026-10.csv", LECTURAS + "".join(
        f"{c[0]},2026-10,2026-10-10,{100 * i},{100 * i + 12},12,medido\n"
        for i, c in enumerate(CUENTAS, 1)))
    _write(folder / "facturas_2026-10.csv", FACTURAS + "".join(
        f"F-{i},{c[0]},2026-10,acueducto,2026-10-15,2026-10-30,9500,30000,0,0,39500\n"
        for i, c in enumerate(CUENTAS, 1)))
    _write(folder / "pagos_2026-10.csv", PAGOS + "".join(
        f"P{i},{c[0]},F-{i},2026-10-20,39500,banco,Banco Agrario\n"
        for i, c in enumerate(CUENTAS, 1)))
    _write(folder / "pqr_2026-10.csv", PQR +
           "R1,001,2026-10-02 09:30,reclamo,acueducto,101,Cobro excesivo\n"
           "R2,002,2026-10-03 10:00,peticion,aseo,206,Cambio de medidor\n")


# --- the cases: one function per kind of bad input ---------------------------

def vacio(d: Path) -> None:
    _write(d / "pagos_2026-11.csv", "")


def solo_encabezados(d: Path) -> None:
    _write(d / "pagos_2026-11.csv", PAGOS)


def binario_csv(d: Path) -> None:
    """Random bytes (seeded) under a .csv name: neither UTF-8 nor Windows-1252."""
    data = bytearray(random.Random(7).randbytes(64 * 1024))
    data[0] = 0x81                   # a byte Windows-1252 does not define, first
    (d / "pagos_2026-11.csv").write_bytes(bytes(data))


def _libro_pagos(path: Path, filas=None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "pagos"
    sheet.append(PAGOS.strip().split(","))
    for row in filas or [["Q1", "001", "F-1", datetime(2026, 11, 5), 10000, "banco", "Banco"]]:
        sheet.append(row)
    book.save(path)
    return path


def xlsx_corrupto(d: Path) -> None:
    """A workbook cut in half, as a download that stopped."""
    path = _libro_pagos(d / "pagos_2026-11.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def xlsx_cifrado(d: Path) -> None:
    """A workbook saved with a password: Excel writes an OLE (CFB) container, not a zip."""
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = io.BytesIO(_libro_pagos(d / "plano.xlsx").read_bytes())
    (d / "plano.xlsx").unlink()
    with open(d / "pagos_2026-11.xlsx", "wb") as out:
        OOXMLFile(plain).encrypt("clave-secreta", out)


def _reescribir(path: Path, parte: str, cambio: Callable[[bytes], bytes]) -> None:
    """Change one part of a workbook's zip, as a tool that writes xlsx badly would."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts[parte] = cambio(parts[parte])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def xlsx_sin_hojas(d: Path) -> None:
    """A valid workbook whose list of sheets is empty."""
    _reescribir(_libro_pagos(d / "pagos_2026-11.xlsx"), "xl/workbook.xml",
                lambda xml: re.sub(rb"<sheets>.*</sheets>", b"<sheets />", xml))


def xlsx_solo_grafico(d: Path) -> None:
    """A workbook whose only sheet is a chart sheet: no cells to read."""
    book = openpyxl.Workbook()
    book.create_chartsheet("Gráfico")
    book.remove(book.active)
    book.save(d / "pagos_2026-11.xlsx")


def xlsx_hoja_danada(d: Path) -> None:
    """A sound zip whose sheet is cut in the middle of its XML."""
    _reescribir(_libro_pagos(d / "pagos_2026-11.xlsx"), "xl/worksheets/sheet1.xml",
                lambda xml: xml[: len(xml) * 2 // 3])


def xlsx_hoja_vacia(d: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Hoja1"
    book.save(d / "pagos_2026-11.xlsx")


def texto_como_xlsx(d: Path) -> None:
    """A CSV renamed to .xlsx."""
    _write(d / "pagos_2026-11.xlsx", _pagos_validos())


def xlsx_celdas_error(d: Path) -> None:
    """Excel's error values in cells: a number column holding #¡VALOR! and #N/A."""
    _libro_pagos(d / "pagos_2026-11.xlsx", [
        ["Q1", "001", "F-1", datetime(2026, 11, 5), 10000, "banco", "Banco"],
        ["Q2", "002", "F-2", datetime(2026, 11, 5), "#¡VALOR!", "banco", "Banco"],
        ["Q3", "003", "F-3", datetime(2026, 11, 5), "#N/A", "banco", "Banco"]])


def separador_tabulador(d: Path) -> None:
    _write(d / "pagos_2026-11.csv", _pagos_validos().replace(",", "\t"))


def utf16(d: Path) -> None:
    """Excel's «Texto Unicode»: UTF-16 with its BOM, tab-separated."""
    (d / "pagos_2026-11.csv").write_bytes(_pagos_validos().replace(",", "\t").encode("utf-16"))


def codificacion_mixta(d: Path) -> None:
    """Two exports pasted together: rows 2-3 in UTF-8, row 4 in Windows-1252."""
    data = (SUSCRIPTORES + _suscriptor(*CUENTAS[0], periodo="2026-11")
            + _suscriptor(*CUENTAS[1], periodo="2026-11")).encode("utf-8")
    data += _suscriptor(*CUENTAS[2], periodo="2026-11").encode("cp1252")
    (d / "suscriptores_2026-11.csv").write_bytes(data)


def falta_columna(d: Path) -> None:
    _write(d / "pagos_2026-11.csv", "id,codigo,valor\nQ1,001,10000\n")


def encabezado_repetido(d: Path) -> None:
    _write(d / "pagos_2026-11.csv", "id,fecha_pago,valor,Valor\nQ1,2026-11-05,10000,10000\n")


def fuente_desconocida(d: Path) -> None:
    _write(d / "recaudos_2026-11.csv", _pagos_validos())


def fechas_imposibles(d: Path) -> None:
    """Row 2 is good; rows 3-6 carry dates no calendar or format has."""
    _pagos_de_noviembre(d, "Q2,001,F-1,0000-00-00,10000,banco,Banco\n",
                        "Q3,001,F-1,31/02/2026,10000,banco,Banco\n",
                        "Q4,001,F-1,2026.11.05,10000,banco,Banco\n",
                        "Q5,001,F-1,5-nov-2026,10000,banco,Banco\n")


def letras_en_numeros(d: Path) -> None:
    _pagos_de_noviembre(d, "Q2,002,F-2,2026-11-05,cinco mil,banco,Banco\n",
                        "Q3,003,F-3,2026-11-05,30000,banco,Banco\n")


def numero_gigante(d: Path) -> None:
    _pagos_de_noviembre(d, "Q2,002,F-2,2026-11-05,1e20,banco,Banco\n")


def dinero_negativo(d: Path) -> None:
    _pagos_de_noviembre(d, "Q2,002,F-2,2026-11-05,-5000,banco,Banco\n")


def consumo_negativo(d: Path) -> None:
    """October's readings again, one with a negative consumption: past the gate's tolerance."""
    _write(d / "lecturas_2026-10.csv", LECTURAS +
           "001,2026-10,2026-10-10,100,112,12,medido\n"
           "002,2026-10,2026-10-10,,,-5,aforo\n"
           "003,2026-10,2026-10-10,300,312,12,medido\n")


def campo_10mb(d: Path) -> None:
    """One field of 10 MB: larger than the reader's 8 MB block."""
    with open(d / "pagos_2026-11.csv", "w", encoding="utf-8", newline="") as f:
        f.write(PAGOS)
        f.write(PAGO_BUENO)
        f.write("Q2,002,F-2,2026-11-05,20000,banco,")
        f.write("A" * DIEZ_MB)
        f.write("\n")


def millon_filas(d: Path, filas: int = MILLON) -> None:
    """A million payments whose amount is always «N/D»: written with plain writes."""
    with open(d / "pagos_2026-11.csv", "w", encoding="utf-8", newline="") as f:
        f.write(PAGOS)
        block = []
        for i in range(filas):
            block.append(f"M{i},001,F-1,2026-11-05,N/D,banco,Banco\n")
            if len(block) == 10_000:
                f.write("".join(block))
                block.clear()
        f.write("".join(block))


def inyeccion_formulas(d: Path) -> None:
    """An account whose texts start with =, +, - and @, and its debt (so it is on a list)."""
    cells = {k: _csv_cell(v, ";") for k, v in FORMULAS.items()}
    rows = [_suscriptor(*c, periodo="2026-11") for c in CUENTAS]
    rows.append(_suscriptor("900", cells["nombre"], cells["direccion"], "2", periodo="2026-11",
                            documento=cells["documento"], barrio=cells["barrio"],
                            telefono=cells["telefono"]))
    _write(d / "suscriptores_2026-11.csv", SUSCRIPTORES + "".join(rows))
    _write(d / "cartera_2026-11.csv", CARTERA + "2026-11-30,900,F-9,acueducto,2026-11-10,50000\n")


def sql_metacaracteres(d: Path) -> None:
    """SQL and quoting metacharacters in every text field of a payment."""
    cells = [_csv_cell(SQL[k]) for k in ("id", "codigo", "numero_factura")]
    _write(d / "pagos_2026-11.csv", PAGOS + ",".join(cells)
           + f",2026-11-05,10000,banco,{_csv_cell(SQL['entidad'])}\n"
           + "Q2,002,F-2,2026-11-05,20000,banco,Banco\n")


def bytes_nulos(d: Path) -> None:
    """NUL bytes inside text fields (row 3: a name; row 4: a key)."""
    _pagos_de_noviembre(d, "Q2,002,F-2,2026-11-05,20000,banco,Banco\x00Agrario\n",
                        "Q\x003,003,F-3,2026-11-05,30000,banco,Banco\n")


def encabezado_con_marcas(d: Path) -> None:
    """An extra column (not in the contract) whose header looks like terminal markup."""
    _write(d / "pagos_2026-11.csv", "id,fecha_pago,valor,[/]\nQ1,2026-11-05,10000,x\n")


NOMBRE_CORCHETES = "pagos_2026-11 [copia].csv"


def nombre_con_corchetes(d: Path) -> None:
    _write(d / NOMBRE_CORCHETES, _pagos_validos())


NOMBRE_RARO = "pagos 2026-11 .. copia (2).csv"


def nombre_raro(d: Path) -> None:
    """A name with spaces, a «..» and parentheses: what Windows gives a second download."""
    _write(d / NOMBRE_RARO, _pagos_validos())


def carpeta_sin_exportaciones(d: Path) -> None:
    _write(d / "notas.txt", "pagos de noviembre: pendientes\n")


# --- configurations -------------------------------------------------------------

def _config(texto_viejo: str, texto_nuevo: str) -> Callable[[str], str]:
    """The shipped configuration with one text changed."""
    def cambiar(shipped: str) -> str:
        assert texto_viejo in shipped, texto_viejo
        return shipped.replace(texto_viejo, texto_nuevo, 1)
    return cambiar


def _sin_seccion(nombre: str) -> Callable[[str], str]:
    def quitar(shipped: str) -> str:
        start = shipped.index(f"\n[{nombre}]\n")
        end = shipped.index("\n[", start + 1)
        return shipped[:start] + shipped[end:]
    return quitar


ALMACEN = "duckdb:///datos/almacen.duckdb"      # the shipped one
PG_INALCANZABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nada"

CONFIGS: dict[str, Callable[[str], str]] = {
    "config_tipo_incorrecto": _config("memoria_mb = 512", 'memoria_mb = "mucha"'),
    "config_clave_desconocida": _config('decimal = "auto"', 'decimal = "auto"\nseparador = ";"'),
    "config_sin_seccion": _sin_seccion("facturacion"),
    "config_no_toml": _config("memoria_mb = 512", "memoria_mb = 512,5"),
    # Warehouses that cannot be reached or created (a relative DuckDB path is the config's
    # folder's; the tests run as root, so permissions would not stop them: a path under a
    # regular file, and one under /proc).
    "postgres_inalcanzable": _config(f'url = "{ALMACEN}"', f'url = "{PG_INALCANZABLE}"'),
    "duckdb_bajo_un_archivo": _config(f'url = "{ALMACEN}"',
                                      'url = "duckdb:///no_es_carpeta/almacen.duckdb"'),
    "duckdb_en_proc": _config(f'url = "{ALMACEN}"', 'url = "duckdb:////proc/cauce/almacen.duckdb"'),
}

CASOS: dict[str, Callable[[Path], None]] = {f.__name__: f for f in (
    vacio, solo_encabezados, binario_csv, xlsx_corrupto, xlsx_cifrado, xlsx_sin_hojas,
    xlsx_solo_grafico, xlsx_hoja_vacia, xlsx_hoja_danada, texto_como_xlsx, xlsx_celdas_error,
    separador_tabulador, utf16, codificacion_mixta, falta_columna, encabezado_repetido,
    encabezado_con_marcas, fuente_desconocida, fechas_imposibles, letras_en_numeros,
    numero_gigante, dinero_negativo, consumo_negativo, campo_10mb, millon_filas,
    inyeccion_formulas, sql_metacaracteres, bytes_nulos, nombre_raro, nombre_con_corchetes,
    carpeta_sin_exportaciones)}


def generar(carpeta: Path, filas_millon: int = MILLON) -> dict[str, Path]:
    """Write the whole corpus into ``carpeta``; returns each case's folder by name."""
    carpeta.mkdir(parents=True, exist_ok=True)
    shipped = SHIPPED_CONFIG.read_text(encoding="utf-8")
    _write(carpeta / "config.toml", shipped)
    base(carpeta / "base")
    out = {}
    for name, write in CASOS.items():
        entrada = carpeta / name / "entrada"
        entrada.mkdir(parents=True)
        if name == "millon_filas":
            millon_filas(entrada, filas_millon)
        else:
            write(entrada)
        out[name] = carpeta / name
    for name, change in CONFIGS.items():
        (carpeta / name / "entrada").mkdir(parents=True)
        _write(carpeta / name / "entrada" / "pagos_2026-11.csv", _pagos_validos())
        _write(carpeta / name / "config.toml", change(shipped))
        out[name] = carpeta / name
    _write(carpeta / "duckdb_bajo_un_archivo" / "no_es_carpeta", "un archivo, no una carpeta\n")
    return out


if __name__ == "__main__":
    generar(Path(sys.argv[1]))
    print(f"Corpus escrito en {sys.argv[1]}")
