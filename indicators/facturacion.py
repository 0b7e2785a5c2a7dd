"""Billing and consumption (facturación) indicators: the invoices and readings of P."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import (CUENTAS, M3, PESOS, PROPORCION, TODOS, Contexto,
                                   indicador, si)

F, L = w.tables["facturas"], w.tables["lecturas"]


def facturas(q: Contexto, valor) -> sa.Select:
    """The invoice rows (one per service) of P, adding ``valor`` to the numerator."""
    return (sa.select(F.c.numero, F.c.codigo, F.c.servicio, F.c.periodo, F.c.fecha_vencimiento,
                      F.c.valor_total, valor.label("numerador"))
            .where(F.c.periodo == q.p()))


def lecturas(q: Contexto, *columnas) -> sa.Select:
    return (sa.select(L.c.codigo, L.c.periodo, L.c.tipo_consumo, L.c.consumo_facturado,
                      *columnas)
            .where(L.c.periodo == q.p()))


@indicador("facturacion.usuarios", "Usuarios facturados",
           "Cuentas distintas con factura en el periodo.", CUENTAS, desgloses=TODOS,
           fuentes=["facturas"])
def usuarios(q: Contexto) -> sa.Select:
    grano = [F.c.codigo] + ([F.c.servicio] if q.por == "servicio" else [])
    return (sa.select(*grano, sa.func.count().label("filas_factura"),
                      sa.func.sum(F.c.valor_total).label("valor_total"),
                      sa.literal(1).label("numerador"))
            .where(F.c.periodo == q.p()).group_by(*grano))


@indicador("facturacion.valor", "Valor facturado",
           "Suma del valor total de las facturas del periodo.", PESOS, desgloses=TODOS,
           fuentes=["facturas"])
def valor(q: Contexto) -> sa.Select:
    return facturas(q, F.c.valor_total)


@indicador("facturacion.m3", "Consumo facturado",
           "Suma de los m³ facturados en las lecturas del periodo.", M3, fuentes=["lecturas"])
def m3(q: Contexto) -> sa.Select:
    return lecturas(q, L.c.consumo_facturado.label("numerador"))


@indicador("facturacion.consumo_promedio", "Consumo promedio por cuenta",
           "m³ facturados / filas de lecturas del periodo (m³ por cuenta).", "m3_por_cuenta",
           razon=True, fuentes=["lecturas"])
def consumo_promedio(q: Contexto) -> sa.Select:
    return lecturas(q, L.c.consumo_facturado.label("numerador"),
                    sa.literal(1).label("denominador"))


@indicador("facturacion.lectura_efectiva", "Lectura efectiva",
           "Lecturas con lectura actual y sin causal de no lectura / lecturas cuya causal no "
           "es sin_medidor.", PROPORCION, mayor_es_mejor=True, razon=True, fuentes=["lecturas"])
def lectura_efectiva(q: Contexto) -> sa.Select:
    leida = sa.and_(L.c.lectura_actual.is_not(None), L.c.causal_no_lectura.is_(None))
    return lecturas(q, L.c.lectura_actual, L.c.causal_no_lectura,
                    si(leida).label("numerador"),
                    si(sa.func.coalesce(L.c.causal_no_lectura, "") != "sin_medidor")
                    .label("denominador"))


@indicador("facturacion.consumo_no_medido", "Consumo no medido",
           "Lecturas con consumo promedio o estimado / lecturas del periodo.", PROPORCION,
           mayor_es_mejor=False, razon=True, fuentes=["lecturas"])
def consumo_no_medido(q: Contexto) -> sa.Select:
    return lecturas(q, si(L.c.tipo_consumo.in_(["promedio", "estimado"])).label("numerador"),
                    sa.literal(1).label("denominador"))


@indicador("facturacion.subsidios", "Subsidios otorgados",
           "Suma de los subsidios de las facturas del periodo.", PESOS, desgloses=TODOS,
           fuentes=["facturas"])
def subsidios(q: Contexto) -> sa.Select:
    return facturas(q, F.c.subsidio)


@indicador("facturacion.contribuciones", "Contribuciones de solidaridad",
           "Suma de las contribuciones de las facturas del periodo.", PESOS, desgloses=TODOS,
           fuentes=["facturas"])
def contribuciones(q: Contexto) -> sa.Select:
    return facturas(q, F.c.contribucion)


@indicador("facturacion.balance_solidario", "Balance de subsidios y contribuciones",
           "Contribuciones menos subsidios de las facturas del periodo.", PESOS, desgloses=TODOS,
           fuentes=["facturas"])
def balance_solidario(q: Contexto) -> sa.Select:
    return facturas(q, F.c.contribucion - F.c.subsidio)


@indicador("facturacion.reparto_oportuno", "Facturas entregadas a tiempo",
           "Facturas entregadas al menos [facturacion] dias_entrega_antes_vencimiento días "
           "antes del vencimiento / facturas con fecha de entrega.", PROPORCION,
           mayor_es_mejor=True, razon=True, desgloses=TODOS, fuentes=["facturas"])
def reparto_oportuno(q: Contexto) -> sa.Select:
    grano = [F.c.numero, F.c.codigo] + ([F.c.servicio] if q.por == "servicio" else [])
    f = (sa.select(*grano, sa.func.max(F.c.fecha_entrega).label("fecha_entrega"),
                   sa.func.min(F.c.fecha_vencimiento).label("fecha_vencimiento"))
         .where(F.c.periodo == q.p()).group_by(*grano).subquery())
    plazo = sa.literal(dt.timedelta(days=q.settings.dias_entrega_antes_vencimiento))
    return sa.select(f, si(f.c.fecha_entrega + plazo <= f.c.fecha_vencimiento).label("numerador"),
                     si(f.c.fecha_entrega.is_not(None)).label("denominador"))

