"""Cadastre (catastro) indicators: the accounts in the snapshot of P (``indicators.md``)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from indicators.definicion import (CUENTAS, PROPORCION, Contexto, familia, indicador, medida,
                                   si, vacio)


def _hace_anios(dia: dt.date, anios: int) -> dt.date:
    try:
        return dia.replace(year=dia.year - anios)
    except ValueError:          # 29 February
        return dia.replace(year=dia.year - anios, day=28)


@familia(
    medida("catastro.suscriptores", "Suscriptores en el catastro",
           "Cuentas en el catastro del periodo, en cualquier estado.", CUENTAS,
           numerador="cuenta"),
    medida("catastro.activos", "Suscriptores activos",
           "Cuentas con estado activo en el catastro del periodo.", CUENTAS, numerador="activa"),
    medida("catastro.nuevos", "Suscriptores nuevos",
           "Cuentas del catastro del periodo vinculadas en el mes del periodo.", CUENTAS,
           numerador="nueva"),
    medida("catastro.inactivos", "Suscriptores inactivos",
           "Cuentas del catastro del periodo con estado inactivo.", CUENTAS,
           numerador="inactiva"),
    medida("catastro.cobertura_micromedicion", "Cobertura de micromedición",
           "Activos con medidor / activos.", PROPORCION, mayor_es_mejor=True,
           numerador="con_medidor", denominador="activa"),
    medida("catastro.medidores_vida_util_vencida", "Medidores con vida útil vencida",
           "Activos cuyo medidor se instaló hace más de la vida útil que fija la empresa "
           "al cierre del periodo / activos con medidor.", PROPORCION,
           mayor_es_mejor=False, numerador="medidor_vencido", denominador="con_medidor"),
    fuentes=["suscriptores"])
def cuentas(q: Contexto) -> sa.Select:
    """The snapshot's accounts, each its own breakdown columns (a snapshot is its own
    cadastre), with what each adds to the cadastre's counts."""
    s = q.foto().subquery()
    activa = s.c.estado == "activo"
    con_medidor = sa.and_(activa, ~vacio(s.c.medidor))
    limite = _hace_anios(q.fin, q.settings.vida_util_anios)
    return sa.select(
        s.c.codigo, s.c.periodo, s.c.estado, s.c.uso, s.c.estrato, s.c.ciclo, s.c.ruta,
        s.c.medidor, s.c.medidor_instalacion, s.c.fecha_vinculacion,
        s.c.municipio_dane.label("grupo_municipio"), s.c.ciclo.label("grupo_ciclo"),
        s.c.ruta.label("grupo_ruta"),
        sa.func.coalesce(s.c.estrato, 0).label("grupo_estrato"), s.c.uso.label("grupo_uso"),
        sa.literal(1).label("cuenta"), si(activa).label("activa"),
        si(q.en_mes(s.c.fecha_vinculacion)).label("nueva"),
        si(s.c.estado == "inactivo").label("inactiva"), si(con_medidor).label("con_medidor"),
        si(sa.and_(con_medidor, s.c.medidor_instalacion < limite)).label("medidor_vencido"))


@indicador("catastro.crecimiento_neto", "Crecimiento neto de suscriptores",
           "Activos del periodo menos activos del periodo anterior (cada cuenta activa suma 1 "
           "en el periodo y resta 1 en el anterior; un desglose usa el catastro del periodo, "
           "y las cuentas que ya no están en él van a «sin catastro»).",
           CUENTAS, fuentes=["suscriptores", ("suscriptores", -1)])
def crecimiento_neto(q: Contexto) -> sa.Select:
    ahora, antes = q.foto(activos=True).subquery("ahora"), q.foto(-1, activos=True).subquery("antes")
    return sa.union_all(
        sa.select(ahora.c.codigo, ahora.c.periodo, sa.literal(1).label("numerador")),
        sa.select(antes.c.codigo, antes.c.periodo, sa.literal(-1)))
