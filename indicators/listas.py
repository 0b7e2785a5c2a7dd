"""The working lists (``cauce listas``): the accounts, filings and orders the team acts on.

Each list is built on the rows of the indicator that counts it, so a list and its
number always agree: ``desviaciones`` is ``critica.desviaciones``, ``pqr_en_riesgo`` is
``pqr.en_riesgo``, ``ordenes_vencidas`` is ``ordenes.vencidas_pendientes``, and the three
collection lists split ``cartera.usuarios_morosos`` by the age of the oldest debt. One row
per account or filing, the columns the person acting needs first (account, name, address,
route, amounts, dates, days).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from etl import warehouse as w
from indicators import catalogo, cobro, exportar
from indicators.cartera import corte
from indicators.definicion import Contexto
from indicators.pqr import RECLAMOS
from indicators.tarifas import COMPONENTES, cargos

# Each list's title, the same on the dashboard, in the workbook's sheets and in the files
# (at most 31 characters: an Excel sheet's name).
TITULOS = {"persuasivo": "Cobro persuasivo", "prejuridico": "Cobro prejurídico",
           "juridico": "Cobro jurídico", "suspension": "Suspensión del servicio",
           "proteccion_especial": "Protección especial",
           "desviaciones": "Desviaciones significativas",
           "pqr_en_riesgo": "PQR en riesgo de vencer", "ordenes_vencidas": "Órdenes vencidas",
           "avisos_abiertos": "Avisos de suspensión abiertos",
           "diferencias_tarifa": "Diferencias con la tarifa",
           "reparto_tardio": "Reparto tardío"}
LISTAS = tuple(TITULOS)

# The source each list is made of (to say so when the period has none).
FUENTES = {"persuasivo": "cartera", "prejuridico": "cartera", "juridico": "cartera",
           "suspension": "cartera", "proteccion_especial": "cartera", "desviaciones": "lecturas",
           "pqr_en_riesgo": "pqr", "ordenes_vencidas": "ordenes", "avisos_abiertos": "pagos",
           "diferencias_tarifa": "facturas", "reparto_tardio": "facturas"}

# Spanish headers of the lists and of the records behind every indicator (the dashboard's
# tables, the files and the terminal): the one place for a column's title.
ENCABEZADOS = {
    "codigo": "Cuenta", "nombre": "Nombre", "documento": "Documento",
    "direccion": "Dirección", "barrio": "Barrio", "municipio": "Municipio", "ciclo": "Ciclo",
    "ruta": "Ruta", "secuencia": "Secuencia", "uso": "Uso", "estrato": "Estrato",
    "estado": "Estado", "telefono": "Teléfono",
    "saldo_vencido": "Saldo vencido", "saldo_total": "Saldo total",
    "facturas_vencidas": "Facturas vencidas", "facturas_en_reclamo": "Facturas en reclamo",
    "vencimiento_mas_antiguo": "Vencimiento más antiguo", "dias_mora": "Días de mora",
    "financiado": "Con acuerdo de pago", "fecha_corte": "Fecha de corte",
    "tratamiento": "Tratamiento",
    "consumo": "Consumo (m³)", "promedio": "Promedio (m³)", "promedio_grupo":
    "Promedio uso y estrato (m³)", "variacion": "Variación", "periodos_referencia":
    "Periodos en el promedio", "visita": "Con orden de visita",
    "radicado": "Radicado", "tipo": "Tipo", "servicio": "Servicio", "causal": "Causal",
    "canal": "Canal", "numero_factura": "Factura", "fecha_radicacion": "Radicación",
    "vencimiento": "Vence", "dias_restantes": "Días hábiles restantes",
    "numero": "Número", "origen": "Origen", "referencia": "Referencia",
    "fecha_generacion": "Generada", "fecha_vencimiento": "Vence",
    "dias_vencida": "Días vencida",
    # the records behind the indicators (``catalogo.detalle``)
    "periodo": "Periodo", "medidor": "Medidor", "medidor_instalacion": "Instalación del medidor",
    "fecha_vinculacion": "Vinculación", "filas_factura": "Filas de la factura",
    "valor_total": "Valor total", "tipo_consumo": "Tipo de consumo",
    "lectura_anterior": "Lectura anterior", "lectura_actual": "Lectura actual",
    "causal_no_lectura": "Causal de no lectura", "fecha_entrega": "Entregada",
    "id": "Identificador del pago", "fecha_pago": "Fecha de pago", "valor": "Valor",
    "registro": "Registro", "fecha": "Fecha", "dias": "Días desde el vencimiento",
    "plazo": "Plazo (días hábiles)", "fecha_respuesta": "Respondida el",
    "tipo_respuesta": "Tipo de respuesta", "fecha_traslado_sspd": "Traslado a la SSPD",
    "dias_habiles": "Días hábiles", "a_tiempo": "A tiempo", "respondida": "Respondida",
    "fecha_ejecucion": "Ejecutada", "valor_cargo": "Valor del cargo", "facturado": "Facturado",
    "ronda": "Ronda", "encuesta": "Encuesta", "pregunta": "Pregunta",
    "actividad": "Actividad", "fecha_programada": "Programada", "fecha_ejecutada": "Ejecutada",
    "remitente": "Remitente", "responsable": "Responsable", "fecha_recibido": "Recibida",
    "fecha_limite": "Fecha límite", "grupo": "Grupo",
    "numerador": "Aporta al numerador", "denominador": "Aporta al denominador",
    "aun_no_vence": "Aún no vence",
    "dias_de_anticipacion": "Días antes del vencimiento", "reparto": "Reparto",
    "fecha_emision": "Emitido", "dias_vencido": "Días vencido",
    "fecha_cierre": "Cerrado el", "causa": "Cierre",
    # tariff assurance (``indicators.tarifas``)
    "clase_uso": "Uso", "clase_estrato": "Estrato", "unidades": "Unidades",
    "consumo_m3": "Consumo (m³)", "tarifa_vigente_desde": "Tarifa vigente desde",
    "tarifa_cargo_fijo": "Tarifa: cargo fijo", "tarifa_cargo_consumo": "Tarifa: cargo por consumo",
    "tarifa_consumo_basico_m3": "Tarifa: consumo básico (m³)", "tarifa_factor": "Tarifa: factor",
    "facturado_cargo_fijo": "Cargo fijo facturado", "esperado_cargo_fijo": "Cargo fijo según tarifa",
    "facturado_valor_consumo": "Consumo facturado ($)",
    "esperado_valor_consumo": "Consumo según tarifa ($)",
    "facturado_subsidio": "Subsidio facturado", "esperado_subsidio": "Subsidio según tarifa",
    "facturado_contribucion": "Contribución facturada",
    "esperado_contribucion": "Contribución según tarifa",
    "diferencia": "Diferencia (facturado − tarifa)", "sin_tarifa": "Sin tarifa",
    "verificable": "Verificable", "conforme": "Conforme", "sobrefacturado": "Facturado de más",
    "subfacturado": "Facturado de menos",
    "vigente_desde": "Vigente desde", "periodo_base": "Mes base del índice",
    "indice_base_valor": "Índice del mes base", "indice_periodo": "Índice del periodo",
}

# The account's details from the cadastre: the first go right after the account, the rest
# after the list's own columns (amounts, dates, days).
_PERSONA = ("nombre", "direccion", "ruta")
DETALLE_CUENTA = ("documento", "barrio", "municipio_dane", "municipio", "ciclo", "secuencia",
                  "uso", "estrato", "estado", "telefono")


def obtener(conn: sa.Connection, tipo: str, periodo: str, settings: Settings,
            limite: int | None = None, filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """Working list ``tipo`` for period P as a frame (the first ``limite`` rows, or all);
    ``filtro`` ({"municipio": DANE code, "servicio": ...}) keeps the rows of those groups
    where the list has the column (an account missing from the cadastre has no municipio)."""
    stmt = _filtrada(conn, tipo, periodo, settings, filtro)
    if limite is not None:
        stmt = stmt.limit(limite)
    result = conn.execute(stmt)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def primeras(conn: sa.Connection, tipo: str, periodo: str, settings: Settings, filas: int,
             filtro: dict[str, str] | None = None) -> tuple[pd.DataFrame, int]:
    """The first ``filas`` rows of :func:`obtener` and how many it gives, in one query: the
    count is a window over the list's rows, so they are computed once."""
    total = sa.func.count().over().label("_total")
    result = conn.execute(_filtrada(conn, tipo, periodo, settings, filtro).add_columns(total)
                          .limit(filas))
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    return frame.drop(columns="_total"), int(frame["_total"].iloc[0]) if len(frame) else 0


def _filtrada(conn: sa.Connection, tipo: str, periodo: str, settings: Settings,
              filtro: dict[str, str] | None) -> sa.Select:
    stmt = lista(tipo, Contexto(conn, periodo, settings))
    columnas = stmt.selected_columns
    for dimension, grupo in (filtro or {}).items():
        if dimension in columnas:
            stmt = stmt.where(columnas[dimension] == grupo)
    return stmt


# The columns of pesos and of proportions of the lists' files, by their headers.
COLUMNAS_DINERO = ("saldo_vencido", "saldo_total", "valor", "facturado_cargo_fijo", "esperado_cargo_fijo",
                   "facturado_valor_consumo", "esperado_valor_consumo", "facturado_subsidio",
                   "esperado_subsidio", "facturado_contribucion", "esperado_contribucion",
                   "diferencia")
DINERO = frozenset(ENCABEZADOS[c] for c in COLUMNAS_DINERO)
PORCENTAJE = frozenset({ENCABEZADOS["variacion"]})


def para_personas(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """A list as its files show it: Spanish headers, the municipio's name for its code."""
    if "municipio" in frame.columns:
        frame = frame.assign(municipio=[
            None if m is None or m != m else catalogo.nombre_de_grupo(settings, "municipio", m)
            for m in frame["municipio"]])
    return frame.rename(columns=ENCABEZADOS)


def escribir(frame: pd.DataFrame, ruta: Path, tipo: str, settings: Settings) -> None:
    """Write list ``tipo`` for people: ``.xlsx`` (formatted, the sheet named after the list)
    or ``.csv`` for the user's Excel (``[formato.csv]``). Text a user typed never becomes a
    formula (``exportar``)."""
    exportar.escribir(para_personas(frame, settings), ruta, TITULOS[tipo], DINERO, PORCENTAJE,
                      settings.csv)


def lista(tipo: str, q: Contexto) -> sa.Select:
    """The select of working list ``tipo`` for period P, in the order to work it."""
    return {"persuasivo": lambda: _cobro(q, *q.settings.banda_persuasivo),
            "prejuridico": lambda: _cobro(q, *q.settings.banda_prejuridico),
            "juridico": lambda: _cobro(q, q.settings.juridico_desde, None),
            "suspension": lambda: _suspension(q, protegidas=False),
            "proteccion_especial": lambda: _suspension(q, protegidas=True),
            "desviaciones": lambda: _desviaciones(q),
            "pqr_en_riesgo": lambda: _pqr_en_riesgo(q),
            "ordenes_vencidas": lambda: _ordenes_vencidas(q),
            "avisos_abiertos": lambda: _avisos_abiertos(q),
            "diferencias_tarifa": lambda: _diferencias_tarifa(q),
            "reparto_tardio": lambda: _reparto_tardio(q)}[tipo]()


def _registros(q: Contexto, id: str) -> sa.Select:
    """The rows the indicator ``id`` counts: the list is exactly them."""
    return catalogo.registros(q, catalogo.buscar(q.settings, id))


def _con_persona(q: Contexto, filas: sa.Subquery, primero=("codigo",)) -> sa.Select:
    """The rows with the account's details from the snapshot of P (empty when missing), in the
    order the person acting reads them: account, name, address, route, what is owed or due."""
    s = q.foto().subquery("persona")

    def de_cuenta(nombres):
        return [s.c[c].label("municipio" if c == "municipio_dane" else c) for c in nombres
                if c in s.c and c not in filas.c]
    return (sa.select(*[filas.c[c] for c in primero], *de_cuenta(_PERSONA),
                      *[filas.c[c] for c in filas.c.keys() if c not in primero],
                      *de_cuenta(DETALLE_CUENTA))
            .select_from(filas.outerjoin(s, s.c.codigo == filas.c.codigo)))


def _deudas(q: Contexto) -> sa.Subquery:
    """Per account at the latest cut-off of month(P): past-due invoices, past-due and total
    balance, the oldest due date and its days past due."""
    c = corte(q).subquery()
    vencida = c.c.dias > 0
    return (sa.select(
        c.c.codigo, c.c.fecha_corte,
        sa.func.count(sa.distinct(sa.case((vencida, c.c.numero_factura)))).label(
            "facturas_vencidas"),
        sa.func.sum(sa.case((vencida, c.c.saldo), else_=0)).label("saldo_vencido"),
        sa.func.sum(c.c.saldo).label("saldo_total"),
        sa.func.min(sa.case((vencida, c.c.fecha_vencimiento))).label("vencimiento_mas_antiguo"),
        sa.func.max(c.c.dias).label("dias_mora"),
        sa.func.bool_or(sa.func.coalesce(c.c.financiado, False)).label("financiado"))
        .group_by(c.c.codigo, c.c.fecha_corte).subquery("deuda"))


def _cobro(q: Contexto, desde: int, hasta: int | None) -> sa.Select:
    d = _deudas(q)
    banda = [d.c.dias_mora >= desde] + ([d.c.dias_mora <= hasta] if hasta is not None else [])
    filas = sa.select(d).where(*banda).subquery("cobro")
    stmt = _con_persona(q, filas)
    return stmt.order_by(filas.c.dias_mora.desc(), filas.c.saldo_vencido.desc(), filas.c.codigo)


def facturas_vencidas(q: Contexto) -> sa.Select:
    """The past-due invoice rows (per service) of the latest cut-off of month(P), each with
    ``en_reclamo``: under a claim or appeal open at the cut-off, which may not be the reason
    to suspend (Ley 142 art. 155)."""
    c = corte(q).subquery()
    pqr = w.tables["pqr"]
    en_reclamo = sa.exists().where(
        pqr.c.numero_factura == c.c.numero_factura, pqr.c.tipo.in_(RECLAMOS),
        sa.or_(pqr.c.fecha_respuesta.is_(None),
               sa.cast(pqr.c.fecha_respuesta, sa.Date) > c.c.fecha_corte))
    return (sa.select(c.c.codigo, c.c.numero_factura, c.c.servicio, c.c.fecha_vencimiento,
                      c.c.saldo, c.c.dias, en_reclamo.label("en_reclamo"))
            .where(c.c.dias > 0))


def _suspension(q: Contexto, protegidas: bool) -> sa.Select:
    """Active accounts with at least ``facturas_para_suspension`` past-due invoices, not
    counting an invoice under an open claim or appeal (Ley 142 art. 155); official accounts
    are listed and marked for special handling. An account of ``proteccion_especial`` is
    never suspended (T-471 de 2011): it leaves the list ``suspension`` for its own,
    ``proteccion_especial`` (``protegidas``), to be collected by other means."""
    vencidas = facturas_vencidas(q).subquery("vencidas")
    cobrable = ~vencidas.c.en_reclamo
    por_cuenta = (sa.select(
        vencidas.c.codigo,
        sa.func.count(sa.distinct(sa.case((cobrable, vencidas.c.numero_factura)))).label(
            "facturas_vencidas"),
        sa.func.count(sa.distinct(sa.case((vencidas.c.en_reclamo, vencidas.c.numero_factura))))
        .label("facturas_en_reclamo"),
        sa.func.sum(sa.case((cobrable, vencidas.c.saldo), else_=0)).label("saldo_vencido"),
        sa.func.max(sa.case((cobrable, vencidas.c.dias))).label("dias_mora"))
        .group_by(vencidas.c.codigo).subquery("por_cuenta"))
    s = q.foto(activos=True).subquery("activa")
    filas = (sa.select(por_cuenta,
                       sa.case((s.c.uso == "oficial", "especial: uso oficial"),
                               else_="suspender").label("tratamiento"))
             .join_from(por_cuenta, s, s.c.codigo == por_cuenta.c.codigo)
             .where(por_cuenta.c.facturas_vencidas >= q.settings.facturas_para_suspension,
                    sa.func.coalesce(s.c.proteccion_especial, False) == protegidas)
             .subquery("suspension"))
    stmt = _con_persona(q, filas)
    cols = stmt.selected_columns    # in the crews' walking order
    return stmt.order_by(cols.ciclo, cols.ruta, cols.secuencia, cols.codigo)


def _desviaciones(q: Contexto) -> sa.Select:
    d = _registros(q, "critica.desviaciones").subquery("desviacion")
    filas = sa.select(d.c.codigo, d.c.consumo, d.c.promedio, d.c.periodos_referencia,
                      d.c.promedio_grupo, d.c.variacion, d.c.visita).subquery("filas")
    return (_con_persona(q, filas)
            .order_by(sa.func.abs(filas.c.variacion).desc().nulls_last(), filas.c.codigo))


def _pqr_en_riesgo(q: Contexto) -> sa.Select:
    p = _registros(q, "pqr.en_riesgo").subquery("riesgo")
    filas = sa.select(p.c.radicado, p.c.codigo, p.c.tipo, p.c.servicio, p.c.causal, p.c.canal,
                      p.c.numero_factura, p.c.fecha_radicacion, p.c.vencimiento,
                      p.c.dias_restantes).subquery("filas")
    return (_con_persona(q, filas, primero=("radicado", "codigo"))
            .order_by(filas.c.vencimiento, filas.c.radicado))


def _ordenes_vencidas(q: Contexto) -> sa.Select:
    o = _registros(q, "ordenes.vencidas_pendientes").subquery("vencida")
    dias = sa.literal(q.fin, sa.Date) - sa.cast(o.c.fecha_vencimiento, sa.Date)
    filas = sa.select(o.c.numero, o.c.codigo, o.c.tipo, o.c.origen, o.c.referencia,
                      o.c.fecha_generacion, o.c.fecha_vencimiento,
                      dias.label("dias_vencida")).subquery("filas")
    return (_con_persona(q, filas, primero=("numero", "codigo"))
            .order_by(filas.c.fecha_vencimiento, filas.c.numero))


def _avisos_abiertos(q: Contexto) -> sa.Select:
    """The control of the notices: every suspension notice open at end(P), the most overdue
    first (``cobro.avisos_vencidos`` counts those past their deadline)."""
    if not q.uno("hay_registro", cobro.hay_registro):
        return sa.select(*[sa.cast(sa.null(), sa.String).label(c) for c in (
            "numero", "codigo", "estado")]).where(sa.false())
    a = cobro.abiertos(q).subquery("abierto")
    return (_con_persona(q, a, primero=("numero", "codigo"))
            .order_by(a.c.dias_vencido.desc(), a.c.fecha_limite, a.c.numero))


def _diferencias_tarifa(q: Contexto) -> sa.Select:
    """Every verifiable invoice row of P not charged as the tariff says (``tariffs.md``): billed
    against expected for each component and the difference, largest absolute difference first
    (the rows that ``tarifas.exactitud`` counts as not conforme)."""
    t = cargos(q).subquery("tarifa")
    filas = (sa.select(t.c.codigo, t.c.numero, t.c.servicio, t.c.clase_uso.label("uso"),
                       t.c.clase_estrato.label("estrato"),
                       t.c.unidades, t.c.consumo_m3,
                       *[t.c[f"{lado}_{c}"] for c in COMPONENTES for lado in ("facturado",
                                                                               "esperado")],
                       t.c.diferencia, t.c.tarifa_vigente_desde, t.c.tarifa_factor)
             .where(t.c.verificable == 1, t.c.conforme == 0).subquery("filas"))
    return (_con_persona(q, filas)
            .order_by(sa.func.abs(filas.c.diferencia).desc(), filas.c.numero, filas.c.servicio))


def _reparto_tardio(q: Contexto) -> sa.Select:
    """The invoices of P that ``facturacion.reparto_oportuno`` does not count as on time:
    delivered fewer than ``dias_entrega_antes_vencimiento`` days before their due date, or not
    delivered at all (no ``fecha_entrega``), in the delivery crews' walking order (``planning.md``)."""
    x = catalogo.buscar(q.settings, "facturacion.reparto_oportuno")
    r = x.filas(q).subquery("reparto")
    entregada = r.c.fecha_entrega.is_not(None)
    filas = (sa.select(r.c.numero, r.c.codigo, r.c.fecha_entrega, r.c.fecha_vencimiento,
                       sa.case((entregada, sa.cast(r.c.fecha_vencimiento, sa.Date)
                                - sa.cast(r.c.fecha_entrega, sa.Date)))
                       .label("dias_de_anticipacion"),
                       sa.case((entregada, "entregada tarde"), else_="no entregada")
                       .label("reparto"))
             .where(r.c[x.numerador] == 0).subquery("filas"))
    stmt = _con_persona(q, filas, primero=("numero", "codigo"))
    cols = stmt.selected_columns    # in the crews' walking order
    return stmt.order_by(cols.ruta.nulls_last(), cols.secuencia.nulls_last(), cols.codigo,
                         cols.numero)
