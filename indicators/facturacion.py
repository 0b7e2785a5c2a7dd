"""Billing and consumption (facturación) indicators: the invoices and readings of P."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import (CUENTAS, M3, PESOS, PROPORCION, TODOS, Contexto, familia,
                                   indicador, medida, si)

F, L = w.tables["facturas"], w.tables["lecturas"]


@indicador("facturacion.usuarios", "Usuarios facturados",
           "Cuentas distintas con factura en el periodo.", CUENTAS, desgloses=TODOS,
           fuentes=["facturas"])
def usuarios(q: Contexto) -> sa.Select:
    grano = [F.c.codigo] + ([F.c.servicio] if q.por_servicio else [])
    return (sa.select(*grano, sa.func.count().label("filas_factura"),
                      sa.func.sum(F.c.valor_total).label("valor_total"),
                      sa.literal(1).label("numerador"))
            .where(F.c.periodo == q.p()).group_by(*grano))


@familia(
    medida("facturacion.valor", "Valor facturado",
           "Suma del valor total de las facturas del periodo.", PESOS, numerador="valor_total"),
    medida("facturacion.subsidios", "Subsidios otorgados",
           "Suma de los subsidios de las facturas del periodo.", PESOS, numerador="subsidio"),
    medida("facturacion.contribuciones", "Contribuciones de solidaridad",
           "Suma de las contribuciones de las facturas del periodo.", PESOS,
           numerador="contribucion"),
    medida("facturacion.balance_solidario", "Balance de subsidios y contribuciones",
           "Contribuciones menos subsidios de las facturas del periodo.", PESOS,
           numerador="balance"),
    fuentes=["facturas"], desgloses=TODOS)
def facturas(q: Contexto) -> sa.Select:
    """The invoice rows (one per service) of P."""
    return (sa.select(F.c.numero, F.c.codigo, F.c.servicio, F.c.periodo, F.c.fecha_vencimiento,
                      F.c.valor_total, F.c.subsidio, F.c.contribucion,
                      (F.c.contribucion - F.c.subsidio).label("balance"))
            .where(F.c.periodo == q.p()))


@familia(
    medida("facturacion.m3", "Consumo facturado",
           "Suma de los m³ facturados en las lecturas del periodo.", M3,
           numerador="consumo_facturado"),
    medida("facturacion.consumo_promedio", "Consumo promedio por cuenta",
           "m³ facturados / filas de lecturas del periodo (m³ por cuenta).", "m3_por_cuenta",
           numerador="consumo_facturado", denominador="lectura"),
    medida("facturacion.lectura_efectiva", "Lectura efectiva",
           "Lecturas con lectura actual y sin causal de no lectura / lecturas cuya causal no "
           "es sin_medidor.", PROPORCION, mayor_es_mejor=True, numerador="leida",
           denominador="leible"),
    medida("facturacion.consumo_no_medido", "Consumo no medido",
           "Lecturas con consumo promedio o estimado / lecturas del periodo.", PROPORCION,
           mayor_es_mejor=False, numerador="no_medida", denominador="lectura"),
    fuentes=["lecturas"])
def lecturas(q: Contexto) -> sa.Select:
    """The reading rows of P."""
    leida = sa.and_(L.c.lectura_actual.is_not(None), L.c.causal_no_lectura.is_(None))
    return (sa.select(L.c.codigo, L.c.periodo, L.c.tipo_consumo, L.c.consumo_facturado,
                      L.c.lectura_actual, L.c.causal_no_lectura,
                      sa.literal(1).label("lectura"), si(leida).label("leida"),
                      si(sa.func.coalesce(L.c.causal_no_lectura, "") != "sin_medidor")
                      .label("leible"),
                      si(L.c.tipo_consumo.in_(["promedio", "estimado"])).label("no_medida"))
            .where(L.c.periodo == q.p()))


@indicador("facturacion.reparto_oportuno", "Facturas entregadas a tiempo",
           "Facturas entregadas con la anticipación al vencimiento que fija la empresa (5 días en "
           "la configuración que trae Cauce) / facturas con fecha de entrega.",
           PROPORCION,
           mayor_es_mejor=True, razon=True, desgloses=TODOS, fuentes=["facturas"])
def reparto_oportuno(q: Contexto) -> sa.Select:
    grano = [F.c.numero, F.c.codigo] + ([F.c.servicio] if q.por_servicio else [])
    f = (sa.select(*grano, sa.func.max(F.c.fecha_entrega).label("fecha_entrega"),
                   sa.func.min(F.c.fecha_vencimiento).label("fecha_vencimiento"))
         .where(F.c.periodo == q.p()).group_by(*grano).subquery())
    plazo = sa.literal(dt.timedelta(days=q.settings.dias_entrega_antes_vencimiento))
    return sa.select(f, si(f.c.fecha_entrega + plazo <= f.c.fecha_vencimiento).label("numerador"),
                     si(f.c.fecha_entrega.is_not(None)).label("denominador"))
