"""Work-order (órdenes de trabajo) indicators. Orders with ``estado = anulada`` are left
out everywhere; deadlines and the 24 hours compare full date-times."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from etl import warehouse as w
from etl.contract import fin_de_periodo
from indicators.definicion import (CONTEO, PESOS, PROPORCION, Contexto, familia, indicador,
                                   medida, periodo_mas, si)

OT = w.tables["ordenes"]
REINSTALACION = ("reinstalacion", "reconexion")


@familia(
    medida("ordenes.cumplimiento", "Órdenes ejecutadas a tiempo",
           "De las órdenes que vencen en el mes, hasta el corte de los datos, la proporción "
           "ejecutada a más tardar en su fecha y hora de vencimiento.", PROPORCION,
           mayor_es_mejor=True, numerador="a_tiempo", denominador="vence_en_mes",
           pendiente="aun_no_vence_en_mes"),
    medida("ordenes.vencidas_pendientes", "Órdenes vencidas pendientes",
           "Órdenes sin ejecutar al cierre del periodo cuyo vencimiento ya pasó.", CONTEO,
           mayor_es_mejor=False, numerador="vencida"),
    medida("ordenes.reinstalacion_24h", "Reinstalaciones en 24 horas",
           "De las reinstalaciones y reconexiones generadas en el mes, la proporción ejecutada "
           "dentro de las 24 horas siguientes (Ley 142 art. 142).", PROPORCION,
           mayor_es_mejor=True, numerador="en_24h", denominador="reinstalacion"),
    medida("ordenes.cargos_sin_facturar", "Cargos de órdenes sin facturar",
           "Suma del valor a cobrar de las órdenes ejecutadas en el mes que no se facturó.",
           PESOS, mayor_es_mejor=False, numerador="cargo_sin_facturar"),
    fuentes=["ordenes"])
def ordenes(q: Contexto) -> sa.Select:
    """The orders that are not annulled, with what each adds to the month's indicators. An
    order due in month(P) after the data's cut-off is not judged yet."""
    por_vencer = sa.and_(q.en_mes(OT.c.fecha_vencimiento), q.aun_no_vence(OT.c.fecha_vencimiento))
    vence_en_mes = sa.and_(q.en_mes(OT.c.fecha_vencimiento), ~por_vencer)
    pendiente = sa.or_(OT.c.fecha_ejecucion.is_(None), ~q.hasta_fin(OT.c.fecha_ejecucion))
    reinstalacion = sa.and_(OT.c.tipo.in_(REINSTALACION), q.en_mes(OT.c.fecha_generacion))
    limite = OT.c.fecha_generacion + sa.literal(dt.timedelta(hours=24))
    sin_facturar = sa.and_(q.en_mes(OT.c.fecha_ejecucion), OT.c.valor_cargo > 0,
                           OT.c.facturado.is_not(True))
    return (sa.select(
        OT.c.numero, OT.c.codigo, OT.c.tipo, OT.c.origen, OT.c.referencia,
        OT.c.fecha_generacion, OT.c.fecha_vencimiento, OT.c.fecha_ejecucion, OT.c.estado,
        OT.c.valor_cargo, OT.c.facturado,
        si(vence_en_mes).label("vence_en_mes"), si(por_vencer).label("aun_no_vence_en_mes"),
        si(sa.and_(vence_en_mes, OT.c.fecha_ejecucion <= OT.c.fecha_vencimiento))
        .label("a_tiempo"),
        si(sa.and_(pendiente, q.antes_de_fin(OT.c.fecha_vencimiento))).label("vencida"),
        si(reinstalacion).label("reinstalacion"),
        si(sa.and_(reinstalacion, OT.c.fecha_ejecucion <= limite)).label("en_24h"),
        sa.case((sin_facturar, OT.c.valor_cargo), else_=0).label("cargo_sin_facturar"))
        .where(OT.c.estado != "anulada"))


MESES_PARA_COBRAR = 5      # Ley 142 art. 150: what was not billed in 5 months is lost


@indicador("ordenes.cargos_perdidos", "Cargos de órdenes que ya no se pueden cobrar",
           "Suma del valor a cobrar de las órdenes ejecutadas más de 5 meses antes del cierre "
           "del periodo cuyo cargo aún no se facturó: ya no se puede cobrar (Ley 142 art. 150).",
           PESOS, mayor_es_mejor=False, fuentes=["ordenes"])
def cargos_perdidos(q: Contexto) -> sa.Select:
    """The orders executed before the last day of P − 5 months whose charge is not billed."""
    limite = fin_de_periodo(periodo_mas(q.periodo, -MESES_PARA_COBRAR))
    return (sa.select(OT.c.numero, OT.c.codigo, OT.c.tipo, OT.c.fecha_ejecucion,
                      OT.c.valor_cargo, OT.c.facturado, OT.c.valor_cargo.label("numerador"))
            .where(OT.c.estado != "anulada", OT.c.fecha_ejecucion.is_not(None),
                   OT.c.fecha_ejecucion < q._limite(OT.c.fecha_ejecucion, limite),
                   OT.c.valor_cargo > 0, OT.c.facturado.is_not(True)))
