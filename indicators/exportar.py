"""Tables for people: CSV for the user's Excel, and formatted XLSX.

The CSV is written as Excel with the user's regional settings reads it (``[formato.csv]``,
by default Colombia's: ``;`` between columns and a decimal comma), in UTF-8 with a BOM so
the accents survive: pesos whole, proportions as percentages with two decimals (``93,12%``,
which Excel takes for the number 0,9312), other numbers with at most two decimals, dates
``dd/mm/aaaa`` (``dd/mm/aaaa hh:mm`` with the time), no thousands separator.

Text that users typed (names, addresses, PQR descriptions) is untrusted: in the CSV a
cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is prefixed
with ``'`` so Excel shows it instead of running it, and the workbook is written with
``strings_to_formulas`` off. Booleans read ``Sí``/``No``.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import numbers
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter

from cauce import CauceError
from cauce.settings import FormatoCsv
from indicators.definicion import PESOS, PROPORCION

MAX_FILAS_EXCEL = 1_048_576 - 1      # a sheet's rows, less the header
_PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")
# Excel number formats by unit (the workbook's locale shows its own separators).
FORMATOS = {"proporcion": "0.0 %", "pesos": '"$" #,##0', "m3": '#,##0 "m³"',
            "m3_por_cuenta": '#,##0.0 "m³"', "cuentas": "#,##0", "conteo": "#,##0",
            "dias": "#,##0.0", "por_mil": "#,##0.0"}


def neutralizar(valor):
    if isinstance(valor, str) and valor.startswith(_PELIGROSOS):
        return "'" + valor
    return valor


def _para_personas(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        serie = out[col]
        if serie.dtype == bool or serie.map(lambda v: isinstance(v, bool)).any():
            out[col] = serie.map(lambda v: None if v is None or v is pd.NA else
                                 ("Sí" if v else "No"))
    return out


def escribir(frame: pd.DataFrame, ruta: Path, hoja: str = "datos",
             dinero: set[str] = frozenset(), porcentaje: set[str] = frozenset(),
             formato_csv: FormatoCsv = FormatoCsv(),
             por_fila: dict[str, Sequence[str]] | None = None) -> None:
    """Write ``frame`` to ``ruta``: ``.csv`` (``formato_csv``) or ``.xlsx``. ``dinero`` and
    ``porcentaje`` name columns of pesos and of proportions; ``por_fila`` gives a column's
    unit row by row (a table of indicators of different units)."""
    ruta = Path(ruta)
    tipo = ruta.suffix.lower()
    if tipo not in (".csv", ".xlsx"):
        raise CauceError(f"No sé escribir «{ruta.name}»: use un nombre terminado en .xlsx o .csv.")
    try:
        ruta.parent.mkdir(parents=True, exist_ok=True)
        if tipo == ".csv":
            ruta.write_bytes(csv_para_excel(frame, formato_csv, dinero, porcentaje, por_fila))
        else:
            _xlsx(_para_personas(frame), ruta, hoja, dinero, porcentaje, por_fila)
    except OSError as e:
        raise CauceError(f"No se pudo escribir {ruta}: {e.strerror or e}. Revise la ruta y sus "
                         f"permisos, y cierre el archivo si está abierto en Excel.") from None


def csv_para_excel(frame: pd.DataFrame, formato: FormatoCsv, dinero=(), porcentaje=(),
                   por_fila: dict[str, Sequence[str]] | None = None) -> bytes:
    """The bytes of ``frame`` as a CSV for the user's Excel (see the module's docstring)."""
    datos = _para_personas(frame)
    columnas = list(datos.columns)
    unidades = [_unidades(c, len(datos), dinero, porcentaje, por_fila) for c in columnas]
    salida = io.StringIO()
    escritor = csv.writer(salida, delimiter=formato.separador, lineterminator="\r\n")
    escritor.writerow([neutralizar(str(c)) for c in columnas])
    for i, fila in enumerate(datos.itertuples(index=False)):
        escritor.writerow([texto(v, u[i], formato) for v, u in zip(fila, unidades)])
    return salida.getvalue().encode("utf-8-sig")


def texto(v, unidad: str | None, formato: FormatoCsv) -> str:
    """One cell of a CSV for people: pesos whole, a proportion as a percentage with two
    decimals, other numbers with at most two, dates dd/mm/aaaa; user text neutralised."""
    if _vacio(v):
        return ""
    if isinstance(v, str):
        return neutralizar(v)
    if isinstance(v, dt.datetime):          # pandas' Timestamp too
        return v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if not isinstance(v, numbers.Number):
        return neutralizar(str(v))
    if unidad == PROPORCION:
        return _cifra(decimal.Decimal(str(v)) * 100, 2, formato) + "%"
    if unidad == PESOS or (isinstance(v, numbers.Integral)):
        return _cifra(decimal.Decimal(str(v)), 0, formato)
    x = decimal.Decimal(str(v)).quantize(decimal.Decimal("0.01"), decimal.ROUND_HALF_UP)
    return _cifra(x, 0 if x == x.to_integral_value() else 2, formato)


def _cifra(x: decimal.Decimal, decimales: int, formato: FormatoCsv) -> str:
    """``x`` rounded half up to ``decimales``, with the decimal separator of ``formato`` and
    no thousands separator (Excel reads it so in any locale); never "-0"."""
    redondo = x.quantize(decimal.Decimal(1).scaleb(-decimales), decimal.ROUND_HALF_UP)
    if redondo == 0:
        redondo = abs(redondo)
    return f"{redondo:f}".replace(".", formato.decimal)


def _vacio(v) -> bool:
    try:
        return v is None or v is pd.NA or v is pd.NaT or bool(v != v)
    except (TypeError, ValueError):
        return False


def _unidades(columna, filas: int, dinero, porcentaje, por_fila) -> Sequence[str | None]:
    """The unit of each row's cell in ``columna``."""
    if por_fila and columna in por_fila:
        return por_fila[columna]
    unidad = PESOS if columna in dinero else PROPORCION if columna in porcentaje else None
    return [unidad] * filas


def _xlsx(datos: pd.DataFrame, ruta: Path, hoja: str, dinero, porcentaje, por_fila) -> None:
    libro = nuevo_libro(ruta)
    hojas(libro, hoja, datos, dinero, porcentaje, por_fila)
    libro.close()


def nuevo_libro(ruta: Path) -> xlsxwriter.Workbook:
    """A workbook where user text stays text (no formulas, no links) and rows are written one
    after the other (constant memory: a list of millions of rows fits)."""
    libro = xlsxwriter.Workbook(str(ruta), {"strings_to_formulas": False,
                                            "strings_to_urls": False, "constant_memory": True})
    libro.formatos = {
        "encabezado": libro.add_format({"bold": True, "bg_color": "#DCE9F5", "border": 1,
                                        "text_wrap": True, "valign": "top"}),
        "fecha": libro.add_format({"num_format": "dd/mm/yyyy"}),
        "fecha_hora": libro.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        **{u: libro.add_format({"num_format": f}) for u, f in FORMATOS.items()}}
    return libro


def hojas(libro: xlsxwriter.Workbook, hoja: str, datos: pd.DataFrame, dinero=(),
          porcentaje=(), por_fila: dict[str, Sequence[str]] | None = None) -> list[str]:
    """Write ``datos`` as a table in sheet ``hoja`` of ``libro`` (frozen header, filter, column
    widths); past Excel's rows per sheet it goes on in «hoja (2)», ... and a first row says so.
    The names of the sheets written."""
    formatos = libro.formatos
    columnas = list(datos.columns)
    unidades = [_unidades(c, len(datos), dinero, porcentaje, por_fila) for c in columnas]
    tramos = range(0, max(len(datos), 1), MAX_FILAS_EXCEL)
    nombres = []
    for n, inicio in enumerate(tramos, 1):
        parte = datos.iloc[inicio:inicio + MAX_FILAS_EXCEL]
        nombre = hoja[:31] if n == 1 else f"{hoja[:25]} ({n})"
        ws = libro.add_worksheet(nombre)
        nombres.append(nombre)
        for j, col in enumerate(columnas):
            ws.write_string(0, j, str(col), formatos["encabezado"])
            ancho = max([len(str(col))] + [len(str(v)) for v in parte[col].head(200)])
            ws.set_column(j, j, min(max(ancho + 2, 8), 60))
        for i, fila in enumerate(parte.itertuples(index=False), 1):
            for j, v in enumerate(fila):
                _celda(ws, i, j, v, formatos.get(unidades[j][inicio + i - 1]), formatos)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(parte), 1), len(columnas) - 1)
    if len(tramos) > 1:
        nota = libro.add_worksheet(f"{hoja[:24]} (nota)")
        nota.write_string(0, 0, f"La tabla «{hoja}» tiene {len(datos)} filas: Excel admite "
                                f"{MAX_FILAS_EXCEL} por hoja, así que sigue en las hojas "
                                f"«{hoja[:25]} (2)» y siguientes.")
    return nombres


def _celda(ws, i, j, v, formato, formatos) -> None:
    """A cell: a date as a date, text as text, a number in its unit's format."""
    if _vacio(v):
        return
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        ws.write_datetime(i, j, v, formatos["fecha_hora"])
    elif isinstance(v, dt.date):
        ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), formatos["fecha"])
    elif isinstance(v, str):
        ws.write_string(i, j, v)
    else:
        ws.write_number(i, j, float(v), formato)
