"""Tables for people: CSV that Excel opens with its accents, and formatted XLSX.

Text that users typed (names, addresses, PQR descriptions) is untrusted: in the CSV a
cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is prefixed
with ``'`` so Excel shows it instead of running it, and the workbook is written with
``strings_to_formulas`` off. Booleans read ``Sí``/``No``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlsxwriter

from cauce import CauceError

MAX_FILAS_EXCEL = 1_048_576 - 1      # a sheet's rows, less the header
_PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")


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
             dinero: set[str] = frozenset(), porcentaje: set[str] = frozenset()) -> None:
    """Write ``frame`` to ``ruta``: ``.csv`` (UTF-8 with BOM, comma, decimal point) or
    ``.xlsx``. ``dinero`` and ``porcentaje`` name columns to format as pesos and %."""
    ruta = Path(ruta)
    tipo = ruta.suffix.lower()
    if tipo not in (".csv", ".xlsx"):
        raise CauceError(f"No sé escribir «{ruta.name}»: use un nombre terminado en .xlsx o .csv.")
    datos = _para_personas(frame)
    try:
        ruta.parent.mkdir(parents=True, exist_ok=True)
        if tipo == ".csv":
            datos.map(neutralizar).to_csv(ruta, index=False, encoding="utf-8-sig")
        else:
            _xlsx(datos, ruta, hoja, dinero, porcentaje)
    except OSError as e:
        raise CauceError(f"No se pudo escribir {ruta}: {e.strerror or e}. Revise la ruta y sus "
                         f"permisos, y cierre el archivo si está abierto en Excel.") from None


def _xlsx(datos: pd.DataFrame, ruta: Path, hoja: str, dinero, porcentaje) -> None:
    libro = nuevo_libro(ruta)
    hojas(libro, hoja, datos, dinero, porcentaje)
    libro.close()


def nuevo_libro(ruta: Path) -> xlsxwriter.Workbook:
    """A workbook where user text stays text (no formulas, no links) and rows are written one
    after the other (constant memory: a list of millions of rows fits)."""
    libro = xlsxwriter.Workbook(str(ruta), {"strings_to_formulas": False,
                                            "strings_to_urls": False, "constant_memory": True})
    libro.formatos = {
        "encabezado": libro.add_format({"bold": True, "bg_color": "#DCE9F5", "border": 1,
                                        "text_wrap": True, "valign": "top"}),
        "dinero": libro.add_format({"num_format": '"$" #,##0'}),
        "porcentaje": libro.add_format({"num_format": "0.0 %"}),
        "fecha": libro.add_format({"num_format": "dd/mm/yyyy"}),
        "fecha_hora": libro.add_format({"num_format": "dd/mm/yyyy hh:mm"})}
    return libro


def hojas(libro: xlsxwriter.Workbook, hoja: str, datos: pd.DataFrame, dinero=(),
          porcentaje=()) -> list[str]:
    """Write ``datos`` as a table in sheet ``hoja`` of ``libro`` (frozen header, filter, column
    widths); past Excel's rows per sheet it goes on in «hoja (2)», ... and a first row says so.
    The names of the sheets written."""
    formatos = libro.formatos
    columnas = list(datos.columns)
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
                _celda(ws, i, j, v, columnas[j], formatos, dinero, porcentaje)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(parte), 1), len(columnas) - 1)
    if len(tramos) > 1:
        nota = libro.add_worksheet(f"{hoja[:24]} (nota)")
        nota.write_string(0, 0, f"La tabla «{hoja}» tiene {len(datos)} filas: Excel admite "
                                f"{MAX_FILAS_EXCEL} por hoja, así que sigue en las hojas "
                                f"«{hoja[:25]} (2)» y siguientes.")
    return nombres


def _celda(ws, i, j, v, col, formatos, dinero, porcentaje) -> None:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        ws.write_datetime(i, j, v, formatos["fecha_hora"])
    elif isinstance(v, dt.date):
        ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), formatos["fecha"])
    elif isinstance(v, str):
        ws.write_string(i, j, v)
    elif col in dinero:
        ws.write_number(i, j, float(v), formatos["dinero"])
    elif col in porcentaje:
        ws.write_number(i, j, float(v), formatos["porcentaje"])
    else:
        ws.write_number(i, j, float(v))
