"""Opening the warehouse to read it, for the interfaces.

The terminal opens it for one command (:func:`leer`); the dashboard keeps its own short-lived
read-only connections (``dashboards.datos``) on the engines made here. Reading never changes
the schema (``etl.migracion`` runs only when a load writes).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from cauce import CauceError
from cauce.settings import Settings
from etl import warehouse as w

T = TypeVar("T")


def leer(settings: Settings, consulta: Callable[[sa.Connection], T], *,
         debe_existir: bool = True) -> T:
    """Run ``consulta(conn)`` on the warehouse; database errors in Spanish. ``debe_existir``:
    a warehouse where nothing was loaded is an error here, rather than ``consulta``'s to
    tell (the checks report says there are no loads)."""
    engine = (w.open_existing(settings.almacen_url, settings.memoria_mb) if debe_existir
              else w.create_engine(settings.almacen_url, settings.memoria_mb))
    try:
        with engine.connect() as conn:
            return consulta(conn)
    except sa.exc.DBAPIError as e:
        raise CauceError(w.describe_connection_error(engine, e)) from e
    finally:
        engine.dispose()


def motor(settings: Settings, *, solo_lectura: bool = False,
          espera_s: float = w.ESPERA_BLOQUEO_S) -> sa.Engine:
    """An engine on the warehouse (``solo_lectura``: a DuckDB file opened read-only, waiting
    ``espera_s`` for a writer)."""
    return w.create_engine(settings.almacen_url, settings.memoria_mb, solo_lectura=solo_lectura,
                           espera_s=espera_s)


def ultima_carga(conn: sa.Connection) -> str | None:
    """What identifies the warehouse's data: the last load's number, when it began (to the
    second) and its file's hash (a rebuilt warehouse counts its loads from 1 again, maybe
    within the same second). None: nothing loaded."""
    if not sa.inspect(conn).has_table(w.carga.name):
        return None
    ultima = conn.execute(sa.select(w.carga.c.id, w.carga.c.inicio, w.carga.c.sha256)
                          .order_by(w.carga.c.id.desc()).limit(1)).first()
    return None if ultima is None else f"{ultima.id}@{ultima.inicio.isoformat()}/{ultima.sha256}"


def error_de_conexion(engine: sa.Engine, error: Exception) -> str:
    """A Spanish sentence for a database error on ``engine``."""
    return w.describe_connection_error(engine, error)
