"""A batch of documents: ``cauce documentos`` and the dashboard's *Documentos* page.

The batch is written and registered in one transaction of the warehouse
(``indicators.documentos.lote``): a failure leaves neither files nor register rows.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from cauce import CauceError
from cauce.settings import Settings
from etl import warehouse as w
from indicators.definicion import corte
from indicators import documentos
from indicators.documentos import lote
from indicators.documentos import registro as reg
from indicators.documentos.lote import Lote

__all__ = ["Lote", "TIPOS", "TITULOS", "emitir", "registro"]

TIPOS = documentos.NOMBRES         # the registry: a new kind is declared there
TITULOS = {t.nombre: t.titulo for t in documentos.TIPOS.values()}


def emitir(settings: Settings, tipo: str, periodo: str, salida: Path, reemitir: bool = False,
           hoy: dt.date | None = None) -> Lote | None:
    """Write and register the batch of ``tipo`` for ``periodo`` in ``salida`` (the one in force
    again, unless ``reemitir``). None: the period has no recipients of the kind."""
    engine = w.open_existing(settings.almacen_url, settings.memoria_mb)
    resultado = None
    try:
        with engine.begin() as conn:
            resultado = lote.emitir(conn, settings, tipo, periodo, salida, reemitir, hoy)
    except sa.exc.DBAPIError as e:
        _retirar(resultado)
        raise CauceError(w.describe_connection_error(engine, e)) from e
    except BaseException:
        _retirar(resultado)
        raise
    finally:
        engine.dispose()
    return resultado


def _retirar(resultado: Lote | None) -> None:
    """The files of a new batch whose register could not be committed."""
    if resultado is not None and resultado.nuevo:
        for ruta in (resultado.docx, resultado.zip):
            ruta.unlink(missing_ok=True)


def registro(conn: sa.Connection, tipo: str | None = None, periodo: str | None = None,
             dia: dt.date | None = None):
    """The register with each document's state on ``dia`` (default: today, or the data's
    cut-off if it is later): personal data (the interfaces check who asks)."""
    dia = dia or max(filter(None, (corte(conn), dt.date.today())))
    return reg.con_estado(conn, dia, tipo, periodo)
