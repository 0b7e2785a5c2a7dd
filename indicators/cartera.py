"""Receivables (cartera) indicators: the latest cut-off of month(P).

Days past due d = ``fecha_corte`` − ``fecha_vencimiento`` of each unpaid invoice row.
"""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import (CUENTAS, DIAS, PESOS, TODOS, Contexto, familia,
                                   indicador, medida, periodo_mas)

C, F = w.tables["cartera"], w.tables["facturas"]

# Aging bands of indicators.md: (id suffix, Spanish name, lowest d, highest d).
EDADES = (("no_vencida", "no vencida", None, 0), ("1_30", "de 1 a 30 días", 1, 30),
          ("31_60", "de 31 a 60 días", 31, 60), ("61_90", "de 61 a 90 días", 61, 90),
          ("91_180", "de 91 a 180 días", 91, 180), ("181_360", "de 181 a 360 días", 181, 360),
          ("mas_360", "de más de 360 días", 361, None))


def corte(q: Contexto) -> sa.Select:
    """The rows of the latest cut-off in month(P), with their days past due ``dias``."""
    ultimo = sa.select(sa.func.max(C.c.fecha_corte)).where(q.en_mes(C.c.fecha_corte))
    dias = (C.c.fecha_corte - C.c.fecha_vencimiento).label("dias")
    return (sa.select(C.c.codigo, C.c.numero_factura, C.c.servicio, C.c.fecha_corte,
                      C.c.fecha_vencimiento, dias, C.c.saldo, C.c.financiado)
            .where(C.c.fecha_corte == ultimo.scalar_subquery()))


def _banda(d, desde: int | None, hasta: int | None) -> sa.ColumnElement[bool]:
    return sa.and_(*([d >= desde] if desde is not None else []),
                   *([d <= hasta] if hasta is not None else []))


@familia(
    medida("cartera.total", "Cartera total", "Suma de los saldos al último corte del mes.",
           PESOS, numerador="saldo"),
    medida("cartera.vencida", "Cartera vencida",
           "Suma de los saldos con días de mora mayores que 0 al último corte del mes.", PESOS,
           mayor_es_mejor=False, numerador="vencido"),
    *[medida(f"cartera.edad_{sufijo}", f"Cartera {nombre}",
             f"Suma de los saldos {nombre} de mora al último corte del mes." if desde
             else "Suma de los saldos aún no vencidos al último corte del mes.", PESOS,
             numerador=f"edad_{sufijo}") for sufijo, nombre, desde, _ in EDADES],
    fuentes=["cartera"], desgloses=TODOS)
def saldos(q: Contexto) -> sa.Select:
    """The rows of the cut-off with their balance in each aging band."""
    c = corte(q).subquery()

    def saldo_si(condicion):
        return sa.case((condicion, c.c.saldo), else_=0)
    return sa.select(c, saldo_si(c.c.dias > 0).label("vencido"),
                     *[saldo_si(_banda(c.c.dias, desde, hasta)).label(f"edad_{sufijo}")
                       for sufijo, _, desde, hasta in EDADES])


@indicador("cartera.usuarios_morosos", "Usuarios morosos",
           "Cuentas con al menos una factura vencida al último corte del mes.", CUENTAS,
           mayor_es_mejor=False, desgloses=TODOS, fuentes=["cartera"])
def usuarios_morosos(q: Contexto) -> sa.Select:
    c = corte(q).subquery()
    grano = [c.c.codigo] + ([c.c.servicio] if q.por_servicio else [])
    return (sa.select(*grano, sa.func.count().label("facturas_vencidas"),
                      sa.func.sum(c.c.saldo).label("saldo_vencido"),
                      sa.func.max(c.c.dias).label("dias_mora"), sa.literal(1).label("numerador"))
            .where(c.c.dias > 0).group_by(*grano))


@indicador("cartera.dias_rotacion", "Días de rotación de cartera",
           "Cartera total × 365 / facturación anual (la de los 12 periodos que terminan en el "
           "periodo; con n < 12 periodos cargados, su suma × 12 / n).", DIAS,
           mayor_es_mejor=False, razon=True, factor=365, desgloses=TODOS,
           fuentes=["cartera", "facturas"], sumas_en_pesos=True)
def dias_rotacion(q: Contexto) -> sa.Select:
    desde = periodo_mas(q.periodo, -11)
    # n: how many of the 12 periods were billed; the 12 are a range of 'AAAA-MM' texts,
    # which sort as the months do.
    n = sum(q.hay_datos("facturas", -k) for k in range(12))
    anual = sa.cast(F.c.valor_total, sa.Double) * (12.0 / max(n, 1))
    c = corte(q).subquery()
    return sa.union_all(
        sa.select(sa.literal("cartera").label("registro"), c.c.numero_factura, c.c.codigo,
                  c.c.servicio, c.c.fecha_corte.label("fecha"),
                  sa.cast(c.c.saldo, sa.Double).label("numerador"),
                  sa.cast(sa.literal(0), sa.Double).label("denominador")),
        sa.select(sa.literal("factura"), F.c.numero, F.c.codigo, F.c.servicio,
                  F.c.fecha_expedicion, sa.cast(sa.literal(0), sa.Double), anual)
        .where(F.c.periodo.between(desde, q.periodo)))
