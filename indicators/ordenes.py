"""Work-order (órdenes de trabajo) indicators. Orders with ``estado = anulada`` are left
out everywhere; deadlines and the 24 hours compare full date-times."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import CONTEO, PESOS, PROPORCION, Contexto, indicador, si

OT = w.tables["ordenes"]


def ordenes(q: Contexto, donde, *cuenta) -> sa.Select:
    return (sa.select(OT.c.numero, OT.c.codigo, OT.c.tipo, OT.c.origen, OT.c.referencia,
                      OT.c.fecha_generacion, OT.c.fecha_vencimiento, OT.c.fecha_ejecucion,
                      OT.c.estado, *cuenta)
            .where(OT.c.estado != "anulada", donde))


@indicador("ordenes.cumplimiento", "Órdenes ejecutadas a tiempo",
           "De las órdenes que vencen en el mes, la proporción ejecutada a más tardar en su "
           "fecha y hora de vencimiento.", PROPORCION, mayor_es_mejor=True, razon=True,
           fuentes=["ordenes"])
def cumplimiento(q: Contexto) -> sa.Select:
    return ordenes(q, q.en_mes(OT.c.fecha_vencimiento),
                   si(OT.c.fecha_ejecucion <= OT.c.fecha_vencimiento).label("numerador"),
                   sa.literal(1).label("denominador"))


def vencidas(q: Contexto) -> sa.Select:
    """Orders not executed by end(P) whose deadline fell before end(P)."""
    pendiente = sa.or_(OT.c.fecha_ejecucion.is_(None), ~q.hasta_fin(OT.c.fecha_ejecucion))
    return ordenes(q, sa.and_(pendiente, q.antes_de_fin(OT.c.fecha_vencimiento)),
                   sa.literal(1).label("numerador"))


@indicador("ordenes.vencidas_pendientes", "Órdenes vencidas pendientes",
           "Órdenes sin ejecutar al cierre del periodo cuyo vencimiento ya pasó.", CONTEO,
           mayor_es_mejor=False, fuentes=["ordenes"])
def vencidas_pendientes(q: Contexto) -> sa.Select:
    return vencidas(q)


@indicador("ordenes.reinstalacion_24h", "Reinstalaciones en 24 horas",
           "De las reinstalaciones y reconexiones generadas en el mes, la proporción ejecutada "
           "dentro de las 24 horas siguientes (Ley 142 art. 142).", PROPORCION,
           mayor_es_mejor=True, razon=True, fuentes=["ordenes"])
def reinstalacion_24h(q: Contexto) -> sa.Select:
    limite = OT.c.fecha_generacion + sa.literal(dt.timedelta(hours=24))
    return ordenes(q, sa.and_(OT.c.tipo.in_(["reinstalacion", "reconexion"]),
                              q.en_mes(OT.c.fecha_generacion)),
                   si(OT.c.fecha_ejecucion <= limite).label("numerador"),
                   sa.literal(1).label("denominador"))


@indicador("ordenes.cargos_sin_facturar", "Cargos de órdenes sin facturar",
           "Suma del valor a cobrar de las órdenes ejecutadas en el mes que no se facturó.",
           PESOS, mayor_es_mejor=False, fuentes=["ordenes"])
def cargos_sin_facturar(q: Contexto) -> sa.Select:
    return ordenes(q, sa.and_(q.en_mes(OT.c.fecha_ejecucion), OT.c.valor_cargo > 0,
                              OT.c.facturado.is_not(True)),
                   OT.c.valor_cargo, OT.c.facturado, OT.c.valor_cargo.label("numerador"))
