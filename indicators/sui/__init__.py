"""The regulator's (SUI) reports: layouts as data, their builder, validator and writers.

- ``formato``: reads a layout file (``formatos/*.toml``, or the utility's own in
  ``formatos_sui/`` next to config.toml) into a :class:`Formato`.
- ``construir``: the rows of a layout for period P, computed in the warehouse.
- ``validar``: every field rule and cross-field rule of the layout, errors in Spanish.
- ``escribir``: the flat file (and the review workbook), written only when valid.

``cauce sui FORMATO --periodo P`` is :func:`generar` on the layout :func:`cargar` finds.
"""
from __future__ import annotations

from indicators.sui.escribir import Resultado, generar, ruta_xlsx
from indicators.sui.construir import (CONJUNTOS, DERIVACIONES, FILAS_POR_LOTE, Fila, Lote, filas,
                                      lotes)
from indicators.sui.formato import Campo, Formato, cargar, carpeta_extra, disponibles, leer
from indicators.sui.validar import Error, Validacion, validar

__all__ = ["CONJUNTOS", "DERIVACIONES", "FILAS_POR_LOTE", "Campo", "Error", "Fila", "Formato",
           "Lote", "Resultado", "Validacion", "cargar", "carpeta_extra", "disponibles", "filas",
           "generar", "leer", "lotes", "ruta_xlsx", "validar"]
