"""Petitions, complaints and claims (PQR) indicators, in business days.

Every filing whose type has a term (``[pqr.plazos]``; ``sugerencia`` has none) gets its
deadline ``vencimiento``: the n-th business day after the date of its filing (Ley 142
art. 158, ``indicators.habiles``). Answered on time: the date of ``fecha_respuesta`` ≤
``vencimiento``; unanswered at end(P) counts as late.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from etl import warehouse as w
from indicators import habiles
from indicators.definicion import (CONTEO, CUENTA, DIAS, POR_MIL, PROPORCION, TODOS, Contexto,
                                   familia, indicador, medida, si)

Q = w.tables["pqr"]
RECLAMOS = ("reclamo", "recurso_reposicion", "recurso_reposicion_apelacion")
A_FAVOR = ("accede", "accede_parcial", "revoca", "modifica")


def _dia(col) -> sa.ColumnElement:
    return sa.cast(col, sa.Date)


def tramites(q: Contexto) -> sa.Subquery:
    """Every filing made up to end(P), with its term in business days (``plazo``, 0: none),
    its deadline ``vencimiento``, the business days from filing to answer (``dias_habiles``),
    whether it was answered on time (``a_tiempo``) and by end(P) (``respondida``), and the
    business days from end(P) to its deadline (``dias_restantes``, negative once passed)."""
    desde = q.uno("pqr.desde", sa.select(sa.func.min(Q.c.fecha_radicacion)))
    desde = desde.date() if desde else q.inicio
    mayor = max(q.settings.pqr_plazos.values(), default=0)
    cal = habiles.calendario(min(desde, q.inicio), q.siguiente + dt.timedelta(days=3 * mayor + 30))
    plazo = sa.case(*[(Q.c.tipo == t, n) for t, n in q.settings.pqr_plazos.items()], else_=0)
    base = (sa.select(Q, plazo.label("plazo"))
            .where(q.hasta_fin(Q.c.fecha_radicacion))
            .subquery("radicada"))
    radicacion, vence, respuesta, fin = (cal.alias(n) for n in (
        "c_radicacion", "c_vence", "c_respuesta", "c_fin"))
    vencimiento = sa.case((base.c.plazo > 0, vence.c.fecha))
    respondida = sa.and_(base.c.fecha_respuesta.is_not(None),
                         q.hasta_fin(base.c.fecha_respuesta))
    return (
        sa.select(base.c.radicado, base.c.codigo, base.c.tipo, base.c.servicio, base.c.causal,
                  base.c.canal, base.c.numero_factura, base.c.fecha_radicacion, base.c.plazo,
                  vencimiento.label("vencimiento"), base.c.fecha_respuesta,
                  base.c.tipo_respuesta, base.c.fecha_traslado_sspd,
                  (respuesta.c.acumulado - radicacion.c.acumulado).label("dias_habiles"),
                  sa.and_(base.c.fecha_respuesta.is_not(None),
                          _dia(base.c.fecha_respuesta) <= vencimiento).label("a_tiempo"),
                  respondida.label("respondida"),
                  (vence.c.acumulado - fin.c.acumulado).label("dias_restantes"))
        .select_from(
            base.join(radicacion, radicacion.c.fecha == _dia(base.c.fecha_radicacion))
            .outerjoin(vence, sa.and_(base.c.plazo > 0, vence.c.habil,
                                      vence.c.acumulado == radicacion.c.acumulado + base.c.plazo))
            .outerjoin(respuesta, respuesta.c.fecha == _dia(base.c.fecha_respuesta))
            .join(fin, fin.c.fecha == q.fin))
        .subquery("pqr_plazos"))


@familia(
    medida("pqr.radicadas", "PQR radicadas", "Trámites radicados en el mes del periodo.", CONTEO,
           numerador="radicada"),
    medida("pqr.oportunidad", "PQR respondidas a tiempo",
           "De los trámites con término que vencen en el mes, hasta el corte de los datos, la "
           "proporción respondida a más tardar el día del vencimiento (sin respuesta cuenta "
           "como tardía).", PROPORCION, mayor_es_mejor=True, numerador="a_tiempo_en_mes",
           denominador="vence_en_mes", pendiente="aun_no_vence_en_mes"),
    medida("pqr.fuera_de_termino", "PQR fuera de término",
           "Trámites con término que vencen en el mes, hasta el corte de los datos, y no se "
           "respondieron a tiempo (posible silencio administrativo positivo).", CONTEO,
           mayor_es_mejor=False, numerador="tarde_en_mes"),
    medida("pqr.dias_habiles_promedio", "Días hábiles promedio de respuesta",
           "Promedio de días hábiles entre la radicación y la respuesta de los trámites "
           "respondidos en el mes.", DIAS, mayor_es_mejor=False, numerador="dias_en_mes",
           denominador="respondida_en_mes"),
    medida("pqr.vencidas_sin_respuesta", "PQR vencidas sin respuesta",
           "Trámites con término sin respuesta al cierre del periodo cuyo vencimiento ya pasó.",
           CONTEO, mayor_es_mejor=False, numerador="vencida"),
    medida("pqr.en_riesgo", "PQR en riesgo de vencer",
           "Trámites con término sin respuesta al cierre del periodo a los que les quedan 3 "
           "días hábiles o menos.", CONTEO, mayor_es_mejor=False, numerador="en_riesgo"),
    medida("pqr.a_favor_usuario", "Decisiones a favor del usuario",
           "De los reclamos y recursos respondidos en el mes, la proporción en que se accede "
           "(total o parcialmente), se revoca o se modifica.", PROPORCION,
           numerador="a_favor", denominador="decidida"),
    medida("pqr.traslados_sspd", "Traslados a la Superintendencia",
           "Recursos enviados a la SSPD en el mes del periodo.", CONTEO, numerador="trasladada"),
    fuentes=["pqr"], desgloses=TODOS)
def filas_pqr(q: Contexto) -> sa.Select:
    """Every filing up to end(P) with what it adds to each PQR indicator of the month. A filing
    due in month(P) after the data's cut-off is not judged yet: neither on time nor late."""
    p = tramites(q)
    por_vencer = sa.and_(p.c.plazo > 0, q.en_mes(p.c.vencimiento),
                         q.aun_no_vence(p.c.vencimiento))
    vence_en_mes = sa.and_(p.c.plazo > 0, q.en_mes(p.c.vencimiento), ~por_vencer)
    respondida_en_mes = sa.and_(p.c.fecha_respuesta.is_not(None), q.en_mes(p.c.fecha_respuesta))
    abierta = sa.and_(p.c.plazo > 0, ~p.c.respondida)
    decidida = sa.and_(p.c.tipo.in_(RECLAMOS), respondida_en_mes)
    return sa.select(
        p, si(q.en_mes(p.c.fecha_radicacion)).label("radicada"),
        si(vence_en_mes).label("vence_en_mes"), si(por_vencer).label("aun_no_vence_en_mes"),
        si(sa.and_(vence_en_mes, p.c.a_tiempo)).label("a_tiempo_en_mes"),
        si(sa.and_(vence_en_mes, ~p.c.a_tiempo)).label("tarde_en_mes"),
        si(respondida_en_mes).label("respondida_en_mes"),
        sa.case((respondida_en_mes, p.c.dias_habiles), else_=0).label("dias_en_mes"),
        si(sa.and_(abierta, p.c.vencimiento < q.fin)).label("vencida"),
        si(sa.and_(abierta, p.c.vencimiento >= q.fin, p.c.dias_restantes <= 3))
        .label("en_riesgo"),
        si(decidida).label("decidida"),
        si(sa.and_(decidida, p.c.tipo_respuesta.in_(A_FAVOR))).label("a_favor"),
        si(q.en_mes(p.c.fecha_traslado_sspd)).label("trasladada"))


@indicador("pqr.reclamos_por_1000", "Reclamos por cada 1.000 suscriptores",
           "Reclamos radicados en el mes × 1.000 / suscriptores activos.", POR_MIL,
           mayor_es_mejor=False, razon=True, factor=1000, desgloses=CUENTA,
           fuentes=["pqr", "suscriptores"])
def reclamos_por_1000(q: Contexto) -> sa.Select:
    s = q.foto(activos=True).subquery()
    return sa.union_all(
        sa.select(sa.literal("reclamo").label("registro"), Q.c.radicado.label("referencia"),
                  Q.c.codigo, sa.literal(1).label("numerador"),
                  sa.literal(0).label("denominador"))
        .where(Q.c.tipo == "reclamo", q.en_mes(Q.c.fecha_radicacion)),
        sa.select(sa.literal("suscriptor activo"), s.c.codigo, s.c.codigo, sa.literal(0),
                  sa.literal(1)))
