"""The warehouse's schema brought to this Cauce's, by the commands that write.

A new warehouse gets its tables; one of an earlier Cauce gets the columns it lacks
(``warehouse.AGREGADAS``, empty: what they hold is recomputed) and its payments linked to
their invoices (``etl.enlaces``: a data migration, every payment of the warehouse). Only a
load runs it, inside one transaction: reading never changes the warehouse, and the reading
commands and the dashboard read an earlier warehouse as it is (``warehouse.al_dia``).
"""
from __future__ import annotations

import sqlalchemy as sa

from cauce import CauceError
from etl import enlaces
from etl import warehouse as w


def ensure_schema(engine: sa.Engine) -> None:
    """Create the tables that do not exist yet and complete those of an earlier Cauce."""
    try:
        with engine.begin() as conn:
            w.metadata.create_all(conn)
            _agregar_columnas(conn)
            enlaces.completar(conn)
    except sa.exc.DBAPIError as e:
        raise CauceError(w.describe_connection_error(engine, e)) from e


def _agregar_columnas(conn: sa.Connection) -> None:
    """Add to a warehouse of an earlier Cauce the columns its tables lack (``AGREGADAS``)."""
    for tabla, nombre in w.AGREGADAS:
        if not w.tiene_columna(conn, tabla.name, nombre):
            columna = sa.schema.CreateColumn(tabla.c[nombre]).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {tabla.name} ADD COLUMN {columna}")
