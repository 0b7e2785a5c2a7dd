"""The builder: the rows of a SUI layout for period P, computed in the warehouse.

A layout names a row set (``[filas] conjunto``): which records make its rows, in which
order, and which tables its fields may read. Each field's value is one SQL expression over
those tables (a column, a named derivation below, either one translated through a code
table of the layout); one select gives every row, identically on DuckDB and PostgreSQL (the
derivations are joins and aggregates over sets, never a query per row). The rows stream out
as Arrow columns in lots (``FILAS_POR_LOTE``), and each field is written a column at a time
as the flat file wants it (``indicators.sui.escritura``), with
the constants and the configured defaults of the fields the source leaves empty.

Row sets:
- ``pqr`` (Formato A): the filings with ``fecha_radicacion`` in month(P), plus those filed
  earlier that were still unanswered on the first day of month(P), each with its state at
  end(P); the types in ``excluir_tipos`` (``sugerencia``) are not reported. Ordered by
  filing date and radicado.
- ``facturacion``: one row per invoice row of P of the layout's service, with the account's
  cadastre snapshot of P and its readings of P. Ordered by account and invoice.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from decimal import Decimal

import pyarrow as pa
import sqlalchemy as sa

from cauce.settings import Settings
from etl import bulk
from etl import warehouse as w
from etl.contract import fin_de_periodo
from indicators.definicion import Contexto, periodo_mas, vacio
from indicators import tarifas
from indicators.recaudo import cuotas
from indicators.sui.escritura import escrita

if TYPE_CHECKING:     # a layout's types; the layout module reads this one's row sets
    from indicators.sui.formato import Campo, Formato


@dataclass(frozen=True)
class Conjunto:
    fuente: str                          # the source whose rows make the report
    tablas: dict[str, str]               # name the layout uses -> warehouse table
    contexto: tuple[str, ...]            # what each row carries besides its fields
    con_servicio: bool                   # the layout must name its service
    que: str = ""                        # which rows, in Spanish (docs/sui.md)


CONJUNTOS: dict[str, Conjunto] = {
    "pqr": Conjunto("pqr", {"pqr": "pqr", "suscriptores": "suscriptores"},
                    ("servicio", "codigo"), con_servicio=False, que=(
                        "Las PQR radicadas en el mes del periodo, más las radicadas antes que "
                        "el primer día del mes seguían sin respuesta, cada una con su estado al "
                        "cierre del periodo y en orden de radicación.")),
    "facturacion": Conjunto("facturas", {"facturas": "facturas", "suscriptores": "suscriptores",
                                         "lecturas": "lecturas"},
                            ("servicio", "codigo", "uso", "estrato"), con_servicio=True, que=(
                                "Una fila por factura del periodo en el servicio del formato, "
                                "en orden de cuenta, con la foto del catastro y las lecturas "
                                "del periodo de su cuenta.")),
}


@dataclass
class Base:
    """The tables of one row set for P, and what the select is made of."""
    q: Contexto
    formato: Formato
    tablas: dict[str, sa.FromClause]
    desde: sa.FromClause
    donde: list
    orden: list
    clave: sa.ColumnElement                     # how a row is named in messages
    contexto: dict[str, sa.ColumnElement]
    hechas: dict[str, sa.ColumnElement] = field(default_factory=dict)
    tarifa: sa.Subquery | None = None           # the tariffs in force, once joined

    @property
    def settings(self) -> Settings:
        return self.q.settings


@dataclass
class Fila:
    """One row as written: its fields' text, and what names it in messages."""
    valores: list[str]
    clave: str = ""
    contexto: dict = field(default_factory=dict)


# --- Row sets -----------------------------------------------------------------------------

def _medianoche(dia: dt.date) -> sa.BindParameter:
    return sa.literal(dt.datetime.combine(dia, dt.time()), sa.DateTime)


def _base_pqr(formato: Formato, q: Contexto) -> Base:
    Q = w.tables["pqr"]
    s = q.foto().subquery("suscriptores")
    inicio = _medianoche(q.inicio)
    abierta_al_inicio = sa.or_(Q.c.fecha_respuesta.is_(None), Q.c.fecha_respuesta >= inicio)
    donde = [sa.or_(q.en_mes(Q.c.fecha_radicacion),
                    sa.and_(Q.c.fecha_radicacion < inicio, abierta_al_inicio))]
    if formato.excluir_tipos:
        donde.append(Q.c.tipo.not_in(formato.excluir_tipos))
    if formato.servicio:
        donde.append(Q.c.servicio == formato.servicio)
    return Base(q, formato, {"pqr": Q, "suscriptores": s},
                Q.outerjoin(s, s.c.codigo == Q.c.codigo), donde,
                [Q.c.fecha_radicacion, Q.c.radicado], sa.literal("radicado ") + Q.c.radicado,
                {"servicio": Q.c.servicio, "codigo": Q.c.codigo})


def _base_facturacion(formato: Formato, q: Contexto) -> Base:
    F, L = w.tables["facturas"], w.tables["lecturas"]
    s = q.foto().subquery("suscriptores")
    lec = sa.select(L).where(L.c.periodo == q.p()).subquery("lecturas")
    return Base(q, formato, {"facturas": F, "suscriptores": s, "lecturas": lec},
                F.outerjoin(s, s.c.codigo == F.c.codigo).outerjoin(lec, lec.c.codigo == F.c.codigo),
                [F.c.periodo == q.p(), F.c.servicio == formato.servicio],
                [F.c.codigo, F.c.numero],
                sa.literal("factura ") + F.c.numero + sa.literal(" de la cuenta ") + F.c.codigo,
                {"servicio": F.c.servicio, "codigo": F.c.codigo, "uso": s.c.uso,
                 "estrato": s.c.estrato})


_BASES: dict[str, Callable[[Formato, Contexto], Base]] = {
    "pqr": _base_pqr, "facturacion": _base_facturacion}


# --- Named derivations ---------------------------------------------------------------------

DERIVACIONES: dict[str, dict[str, Callable[[Base], sa.ColumnElement]]] = {c: {} for c in CONJUNTOS}
# What each derivation gives, in Spanish: the SUI layouts' documentation (docs/sui.md).
EXPLICACIONES: dict[str, str] = {}


def derivacion(*conjuntos: str, que: str, nombre: str | None = None):
    """Register a derivation a layout may name (``derivacion = "..."``) for these row sets;
    ``que`` says what it gives, for the people who check a report against the regulation."""
    def registrar(fn):
        clave = nombre or fn.__name__.lstrip("_")
        for c in conjuntos:
            DERIVACIONES[c][clave] = fn
        EXPLICACIONES[clave] = que
        return fn
    return registrar


def _municipio_pqr(b: Base) -> sa.ColumnElement:
    """The DANE code of the account's snapshot of P; the utility's default municipality for
    non-subscribers (and accounts missing from the snapshot)."""
    s = b.tablas["suscriptores"]
    return sa.func.coalesce(sa.func.nullif(s.c.municipio_dane, ""),
                            sa.literal(b.settings.municipio_defecto, sa.String))


@derivacion("pqr", que=(
    "Los 2 primeros dígitos del código DANE del municipio de la cuenta en el catastro del "
    "periodo ([empresa] municipio_defecto para quien no es suscriptor o no está en esa foto)."))
def _departamento(b: Base) -> sa.ColumnElement:
    """First 2 digits of the DANE code."""
    return sa.func.substr(_municipio_pqr(b), 1, 2)


@derivacion("pqr", que=(
    "Los 3 últimos dígitos del código DANE del municipio de la cuenta (el mismo que da el "
    "departamento)."))
def _municipio(b: Base) -> sa.ColumnElement:
    """Last 3 digits of the DANE code."""
    return sa.func.substr(_municipio_pqr(b), 3, 3)


@derivacion("pqr", que=(
    "El grupo de la causal que trae la PQR (F facturación, P prestación) o, si viene vacío, "
    "el de la causal en [pqr.causales]."))
def _grupo_causal(b: Base) -> sa.ColumnElement:
    """``grupo_causal``; when empty, the group of the cause in ``[pqr.causales]``."""
    Q = b.tablas["pqr"]
    causales = b.settings.pqr_causales
    tabla = (sa.case(*[(Q.c.causal == k, v["grupo"]) for k, v in causales.items()])
             if causales else sa.null())
    return sa.func.coalesce(sa.func.nullif(Q.c.grupo_causal, ""), tabla)


def _respondida(b: Base) -> sa.ColumnElement[bool]:
    Q = b.tablas["pqr"]
    return sa.and_(Q.c.fecha_respuesta.is_not(None), b.q.hasta_fin(Q.c.fecha_respuesta))


@derivacion("pqr", que=(
    "El tipo de respuesta si la PQR se respondió a más tardar el último día del periodo; si "
    "no, «pendiente»."))
def _respuesta_al_cierre(b: Base) -> sa.ColumnElement:
    """``tipo_respuesta`` if answered by end(P), else ``pendiente``."""
    Q = b.tablas["pqr"]
    return sa.case((_respondida(b), Q.c.tipo_respuesta), else_=sa.literal("pendiente"))


@derivacion("pqr", que=(
    "La fecha de respuesta si se respondió a más tardar el último día del periodo; si no, "
    "vacía."))
def _fecha_respuesta_al_cierre(b: Base) -> sa.ColumnElement:
    """``fecha_respuesta`` if answered by end(P), else empty."""
    Q = b.tablas["pqr"]
    return sa.case((_respondida(b), Q.c.fecha_respuesta))


@derivacion("pqr", que=(
    "El radicado de la respuesta si la exportación lo trae (columna radicado_respuesta); si "
    "no, el mismo radicado de la PQR."))
def _radicado_respuesta(b: Base) -> sa.ColumnElement:
    """The answer's filing number when the export has one (a ``radicado_respuesta`` column);
    else ``radicado``."""
    Q = b.tablas["pqr"]
    if "radicado_respuesta" in Q.c:
        return sa.func.coalesce(sa.func.nullif(Q.c.radicado_respuesta, ""), Q.c.radicado)
    return Q.c.radicado


@derivacion("pqr", que=(
    "«no_aplica» mientras la PQR no tenía respuesta al cierre del periodo; vacío si se "
    "notificó después del cierre; si no, el tipo de notificación."))
def _notificacion_al_cierre(b: Base) -> sa.ColumnElement:
    """``no_aplica`` while unanswered at end(P); empty if notified after end(P); else
    ``tipo_notificacion``."""
    Q = b.tablas["pqr"]
    return sa.case((~_respondida(b), sa.literal("no_aplica")),
                   (Q.c.fecha_notificacion >= sa.literal(b.q.siguiente, sa.Date), sa.null()),
                   else_=Q.c.tipo_notificacion)


@derivacion("pqr", que=(
    "La fecha de notificación si la PQR se respondió y notificó a más tardar el último día "
    "del periodo; si no, vacía."))
def _fecha_notificacion_al_cierre(b: Base) -> sa.ColumnElement:
    """``fecha_notificacion`` if answered and notified by end(P), else empty."""
    Q = b.tablas["pqr"]
    return sa.case((sa.and_(_respondida(b), b.q.hasta_fin(Q.c.fecha_notificacion)),
                    Q.c.fecha_notificacion))


@derivacion("pqr", que=(
    "La fecha de traslado a la SSPD si el recurso se envió a más tardar el último día del "
    "periodo; si no, vacía."))
def _traslado_al_cierre(b: Base) -> sa.ColumnElement:
    """``fecha_traslado_sspd`` if the appeal was sent to the SSPD by end(P), else empty."""
    Q = b.tablas["pqr"]
    return sa.case((b.q.hasta_fin(Q.c.fecha_traslado_sspd), Q.c.fecha_traslado_sspd))


@derivacion("facturacion", que=(
    "El primer día del periodo facturado."))
def _inicio_periodo(b: Base) -> sa.ColumnElement:
    """The first day of the billing period P."""
    return sa.literal(b.q.inicio, sa.Date)


@derivacion("facturacion", que=(
    "Los días del periodo facturado: los del mes, o los de los dos meses si la facturación es"
    " bimestral."))
def _dias_facturados(b: Base) -> sa.ColumnElement:
    """The days of the billing period: month(P), or two months when billing is bimonthly."""
    meses = 2 if b.settings.periodicidad == "bimestral" else 1
    fin = fin_de_periodo(periodo_mas(b.q.periodo, meses - 1))
    return sa.literal((fin - b.q.inicio).days + 1, sa.Integer)


@derivacion("facturacion", que=(
    "«residencial_» y el estrato para las cuentas residenciales; para los demás usos, el uso "
    "(la tabla de códigos clase_uso lo traduce)."))
def _clase_uso(b: Base) -> sa.ColumnElement:
    """``residencial_<estrato>`` for residential accounts, else the ``uso``: keys of the
    layout's class-of-use code table."""
    s = b.tablas["suscriptores"]
    return sa.case((s.c.uso == "residencial",
                    sa.literal("residencial_") + sa.cast(s.c.estrato, sa.String)),
                   else_=s.c.uso)


def _unidades(b: Base, residencial: bool) -> sa.ColumnElement:
    s = b.tablas["suscriptores"]
    es = s.c.uso == "residencial" if residencial else s.c.uso != "residencial"
    return sa.case((s.c.uso.is_(None), sa.null()),
                   (sa.and_(es, sa.func.coalesce(s.c.unidades, 1) > 1), s.c.unidades),
                   else_=0)


@derivacion("facturacion", que=(
    "Las unidades habitacionales de una cuenta residencial multiusuario (unidades mayor que "
    "1); si no, 0."))
def _unidades_residenciales(b: Base) -> sa.ColumnElement:
    """The dwelling units of a residential multi-user account (``unidades`` > 1), else 0."""
    return _unidades(b, True)


@derivacion("facturacion", que=(
    "Las unidades de una cuenta no residencial multiusuario (unidades mayor que 1); si no, 0."))
def _unidades_no_residenciales(b: Base) -> sa.ColumnElement:
    """The units of a non-residential multi-user account (``unidades`` > 1), else 0."""
    return _unidades(b, False)


@derivacion("facturacion", que=(
    "«sin_medidor» si la cuenta no tiene medidor o no se leyó por no tenerlo, «danado» si no "
    "se leyó por medidor dañado o ilegible, si no «funcionando»."))
def _estado_medidor(b: Base) -> sa.ColumnElement:
    """``sin_medidor`` (no meter in the snapshot, or not read for lack of one), ``danado``
    (not read: damaged or unreadable meter) or ``funcionando``."""
    s, lec = b.tablas["suscriptores"], b.tablas["lecturas"]
    return sa.case((s.c.codigo.is_(None), sa.null()),
                   (sa.or_(vacio(s.c.medidor), lec.c.causal_no_lectura == "sin_medidor"),
                    sa.literal("sin_medidor")),
                   (lec.c.causal_no_lectura.in_(["medidor_danado", "medidor_ilegible"]),
                    sa.literal("danado")),
                   else_=sa.literal("funcionando"))


@derivacion("facturacion", que=(
    "«si» cuando el consumo del periodo fue por aforo; si no, «no»."))
def _aforo(b: Base) -> sa.ColumnElement:
    """``si`` when the period's consumption was gauged (``tipo_consumo`` = aforo), else ``no``."""
    lec = b.tablas["lecturas"]
    return sa.case((lec.c.tipo_consumo == "aforo", sa.literal("si")), else_=sa.literal("no"))


@derivacion("facturacion", que=(
    "El valor del consumo entre los m³ facturados, con 4 decimales; 0 sin consumo."))
def _valor_m3(b: Base) -> sa.ColumnElement:
    """``valor_consumo`` / ``consumo_m3`` to 4 decimals; 0 without consumption."""
    F = b.tablas["facturas"]
    return sa.case((F.c.consumo_m3 > 0,
                    sa.cast(F.c.valor_consumo / F.c.consumo_m3, sa.Numeric(18, 4))),
                   else_=sa.literal(Decimal(0), sa.Numeric(18, 4)))


@derivacion("facturacion", que=(
    "El factor de config.toml: el porcentaje de [subsidios], negativo, para los estratos 1 a "
    "3; el de [contribuciones], positivo, para los estratos 5 y 6 y los usos comercial e "
    "industrial; 0 para los demás."))
def _factor_subsidio_contribucion(b: Base) -> sa.ColumnElement:
    """The factor of ``config.toml``: −[subsidios] for estratos 1–3, +[contribuciones] for
    estratos 5 and 6 and the commercial and industrial uses, 0 for the rest."""
    s = b.tablas["suscriptores"]
    res = s.c.uso == "residencial"
    cfg = b.settings
    casos = [(sa.and_(res, s.c.estrato == e), -p) for e, p in cfg.subsidios.items()]
    casos += [(sa.and_(res, s.c.estrato == e), cfg.contribuciones[f"estrato_{e}"]) for e in (5, 6)]
    casos += [(s.c.uso == u, cfg.contribuciones[u]) for u in ("comercial", "industrial")]
    return sa.case((s.c.uso.is_(None), sa.null()),
                   *[(c, sa.literal(Decimal(str(v)), sa.Numeric(8, 4))) for c, v in casos],
                   else_=sa.literal(Decimal(0), sa.Numeric(8, 4)))


@derivacion("facturacion", que=(
    "Los días desde el vencimiento más antiguo de las facturas de la cuenta en ese servicio "
    "con saldo en la cartera hasta el último corte del mes (0 si nada está vencido o no hay "
    "corte)."))
def _dias_mora(b: Base) -> sa.ColumnElement:
    """Days from the oldest due date of the account's unpaid invoices of the service to the
    last receivables cut-off of month(P) (0 when none is past due or there is no cut-off)."""
    C = w.tables["cartera"]
    q = b.q
    corte = q.uno("sui.corte", sa.select(sa.func.max(C.c.fecha_corte)).where(q.en_mes(C.c.fecha_corte)))
    if corte is None:
        return sa.literal(0, sa.Integer)
    mora = (sa.select(C.c.codigo, (sa.literal(corte, sa.Date) - sa.func.min(C.c.fecha_vencimiento))
                      .label("dias"))
            .where(C.c.fecha_corte == sa.literal(corte, sa.Date),
                   C.c.servicio == b.formato.servicio)
            .group_by(C.c.codigo).subquery("mora"))
    F = b.tablas["facturas"]
    b.desde = b.desde.outerjoin(mora, mora.c.codigo == F.c.codigo)
    return sa.case((mora.c.dias > 0, mora.c.dias), else_=0)


@derivacion("facturacion", que=(
    "Los pagos del mes a las facturas de la cuenta (de cualquier periodo), cada uno repartido"
    " entre los servicios de su factura en proporción a su valor total: la parte de este "
    "servicio. Un pago sin factura conocida no tiene servicio y no cuenta."))
def _pagos_del_mes(b: Base) -> sa.ColumnElement:
    """The payments of month(P) to the account's invoices (of any period), each spread over
    its invoice's services in proportion to their ``valor_total`` (evenly when the invoice
    totals 0): this service's share. Payments without a known invoice have no service."""
    PG, F = w.tables["pagos"], w.tables["facturas"]
    mes = b.q.en_mes(PG.c.fecha_pago)
    cuota = cuotas(sa.select(PG.c.numero_factura).where(mes), F.alias("pagada"))
    pagado = (sa.select(cuota.c.codigo,
                        sa.cast(sa.func.sum(sa.cast(PG.c.valor, sa.Double) * cuota.c.parte),
                                sa.Numeric(18, 4)).label("valor"))
              .select_from(PG.join(cuota, cuota.c.numero == PG.c.numero_factura))
              .where(mes, cuota.c.servicio == b.formato.servicio)
              .group_by(cuota.c.codigo).subquery("pagos_mes"))
    b.desde = b.desde.outerjoin(pagado, pagado.c.codigo == b.tablas["facturas"].c.codigo)
    return sa.func.coalesce(pagado.c.valor, sa.literal(Decimal(0), sa.Numeric(18, 4)))


# Derivations that yield to a value the utility set in the layout's [defectos]: the layout
# reads them as that constant (``indicators.sui.formato``).
CEDEN_AL_DEFECTO = {"tarifa_basico", "tarifa_complementario"}


def _de_la_tarifa(b: Base, precio) -> sa.ColumnElement:
    """``precio`` of the tariff in force for P of the account's class (``indicators.tarifas``),
    to 4 decimals; empty (the field's default) without one. The tariffs join the rows once,
    for every field that reads them."""
    if b.tarifa is None:
        F, s = b.tablas["facturas"], b.tablas["suscriptores"]
        b.tarifa = tarifas.en_vigor(b.q)
        b.desde = b.desde.outerjoin(b.tarifa, tarifas.de_la_clase(
            b.tarifa, s.c.municipio_dane, F.c.servicio, s.c.uso, s.c.estrato))
    return sa.cast(precio(b.tarifa), sa.Numeric(18, 4))


@derivacion("facturacion", que=(
    "El precio por m³ del consumo (o vertimiento) básico de la tarifa vigente para la clase de "
    "la cuenta (fuente tarifas): costo de referencia × (1 + factor). Vacío sin tabla de "
    "tarifas; un valor fijado en [defectos] del formato manda."))
def _tarifa_basico(b: Base) -> sa.ColumnElement:
    return _de_la_tarifa(b, tarifas.precio_basico)


@derivacion("facturacion", que=(
    "El precio por m³ del consumo (o vertimiento) complementario y suntuario de la tarifa "
    "vigente para la clase de la cuenta: costo de referencia × (1 + la contribución, si la "
    "hay); el subsidio no lo alcanza. Vacío sin tabla de tarifas; un valor fijado en "
    "[defectos] del formato manda."))
def _tarifa_complementario(b: Base) -> sa.ColumnElement:
    return _de_la_tarifa(b, tarifas.precio_complementario)


# --- The select and its rows ------------------------------------------------------------------

def _expresion(campo: Campo, b: Base) -> sa.ColumnElement | None:
    """The field's value in SQL, or None when it is a constant or a missing optional column."""
    if campo.constante is not None:
        return None
    if campo.columna is not None:
        tabla, _, nombre = campo.columna.partition(".")
        t = b.tablas[tabla]
        if nombre not in t.c:
            return None             # columna_opcional the warehouse does not have: the default
        valor = t.c[nombre]
    elif campo.derivacion is not None:
        if campo.derivacion not in b.hechas:
            b.hechas[campo.derivacion] = DERIVACIONES[b.formato.conjunto][campo.derivacion](b)
        valor = b.hechas[campo.derivacion]
    else:
        return None
    if campo.tabla is not None:
        mapa = b.formato.codigos[campo.tabla]
        # A value outside the table is kept as it is, for the validator to name it.
        valor = sa.case(*[(valor == k, sa.literal(v)) for k, v in mapa.items()], else_=valor)
    return valor


def consulta(formato: Formato, q: Contexto) -> sa.Select:
    """The select of the layout's rows for P: ``c<n>`` is field n, ``x_<name>`` the context."""
    b = _BASES[formato.conjunto](formato, q)
    columnas = []
    for campo in formato.campos:
        valor = _expresion(campo, b)
        if valor is not None:
            columnas.append(valor.label(f"c{campo.numero}"))
    return (sa.select(*columnas, b.clave.label("x_clave"),
                      *[v.label(f"x_{k}") for k, v in b.contexto.items()])
            .select_from(b.desde).where(*b.donde).order_by(*b.orden))


# Rows travel in lots of this many: the memory a report takes, whatever its size.
FILAS_POR_LOTE = 20_000


@dataclass
class Lote:
    """Consecutive rows of a layout as they will be written: one text column per field
    (never null), what names each row in messages and what each row carries besides."""
    primera: int                        # the first row's line in the file (from 1)
    valores: list[pa.Array]
    claves: pa.Array
    contexto: dict[str, pa.Array]

    def __len__(self) -> int:
        return len(self.claves)

    def filas(self, indices: pa.Array | None = None) -> Iterator[tuple[int, Fila]]:
        """(line, row) of the rows at ``indices`` (all of them by default), in order."""
        def columna(a: pa.Array) -> list:
            return (a if indices is None else a.take(indices)).to_pylist()
        numeros = range(len(self)) if indices is None else indices.to_pylist()
        valores = [columna(v) for v in self.valores]
        contexto = {k: columna(v) for k, v in self.contexto.items()}
        for i, (n, clave) in enumerate(zip(numeros, columna(self.claves))):
            yield self.primera + n, Fila([v[i] for v in valores], clave or "",
                                         {k: v[i] for k, v in contexto.items()})


def lotes(conn: sa.Connection, formato: Formato, periodo: str, settings: Settings,
          filas_por_lote: int = FILAS_POR_LOTE) -> Iterator[Lote]:
    """The layout's rows for ``periodo``, in order, as they will be written, in lots: the
    warehouse streams them as Arrow columns and each field is written a column at a time."""
    q = Contexto(conn, periodo, settings)
    seleccion = consulta(formato, q)
    esquema = pa.schema([(c.name, _tipo_arrow(c.type)) for c in seleccion.selected_columns])
    contexto = CONJUNTOS[formato.conjunto].contexto
    primera = 1
    for tabla in bulk.read_arrow(conn, seleccion, esquema, filas_por_lote):
        columnas = {n: tabla.column(n).combine_chunks() for n in tabla.column_names}
        valores = [escrita(c, columnas.get(f"c{c.numero}"), tabla.num_rows)
                   for c in formato.campos]
        yield Lote(primera, valores, columnas["x_clave"],
                   {k: columnas[f"x_{k}"] for k in contexto})
        primera += tabla.num_rows


def filas(conn: sa.Connection, formato: Formato, periodo: str, settings: Settings,
          lote: int = FILAS_POR_LOTE) -> Iterator[Fila]:
    """The layout's rows for ``periodo``, in order, as they will be written (streamed)."""
    for x in lotes(conn, formato, periodo, settings, lote):
        for _, fila in x.filas():
            yield fila


def _tipo_arrow(tipo: sa.types.TypeEngine) -> pa.DataType:
    """How a column of the select travels (``etl.bulk.read_arrow``): as the drivers give it."""
    if isinstance(tipo, sa.Boolean):
        return pa.bool_()
    if isinstance(tipo, sa.Integer):
        return pa.int64()
    if isinstance(tipo, sa.Float):
        return pa.float64()
    if isinstance(tipo, sa.Numeric):
        return pa.decimal128(tipo.precision or 38, tipo.scale or 0)
    if isinstance(tipo, sa.DateTime):
        return pa.timestamp("us")
    if isinstance(tipo, sa.Date):
        return pa.date32()
    return pa.string()
