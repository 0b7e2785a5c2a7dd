"""Who gets each kind of document in period P, and what it says (``documents.md``).

- ``carta_persuasiva`` / ``carta_prejuridica``: the accounts of the lists ``persuasivo`` /
  ``prejuridico``, with every past-due invoice;
- ``aviso_suspension``: the accounts of the list ``suspension`` to suspend (the list already
  leaves out special protection; official accounts get the entity's statement instead), with
  the invoices that may be the reason (none under an open claim, Ley 142 art. 155);
- ``cuenta_cobro_oficial``: each official entity (accounts of ``uso = oficial`` grouped by the
  holder's ``documento``) with invoices in P: its accounts, the month's billing, the overdue
  balance;
- ``cuenta_cobro_subsidios``: each configured municipality: the subsidies billed in P by
  service and estrato, the contributions by service and class, and who owes the difference;
- ``aviso_tarifas``: each municipality and service with a tariff in force for P: every class's
  final prices as the public reads them (``tariffs.md``).

Amounts are the warehouse's, formatted for people once here (``$ 1.234.567``).
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import sqlalchemy as sa

from cauce import CauceError
from cauce.formato import MESES, miles, pesos
from cauce.settings import Settings
from etl import warehouse as w
from etl.contract import nombre_de_codigo
from indicators import listas, tarifas
from indicators.definicion import Contexto

# The source whose rows of P a kind is made of (to say so when P has none).
FUENTES = {"carta_persuasiva": "cartera", "carta_prejuridica": "cartera",
           "aviso_suspension": "cartera", "cuenta_cobro_oficial": "facturas",
           "cuenta_cobro_subsidios": "facturas", "aviso_tarifas": "tarifas"}
DIAS_RECURSO = 5     # reposición within 5 days of notification (Ley 142 art. 154)


@dataclass
class Documento:
    """One document before it is numbered: whom it goes to (for the register), its amount
    and its placeholders' values."""
    valor: float
    campos: dict
    codigo: str | None = None          # the account
    entidad: str | None = None         # an official entity's documento
    municipio: str | None = None       # a municipality's DANE code


def fecha_larga(d: dt.date) -> str:
    """2026-11-01 -> "1 de noviembre de 2026"."""
    return f"{d.day} de {MESES[d.month - 1]} de {d.year}"


def fecha_corta(d) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y")


def documentos(conn: sa.Connection, tipo: str, periodo: str,
               settings: Settings) -> list[Documento]:
    """The documents of ``tipo`` for P, in the order to print them."""
    q = Contexto(conn, periodo, settings)
    if tipo == "aviso_tarifas":
        return _tarifas(q)
    if tipo in ("carta_persuasiva", "carta_prejuridica", "aviso_suspension"):
        return _cartas(q, tipo)
    if tipo == "cuenta_cobro_oficial":
        return _oficiales(q)
    return _subsidios(q)


def _municipios(settings: Settings) -> dict[str, str]:
    return {m.dane: m.nombre for m in settings.municipios}


def _texto(v) -> str:
    return "" if v is None or v != v else str(v)


def _cartas(q: Contexto, tipo: str) -> list[Documento]:
    lista = {"carta_persuasiva": "persuasivo", "carta_prejuridica": "prejuridico",
             "aviso_suspension": "suspension"}[tipo]
    filas = listas.obtener(q.conn, lista, q.periodo, q.settings).to_dict("records")
    if tipo == "aviso_suspension":
        filas = [f for f in filas if f["tratamiento"] == "suspender"]
    facturas = _facturas_por_cuenta(q, sin_reclamo=tipo == "aviso_suspension")
    nombres = _municipios(q.settings)
    out = []
    for fila in filas:
        codigo = fila["codigo"]
        total = float(fila["saldo_vencido"])
        campos = {
            "codigo": codigo, "nombre": _texto(fila.get("nombre")),
            "documento": _texto(fila.get("documento")),
            "direccion": _texto(fila.get("direccion")), "barrio": _texto(fila.get("barrio")),
            "municipio": nombres.get(_texto(fila.get("municipio")), _texto(fila.get("municipio"))),
            "ciclo": _texto(fila.get("ciclo")), "ruta": _texto(fila.get("ruta")),
            "facturas": facturas.get(codigo, []),
            "facturas_vencidas": int(fila["facturas_vencidas"]), "total": pesos(total),
            "saldo_total": pesos(float(fila.get("saldo_total") or total)),
            "dias_mora": int(fila["dias_mora"] or 0),
        }
        if tipo == "aviso_suspension":
            campos |= {"reconexion": pesos(q.settings.documentos.cargo_reconexion),
                       "dias_recurso": DIAS_RECURSO}
        out.append(Documento(total, campos, codigo=codigo))
    return out


def _facturas_por_cuenta(q: Contexto, sin_reclamo: bool) -> dict[str, list[dict]]:
    """Each account's past-due invoice rows (per service) at the latest cut-off of month(P),
    oldest first; ``sin_reclamo``: not those under an open claim."""
    v = listas.facturas_vencidas(q).subquery("v")
    stmt = sa.select(v).order_by(v.c.codigo, v.c.fecha_vencimiento, v.c.numero_factura,
                                 v.c.servicio)
    if sin_reclamo:
        stmt = stmt.where(~v.c.en_reclamo)
    out: dict[str, list[dict]] = {}
    for f in q.conn.execute(stmt):
        out.setdefault(f.codigo, []).append({
            "numero": f.numero_factura, "servicio": nombre_de_codigo(f.servicio),
            "vencimiento": fecha_corta(f.fecha_vencimiento), "dias": int(f.dias),
            "saldo": pesos(float(f.saldo))})
    return out


def _oficiales(q: Contexto) -> list[Documento]:
    """Each official entity with invoices in P, its accounts by code."""
    F = w.tables["facturas"]
    s = q.foto().where(w.tables["suscriptores"].c.uso == "oficial").subquery("oficial")
    facturado = (sa.select(F.c.codigo, sa.func.sum(F.c.valor_total).label("facturado"))
                 .where(F.c.periodo == q.p()).group_by(F.c.codigo).subquery("facturado"))
    v = listas.facturas_vencidas(q).subquery("v")
    vencido = (sa.select(v.c.codigo, sa.func.sum(v.c.saldo).label("vencido"))
               .group_by(v.c.codigo).subquery("vencido"))
    entidad = sa.func.coalesce(s.c.documento, s.c.codigo).label("entidad")
    filas = q.conn.execute(
        sa.select(entidad, s.c.codigo, s.c.nombre, s.c.direccion, s.c.municipio_dane,
                  facturado.c.facturado, vencido.c.vencido)
        .select_from(s.outerjoin(facturado, facturado.c.codigo == s.c.codigo)
                     .outerjoin(vencido, vencido.c.codigo == s.c.codigo))
        .where(sa.or_(facturado.c.facturado.is_not(None), vencido.c.vencido.is_not(None)))
        .order_by(entidad, s.c.codigo)).all()
    nombres = _municipios(q.settings)
    por_entidad: dict[str, list] = {}
    for f in filas:
        por_entidad.setdefault(f.entidad, []).append(f)
    out = []
    for clave, cuentas in por_entidad.items():
        mes = sum(float(c.facturado or 0) for c in cuentas)
        if not any(c.facturado is not None for c in cuentas):
            continue                   # no invoice in P: no statement this month
        vencido_total = sum(float(c.vencido or 0) for c in cuentas)
        campos = {
            "entidad": _texto(cuentas[0].nombre) or clave, "documento": clave,
            "cuentas": [{"codigo": c.codigo, "direccion": _texto(c.direccion),
                         "municipio": nombres.get(c.municipio_dane, _texto(c.municipio_dane)),
                         "facturado": pesos(float(c.facturado or 0)),
                         "vencido": pesos(float(c.vencido or 0))} for c in cuentas],
            "total_mes": pesos(mes), "total_vencido": pesos(vencido_total),
            "total": pesos(mes + vencido_total)}
        out.append(Documento(mes + vencido_total, campos, entidad=clave))
    return out


def _subsidios(q: Contexto) -> list[Documento]:
    """Each configured municipality's subsidies and contributions billed in P (the invoices
    of accounts in its cadastre of P)."""
    F = w.tables["facturas"]
    s = q.foto().subquery("foto")
    b = (sa.select(s.c.municipio_dane, F.c.servicio, s.c.uso,
                   sa.func.coalesce(s.c.estrato, 0).label("estrato"), F.c.subsidio,
                   F.c.contribucion)
         .join_from(F, s, s.c.codigo == F.c.codigo).where(F.c.periodo == q.p())
         .subquery("facturado"))
    grupo = (b.c.municipio_dane, b.c.servicio, b.c.uso, b.c.estrato)
    filas = q.conn.execute(sa.select(*grupo, sa.func.sum(b.c.subsidio).label("subsidio"),
                                     sa.func.sum(b.c.contribucion).label("contribucion"))
                           .group_by(*grupo)).all()
    out = []
    for m in q.settings.municipios:
        propias = [f for f in filas if f.municipio_dane == m.dane]
        subsidios: dict[tuple, float] = {}
        contribuciones: dict[tuple, float] = {}
        for f in propias:
            if float(f.subsidio or 0) > 0:
                k = (f.servicio, int(f.estrato))
                subsidios[k] = subsidios.get(k, 0.0) + float(f.subsidio)
            if float(f.contribucion or 0) > 0:
                clase = (f"residencial estrato {f.estrato}" if f.uso == "residencial"
                         else nombre_de_codigo(f.uso))
                k = (f.servicio, clase)
                contribuciones[k] = contribuciones.get(k, 0.0) + float(f.contribucion)
        total_s, total_c = sum(subsidios.values()), sum(contribuciones.values())
        diferencia = total_s - total_c
        debe_municipio = diferencia > 0
        campos = {
            "municipio": m.nombre, "dane": m.dane,
            "subsidios": [{"servicio": nombre_de_codigo(sv), "estrato": miles(e),
                           "valor": pesos(x)} for (sv, e), x in sorted(subsidios.items())],
            "contribuciones": [{"servicio": nombre_de_codigo(sv), "clase": c, "valor": pesos(x)}
                               for (sv, c), x in sorted(contribuciones.items())],
            "total_subsidios": pesos(total_s), "total_contribuciones": pesos(total_c),
            "saldo": pesos(abs(diferencia)), "total": pesos(abs(diferencia)),
            "debe_municipio": debe_municipio,
            "a_cargo_de": (f"el Fondo de Solidaridad y Redistribución de Ingresos de {m.nombre}"
                           if debe_municipio else q.settings.empresa)}
        out.append(Documento(diferencia, campos, municipio=m.dane))
    return out


def _tarifas(q: Contexto) -> list[Documento]:
    """Per municipality and service, the tariff in force for P as it is published (January and
    June): each class's final fixed charge and prices per m³. The luxury m³ is priced as the
    complementary one (no subsidy reaches either; ``tariffs.md``); aseo has no m³: its
    monthly variable charge goes where the basic m³ would, the other two read "—"."""
    filas = q.conn.execute(tarifas.tabla_publica(q)).mappings().all()
    if not filas:
        raise CauceError(f"No hay tarifas vigentes en {q.periodo}: cargue la tabla de tarifas "
                         f"(un archivo tarifas_*.csv) y vuelva a intentarlo.", codigo=1)
    nombres = _municipios(q.settings)
    out = []
    for (m, servicio), grupo in itertools.groupby(filas, lambda f: (f["municipio"], f["servicio"])):
        grupo = list(grupo)
        aseo = servicio == "aseo"
        desde = max(f["vigente_desde"] for f in grupo)
        campos = {"municipio": nombres.get(m, m), "dane": m,
                  "servicio": nombre_de_codigo(servicio),
                  "vigencia": fecha_larga(desde.date() if isinstance(desde, dt.datetime) else desde),
                  "tarifas": [_precios(f, aseo) for f in grupo]}
        out.append(Documento(0.0, campos, municipio=m))
    return out


def _precios(f, aseo: bool) -> dict:
    """A class's row of the notice: no m³ in aseo; the luxury m³ at the complementary price."""
    arriba = "—" if aseo else pesos(float(f["precio_complementario"]))
    return {"clase": _clase(f["uso"], f["estrato"]),
            "cargo_fijo": pesos(float(f["cargo_fijo_final"])),
            "basico": pesos(float(f["precio_basico"])),
            "complementario": arriba, "suntuario": arriba}


def _clase(uso: str, estrato) -> str:
    """"Residencial estrato 2", "Comercial": a class as the public reads it."""
    if uso == "residencial":
        return f"Residencial estrato {estrato}"
    return nombre_de_codigo(uso).capitalize()
