"""A SUI report: ``cauce sui`` and the dashboard's *Reportes*.

A layout is found by name (``indicators.sui.formato``: the shipped ones and the utility's
own), built for the period, validated and written only when valid.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from cauce.settings import Settings
from indicators import catalogo
from indicators import sui
from indicators.sui import Formato, Resultado
from indicators.sui.escribir import EscrituraFallida

__all__ = ["EscrituraFallida", "Formato", "Reporte", "carpeta_extra", "disenio", "generar",
           "nombres"]

carpeta_extra = sui.carpeta_extra


def nombres(settings: Settings) -> list[str]:
    """The layouts one may ask for: the shipped ones and the utility's."""
    return list(sui.disponibles(settings))


def disenio(nombre: str, settings: Settings) -> Formato:
    """The layout called ``nombre`` (a ``CauceError``, exit code 2, when there is none)."""
    return sui.cargar(nombre, settings)


@dataclass
class Reporte:
    resultado: Resultado       # its validation, and the files written when valid
    hay_datos: bool            # False: the warehouse has no rows of the layout's source in P
    fuente: str


def generar(conn: sa.Connection, settings: Settings, formato: Formato, periodo: str,
            salida: Path, xlsx: bool = False) -> Reporte:
    """Build, validate and (only when valid and not empty) write the report of ``periodo``
    to ``salida`` (``xlsx``: and a review workbook beside it)."""
    fuente = sui.CONJUNTOS[formato.conjunto].fuente
    return Reporte(sui.generar(conn, formato, periodo, settings, salida, xlsx),
                   catalogo.hay_datos(conn, fuente, periodo, settings), fuente)
