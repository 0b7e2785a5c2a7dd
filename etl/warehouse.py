"""The warehouse schema (SQLAlchemy Core, one place) and its engines.

One table per source of the contract (with the columns derived from other
sources: ``etl.enlaces``, ``TARIFA_DE_LA_FILA``), plus the load record (``carga``), the
quarantine (``cuarentena``), the data checks' results per load (``resultado_regla``, and the
flagged keys in ``hallazgo``), the indicators the last load kept (``resultado_indicador``)
and the periods whose invoice rows hold their expected tariff charges (``tarifa_calculada``),
and the register of the documents written (``documento``). DuckDB is the embedded default;
PostgreSQL is chosen by URL. Indexes for the indicators' access paths are created on
PostgreSQL only: DuckDB scans with zone maps, and its ART indexes would slow
bulk loads without helping aggregations.
"""
from __future__ import annotations

import errno
import logging
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cauce import CauceError, SinCargas
from etl import contract as c

metadata = sa.MetaData()

# When a PostgreSQL connection is lost in the middle of a COPY or a pipeline, psycopg logs
# "error ignored terminating ..." as a warning; with no logging configured Python prints it,
# in English, next to the load's own Spanish message. An application that configures logging
# still receives it.
logging.getLogger("psycopg").addHandler(logging.NullHandler())


def _text(length: int | None = None):
    """Text compared byte by byte, as DuckDB does: both engines sort and group alike,
    and PostgreSQL keeps its key indexes without locale-aware comparisons."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


_SQL_TYPES = {
    c.STR: _text, c.CODE: _text, c.PERIOD: lambda: _text(7), c.INT: sa.BigInteger,
    c.DEC: lambda: sa.Numeric(18, 4), c.DATE: sa.Date, c.DATETIME: sa.DateTime, c.BOOL: sa.Boolean,
}

carga_id_seq = sa.Sequence("carga_id_seq", metadata=metadata)

carga = sa.Table(
    "carga", metadata,
    sa.Column("id", sa.BigInteger, carga_id_seq, server_default=carga_id_seq.next_value(),
              primary_key=True),
    sa.Column("archivo", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("fuente", sa.Text, nullable=False),
    sa.Column("alcance", sa.Text),           # JSON: the periods / cut-offs / rounds replaced
    sa.Column("filas_leidas", sa.BigInteger),
    sa.Column("filas_cargadas", sa.BigInteger),
    sa.Column("filas_cuarentena", sa.BigInteger),
    sa.Column("forzada", sa.Boolean, nullable=False, default=False),
    sa.Column("usuario", sa.Text),
    sa.Column("inicio", sa.DateTime, nullable=False),
    sa.Column("fin", sa.DateTime),
    sa.Column("estado", sa.Text, nullable=False),   # "cargado" (a forced load: "forzado")
)

cuarentena = sa.Table(
    "cuarentena", metadata,
    sa.Column("carga_id", sa.BigInteger, nullable=False),
    sa.Column("archivo", sa.Text, nullable=False),
    sa.Column("fuente", sa.Text, nullable=False),
    sa.Column("fila", sa.BigInteger),       # row in the file; the header is row 1
    sa.Column("clave", sa.Text),            # the row's key as written, "codigo | periodo"
    sa.Column("columna", sa.Text),
    sa.Column("valor", sa.Text),
    sa.Column("motivo", sa.Text, nullable=False),
)
sa.Index("ix_cuarentena_carga", cuarentena.c.carga_id).ddl_if(dialect="postgresql")

resultado_regla = sa.Table(
    "resultado_regla", metadata,
    sa.Column("carga_id", sa.BigInteger, nullable=False),
    sa.Column("fuente", sa.Text, nullable=False),
    sa.Column("regla", sa.Text, nullable=False),       # data_checks.reglas id
    sa.Column("severidad", sa.Text, nullable=False),
    sa.Column("fallidas", sa.BigInteger, nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),  # rows judged
    sa.Column("tolerancia", sa.Double),                 # the gate's share; null: the rule does not gate
    comment="Each rule's result on each loaded file.",
)
sa.Index("ix_resultado_regla_carga", resultado_regla.c.carga_id).ddl_if(dialect="postgresql")

hallazgo = sa.Table(
    "hallazgo", metadata,
    sa.Column("carga_id", sa.BigInteger, nullable=False),
    sa.Column("fuente", sa.Text, nullable=False),
    sa.Column("regla", sa.Text, nullable=False),
    sa.Column("fila", sa.BigInteger),       # row in the file (null: a row the file lacks)
    sa.Column("clave", sa.Text, nullable=False),   # the row's key, "codigo | periodo"
    comment="The keys of the loaded rows a rule flagged: findings for people to fix at the source.",
)
sa.Index("ix_hallazgo_carga", hallazgo.c.carga_id).ddl_if(dialect="postgresql")

resultado_indicador = sa.Table(
    "resultado_indicador", metadata,
    sa.Column("carga_id", sa.BigInteger, nullable=False),   # the last load when computed
    sa.Column("version", sa.String(64), nullable=False),    # of the settings and the catalogue
    sa.Column("periodo", sa.String(7), nullable=False),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("por", sa.Text),              # the breakdown (null: the whole utility)
    sa.Column("grupo", sa.Text),
    sa.Column("orden", sa.Integer, nullable=False),   # the groups' order, as computed
    sa.Column("valor", sa.Double),
    sa.Column("numerador", sa.Double),
    sa.Column("denominador", sa.Double),
    sa.Column("provisional", sa.Integer),   # items not yet due at the data's cut-off
    comment="The catalogue of the latest 13 periods, computed after a load (indicators.guardados).",
)

documento = sa.Table(
    "documento", metadata,
    sa.Column("numero", sa.Text, nullable=False),         # AS-2026-000123
    sa.Column("tipo", sa.Text, nullable=False),           # indicators.documentos.TIPOS
    sa.Column("anio", sa.Integer, nullable=False),        # of the issue: numbers restart each year
    sa.Column("consecutivo", sa.BigInteger, nullable=False),
    sa.Column("periodo", sa.String(7), nullable=False),
    sa.Column("lote", sa.BigInteger, nullable=False),     # the batch that wrote it
    sa.Column("codigo", sa.Text),                         # the account, for a letter or notice
    sa.Column("entidad", sa.Text),                        # an official entity's documento
    sa.Column("municipio", sa.Text),                      # a municipality's DANE code
    sa.Column("fecha_emision", sa.Date, nullable=False),
    sa.Column("valor", sa.Numeric(18, 4)),
    sa.Column("fecha_limite", sa.Date, nullable=False),
    sa.Column("estado", sa.Text, nullable=False),         # "emitido" or "anulado" (re-issued)
    sa.Column("datos", sa.Text, nullable=False),          # JSON: its placeholders' values
    comment="The register of the documents written (documents.md): one row per document.",
)
sa.Index("ux_documento_numero", documento.c.numero, unique=True).ddl_if(dialect="postgresql")
sa.Index("ix_documento_tipo_periodo", documento.c.tipo, documento.c.periodo
         ).ddl_if(dialect="postgresql")


def source_columns(source: c.Source) -> list[sa.Column]:
    return [sa.Column(col.name, _SQL_TYPES[col.type](), nullable=not col.required)
            for col in source.columns]


def _derivadas(source: c.Source) -> list[sa.Column]:
    """The columns derived from other sources, not read from the exports: a payment's
    invoice's billing period, linked by the load (``etl.enlaces``), null while that invoice is
    not loaded; an invoice row's tariff class and expected charges (``TARIFA_DE_LA_FILA``)."""
    if source.name == "pagos":
        return [sa.Column("periodo_factura", _text(7))]
    return [sa.Column(n, t()) for n, t in TARIFA_DE_LA_FILA] if source.name == "facturas" else []


# An invoice row's class (the account's municipality, use, estrato and dwelling units in the
# cadastre of its period), the date of the tariff in force for it and its four expected
# charges (``tariffs.md``), kept on the row after a load for the latest periods by
# ``indicators.tarifas``, so that the tariff indicators read them instead of re-computing
# millions of rows in exact decimals; ``tarifa_calculada`` says which periods they are current
# for. Null until then, and on a row without tariff (the expected charges).
TARIFA_DE_LA_FILA = (
    ("clase_municipio", _text), ("clase_uso", _text), ("clase_estrato", sa.BigInteger),
    ("clase_unidades", sa.BigInteger), ("tarifa_vigente_desde", sa.Date),
    *[(f"esperado_{n}", lambda: sa.Numeric(18, 4))
      for n in ("cargo_fijo", "valor_consumo", "subsidio", "contribucion")])


def _source_table(source: c.Source) -> sa.Table:
    table = sa.Table(source.name, metadata, *source_columns(source),
                     sa.Column("carga_id", sa.BigInteger, nullable=False), *_derivadas(source),
                     comment=source.description)
    sa.Index(f"ux_{source.name}_clave", *[table.c[k] for k in source.key],
             unique=True).ddl_if(dialect="postgresql")
    for cols in source.indexes:
        sa.Index(f"ix_{source.name}_{'_'.join(cols)}", *[table.c[k] for k in cols]
                 ).ddl_if(dialect="postgresql")
    return table


tables: dict[str, sa.Table] = {name: _source_table(s) for name, s in c.SOURCES.items()}
# Columns added to a table after warehouses were made without them: etl.migracion adds them.
AGREGADAS = ((resultado_indicador, "provisional"), (tables["suscriptores"], "proteccion_especial"),
             *[(tables["facturas"], n) for n, _ in TARIFA_DE_LA_FILA])

tarifa_calculada = sa.Table(
    "tarifa_calculada", metadata,
    sa.Column("periodo", sa.String(7), nullable=False),
    sa.Column("carga_id", sa.BigInteger, nullable=False),   # the last load when computed
    sa.Column("redondeo", sa.BigInteger, nullable=False),   # [tarifas] redondeo, in pesos
    comment="The periods whose invoice rows hold their tariff class and expected charges "
            "(facturas' TARIFA_DE_LA_FILA columns), as computed after a load (indicators.tarifas).",
)

# Each account's reference history for the significant deviations of P (``indicators.critica``):
# the sum and the count of its billed consumption in the periods before P that judge them,
# kept after a load for the latest periods, so that the deviations read one row per account
# instead of summing six months of readings each time; ``historia_calculada`` says which
# periods they are current for, and over which earlier periods they were summed.
historia_consumo = sa.Table(
    "historia_consumo", metadata,
    sa.Column("periodo", sa.String(7), nullable=False),
    sa.Column("codigo", _text(), nullable=False),
    sa.Column("suma", _SQL_TYPES[c.DEC]()),
    sa.Column("n", sa.BigInteger, nullable=False),
    comment="Each account's sum and count of billed consumption in the periods that judge the "
            "deviations of periodo (indicators.critica), as computed after a load.",
)
sa.Index("ix_historia_consumo_periodo", historia_consumo.c.periodo, historia_consumo.c.codigo
         ).ddl_if(dialect="postgresql")
historia_calculada = sa.Table(
    "historia_calculada", metadata,
    sa.Column("periodo", sa.String(7), nullable=False),
    sa.Column("carga_id", sa.BigInteger, nullable=False),   # the last load when computed
    sa.Column("previos", sa.Text, nullable=False),          # the periods summed, comma-separated
    comment="The periods whose reference history historia_consumo holds, and over which "
            "earlier periods it was summed (indicators.critica).",
)


ESPERA_BLOQUEO_S = 30.0   # how long a DuckDB connection waits for another process's lock


def create_engine(url: str, memory_mb: int = 512, *, solo_lectura: bool = False,
                  espera_s: float = ESPERA_BLOQUEO_S,
                  al_esperar: Callable[[float], None] | None = None) -> sa.Engine:
    """An engine for the warehouse URL; a DuckDB file's folder is created.

    DuckDB would take up to 80 % of the machine's memory for its buffers; a
    load needs little, so it is capped (``[almacen] memoria_mb``) and larger
    work spills to disk. A DuckDB file is held by one writing process at a time
    (or by several readers): a connection waits up to ``espera_s`` seconds for
    the other process to let it go (the dashboard reads for a moment while a
    command-line load asks for the file). ``solo_lectura`` opens it read-only
    and closes every connection when it is returned, so it is never held.
    ``al_esperar(espera_s)`` is called once a connection finds the file held and starts
    waiting: the interface says so, or a user would take the wait for a hang.
    """
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise CauceError(f"La URL del almacén «{url}» no es válida. Use por ejemplo "
                         f"duckdb:///datos/almacen.duckdb o "
                         f"postgresql+psycopg://usuario@servidor/cauce.") from None
    backend = parsed.get_backend_name()
    if backend == "duckdb":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise CauceError(f"No se puede crear la carpeta del almacén {folder}: "
                                 f"{razon_os(e)}. Elija otra ruta en [almacen] url.") from None
        config = {"memory_limit": f"{memory_mb}MB", "preserve_insertion_order": False}
        args = {"config": config} | ({"read_only": True} if solo_lectura else {})
        engine = sa.create_engine(parsed, connect_args=args,
                                  **({"poolclass": sa.pool.NullPool} if solo_lectura else {}))
        sa.event.listen(engine, "do_connect", _esperar_bloqueo(espera_s, al_esperar))
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = sa.create_engine(parsed, pool_pre_ping=True)
        sa.event.listen(engine, "connect", _analytic_session)
        return engine
    raise CauceError(f"El almacén «{backend}» no está soportado: use DuckDB (por defecto) o "
                     f"PostgreSQL.")


def _esperar_bloqueo(espera_s: float, al_esperar: Callable[[float], None] | None):
    """A ``do_connect`` hook that retries while another process holds the DuckDB file."""
    import duckdb

    def conectar(dialect, _record, cargs, cparams):
        limite = time.monotonic() + espera_s
        avisado = al_esperar is None
        while True:
            try:
                return dialect.connect(*cargs, **dict(cparams))
            except duckdb.IOException as e:
                if "lock" not in str(e).lower() or time.monotonic() >= limite:
                    raise
            if not avisado:
                al_esperar(espera_s)
                avisado = True
            time.sleep(0.2)
    return conectar


def _analytic_session(dbapi_connection, _record) -> None:
    """PostgreSQL's defaults suit many small transactions: the indicators' aggregations spill
    their sorts and hashes to disk with 4 MB of work memory, and pay the JIT compiler more
    than it saves on queries of seconds."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET work_mem = '64MB'")
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


def open_existing(url: str, memory_mb: int = 512) -> sa.Engine:
    """An engine on a warehouse that must exist already: the commands that only read it
    say so instead of creating an empty one. Reading never changes the schema: a warehouse
    of an earlier Cauce is read as it is (:func:`al_dia`) and completed by the next command
    that writes (``etl.migracion``)."""
    parsed = make_url(url) if "://" in url else None
    if parsed is not None and parsed.get_backend_name() == "duckdb":
        path = parsed.database
        if path and path != ":memory:" and not Path(path).exists():
            raise SinCargas(f"No hay almacén en {path}: todavía no se ha cargado ninguna "
                            f"exportación en él.")
    engine = create_engine(url, memory_mb)
    try:
        with engine.connect() as conn:
            cargado = sa.inspect(conn).has_table(carga.name)
    except sa.exc.DBAPIError as e:
        engine.dispose()
        raise CauceError(describe_connection_error(engine, e)) from e
    if not cargado:
        engine.dispose()
        raise CauceError(f"No hay almacén en {engine.url.render_as_string(hide_password=True)}: "
                         f"nada se ha cargado en él. Cargue primero las exportaciones con «cauce "
                         f"cargar CARPETA» (o indique otro almacén con --almacen).")
    return engine


_al_dia: set[str] = set()


def al_dia(conn: sa.Connection) -> bool:
    """Whether the warehouse has this Cauce's schema: one of an earlier Cauce, opened only to
    read (the dashboard, the reading commands) and so not completed by
    ``etl.migracion.ensure_schema``, lacks the kept
    results and the derived columns. Once seen, it stays: nothing drops them."""
    url = conn.engine.url.render_as_string()
    if (url not in _al_dia and sa.inspect(conn).has_table(resultado_indicador.name)
            and sa.inspect(conn).has_table(historia_calculada.name)
            and tiene_columna(conn, "pagos", "periodo_factura")
            and all(tiene_columna(conn, t.name, c) for t, c in AGREGADAS)):
        _al_dia.add(url)
    return url in _al_dia


_COLUMNAS = sa.table("columns", sa.column("table_schema"), sa.column("table_name"),
                     sa.column("column_name"), schema="information_schema")


def tiene_columna(conn: sa.Connection, tabla: str, columna: str) -> bool:
    """Whether the warehouse's table has the column (the information schema: SQLAlchemy's
    inspector asks DuckDB for PostgreSQL's catalogue, which it lacks)."""
    c = _COLUMNAS.c
    return conn.execute(sa.select(sa.func.count()).where(
        c.table_schema == sa.func.current_schema(), c.table_name == tabla,
        c.column_name == columna)).scalar_one() > 0


_RAZONES_OS = {
    errno.EACCES: "no hay permiso", errno.EPERM: "no hay permiso",
    errno.EROFS: "el disco es de solo lectura", errno.ENOENT: "esa ruta no existe",
    errno.ENOTDIR: "una parte de la ruta es un archivo, no una carpeta",
    errno.EEXIST: "ya hay un archivo con ese nombre en la ruta",
    errno.ENOSPC: "el disco está lleno", errno.EIO: "el disco dio un error de lectura o escritura",
}

# What the drivers say (in English) when a warehouse cannot be opened, and how to say it.
_RAZONES_CONEXION = (
    ("connection refused", "el servidor no acepta conexiones en esa dirección y puerto"),
    ("timeout", "el servidor no respondió a tiempo"),
    ("timed out", "el servidor no respondió a tiempo"),
    ("authentication failed", "el servidor rechazó el usuario o la contraseña"),
    ("does not exist", "esa base de datos no existe en el servidor (créela con createdb)"),
    ("translate host name", "no se encuentra un servidor con ese nombre"),
    ("name or service not known", "no se encuentra un servidor con ese nombre"),
    ("permission denied", "no hay permiso para abrir ese archivo"),
    ("read-only file system", "el disco es de solo lectura"),
    ("no space left", "el disco está lleno"),
)


def razon_os(error: OSError) -> str:
    """Why a file or folder could not be read or written, in Spanish."""
    return _RAZONES_OS.get(error.errno, "el sistema no lo permitió")


def describe_connection_error(engine: sa.Engine, error: Exception) -> str:
    """A warehouse that cannot be opened, in Spanish (``--depurar`` shows the driver's own
    words)."""
    url = engine.url.render_as_string(hide_password=True)
    detail = str(getattr(error, "orig", error)).lower()
    if "lock" in detail:
        return (f"El almacén {url} está ocupado por otro proceso (otra carga o el tablero con una "
                f"escritura en curso). Espere a que termine y vuelva a intentarlo.")
    razon = next((r for clave, r in _RAZONES_CONEXION if clave in detail), "")
    return (f"No se pudo abrir el almacén {url}{f' ({razon})' if razon else ''}. Revise la URL en "
            f"[almacen] url o CAUCE_ALMACEN, que el servidor esté encendido y que la ruta se pueda "
            f"escribir.")
