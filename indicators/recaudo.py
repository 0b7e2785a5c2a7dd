"""Collection (recaudo) indicators: the payments of month(P) against the billing of P.

A payment to an invoice is spread over that invoice's services in proportion to their
``valor_total`` (``data-contract.md``); that spreading is done only for the ``servicio``
breakdown, since every other view counts the payment whole.
"""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import PESOS, PROPORCION, TODOS, Contexto, indicador, vacio
from indicators.facturacion import facturas

PG, F = w.tables["pagos"], w.tables["facturas"]


def pagos(q: Contexto, donde) -> sa.Select:
    """The payments that satisfy ``donde``, each adding its ``valor`` to the numerator (split
    over the invoice's services under the ``servicio`` breakdown)."""
    base = (sa.select(PG.c.id, PG.c.codigo, PG.c.numero_factura, PG.c.fecha_pago, PG.c.valor,
                      PG.c.canal)
            .where(donde).subquery("pago"))
    if q.por != "servicio":
        return sa.select(base, base.c.valor.label("numerador"))
    # The share of each service of the invoices these payments name.
    # An invoice that totals 0 is split evenly, so the groups still add up to the payment.
    total = sa.func.sum(F.c.valor_total).over(partition_by=F.c.numero)
    servicios = sa.func.count().over(partition_by=F.c.numero)
    parte = sa.func.coalesce(
        sa.cast(F.c.valor_total, sa.Double) / sa.func.nullif(sa.cast(total, sa.Double), 0),
        1.0 / sa.cast(servicios, sa.Double))
    cuota = (sa.select(F.c.numero, F.c.servicio, parte.label("parte"))
             .where(F.c.numero.in_(sa.select(base.c.numero_factura)))
             .subquery("cuota"))
    return (sa.select(base, cuota.c.servicio,
                      (sa.cast(base.c.valor, sa.Double) * sa.func.coalesce(cuota.c.parte, 1.0))
                      .label("numerador"))
            .select_from(base.outerjoin(cuota, cuota.c.numero == base.c.numero_factura)))


def _con_facturacion(q: Contexto, cobros: sa.Select) -> sa.Select:
    """Payments over the billing of P: the payments add to the numerator, the invoice rows
    of P to the denominator."""
    c = cobros.subquery()
    servicio = [c.c.servicio] if q.por == "servicio" else []
    f = facturas(q, sa.literal(0)).subquery()
    return sa.union_all(
        sa.select(sa.literal("pago").label("registro"), c.c.id.label("referencia"), c.c.codigo,
                  *servicio, c.c.numero_factura, c.c.fecha_pago.label("fecha"),
                  c.c.numerador, sa.literal(0).label("denominador")),
        sa.select(sa.literal("factura").label("registro"), f.c.numero.label("referencia"),
                  f.c.codigo, *([f.c.servicio] if servicio else []), f.c.numero,
                  f.c.fecha_vencimiento, sa.literal(0), f.c.valor_total))


@indicador("recaudo.valor", "Valor recaudado",
           "Suma de los pagos con fecha de pago en el mes del periodo.", PESOS, desgloses=TODOS,
           fuentes=["pagos"])
def valor(q: Contexto) -> sa.Select:
    return pagos(q, q.en_mes(PG.c.fecha_pago))


@indicador("recaudo.eficiencia", "Eficiencia del recaudo",
           "Recaudo del mes / valor facturado del periodo (puede superar 1).", PROPORCION,
           mayor_es_mejor=True, razon=True, desgloses=TODOS, fuentes=["pagos", "facturas"])
def eficiencia(q: Contexto) -> sa.Select:
    return _con_facturacion(q, pagos(q, q.en_mes(PG.c.fecha_pago)))


@indicador("recaudo.eficiencia_oportuna", "Recaudo oportuno",
           "Pagos a facturas del periodo hechos hasta su vencimiento / valor facturado del "
           "periodo.", PROPORCION, mayor_es_mejor=True, razon=True, desgloses=TODOS,
           fuentes=["pagos", "facturas"])
def eficiencia_oportuna(q: Contexto) -> sa.Select:
    vence = (sa.select(F.c.numero, sa.func.min(F.c.fecha_vencimiento).label("vencimiento"))
             .where(F.c.periodo == q.p()).group_by(F.c.numero).subquery())
    a_tiempo = sa.exists().where(vence.c.numero == PG.c.numero_factura,
                                 PG.c.fecha_pago <= vence.c.vencimiento)
    return _con_facturacion(q, pagos(q, a_tiempo))


@indicador("recaudo.por_identificar", "Pagos por identificar",
           "Suma de los pagos del mes sin cuenta, sin factura o a una factura que no está en el "
           "almacén.", PESOS, mayor_es_mejor=False, desgloses=TODOS, fuentes=["pagos"])
def por_identificar(q: Contexto) -> sa.Select:
    conocida = sa.exists().where(F.c.numero == PG.c.numero_factura)
    return pagos(q, sa.and_(q.en_mes(PG.c.fecha_pago),
                            sa.or_(vacio(PG.c.codigo), vacio(PG.c.numero_factura), ~conocida)))
