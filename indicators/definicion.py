"""How an indicator is defined: once, as the rows that make it.

Each indicator of ``indicators.md`` is a function that returns a SQLAlchemy ``Select``
of its rows (the invoices, payments, filings, orders or accounts it counts), with
- the columns it sums: its numerator (and its denominator, for a ratio), what each row
  adds to them (``numerador``/``denominador`` for a lone indicator);
- ``codigo``: the account, so a breakdown by municipio, ciclo, estrato or uso can join
  the account's snapshot of P; or ``grupo_<dimension>`` where the row carries its own
  (a survey answer has its municipality, a calendar activity its cycle);
- ``servicio`` where the row has one (the ``servicio`` breakdown);
- the columns that explain why the row counts (a filing's deadline and answer date).

The value, every breakdown and the drill-down to the records all come from that one
select (``indicators.catalogo``), so they cannot disagree. Indicators over the same rows
(the balances of one cut-off) are a ``familia``: each sums its own columns of them, and
one query gives them all. A few indicators are a formula over others (the NSU margin of
error): ``Indicador.formula``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa

from cauce.settings import Settings
from etl import warehouse as w
from etl.contract import PERIOD, SOURCES, fin_de_periodo

# Breakdowns through the account's snapshot. ``ruta`` (the reading and delivery route, inside
# a cycle) is not kept by the load (``indicators.guardados``): computed when asked, like any
# breakdown, from the snapshot of P.
CUENTA = ("municipio", "ciclo", "ruta", "estrato", "uso")
TODOS = CUENTA + ("servicio",)

# Units, as `cauce indicadores --formato json` writes them.
PROPORCION, PESOS, M3, CUENTAS, CONTEO, DIAS, POR_MIL = (
    "proporcion", "pesos", "m3", "cuentas", "conteo", "dias", "por_mil")
# The units in words, for what people read (the workbook, the files for Excel).
UNIDADES = {PROPORCION: "porcentaje", PESOS: "pesos", M3: "m³", "m3_por_cuenta": "m³ por cuenta",
            CUENTAS: "cuentas", CONTEO: "cantidad", DIAS: "días", POR_MIL: "por cada 1.000"}

# The dates of events in the exports (``indicators.md``, "corte de los datos"): the latest of
# them is how far the loaded data reach.
EVENTOS = ("fecha_pago", "fecha_radicacion", "fecha_respuesta", "fecha_ejecucion",
           "fecha_ejecutada", "fecha_corte", "fecha_recibido")
AUN_NO_VENCE = "aun_no_vence"      # the records' column: 1 for an item not yet due


@dataclass(frozen=True)
class Indicador:
    id: str
    nombre: str
    descripcion: str                   # the formula in words, for the help line
    unidad: str
    mayor_es_mejor: bool | None        # None: neither (a count, a balance)
    area: str = ""
    desgloses: tuple[str, ...] = CUENTA
    filas: Callable[[Contexto], sa.Select] | None = None
    numerador: str = "numerador"       # the rows' column summed into the numerator
    denominador: str | None = None     # and into the denominator: a ratio
    # The rows' column that counts the items not yet due at the data's cut-off: the indicator
    # is provisional while it sums more than 0 (``indicators.md``, "corte de los datos").
    pendiente: str | None = None
    factor: float = 1.0                # valor = factor · Σnumerador (/ Σdenominador)
    # Sources that must hold data of P (or of P−k, as ("lecturas", -2)) for a value.
    requiere: tuple[tuple[str, int], ...] = ()
    # A formula over other indicators of the same group, instead of rows.
    formula: Callable[[dict[str, float | None]], float | None] | None = None
    de: tuple[str, ...] = ()           # the indicators the formula reads
    sumas_en_pesos: bool = False       # a ratio of two sums of money (its rows' parts are pesos)

    @property
    def razon(self) -> bool:
        return self.denominador is not None

    @property
    def en_pesos(self) -> bool:
        """Whether its rows' numerator and denominator are pesos: whole pesos in the files."""
        return self.unidad == PESOS or self.sumas_en_pesos


REGISTRO: dict[str, Indicador] = {}


def medida(id: str, nombre: str, descripcion: str, unidad: str, *, numerador: str,
           denominador: str | None = None, mayor_es_mejor: bool | None = None,
           factor: float = 1.0, pendiente: str | None = None,
           sumas_en_pesos: bool = False) -> Indicador:
    """One indicator of a :func:`familia`: which of the rows' columns it sums."""
    return Indicador(id, nombre, descripcion, unidad, mayor_es_mejor, numerador=numerador,
                     denominador=denominador, factor=factor, pendiente=pendiente,
                     sumas_en_pesos=sumas_en_pesos)


def familia(*medidas: Indicador, fuentes, desgloses=CUENTA):
    """Register indicators that sum different columns of the same rows (the balances of one
    cut-off, the answers of one survey round): one query gives them all."""
    def registrar(filas):
        for x in medidas:
            REGISTRO[x.id] = dataclasses.replace(
                x, area=filas.__module__.rsplit(".", 1)[-1], desgloses=tuple(desgloses),
                filas=filas, requiere=_requisitos(fuentes))
        return filas
    return registrar


def _requisitos(fuentes) -> tuple[tuple[str, int], ...]:
    return tuple((f, 0) if isinstance(f, str) else tuple(f) for f in fuentes)


def indicador(id: str, nombre: str, descripcion: str, unidad: str, *, fuentes,
              mayor_es_mejor: bool | None = None, desgloses=CUENTA, razon: bool = False,
              factor: float = 1.0, provisional: bool = False, sumas_en_pesos: bool = False):
    """Register the decorated row function as indicator ``id``: it sums the rows'
    ``numerador`` (over their ``denominador`` for a ratio); ``provisional``: the rows'
    ``aun_no_vence`` counts its items not yet due."""
    return familia(medida(id, nombre, descripcion, unidad, numerador="numerador",
                          denominador="denominador" if razon else None,
                          mayor_es_mejor=mayor_es_mejor, factor=factor,
                          pendiente=AUN_NO_VENCE if provisional else None,
                          sumas_en_pesos=sumas_en_pesos),
                   fuentes=fuentes, desgloses=desgloses)


def formula(id: str, nombre: str, descripcion: str, unidad: str, *, de: tuple[str, ...],
            mayor_es_mejor: bool | None = None, desgloses=CUENTA):
    """Register the decorated function of other indicators' values as indicator ``id``."""
    def registrar(fn):
        REGISTRO[id] = Indicador(id, nombre, descripcion, unidad, mayor_es_mejor,
                                 fn.__module__.rsplit(".", 1)[-1], tuple(desgloses),
                                 formula=fn, de=de)
        return fn
    return registrar


def periodo_mas(periodo: str, meses: int) -> str:
    """'2026-01' + (−1) -> '2025-12'."""
    y, m = int(periodo[:4]), int(periodo[5:7])
    n = y * 12 + m - 1 + meses
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def ronda(periodo: str) -> str:
    """The survey round of a period: YYYY-S1 for January–June, YYYY-S2 for July–December."""
    return f"{periodo[:4]}-S{1 if int(periodo[5:7]) <= 6 else 2}"


def ultimo_mes_de_ronda(r: str) -> str:
    """The last period of a survey round: '2026-S1' -> '2026-06'."""
    return f"{r[:4]}-{'06' if r.endswith('S1') else '12'}"


def ultimo_periodo(conn: sa.Connection) -> str | None:
    """"The latest period": the last billed one; before any billing is loaded, the latest
    period of the cadastre or the readings. What ``cauce indicadores`` and ``cauce informe``
    show when no period is asked for, the month the dashboard opens on and the last of the 13
    months a load keeps (``cli.md``). Later months of other sources (the payments and PQR of
    a month not billed yet) are not it: their billing-based indicators would all be empty."""
    facturado = conn.execute(sa.select(sa.func.max(w.tables["facturas"].c.periodo))).scalar()
    if facturado:
        return facturado
    otros = [conn.execute(sa.select(sa.func.max(w.tables[f].c.periodo))).scalar()
             for f in ("suscriptores", "lecturas")]
    return max((p for p in otros if p), default=None)


def corte(conn: sa.Connection) -> dt.date | None:
    """The data's cut-off: the latest event date in the loaded exports (None: no event).
    Each column's maximum is asked alone, so an index (PostgreSQL) or the zone maps (DuckDB)
    answer it without reading the table."""
    maximos = [sa.select(sa.func.max(w.tables[f].c[col.name]).label("d"))
               for f, origen in SOURCES.items() for col in origen.columns if col.name in EVENTOS]
    fechas = [d for (d,) in conn.execute(sa.union_all(*maximos)) if d is not None]
    return max((d.date() if isinstance(d, dt.datetime) else d for d in fechas), default=None)


@dataclass
class Contexto:
    """Period P and what every indicator's rows need to know about it."""
    conn: sa.Connection
    periodo: str
    settings: Settings
    por: str | None = None
    # Only the rows of these groups, as ((dimension, group), ...): the dashboard's filters.
    filtro: tuple[tuple[str, str], ...] = ()
    _cache: dict = field(default_factory=dict, repr=False)
    # Which (source, period) hold rows, and what the last load kept ("guardados"): facts
    # about the data, not about P, so the contexts of one trend share them, asked for once.
    sondeos: dict = field(default_factory=dict, repr=False)

    @property
    def por_servicio(self) -> bool:
        """Whether rows must be told apart by service (a breakdown or a filter by it)."""
        return self.por == "servicio" or any(d == "servicio" for d, _ in self.filtro)

    @cached_property
    def inicio(self) -> dt.date:
        return dt.date(int(self.periodo[:4]), int(self.periodo[5:7]), 1)

    @cached_property
    def fin(self) -> dt.date:
        """end(P), the period's last day."""
        return fin_de_periodo(self.periodo)

    @cached_property
    def siguiente(self) -> dt.date:
        return self.fin + dt.timedelta(days=1)

    def p(self, meses: int = 0) -> sa.BindParameter:
        """P (or P + meses) as a bound parameter."""
        return sa.literal(periodo_mas(self.periodo, meses), sa.String)

    def en_mes(self, col) -> sa.ColumnElement[bool]:
        """The date (of a date or a date-time) of ``col`` is in month(P)."""
        return sa.and_(col >= self._limite(col, self.inicio), col < self._limite(col, self.siguiente))

    def hasta_fin(self, col) -> sa.ColumnElement[bool]:
        """The date of ``col`` is on or before end(P)."""
        return col < self._limite(col, self.siguiente)

    def antes_de_fin(self, col) -> sa.ColumnElement[bool]:
        """The date of ``col`` is before end(P)."""
        return col < self._limite(col, self.fin)

    @staticmethod
    def _limite(col, dia: dt.date) -> sa.BindParameter:
        """Midnight of ``dia`` as a parameter of ``col``'s type (a date or a date-time)."""
        if isinstance(col.type, sa.DateTime):
            return sa.literal(dt.datetime.combine(dia, dt.time()), sa.DateTime)
        return sa.literal(dia, sa.Date)

    def foto(self, meses: int = 0, *, activos: bool = False) -> sa.Select:
        """The ``suscriptores`` snapshot of P (+ meses), optionally only the active accounts. A
        warehouse of an earlier Cauce, only read, lacks the columns added since
        (``warehouse.AGREGADAS``): they read as empty."""
        s = w.tables["suscriptores"]
        columnas = list(s.c) if self.uno("al_dia", w.al_dia) else [
            sa.cast(sa.null(), c.type).label(c.name)
            if any(t is s and n == c.name for t, n in w.AGREGADAS) else c for c in s.c]
        q = sa.select(*columnas).where(s.c.periodo == self.p(meses))
        return q.where(s.c.estado == "activo") if activos else q

    def uno(self, clave: str, consulta):
        """Something the rows need (the first filing's date), asked once per period:
        ``consulta`` is a scalar select or a function of the connection."""
        if clave not in self._cache:
            self._cache[clave] = (consulta(self.conn) if callable(consulta)
                                  else self.conn.execute(consulta).scalar())
        return self._cache[clave]


    def hay_datos(self, fuente: str, meses: int = 0) -> bool:
        """Whether the warehouse holds rows of ``fuente`` dated in P + meses (its period,
        cut-off, payment or filing date, survey round): without them an indicator is None,
        not 0. Each is asked for alone, which both warehouses answer from the period's index
        or zone map instead of listing every period of the table."""
        p = dataclasses.replace(self, periodo=periodo_mas(self.periodo, meses), _cache={})
        clave = (fuente, p.periodo)
        if clave not in self.sondeos:
            origen = SOURCES[fuente]
            col = w.tables[fuente].c[origen.fecha]
            if origen.fecha == "ronda":
                donde = col == ronda(p.periodo)
            elif origen.column(origen.fecha).type == PERIOD:
                donde = col == p.periodo
            else:
                donde = p.en_mes(col)
            self.sondeos[clave] = bool(self.conn.execute(sa.select(sa.exists().where(donde)))
                                       .scalar())
        return self.sondeos[clave]

    @property
    def corte(self) -> dt.date | None:
        """The data's cut-off (:func:`corte`): a fact about the data, asked once."""
        if "corte" not in self.sondeos:
            self.sondeos["corte"] = corte(self.conn)
        return self.sondeos["corte"]

    def aun_no_vence(self, plazo) -> sa.ColumnElement[bool]:
        """The date of the deadline ``plazo`` is after the data's cut-off: the item is not
        judged yet (it leaves the denominator of a timeliness share)."""
        if self.corte is None:
            return sa.false()
        return plazo >= self._limite(plazo, self.corte + dt.timedelta(days=1))

    def primer_periodo(self, fuente: str) -> str | None:
        """The earliest period of a period-based source."""
        if (fuente, None) not in self.sondeos:
            t = w.tables[fuente]
            self.sondeos[fuente, None] = self.conn.execute(sa.select(sa.func.min(t.c.periodo))
                                                           ).scalar()
        return self.sondeos[fuente, None]


def si(condicion) -> sa.ColumnElement[int]:
    """1 when the condition holds, else 0: a row's share of a count."""
    return sa.case((condicion, 1), else_=0)


def vacio(col) -> sa.ColumnElement[bool]:
    return sa.func.coalesce(col, "") == ""
