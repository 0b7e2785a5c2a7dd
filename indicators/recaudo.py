"""Collection (recaudo) indicators: the payments of month(P) against the billing of P.

A payment to an invoice is spread over that invoice's services in proportion to their
``valor_total`` (``data-contract.md``); that spreading is done only for the ``servicio``
breakdown, since every other view counts the payment whole.
"""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import (AUN_NO_VENCE, PESOS, PROPORCION, TODOS, Contexto, familia,
                                   indicador, medida, si, vacio)
from indicators.facturacion import facturas

PG, F = w.tables["pagos"], w.tables["facturas"]


def pagos(q: Contexto, donde, desde=PG, **medidas) -> sa.Select:
    """The payments that satisfy ``donde`` (from ``desde``: the payments, maybe joined to
    what ``donde`` needs), with ``medidas`` (name: expression) split over the invoice's
    services under the ``servicio`` breakdown."""
    base = (sa.select(PG.c.id, PG.c.codigo, PG.c.numero_factura, PG.c.fecha_pago, PG.c.valor,
                      PG.c.canal, *[e.label(n) for n, e in medidas.items()])
            .select_from(desde).where(donde).subquery("pago"))
    if not q.por_servicio:
        return sa.select(base)
    cuota = cuotas(sa.select(base.c.numero_factura))
    return (sa.select(*[c for c in base.c if c.key not in medidas], cuota.c.servicio,
                      *[(sa.cast(base.c[n], sa.Double) * sa.func.coalesce(cuota.c.parte, 1.0))
                        .label(n) for n in medidas])
            .select_from(base.outerjoin(cuota, cuota.c.numero == base.c.numero_factura)))


def cuotas(numeros: sa.Select, facturas: sa.FromClause = F) -> sa.Subquery:
    """numero, codigo, servicio, parte: how a payment to each invoice of ``numeros`` spreads
    over that invoice's services, in proportion to their ``valor_total`` (``data-contract.md``);
    an invoice that totals 0 is split evenly, so the shares still add up to the payment. The
    one definition, for the ``servicio`` breakdown and the SUI billing layouts."""
    # The rows are read once (a materialized CTE) and summed by invoice, then joined back:
    # on DuckDB several times faster than a window over them.
    filas = (sa.select(facturas.c.numero, facturas.c.codigo, facturas.c.servicio,
                       facturas.c.valor_total)
             .where(facturas.c.numero.in_(numeros)).cte("de_la_factura")
             .prefix_with("MATERIALIZED"))
    total = (sa.select(filas.c.numero, sa.func.sum(filas.c.valor_total).label("total"),
                       sa.func.count().label("servicios"))
             .group_by(filas.c.numero).subquery("total"))
    parte = sa.func.coalesce(
        sa.cast(filas.c.valor_total, sa.Double)
        / sa.func.nullif(sa.cast(total.c.total, sa.Double), 0),
        sa.literal(1.0, sa.Double) / sa.cast(total.c.servicios, sa.Double))
    return (sa.select(filas.c.numero, filas.c.codigo, filas.c.servicio, parte.label("parte"))
            .join_from(filas, total, total.c.numero == filas.c.numero)
            .subquery("cuota"))


@familia(
    medida("recaudo.valor", "Valor recaudado",
           "Suma de los pagos con fecha de pago en el mes del periodo.", PESOS,
           numerador="recaudado"),
    medida("recaudo.por_identificar", "Pagos por identificar",
           "Suma de los pagos del mes sin cuenta, sin factura o a una factura que no está en "
           "el almacén.", PESOS, mayor_es_mejor=False, numerador="por_identificar"),
    fuentes=["pagos"], desgloses=TODOS)
def pagos_del_mes(q: Contexto) -> sa.Select:
    mes = q.en_mes(PG.c.fecha_pago)
    desde, sin_factura = PG, PG.c.periodo_factura.is_(None)    # linked at load: etl.enlaces
    if not w.al_dia(q.conn):
        # A warehouse of an earlier Cauce, only read: the month's invoice numbers it knows,
        # found by probing the invoices with the month's few numbers.
        conocida = (sa.select(F.c.numero).distinct()
                    .where(F.c.numero.in_(sa.select(PG.c.numero_factura).where(mes)))
                    .subquery("conocida"))
        desde = PG.outerjoin(conocida, conocida.c.numero == PG.c.numero_factura)
        sin_factura = conocida.c.numero.is_(None)
    sin_identificar = sa.or_(vacio(PG.c.codigo), vacio(PG.c.numero_factura), sin_factura)
    return pagos(q, mes, desde, recaudado=PG.c.valor,
                 por_identificar=sa.case((sin_identificar, PG.c.valor), else_=0))


def _con_facturacion(q: Contexto, cobros: sa.Select,
                     vence: sa.FromClause | None = None) -> sa.Select:
    """Payments over the billing of P: the payments add to the numerator, the invoice rows
    of P to the denominator. With ``vence`` (:func:`_vencimientos`), a column counts the
    invoices due after the data's cut-off: each invoice once, by its earliest due date as
    :func:`eficiencia_oportuna` judges its payments, on the row of its first service (once
    per service when told apart by service)."""
    c = cobros.subquery()
    servicio = [c.c.servicio] if q.por_servicio else []
    f = facturas(q).subquery()
    desde, pendiente = f, []
    if vence is not None:
        desde = f.join(vence, vence.c.numero == f.c.numero)
        primera = sa.true() if q.por_servicio else f.c.servicio == vence.c.primero
        pendiente = [sa.literal(0).label(AUN_NO_VENCE),
                     si(sa.and_(primera, q.aun_no_vence(vence.c.vencimiento)))]
    return sa.union_all(
        sa.select(sa.literal("pago").label("registro"), c.c.id.label("referencia"), c.c.codigo,
                  *servicio, c.c.numero_factura, c.c.fecha_pago.label("fecha"),
                  c.c.numerador, sa.literal(0).label("denominador"), *pendiente[:1]),
        sa.select(sa.literal("factura").label("registro"), f.c.numero.label("referencia"),
                  f.c.codigo, *([f.c.servicio] if servicio else []), f.c.numero,
                  f.c.fecha_vencimiento, sa.literal(0), f.c.valor_total, *pendiente[1:])
        .select_from(desde))


def _vencimientos(q: Contexto) -> sa.CTE:
    """numero, vencimiento, primero: each invoice of P with its earliest due date (by which its
    payments are judged timely) and its first service (the row that counts it once). An
    aggregate, not a window over the invoice rows (several times faster on DuckDB), made once
    for the payments and the invoices (a CTE)."""
    return (sa.select(F.c.numero, sa.func.min(F.c.fecha_vencimiento).label("vencimiento"),
                      sa.func.min(F.c.servicio).label("primero"))
            .where(F.c.periodo == q.p()).group_by(F.c.numero).cte("vence"))


@indicador("recaudo.eficiencia", "Eficiencia del recaudo",
           "Recaudo del mes / valor facturado del periodo (puede superar 1).", PROPORCION,
           mayor_es_mejor=True, razon=True, desgloses=TODOS, fuentes=["pagos", "facturas"],
           sumas_en_pesos=True)
def eficiencia(q: Contexto) -> sa.Select:
    return _con_facturacion(q, pagos(q, q.en_mes(PG.c.fecha_pago), numerador=PG.c.valor))


@indicador("recaudo.eficiencia_oportuna", "Recaudo oportuno",
           "Pagos a facturas del periodo hechos hasta su vencimiento / valor facturado del "
           "periodo (provisional mientras alguna factura vence después del corte de los "
           "datos).", PROPORCION, mayor_es_mejor=True, razon=True, desgloses=TODOS,
           fuentes=["pagos", "facturas"], provisional=True, sumas_en_pesos=True)
def eficiencia_oportuna(q: Contexto) -> sa.Select:
    vence = _vencimientos(q)
    return _con_facturacion(q, pagos(q, PG.c.fecha_pago <= vence.c.vencimiento,
                                     PG.join(vence, vence.c.numero == PG.c.numero_factura),
                                     numerador=PG.c.valor), vence)
