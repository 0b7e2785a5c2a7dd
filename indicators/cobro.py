"""The control of the notices (``documents.md``): each one's closure, and the ``cobro.*``
indicators over the suspension notices of the register (``documento``).

A notice (and a collection letter) is closed on the first of:
- pagado: the payments of its account dated after the issue reach its amount;
- suspendido: an order of ``tipo = suspension`` for its account executed after the issue;
- en reclamo: a PQR of tipo reclamo or recurso for its account filed after the issue;
- anulado: its batch was re-issued.
Otherwise it is abierto, and vencido once its deadline has passed.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import CONTEO, PROPORCION, Contexto, familia, medida, si
from indicators.pqr import RECLAMOS

D, PG, OT, PQ = w.documento, w.tables["pagos"], w.tables["ordenes"], w.tables["pqr"]
CONTROLADOS = ("aviso_suspension", "carta_persuasiva", "carta_prejuridica")
AVISO = "aviso_suspension"
PAGADO, SUSPENDIDO, EN_RECLAMO = "pagado", "suspendido", "en reclamo"
ANULADO, ABIERTO, VENCIDO = "anulado", "abierto", "vencido"
ESTADOS = (PAGADO, SUSPENDIDO, EN_RECLAMO, ANULADO, ABIERTO, VENCIDO)
_LEJOS = dt.date(9999, 12, 31)


def hay_registro(conn: sa.Connection) -> bool:
    """Whether the warehouse has the register (one of an earlier Cauce, only read, lacks it)."""
    return sa.inspect(conn).has_table(D.name)


def cierres(tipos: tuple[str, ...] = CONTROLADOS) -> sa.Select:
    """Every registered document of ``tipos`` with the date of each way it closed (null: not
    yet), ``fecha_cierre`` (the first) and ``causa``; a voided one has ``anulado = True``."""
    d = (sa.select(D.c.numero, D.c.tipo, D.c.periodo, D.c.lote, D.c.codigo, D.c.entidad,
                   D.c.municipio, D.c.fecha_emision, D.c.fecha_limite, D.c.valor, D.c.estado)
         .where(D.c.tipo.in_(tipos)).subquery("d"))
    acumulado = sa.func.sum(PG.c.valor).over(partition_by=d.c.numero,
                                             order_by=(PG.c.fecha_pago, PG.c.id))
    pagos = (sa.select(d.c.numero, d.c.valor, PG.c.fecha_pago, acumulado.label("acumulado"))
             .join_from(d, PG, sa.and_(PG.c.codigo == d.c.codigo,
                                       PG.c.fecha_pago > d.c.fecha_emision))
             .subquery("pagos"))
    pagado = (sa.select(pagos.c.numero, sa.func.min(pagos.c.fecha_pago).label("fecha"))
              .where(pagos.c.acumulado >= pagos.c.valor).group_by(pagos.c.numero)
              .subquery("pagado"))
    ejecutada = sa.cast(OT.c.fecha_ejecucion, sa.Date)
    suspendido = (sa.select(d.c.numero, sa.func.min(ejecutada).label("fecha"))
                  .join_from(d, OT, sa.and_(OT.c.codigo == d.c.codigo, OT.c.tipo == "suspension",
                                            OT.c.estado != "anulada",
                                            ejecutada > d.c.fecha_emision))
                  .group_by(d.c.numero).subquery("suspendido"))
    radicada = sa.cast(PQ.c.fecha_radicacion, sa.Date)
    reclamo = (sa.select(d.c.numero, sa.func.min(radicada).label("fecha"))
               .join_from(d, PQ, sa.and_(PQ.c.codigo == d.c.codigo, PQ.c.tipo.in_(RECLAMOS),
                                         radicada > d.c.fecha_emision))
               .group_by(d.c.numero).subquery("reclamo"))
    fechas = (pagado.c.fecha, suspendido.c.fecha, reclamo.c.fecha)
    lejos = sa.literal(_LEJOS, sa.Date)
    primera = sa.func.nullif(sa.func.least(*[sa.func.coalesce(f, lejos) for f in fechas]), lejos)
    return (sa.select(d, pagado.c.fecha.label("fecha_pagado"),
                      suspendido.c.fecha.label("fecha_suspendido"),
                      reclamo.c.fecha.label("fecha_reclamo"), primera.label("fecha_cierre"),
                      sa.case(*[(f == primera, causa) for f, causa in
                                zip(fechas, (PAGADO, SUSPENDIDO, EN_RECLAMO))]).label("causa"),
                      (d.c.estado == "anulado").label("anulado"))
            .select_from(d.outerjoin(pagado, pagado.c.numero == d.c.numero)
                         .outerjoin(suspendido, suspendido.c.numero == d.c.numero)
                         .outerjoin(reclamo, reclamo.c.numero == d.c.numero)))


def estado(c, dia) -> sa.ColumnElement[str]:
    """A document's state on ``dia`` (a date parameter) from the columns of :func:`cierres`."""
    return sa.case((c.anulado, ANULADO), (c.fecha_cierre <= dia, c.causa),
                   (c.fecha_limite < dia, VENCIDO), else_=ABIERTO)


@familia(
    medida("cobro.avisos_emitidos", "Avisos de suspensión emitidos",
           "Avisos de suspensión emitidos en el mes (sin los de lotes anulados).", CONTEO,
           numerador="emitido"),
    medida("cobro.avisos_cerrados", "Avisos cerrados a tiempo",
           "De los avisos de suspensión cuya fecha límite cae en el mes, la proporción cerrada "
           "(pago, suspensión o reclamo) a más tardar [documentos] dias_cierre días después de "
           "esa fecha.", PROPORCION, mayor_es_mejor=True, numerador="cerrado_a_tiempo",
           denominador="vence_en_mes"),
    medida("cobro.avisos_vencidos", "Avisos vencidos sin cerrar",
           "Avisos de suspensión abiertos al cierre del periodo cuya fecha límite ya pasó.",
           CONTEO, mayor_es_mejor=False, numerador="vencido"),
    fuentes=["pagos"])
def avisos(q: Contexto) -> sa.Select:
    """The suspension notices in force, with what each adds to the month's indicators. A month
    without payments loaded has no value: whether its notices were paid cannot be told."""
    if not q.uno("hay_registro", hay_registro):
        return sa.select(
            *[sa.cast(sa.null(), sa.String).label(c) for c in ("numero", "codigo", "causa")],
            *[sa.cast(sa.null(), sa.Integer).label(c) for c in (
                "emitido", "vence_en_mes", "cerrado_a_tiempo", "vencido")]).where(sa.false())
    c = cierres((AVISO,)).subquery("cierre")
    fin = sa.literal(q.fin, sa.Date)
    vence_en_mes = q.en_mes(c.c.fecha_limite)
    abierto_al_fin = sa.or_(c.c.fecha_cierre.is_(None), c.c.fecha_cierre > fin)
    return (sa.select(
        c.c.numero, c.c.codigo, c.c.fecha_emision, c.c.fecha_limite, c.c.valor,
        c.c.fecha_cierre, c.c.causa,
        si(q.en_mes(c.c.fecha_emision)).label("emitido"),
        si(vence_en_mes).label("vence_en_mes"),
        si(sa.and_(vence_en_mes, c.c.fecha_cierre.is_not(None),
                   c.c.fecha_cierre - c.c.fecha_limite <= q.settings.documentos.dias_cierre))
        .label("cerrado_a_tiempo"),
        si(sa.and_(c.c.fecha_emision <= fin, abierto_al_fin, c.c.fecha_limite < fin))
        .label("vencido"))
        .where(~c.c.anulado))


def abiertos(q: Contexto) -> sa.Select:
    """The suspension notices open at end(P) (issued by then, not closed by then), with the
    days past their deadline (0 while in term)."""
    c = cierres((AVISO,)).subquery("cierre")
    fin = sa.literal(q.fin, sa.Date)
    dias = fin - c.c.fecha_limite
    return (sa.select(c.c.numero, c.c.codigo, c.c.valor, c.c.fecha_emision, c.c.fecha_limite,
                      sa.case((dias > 0, dias), else_=0).label("dias_vencido"),
                      estado(c.c, fin).label("estado"))
            .where(~c.c.anulado, c.c.fecha_emision <= fin,
                   sa.or_(c.c.fecha_cierre.is_(None), c.c.fecha_cierre > fin)))
