"""The writers: the SUI flat file and the review workbook, only after validation passes.

The flat file ("cargue masivo"): one line per row, fields separated by commas, no header,
plain UTF-8 without BOM, every line ended by CRLF (the SUI is a Windows web upload and
CRLF is what the tools its users open the file with expect). Rows are validated as they
are written to a temporary file beside the target; the file takes its name only when every
row passed, and with errors nothing is left behind.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import sqlalchemy as sa

from cauce import CauceError
from cauce.settings import Settings
from indicators import exportar
from indicators.sui.construir import FILAS_POR_LOTE, Lote, lotes
from indicators.sui.formato import Formato
from indicators.sui.validar import Validacion, Validador, fecha, numero

SEPARADOR = ","
FIN_DE_LINEA = "\r\n"


def lineas(lote: Lote) -> str:
    """The lot's lines: its fields' texts joined by the separator, each line ended."""
    filas = pc.binary_join_element_wise(*lote.valores, SEPARADOR)
    return FIN_DE_LINEA.join(filas.to_pylist()) + FIN_DE_LINEA


@dataclass
class Resultado:
    formato: Formato
    periodo: str
    validacion: Validacion
    salida: Path | None = None          # None: nothing was written
    xlsx: Path | None = None

    @property
    def filas(self) -> int:
        return self.validacion.filas


class EscrituraFallida(CauceError):
    """The report could not be written where asked: ``ruta``, and why (``razon``). Each
    interface adds where the path came from (``--salida`` in the terminal)."""

    def __init__(self, ruta: Path, razon: str):
        super().__init__(f"No se pudo escribir {ruta}: {razon}.")
        self.ruta, self.razon = ruta, razon


def ruta_xlsx(salida: Path) -> Path:
    """The review workbook beside the flat file: same name, ``.xlsx``."""
    return salida.with_suffix(".xlsx")


def generar(conn: sa.Connection, formato: Formato, periodo: str, settings: Settings,
            salida: Path, xlsx: bool = False, max_errores: int = 1000,
            filas_por_lote: int = FILAS_POR_LOTE) -> Resultado:
    """Build, validate and (only when valid and not empty) write the report of ``periodo``."""
    salida = Path(salida)
    if xlsx and salida.suffix.lower() == ".xlsx":
        raise CauceError(f"{salida.name} es el archivo plano del SUI: use un nombre .csv o .txt; "
                         f"la copia para revisión se escribe a su lado (.xlsx).")
    validador = Validador(formato, max_errores)
    temporal = None
    try:
        salida.parent.mkdir(parents=True, exist_ok=True)
        temporal = salida.with_name(f".{salida.name}.{os.getpid()}.parcial")
        with open(temporal, "x", encoding="utf-8", newline="") as archivo:
            for lote in lotes(conn, formato, periodo, settings, filas_por_lote):
                validador.revisar_lote(lote)
                if validador.total == 0:
                    archivo.write(lineas(lote))
        validacion = validador.terminar()
        resultado = Resultado(formato, periodo, validacion)
        if not validacion.valida or validacion.filas == 0:
            return resultado
        if xlsx:
            resultado.xlsx = ruta_xlsx(salida)
            escribir_xlsx(formato, leer_plano(temporal), resultado.xlsx)
        os.replace(temporal, salida)
        temporal = None
        resultado.salida = salida
        return resultado
    except OSError as e:
        raise EscrituraFallida(salida, str(e.strerror or e)) from None
    finally:
        if temporal is not None:
            with contextlib.suppress(OSError):
                temporal.unlink()


def leer_plano(ruta: Path) -> list[list[str]]:
    """The rows of a flat file this module wrote (no quoting: a comma always separates)."""
    with open(ruta, encoding="utf-8", newline="") as archivo:
        texto = archivo.read()
    return [x.split(SEPARADOR) for x in texto.split(FIN_DE_LINEA) if x != ""]


def tabla(formato: Formato, filas: list[list[str]]) -> pd.DataFrame:
    """The rows with Spanish headers ("4 Radicado Recibido") and typed values: dates as
    dates, numbers as numbers, codes as text (their leading zeros kept)."""
    columnas = {}
    for j, campo in enumerate(formato.campos):
        valores = [f[j] for f in filas]
        if campo.tipo == "fecha":
            datos = [fecha(v) if v else None for v in valores]
        elif campo.numerico:
            datos = [None if v == "" else (float(n) if (n := numero(v)) is not None else v)
                     for v in valores]
        else:
            datos = [v or None for v in valores]
        columnas[f"{campo.numero} {campo.nombre}"] = pd.Series(datos, dtype=object)
    return pd.DataFrame(columnas)


def escribir_xlsx(formato: Formato, filas: list[list[str]], ruta: Path) -> None:
    exportar.escribir(tabla(formato, filas), ruta, hoja=formato.nombre[:31])
