"""Links between sources, resolved when either side is loaded: a payment's invoice.

``recaudo.por_identificar`` adds the month's payments whose invoice is not in the
warehouse. Asked when the indicator is computed, that is a probe of every invoice ever
loaded (126 million rows for a utility of 2 million accounts: seconds, every time).
Resolved at load, it is a column of the payment, ``pagos.periodo_factura``: the billing
period of the invoice it names, null while no such invoice is loaded.

A load of payments links the payments it brings. A load of invoices links again the
payments of the invoices it brings and of the periods it replaces, so an invoice loaded
after its payments, or a period loaded again without one of its invoices, shows at once.
Both happen in the load's transaction: a refused file changes nothing.
"""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w

PG, F = w.tables["pagos"], w.tables["facturas"]


def al_insertar(fuente: str, filas: sa.Table) -> tuple[sa.FromClause, dict]:
    """What the load inserts its staged ``filas`` of ``fuente`` from, and the derived columns
    (name: expression): the payments come linked to the invoices already loaded."""
    if fuente != "pagos":
        return filas, {}
    f = facturas_de(filas)
    return (filas.outerjoin(f, f.c.numero == filas.c.numero_factura),
            {"periodo_factura": f.c.periodo})


def facturas_de(pagos: sa.Table) -> sa.Subquery:
    """numero, periodo: the loaded invoices that staged ``pagos`` name (a semi-join first
    keeps the set small: much faster than a lookup per payment)."""
    return _factura(F.c.numero.in_(sa.select(pagos.c.numero_factura)))


def tras_cargar(conn: sa.Connection, fuente: str, carga_id: int, periodos: list[str]) -> None:
    """After a load of invoices (``carga_id``, of ``periodos``): link again the payments of
    the invoices it brought and of the periods it replaced."""
    if fuente != "facturas":
        return
    _enlazar(conn, sa.true(), F.c.carga_id == carga_id)
    # Payments to an invoice of the replaced periods that the file no longer brings: to
    # the same number in another period, if the warehouse has one (a number may repeat
    # with another service); else unknown.
    perdidas = sa.and_(PG.c.periodo_factura.in_(periodos), PG.c.numero_factura.not_in(
        sa.select(F.c.numero).where(F.c.carga_id == carga_id)))
    _enlazar(conn, perdidas, sa.and_(
        F.c.periodo.not_in(periodos),
        F.c.numero.in_(sa.select(PG.c.numero_factura).where(perdidas))))
    conn.execute(PG.update().where(perdidas).values(periodo_factura=None))


def completar(conn: sa.Connection) -> None:
    """A warehouse of an earlier Cauce gets the column, every payment linked."""
    if w.tiene_columna(conn, PG.name, PG.c.periodo_factura.name):
        return
    columna = sa.schema.CreateColumn(PG.c.periodo_factura).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {PG.name} ADD COLUMN {columna}")
    _enlazar(conn, sa.true(), F.c.numero.in_(sa.select(PG.c.numero_factura)))


def _enlazar(conn: sa.Connection, pagos, facturas) -> None:
    """Link the payments that satisfy ``pagos`` to the invoices that satisfy ``facturas``
    (the latest period of the invoice's number), where that changes their period."""
    f = _factura(facturas)
    conn.execute(PG.update().where(pagos, PG.c.numero_factura == f.c.numero,
                                   PG.c.periodo_factura.is_distinct_from(f.c.periodo))
                 .values(periodo_factura=f.c.periodo))


def _factura(donde) -> sa.Subquery:
    """numero, periodo: the invoice numbers that satisfy ``donde``, each with its latest
    period."""
    return (sa.select(F.c.numero, sa.func.max(F.c.periodo).label("periodo")).where(donde)
            .group_by(F.c.numero).subquery("factura"))
