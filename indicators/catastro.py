"""Cadastre (catastro) indicators: the accounts in the snapshot of P (``indicators.md``)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from indicators.definicion import (CUENTAS, PROPORCION, Contexto, indicador, si,
                                   vacio)


def _cuentas(foto: sa.Select, *extra) -> sa.Select:
    """The snapshot's accounts with their own breakdown columns (a snapshot is its own
    cadastre) and what a reader needs to recognise them."""
    s = foto.subquery()
    return sa.select(
        s.c.codigo, s.c.periodo, s.c.estado, s.c.uso, s.c.estrato, s.c.ciclo, s.c.ruta,
        s.c.municipio_dane.label("grupo_municipio"), s.c.ciclo.label("grupo_ciclo"),
        sa.func.coalesce(s.c.estrato, 0).label("grupo_estrato"), s.c.uso.label("grupo_uso"),
        *[e(s) for e in extra])


@indicador("catastro.suscriptores", "Suscriptores en el catastro",
           "Cuentas en el catastro del periodo, en cualquier estado.", CUENTAS,
           fuentes=["suscriptores"])
def suscriptores(q: Contexto) -> sa.Select:
    return _cuentas(q.foto(), lambda s: sa.literal(1).label("numerador"))


@indicador("catastro.activos", "Suscriptores activos",
           "Cuentas con estado activo en el catastro del periodo.", CUENTAS,
           fuentes=["suscriptores"])
def activos(q: Contexto) -> sa.Select:
    return _cuentas(q.foto(activos=True), lambda s: sa.literal(1).label("numerador"))


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


@indicador("catastro.nuevos", "Suscriptores nuevos",
           "Cuentas del catastro del periodo vinculadas en el mes del periodo.", CUENTAS,
           fuentes=["suscriptores"])
def nuevos(q: Contexto) -> sa.Select:
    s = q.foto().subquery()
    return _cuentas(sa.select(s).where(q.en_mes(s.c.fecha_vinculacion)),
                    lambda s: s.c.fecha_vinculacion, lambda s: sa.literal(1).label("numerador"))


@indicador("catastro.inactivos", "Suscriptores inactivos",
           "Cuentas del catastro del periodo con estado inactivo.", CUENTAS,
           fuentes=["suscriptores"])
def inactivos(q: Contexto) -> sa.Select:
    s = q.foto().subquery()
    return _cuentas(sa.select(s).where(s.c.estado == "inactivo"),
                    lambda s: sa.literal(1).label("numerador"))


@indicador("catastro.cobertura_micromedicion", "Cobertura de micromedición",
           "Activos con medidor / activos.", PROPORCION, mayor_es_mejor=True, razon=True,
           fuentes=["suscriptores"])
def cobertura_micromedicion(q: Contexto) -> sa.Select:
    return _cuentas(q.foto(activos=True), lambda s: s.c.medidor,
                    lambda s: si(~vacio(s.c.medidor)).label("numerador"),
                    lambda s: sa.literal(1).label("denominador"))


def _hace_anios(dia: dt.date, anios: int) -> dt.date:
    try:
        return dia.replace(year=dia.year - anios)
    except ValueError:          # 29 February
        return dia.replace(year=dia.year - anios, day=28)


@indicador("catastro.medidores_vida_util_vencida", "Medidores con vida útil vencida",
           "Activos cuyo medidor se instaló hace más de la vida útil ([micromedicion] "
           "vida_util_anios) al cierre del periodo / activos con medidor.", PROPORCION,
           mayor_es_mejor=False, razon=True, fuentes=["suscriptores"])
def medidores_vida_util_vencida(q: Contexto) -> sa.Select:
    limite = _hace_anios(q.fin, q.settings.vida_util_anios)
    s = q.foto(activos=True).subquery()
    return _cuentas(sa.select(s).where(~vacio(s.c.medidor)),
                    lambda s: s.c.medidor, lambda s: s.c.medidor_instalacion,
                    lambda s: si(s.c.medidor_instalacion < limite).label("numerador"),
                    lambda s: sa.literal(1).label("denominador"))
