"""What the data checks see of a staged file: its rows, plus the context columns.

Some rules judge a row against the warehouse or against the whole file: a
reading against the account's cadastre snapshot, an ``estimado`` against the
mean of the measured rows of the same use and stratum, a meter against the
other active accounts of the snapshot. Their ``ctx_*`` columns are computed
here, in the database, by one query over the staging table that streams back
in batches (``etl.bulk.read_arrow``); Great Expectations then judges them.
Nothing copies a warehouse table into pandas.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import sqlalchemy as sa

from cauce.settings import Settings
from etl import contract as c
from etl import enlaces
from etl import warehouse as w
from etl.parse import ARROW_TYPES
from etl.reader import ROW_COLUMN


@dataclass(frozen=True)
class Consulta:
    """A query whose rows the rules judge; ``reglas``: only these rules (None: all that fit)."""
    select: sa.Select
    schema: pa.Schema
    reglas: tuple[str, ...] | None = None


def consultas(conn: sa.Connection, staging: sa.Table, source: c.Source, settings: Settings,
              carga_id: int, periodos: list[str], leidas: frozenset[str]) -> list[Consulta]:
    """The queries whose rows the rules judge; ``periodos``: the staged rows' periods;
    ``leidas``: the columns the rules read (with the key, all the rows carry)."""
    build = _BUILDERS.get(source.name)
    extra = build(conn, staging, settings, periodos) if build else {}
    queries = [_rows(staging, source, extra.pop("_join", None), extra, leidas)]
    if source.name == "suscriptores":
        queries += _desaparecidas(conn, staging, carga_id, periodos)
    return queries


def _rows(staging: sa.Table, source: c.Source, joined, ctx: dict,
          leidas: frozenset[str]) -> Consulta:
    """The staged rows' key and the columns the rules read, with the context columns
    (``ctx``: name -> (expression, Arrow type)). The rest stays in the database: a file of
    several periods is millions of rows, and its names and addresses no rule reads."""
    columns = [col for col in source.columns if col.name in leidas or col.name in source.key]
    query = sa.select(*[staging.c[col.name] for col in columns], staging.c[ROW_COLUMN],
                      *[expr.label(name) for name, (expr, _) in ctx.items()])
    if joined is not None:
        query = query.select_from(joined)
    schema = pa.schema([(col.name, ARROW_TYPES[col.type]) for col in columns]
                       + [(ROW_COLUMN, pa.int64())]
                       + [(name, kind) for name, (_, kind) in ctx.items()])
    return Consulta(query, schema)


def _catastro(staging: sa.Table):
    """The account's cadastre snapshot of the same period, joined to the staged rows."""
    cat = w.tables["suscriptores"].alias("cat")
    return cat, staging.outerjoin(cat, sa.and_(cat.c.codigo == staging.c.codigo,
                                               cat.c.periodo == staging.c.periodo))


def _suscriptores(conn, staging: sa.Table, settings: Settings, periodos: list[str]) -> dict:
    s = staging.c
    active_meter = sa.and_(s.estado == "activo", s.medidor.is_not(None))
    return {"ctx_cuentas_medidor": (sa.case(
        (active_meter, sa.func.count().over(partition_by=[s.periodo, s.medidor, s.estado]))),
        pa.int64())}


def _lecturas(conn, staging: sa.Table, settings: Settings, periodos: list[str]) -> dict:
    s = staging.c
    cat, joined = _catastro(staging)
    with_cadastre = sa.select(w.tables["suscriptores"].c.periodo).where(
        w.tables["suscriptores"].c.periodo.in_(sa.select(s.periodo).distinct())
    ).distinct().subquery("con_catastro")
    joined = joined.outerjoin(with_cadastre, with_cadastre.c.periodo == s.periodo)
    iguales = _consumos_iguales(staging, settings, periodos)
    repeated = sa.literal(0)
    if iguales is not None:
        joined = joined.outerjoin(iguales, iguales.c.fila == s[ROW_COLUMN])
        repeated = sa.func.coalesce(iguales.c.n, 0)
    measured = sa.case((s.tipo_consumo == "medido", s.consumo_facturado))
    return {
        "_join": joined,
        "ctx_uso": (cat.c.uso, pa.string()),
        "ctx_estrato": (cat.c.estrato, pa.int64()),
        "ctx_unidades": (sa.func.coalesce(sa.func.nullif(cat.c.unidades, 0), 1), pa.int64()),
        "ctx_en_catastro": (sa.case((cat.c.codigo.is_not(None), 1),
                                    (with_cadastre.c.periodo.is_not(None), 0)), pa.int64()),
        "ctx_promedio_similares": (sa.case((cat.c.uso.is_not(None), sa.cast(
            sa.func.avg(measured).over(partition_by=[
                s.periodo, cat.c.uso, sa.func.coalesce(cat.c.estrato, 0)]), sa.Double))),
            pa.float64()),
        "ctx_consumos_iguales": (sa.case((s.tipo_consumo == "medido", repeated)), pa.int64()),
    }


def _consumos_iguales(staging: sa.Table, settings: Settings, periods: list[str]):
    """Per staged measured row: how many of the previous N−1 periods measured the same m³.

    The history is the warehouse's and, for a file of several periods, the file's own
    earlier periods. None when the file has no rows.
    """
    s = staging.c
    step = 2 if settings.periodicidad == "bimestral" else 1
    pairs = [(p, _shift(p, -step * k)) for p in periods
             for k in range(1, settings.calidad.periodos_repetidos)]
    if not pairs:
        return None
    selects = [sa.select(sa.literal(p).label("periodo"), sa.literal(q).label("previo"))
               for p, q in pairs]
    mapping = (sa.union_all(*selects) if len(selects) > 1 else selects[0]).subquery("previos")
    previos = sorted({q for _, q in pairs})
    lect = w.tables["lecturas"]      # the file's own periods were deleted from it by now
    h = sa.union_all(*[
        sa.select(t.c.codigo, t.c.periodo, t.c.tipo_consumo, t.c.consumo_facturado)
        .where(t.c.periodo.in_(previos), t.c.tipo_consumo == "medido") for t in (lect, staging)
    ]).subquery("h")
    return sa.select(s[ROW_COLUMN].label("fila"), sa.func.count().label("n")).select_from(
        staging.join(mapping, mapping.c.periodo == s.periodo).join(h, sa.and_(
            h.c.codigo == s.codigo, h.c.periodo == mapping.c.previo,
            h.c.consumo_facturado == s.consumo_facturado))
    ).where(s.tipo_consumo == "medido").group_by(s[ROW_COLUMN]).subquery("iguales")


def _facturas(conn, staging: sa.Table, settings: Settings, periodos: list[str]) -> dict:
    cat, joined = _catastro(staging)
    return {"_join": joined, "ctx_uso": (cat.c.uso, pa.string()),
            "ctx_estrato": (cat.c.estrato, pa.int64())}


def _pagos(conn, staging: sa.Table, settings: Settings, periodos: list[str]) -> dict:
    s, cat = staging.c, w.tables["suscriptores"]
    # The invoices and accounts the file names that the warehouse holds: a semi-join
    # first keeps the distinct sets small (much faster than EXISTS per row).
    invoices = enlaces.facturas_de(staging)
    accounts = sa.select(cat.c.codigo).where(cat.c.codigo.in_(sa.select(s.codigo))
                                             ).distinct().subquery("cuentas_conocidas")
    joined = staging.outerjoin(invoices, invoices.c.numero == s.numero_factura).outerjoin(
        accounts, accounts.c.codigo == s.codigo)
    known = lambda col, ref: sa.case(  # noqa: E731 - 1 known, 0 unknown, null: not given
        (col.is_(None), None), (ref.is_not(None), 1), else_=0)
    return {"_join": joined,
            "ctx_factura_conocida": (known(s.numero_factura, invoices.c.numero), pa.int64()),
            "ctx_cuenta_conocida": (known(s.codigo, accounts.c.codigo), pa.int64())}


_BUILDERS = {"suscriptores": _suscriptores, "lecturas": _lecturas, "facturas": _facturas,
             "pagos": _pagos}


def _desaparecidas(conn, staging: sa.Table, carga_id: int, mine: list[str]) -> list[Consulta]:
    """The previous snapshot's accounts, each with whether the file's snapshot still has it.

    A row of the file sent to the quarantine (a residential account without
    estrato, say) still shows the account is there: its finding is the quarantine's.
    """
    s, cat = staging.c, w.tables["suscriptores"]
    held = conn.execute(sa.select(cat.c.periodo).distinct()).scalars().all()
    out = []
    for periodo in sorted(mine):
        before = [p for p in set(mine) | set(held) if p < periodo]
        if not before:
            continue
        previo = max(before)
        table = staging if previo in mine else cat
        prev = sa.select(table.c.codigo, table.c.estado).where(table.c.periodo == previo).subquery()
        q = w.cuarentena.c
        now = sa.union(
            sa.select(s.codigo).where(s.periodo == periodo),
            sa.select(sa.func.split_part(q.clave, " | ", 1)).where(
                q.carga_id == carga_id, q.clave.like(f"% | {periodo}"))).subquery()
        query = sa.select(
            prev.c.codigo, sa.literal(periodo).label("periodo"),
            sa.null().label(ROW_COLUMN), prev.c.estado.label("ctx_estado_anterior"),
            sa.case((now.c.codigo.is_(None), 0), else_=1).label("ctx_en_foto"),
        ).select_from(prev.outerjoin(now, now.c.codigo == prev.c.codigo))
        schema = pa.schema([("codigo", pa.string()), ("periodo", pa.string()),
                            (ROW_COLUMN, pa.int64()), ("ctx_estado_anterior", pa.string()),
                            ("ctx_en_foto", pa.int64())])
        out.append(Consulta(query, schema, ("catastro.cuenta_desaparecida",)))
    return out


def _shift(periodo: str, months: int) -> str:
    n = int(periodo[:4]) * 12 + int(periodo[5:7]) - 1 + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"
