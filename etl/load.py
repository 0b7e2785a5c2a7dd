"""The load job: export files into the warehouse, one transaction per file.

For each file: its rows stream in typed chunks into a temporary staging
table (bulk path), rows whose key repeats inside the file go to the
quarantine, then the slice the file replaces (its periods, cut-off dates or
survey rounds) or the keys it carries are deleted (``etl.staging``). The data checks then
judge the staged rows in batches, with their warehouse context
(``etl.contexto``, ``data_checks``): a cadastre or consumption rule past its
tolerance refuses the file unless forced; otherwise the staging rows are
inserted with each rule's result and the flagged keys, payments are linked
to their invoices (``etl.enlaces``), and the load is recorded. Any failure or
refusal rolls the whole file back, so the warehouse never holds half a file.
Each loaded file is kept in the archive (``etl.archivo``).
"""
from __future__ import annotations

import enum
import errno
import getpass
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from queue import Empty, Queue
from typing import Callable, Iterable, Iterator

import pyarrow as pa
import sqlalchemy as sa

from cauce import CauceError
from cauce.settings import Settings
from data_checks.revision import Balance, Revision
from data_checks.validar import ErrorDeValidacion, como_lote
from etl import contract as c
from etl import enlaces
from etl import migracion
from etl import staging as st
from etl import warehouse as w
from etl.archivo import archive, file_sha256
from etl.auditoria import porciones, ultima_por_porcion
from etl.bulk import insert_arrow, read_arrow
from etl.contexto import consultas
from etl.reader import ROW_COLUMN, Chunk, FileError, export_files, read_export

Progress = Callable[[str, int, int], None]   # (file name, bytes done, bytes total)
# Rows of a staged file the data checks judge at a time: each batch costs Great Expectations
# a fixed overhead, and in pandas with its copies several times its size in Arrow (300,000
# rows of facturas: 85 MB in Arrow, 290 MB in pandas). 150,000 kept the loads of the mediana
# demo under 1.5 GB, at about 3 % of their time (benchmarks/RESULTS.md, «Memoria de la carga»).
FILAS_POR_LOTE = 150_000


class Remedio(enum.Enum):
    """What a person may do about a refused file, as data: each interface words it its own
    way (``cauce cargar --forzar`` in the terminal, a checkbox on the upload page)."""
    FORZAR = "forzar"        # load it anyway, recorded as forced: the quality gate refused it


@dataclass
class FileResult:
    """What happened to one file, for the summary table."""
    archivo: str
    fuente: str | None
    estado: str                  # cargado, forzado, sin_cambios, rechazado
    leidas: int = 0
    cargadas: int = 0
    cuarentena: int = 0
    segundos: float = 0.0
    mensaje: str | None = None
    detalle: str | None = None       # the technical line of a refusal, for the administrator
    carga_id: int | None = None
    ignoradas: tuple[str, ...] = ()   # the file's columns that are not in the contract
    calidad: list[Balance] = field(default_factory=list)   # each rule's result on the file
    remedio: Remedio | None = None    # besides fixing the file at its source


class CargaInterrumpida(CauceError):
    """A folder's load stopped at a file the warehouse or the disk could not take; ``hechos``
    are the files before it, which stay loaded."""

    def __init__(self, mensaje: str, hechos: list[FileResult]):
        super().__init__(mensaje)
        self.hechos = hechos


class Rechazo(Exception):
    """A cadastre or consumption rule went past its tolerance: the file is not loaded."""

    def __init__(self, revision: Revision):
        self.revision = revision


def load_folder(folder: Path, settings: Settings, progress: Progress | None = None,
                engine: sa.Engine | None = None, forzar: bool = False,
                revisar: bool = True, usuario: str | None = None,
                al_esperar: Callable[[float], None] | None = None) -> list[FileResult]:
    """Load every export file of ``folder``; the results say what happened to each.
    ``usuario`` is who the load record names (by default the system's user).

    ``forzar`` loads a file even when a rule goes past its tolerance (``Remedio.FORZAR``).
    ``revisar=False`` skips the data checks: only the benchmark measures a load
    without them; no command offers it. ``al_esperar``: see ``warehouse.create_engine``.
    """
    if not folder.is_dir():
        raise CauceError(f"La carpeta {folder} no existe. Indique la carpeta con las exportaciones.")
    files = export_files(folder)
    if not files:
        raise CauceError(f"La carpeta {folder} no tiene archivos .csv ni .xlsx para cargar.")
    _memoria_arrow()
    own = engine is None
    engine = engine or w.create_engine(settings.almacen_url, settings.memoria_mb,
                                       al_esperar=al_esperar)
    try:
        migracion.ensure_schema(engine)
        results = []
        for path, source in files:
            if source is None:
                results.append(FileResult(path.name, None, "rechazado", mensaje=(
                    f"{path.name}: el nombre no empieza por una fuente conocida "
                    f"({', '.join(c.SOURCES)}). Renómbrelo, p. ej. suscriptores_2026-10.csv.")))
                continue
            try:
                results.append(load_file(engine, path, source, settings, progress, forzar,
                                         revisar, usuario))
            except CauceError as e:     # the warehouse or the disk failed: stop here
                raise CargaInterrumpida(e.mensaje, results) from e
        return results
    finally:
        if own:
            engine.dispose()


def _memoria_arrow() -> None:
    """Arrow's allocations in jemalloc, which gives freed memory back to the system. Arrow's
    default (mimalloc) keeps the pages of the reader's thread after each file ends: a folder
    of large files grew the load by 200 to 300 MB over a load with jemalloc (benchmarks/
    RESULTS.md, «Memoria de la carga»). Where Arrow has no jemalloc, its default stays."""
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:
        pass


def load_file(engine: sa.Engine, path: Path, source: c.Source, settings: Settings,
              progress: Progress | None = None, forzar: bool = False,
              revisar: bool = True, usuario: str | None = None) -> FileResult:
    """Load one file into a warehouse whose schema exists (``load_folder`` ensures it)."""
    started = time.perf_counter()
    try:
        sha = file_sha256(path)
        with engine.connect() as conn:
            if _already_loaded(conn, source, sha):
                return FileResult(path.name, source.name, "sin_cambios", segundos=0.0,
                                  mensaje="ya estaba cargado; no cambia nada")
        layout, chunks = read_export(path, source, settings)
        with engine.begin() as conn:
            result, revision = _load(conn, path, sha, source, chunks, settings, progress,
                                     forzar, revisar, usuario)
            archive(path, sha, source, settings)   # before the commit: no load without it
            revision.guardar(f"carga-{result.carga_id}", path.name)      # nor its report
    except Rechazo as e:
        e.revision.guardar("rechazo", path.name)
        return FileResult(path.name, source.name, "rechazado", mensaje=_refusal(path, e.revision),
                          segundos=time.perf_counter() - started, calidad=e.revision.balances(),
                          remedio=Remedio.FORZAR)
    except ErrorDeValidacion as e:
        raise CauceError(f"{path.name}: {e} La carga no se aplicó; el almacén quedó como "
                         f"estaba. Es un error de Cauce: repórtelo con la salida de --depurar."
                         ) from e
    except FileError as e:
        return FileResult(path.name, source.name, "rechazado", mensaje=e.mensaje,
                          detalle=e.detalle, segundos=time.perf_counter() - started)
    except (sa.exc.DBAPIError, engine.dialect.loaded_dbapi.Error) as e:
        # the bulk paths talk to the driver directly: its errors arrive unwrapped
        raise CauceError(_database_failure(engine, e, path.name)) from e
    except OSError as e:
        raise CauceError(_file_system_failure(e, path.name)) from e
    result.segundos = time.perf_counter() - started
    result.ignoradas = tuple(layout.ignored)
    return result


_NOT_APPLIED = "Ese archivo no se cargó: el almacén quedó como estaba."
_AGAIN = "ejecute otra vez la misma orden (los archivos que ya quedaron cargados no se repiten)."


def _database_failure(engine: sa.Engine, error: Exception, archivo: str) -> str:
    """What to tell a user when the warehouse failed while ``archivo`` was loading.

    The file's transaction was not committed, so the warehouse holds what it held
    before this file; the files loaded before it stay loaded.
    """
    url = engine.url.render_as_string(hide_password=True)
    if _disk_full(error):
        return (f"Se llenó el disco del almacén {url} durante la carga de {archivo}. "
                f"{_NOT_APPLIED} Libere espacio en ese disco y {_AGAIN}")
    if getattr(error, "connection_invalidated", False):
        return (f"Se perdió la conexión con el almacén {url} durante la carga de {archivo} (el "
                f"servidor se detuvo o la red se cortó). {_NOT_APPLIED} Cuando el servidor vuelva "
                f"a responder, {_AGAIN}")
    return (f"{w.describe_connection_error(engine, error)} La carga de {archivo} no se aplicó: "
            f"el almacén quedó como estaba.")


def _disk_full(error: Exception) -> bool:
    """DuckDB says it in the message; PostgreSQL with its SQLSTATE (53100, disk_full)."""
    orig = getattr(error, "orig", error)
    return (getattr(orig, "sqlstate", None) == "53100"
            or "No space left on device" in str(orig))


def _file_system_failure(error: OSError, archivo: str) -> str:
    """A full disk (the archive's) or another file-system error during a load, in Spanish."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        written = error.filename2 or error.filename     # a copy names its source first
        folder = f" en {Path(written).parent}" if written else ""
        return (f"Se llenó el disco al escribir{folder} durante la carga de {archivo}. "
                f"{_NOT_APPLIED} Libere espacio en ese disco y {_AGAIN}")
    where = f" {error.filename}" if error.filename else ""
    reason = w.razon_os(error)
    return (f"No se pudo leer o escribir{where} durante la carga de {archivo} ({reason}). "
            f"{_NOT_APPLIED} Revise la ruta y sus permisos y {_AGAIN}")


def _load(conn: sa.Connection, path: Path, sha: str, source: c.Source, chunks: Iterable[Chunk],
          settings: Settings, progress: Progress | None, forzar: bool,
          revisar: bool = True, usuario: str | None = None) -> tuple[FileResult, Revision]:
    if conn.dialect.name == "postgresql":   # room to group and sort a file's keys in memory
        conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
    carga_id = conn.execute(sa.insert(w.carga).values(
        archivo=path.name, sha256=sha, fuente=source.name, forzada=False,
        usuario=usuario or _user(), inicio=datetime.now().replace(microsecond=0), estado="en_curso",
    ).returning(w.carga.c.id)).scalar_one()
    staging = st.table(conn, source)
    target = w.tables[source.name]
    total, read = path.stat().st_size, 0
    for chunk in prefetch(chunks):
        insert_arrow(conn, staging.name, chunk.rows)
        st.quarantine_chunk(conn, carga_id, path.name, source, chunk)
        read += chunk.read
        if progress:
            progress(path.name, chunk.position or total, total)
    if conn.dialect.name == "postgresql":   # a temporary table has no statistics until asked:
        conn.exec_driver_sql(f"ANALYZE {staging.name}")   # without them, joins go quadratic
    st.quarantine_repeated_keys(conn, staging, carga_id, path.name, source)
    scope = {**st.replace(conn, staging, target, source),
             "periodos": st.periods(conn, staging, source)}
    st.quarantine_keys_of_other_slices(conn, staging, target, carga_id, path.name, source)
    revision = (_check(conn, staging, source, settings, carga_id, scope["periodos"]) if revisar
                else Revision(source.name, settings, date.today()))
    forced = bool(revision.excesos())
    if forced and not forzar:
        raise Rechazo(revision)
    loaded = conn.execute(sa.select(sa.func.count()).select_from(staging)).scalar_one()
    names = source.names
    desde, derivadas = enlaces.al_insertar(source.name, staging)
    conn.execute(target.insert().from_select(
        names + ["carga_id", *derivadas],
        sa.select(*[staging.c[n] for n in names], sa.literal(carga_id, sa.BigInteger),
                  *derivadas.values()).select_from(desde)))
    staging.drop(conn)
    enlaces.tras_cargar(conn, source.name, carga_id, scope["periodos"])
    conn.execute(w.carga.update().where(w.carga.c.id == carga_id).values(
        alcance=json.dumps(scope), filas_leidas=read, filas_cargadas=loaded,
        filas_cuarentena=read - loaded, fin=datetime.now().replace(microsecond=0),
        forzada=forced, estado="forzado" if forced else "cargado"))
    return FileResult(path.name, source.name, "forzado" if forced else "cargado", read, loaded,
                      read - loaded, carga_id=carga_id, calidad=revision.balances()), revision


def _check(conn: sa.Connection, staging: sa.Table, source: c.Source, settings: Settings,
           carga_id: int, periodos: list[str]) -> Revision:
    """Judge the staged rows in batches; store each rule's result and the flagged keys."""
    revision = Revision(source.name, settings, date.today())
    if not revision.reglas:
        return revision
    findings = []
    for query in consultas(conn, staging, source, settings, carga_id, periodos,
                           revision.columnas()):
        for batch in read_arrow(conn, query.select, query.schema, FILAS_POR_LOTE):
            frame = como_lote(batch)
            for r in revision.juzgar(frame, query.reglas):
                if r.fallidas:
                    findings.append(_findings(frame.iloc[r.fallidas], r.regla, source, carga_id))
    for table in findings:         # after the batches: DuckDB streams one result at a time
        insert_arrow(conn, w.hallazgo.name, table)
    balances = revision.balances()
    if balances:
        conn.execute(w.resultado_regla.insert(), [
            {"carga_id": carga_id, "fuente": source.name, "regla": b.regla,
             "severidad": b.severidad, "fallidas": b.fallidas, "total": b.total,
             "tolerancia": b.tolerancia} for b in balances])
    return revision


def _findings(rows, regla: str, source: c.Source, carga_id: int) -> pa.Table:
    key = rows[source.key[0]].astype("string")
    for k in source.key[1:]:
        key = key + " | " + rows[k].astype("string")
    n = len(rows)
    return pa.table({
        "carga_id": pa.repeat(pa.scalar(carga_id, pa.int64()), n),
        "fuente": pa.repeat(pa.scalar(source.name), n),
        "regla": pa.repeat(pa.scalar(regla), n),
        "fila": pa.array(rows[ROW_COLUMN], pa.int64(), from_pandas=True),
        "clave": pa.array(key.fillna(""), pa.string()),
    })


def _refusal(path: Path, revision: Revision) -> str:
    """Why the gate refused the file; what to do is the result's ``remedio``."""
    return (f"{path.name}: rechazado por calidad: "
            + "; ".join(b.describir() for b in revision.excesos()) + ". El almacén no cambió.")


def _already_loaded(conn: sa.Connection, source: c.Source, sha: str) -> bool:
    """True when loading the file again would change nothing.

    A keyed source's file is the same load once its hash is recorded. A file that
    replaces slices is the same load while each of its slices was last written
    by it (an older export loaded again after a newer one does replace it).
    """
    t = w.carga.c
    loads = conn.execute(sa.select(t.id, t.fuente, t.sha256, t.alcance).where(
        t.fuente == source.name).order_by(t.id)).all()
    mine = [row for row in loads if row.sha256 == sha]
    if not mine:
        return False
    last = ultima_por_porcion(loads)
    return all(last[source.name, v].sha256 == sha for v in porciones(source.name, mine[-1].alcance))


def prefetch(chunks: Iterable[Chunk], depth: int = 2) -> Iterator[Chunk]:
    """Read and parse the next chunks in a thread while the database writes this one.

    Arrow and the database drivers release the GIL, so on two cores reading and
    writing overlap. An error in the reader is raised here, in the loading thread.
    """
    queue: Queue = Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce():
        try:
            for chunk in chunks:
                if stop.is_set():
                    return
                queue.put(chunk)
            queue.put(done)
        except BaseException as e:  # handed to the consumer, which re-raises it
            queue.put(e)

    thread = threading.Thread(target=produce, daemon=True, name="lector")
    thread.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                queue.get_nowait()
            except Empty:
                thread.join(0.05)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "desconocido"
