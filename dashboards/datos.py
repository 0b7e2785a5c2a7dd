"""The dashboard's access to the warehouse: short-lived connections, cached queries.

Every page asks for its numbers through the functions here, which call the use cases
(``cauce.acciones``: page → this module → use case → catalogue) and keep the result in
Streamlit's cache under the warehouse's
*huella*: the number of the last load. A new load changes the huella, so the next view
shows the new data at once; until then nothing is asked twice.

The embedded DuckDB file has a single writer: while a command-line load holds it, it
cannot be opened even to read. The dashboard opens it read-only, for a moment, and
never keeps it; when it is held it goes on serving what is cached under the last
huella and says a load is in progress (:class:`CargaEnCurso`).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import make_url

from cauce import CauceError, SinCargas
from cauce.acciones import ajustes as configuracion
from cauce.acciones import almacen, calidad as informe_de_calidad, carga, indicadores as acc
from cauce.acciones import documentos as acc_documentos
from cauce.acciones import informes, listas as acc_listas, sui as reportes
from cauce.acciones import proyeccion as acc_proyeccion, rutas as acc_rutas
from cauce.acciones import tarifas as acc_tarifas
from cauce.settings import Settings
from dashboards import acceso
from indicators import MESES_DE_TENDENCIA

ESPERA_LECTURA_S = 1.0     # how long a page waits for a writer before saying "carga en curso"
FILAS_EN_PAGINA = 500      # rows a table shows at once; downloads have them all
CACHE = dict(ttl=3600, max_entries=256, show_spinner=False)

_ultima_huella: dict[str, str | None] = {}
_en_curso: set[str] = set()


class _Turnos:
    """Reads share the DuckDB file; a load started from the page has it alone (DuckDB refuses
    a read-only connection beside a writing one in the same process)."""

    def __init__(self):
        self._cambio = threading.Condition()
        self._lectores = 0
        self._escribiendo = False

    def leer(self, espera: float) -> bool:
        with self._cambio:
            if not self._cambio.wait_for(lambda: not self._escribiendo, espera):
                return False
            self._lectores += 1
            return True

    def fin_lectura(self) -> None:
        with self._cambio:
            self._lectores -= 1
            self._cambio.notify_all()

    @contextlib.contextmanager
    def escribir(self):
        with self._cambio:
            self._escribiendo = True
            self._cambio.wait_for(lambda: self._lectores == 0)
        try:
            yield
        finally:
            with self._cambio:
                self._escribiendo = False
                self._cambio.notify_all()


_turnos = _Turnos()
_por_hilo = threading.local()      # the connection of the page run on this thread


class SinAlmacen(Exception):
    """The warehouse does not exist yet (nothing loaded)."""


class CargaEnCurso(Exception):
    """Another process is writing the DuckDB file."""


@st.cache_resource(show_spinner=False)
def ajustes() -> Settings:
    """The settings of ``config.toml`` (``CAUCE_CONFIG`` names another file, as
    ``cauce tablero --config`` does)."""
    return configuracion.leer(os.environ.get("CAUCE_CONFIG") or None,
                              os.environ.get("CAUCE_ALMACEN") or None)


def es_duckdb(settings: Settings) -> bool:
    return make_url(settings.almacen_url).get_backend_name() == "duckdb"


@st.cache_resource(show_spinner=False)
def _motor_pg(url: str) -> sa.Engine:
    return almacen.motor(ajustes())


def leer(consulta):
    """Run ``consulta(conn)`` on the warehouse: inside :func:`pagina`, on the run's one
    connection; else on one opened for it. PostgreSQL: the shared pool."""
    settings = ajustes()
    if not es_duckdb(settings):
        with _motor_pg(settings.almacen_url).connect() as conn:
            return consulta(conn)
    conn = getattr(_por_hilo, "conexion", None)
    if conn is not None:
        return consulta(conn)
    if getattr(_por_hilo, "en_pagina", False):
        _por_hilo.conexion = conn = _abrir(settings)
        return consulta(conn)
    with pagina():
        return leer(consulta)


def _abrir(settings: Settings) -> sa.Connection:
    """A read-only connection to the DuckDB file, waiting a moment for a writer."""
    ruta = make_url(settings.almacen_url).database
    if not ruta or not Path(ruta).exists():
        raise SinAlmacen(ruta)
    if not _turnos.leer(ESPERA_LECTURA_S):
        raise CargaEnCurso()
    engine = almacen.motor(settings, solo_lectura=True, espera_s=ESPERA_LECTURA_S)
    try:
        return engine.connect()
    except sa.exc.OperationalError as e:
        engine.dispose()
        _turnos.fin_lectura()
        if "lock" in str(e).lower():
            raise CargaEnCurso() from None
        raise


@contextlib.contextmanager
def pagina():
    """One page run: the DuckDB file is opened at the first query the cache cannot answer,
    and let go when the page is drawn, so a command-line load waits for a moment at most."""
    if getattr(_por_hilo, "en_pagina", False):
        yield
        return
    _por_hilo.en_pagina, _por_hilo.series = True, {}
    try:
        yield
    finally:
        _soltar()
        _por_hilo.en_pagina, _por_hilo.series = False, {}


def de_esta_pagina() -> dict:
    """What this page run already fetched, for its other pieces to reuse."""
    if not hasattr(_por_hilo, "series"):
        _por_hilo.series = {}
    return _por_hilo.series


def _soltar() -> None:
    """Close this thread's read connection, if it has one."""
    conn = getattr(_por_hilo, "conexion", None)
    _por_hilo.conexion = None
    if conn is not None:
        engine = conn.engine
        conn.close()
        engine.dispose()
        _turnos.fin_lectura()


@contextlib.contextmanager
def escritura():
    """Hold the warehouse for a load started from the dashboard: this page lets its read
    connection go, the other pages' reads wait."""
    _soltar()
    with _turnos.escribir():
        yield


def huella() -> str | None:
    """What identifies the warehouse's data: its URL, the last load's number, when that load
    began (to the second) and its file's hash (a rebuilt warehouse counts its loads from 1
    again, maybe within the same second). None: nothing loaded.
    While another process writes, the last one seen, so the cached pages go on showing."""
    url = ajustes().almacen_url
    try:
        h = leer(almacen.ultima_carga)
    except CargaEnCurso:
        _en_curso.add(url)
        if url in _ultima_huella:
            return _ultima_huella[url]
        raise
    _en_curso.discard(url)
    _ultima_huella[url] = h = None if h is None else f"{url}#{h}"
    return h


def carga_en_curso() -> bool:
    """Whether the last look at the warehouse found another process writing it."""
    return ajustes().almacen_url in _en_curso


# --- Cached queries: the first argument is always the huella, part of the key ----------

@st.cache_data(**CACHE)
def periodos(huella: str | None) -> list[str]:
    """The periods one may choose, latest first (the dashboard opens on :func:`ultimo_periodo`,
    which may not be the first)."""
    return leer(acc.periodos)


@st.cache_data(**CACHE)
def ultimo_periodo(huella: str | None) -> str | None:
    """The month the dashboard opens on: the last billed one, even when later months of other
    sources are loaded already."""
    return leer(acc.ultimo_periodo)


@st.cache_data(**CACHE)
def corte(huella: str | None):
    """The data's cut-off: the latest event date in the exports."""
    return leer(acc.corte)


@st.cache_data(**CACHE)
def ultima_ronda(huella: str | None, id: str, periodo: str, filtro: tuple = ()) -> dict | None:
    """The last NSU round with answers before P's, with the indicator's value in it."""
    return leer(lambda conn: acc.ultima_ronda(conn, ajustes(), id, periodo, dict(filtro)))


@st.cache_data(**CACHE)
def indicadores(huella: str | None, periodo: str, filtro: tuple = (), ids: tuple | None = None,
                por: str | None = None) -> pd.DataFrame:
    return leer(lambda conn: acc.calcular(conn, ajustes(), periodo, por,
                                          list(ids) if ids else None, dict(filtro)))


@st.cache_data(**CACHE)
def tendencia(huella: str | None, periodo: str, ids: tuple, filtro: tuple = (),
              n: int = MESES_DE_TENDENCIA) -> pd.DataFrame:
    return leer(lambda conn: acc.tendencia(conn, ajustes(), periodo, list(ids), n, dict(filtro)))


def detalle(huella: str | None, id: str, periodo: str, filtro: tuple = (), por: str | None = None,
            grupo: str | None = None, pagina: int = 0, filas: int | None = FILAS_EN_PAGINA,
            solo_numerador: bool = False) -> pd.DataFrame:
    """A page of the records behind an indicator (``filas=None``: all of them, for a
    download); ``solo_numerador``: only those that add to its numerator. Accounts, filings,
    payments: personal data, except the commercial calendar's activities."""
    _permitido(id)
    return _detalle(huella, id, periodo, filtro, por, grupo, pagina, filas, solo_numerador)


def todo_el_detalle(huella: str | None, id: str, periodo: str, filtro: tuple = (),
                    por: str | None = None, grupo: str | None = None,
                    solo_numerador: bool = False) -> Callable[[], pd.DataFrame]:
    """All the records behind an indicator, for a download made when its button is pressed.
    Streamlit calls that function later, on a thread of its own outside any page run, where
    the session and so its user are unknown: the role is checked now, in the page run that
    draws the button, and the function fetches without asking again."""
    _permitido(id)
    return lambda: _detalle(huella, id, periodo, filtro, por, grupo, 0, None, solo_numerador)


def _permitido(id: str) -> None:
    """Accounts, filings, payments are personal data; the commercial calendar's activities
    are not."""
    if not id.startswith("calendario.") and not acceso.ve_personales():
        raise acceso.SinPermiso()


@st.cache_data(**CACHE)
def _detalle(huella, id, periodo, filtro, por, grupo, pagina, filas,
             solo_numerador=False) -> pd.DataFrame:
    return leer(lambda conn: acc.registros(conn, ajustes(), id, periodo, filtro=dict(filtro),
                                           por=por, grupo=grupo, limite=filas,
                                           desplazamiento=pagina * (filas or 0),
                                           solo_numerador=solo_numerador))


def primera_pagina(huella: str | None, id: str, periodo: str, filtro: tuple = (),
                   por: str | None = None, grupo: str | None = None,
                   solo_numerador: bool = False) -> tuple[pd.DataFrame, int]:
    """The first page of records and how many there are (counted only when they do not fit
    in it: all of them are what :func:`totales` counts, which the records' table asks first;
    only the numerator's, counted apart)."""
    frame = detalle(huella, id, periodo, filtro, por, grupo, solo_numerador=solo_numerador)
    if len(frame) < FILAS_EN_PAGINA:
        return frame, len(frame)
    if not solo_numerador:
        return frame, totales(huella, id, periodo, filtro, por, grupo)["registros"]
    return frame, contar(huella, id, periodo, filtro, por, grupo, solo_numerador)


@st.cache_data(**CACHE)
def contar(huella: str | None, id: str, periodo: str, filtro: tuple = (), por: str | None = None,
           grupo: str | None = None, solo_numerador: bool = False) -> int:
    return leer(lambda conn: acc.contar_registros(conn, ajustes(), id, periodo,
                                                  filtro=dict(filtro), por=por, grupo=grupo,
                                                  solo_numerador=solo_numerador))


@st.cache_data(**CACHE)
def totales(huella: str | None, id: str, periodo: str, filtro: tuple = (), por: str | None = None,
            grupo: str | None = None) -> dict:
    """How many records an indicator has and their sums: aggregates, for every role."""
    return leer(lambda conn: acc.sumar_registros(conn, ajustes(), id, periodo,
                                                 filtro=dict(filtro), por=por, grupo=grupo))


@st.cache_data(**CACHE)
def agrupado(huella: str | None, id: str, periodo: str, columna: str,
             filtro: tuple = ()) -> pd.DataFrame:
    return leer(lambda conn: acc.agrupar(conn, ajustes(), id, periodo, columna, dict(filtro)))


@st.cache_data(**CACHE)
def tarifas(huella: str | None, periodo: str) -> acc_tarifas.Tarifas:
    """The tariffs of P as published, and the indexed table: aggregates, for every role."""
    return leer(lambda conn: acc_tarifas.del_periodo(conn, ajustes(), periodo))


@acceso.personal
def lista(huella: str | None, tipo: str, periodo: str,
          filtro: tuple = ()) -> tuple[pd.DataFrame, int]:
    """A working list's first ``FILAS_EN_PAGINA`` rows and how many it has, for a role that
    may see personal data."""
    return _primeras(huella, tipo, periodo, filtro)


@st.cache_data(**CACHE)
def _primeras(huella: str | None, tipo: str, periodo: str,
              filtro: tuple = ()) -> tuple[pd.DataFrame, int]:
    """What a page shows of a list, in the cache: drawn only through :func:`lista`; the
    background warm-up (:func:`calentar`) fills the cache here and shows nothing."""
    return leer(lambda conn: acc_listas.primeras(conn, ajustes(), tipo, periodo,
                                                 FILAS_EN_PAGINA, dict(filtro)))


def lista_entera(huella: str | None, tipo: str, periodo: str, filtro: tuple = ()):
    """A function that gives the whole list, for its downloads: made when a button is pressed,
    outside the page run (the page checked who may see it)."""
    return lambda: leer(lambda conn: acc_listas.obtener(conn, ajustes(), tipo, periodo,
                                                        dict(filtro)))


@acceso.personal
@st.cache_data(**CACHE)
def historia(huella: str | None, codigo: str, periodo: str,
             n: int = MESES_DE_TENDENCIA) -> pd.DataFrame:
    return leer(lambda conn: acc.historia_de_cuenta(conn, codigo, periodo, n))


@st.cache_data(**CACHE)
def calidad(huella: str | None, periodo: str | None) -> list:
    return leer(lambda conn: informe_de_calidad.controles(conn, periodo))


@acceso.personal
@st.cache_data(ttl=3600, max_entries=4, show_spinner=False)
def informe(huella: str | None, periodo: str) -> tuple[bytes, bytes]:
    """The monthly workbook and the meeting presentation (``cauce informe``), as files."""
    import tempfile

    reunidos = leer(lambda conn: informes.reunir(conn, ajustes(), periodo))
    with tempfile.TemporaryDirectory() as d:
        libro, html = informes.escribir(reunidos, ajustes(), Path(d))
        return libro.read_bytes(), html.read_bytes()


@st.cache_data(ttl=3600, max_entries=4, show_spinner=False)
def informe_anual(huella: str | None, anio: int) -> tuple[list[str], bytes, bytes]:
    """The year's report (``cauce informe --anio``): aggregates only, for every role; the
    months of the year without data, the workbook and the public HTML."""
    import tempfile

    reunidos = leer(lambda conn: informes.reunir_anio(conn, ajustes(), anio))
    with tempfile.TemporaryDirectory() as d:
        libro, html = informes.escribir_anual(reunidos, ajustes(), Path(d))
        return reunidos.faltan, libro.read_bytes(), html.read_bytes()


@st.cache_data(ttl=3600, max_entries=4, show_spinner=False)
def proyeccion(huella: str | None, hasta: str, meses: int = 12):
    """The projection of the four series and the goals it implies (``cauce proyeccion``)."""
    return leer(lambda conn: acc_proyeccion.proyectar(conn, ajustes(), hasta, meses))


@st.cache_data(**CACHE)
def rutas(huella: str | None, periodo: str, filtro: tuple = ()) -> pd.DataFrame:
    return leer(lambda conn: acc_rutas.por_ruta(conn, ajustes(), periodo, dict(filtro)))


@st.cache_data(**CACHE)
def causas_de_no_lectura(huella: str | None, periodo: str, filtro: tuple = ()) -> pd.DataFrame:
    return leer(lambda conn: acc_rutas.causas(conn, ajustes(), periodo, dict(filtro)))


@acceso.personal
@st.cache_data(**CACHE)
def mapa(huella: str | None, periodo: str, filtro: tuple = ()):
    """Where the active accounts are (a location is personal data: roles that may see it)."""
    return leer(lambda conn: acc_rutas.puntos(conn, ajustes(), periodo, dict(filtro)))


@st.cache_data(ttl=3600, max_entries=4, show_spinner=False)
def presentacion(huella: str | None, periodo: str) -> bytes:
    """The meeting presentation alone: aggregates only, for every role. Gathered without the
    working lists, so no personal data is read for it."""
    import tempfile

    reunidos = leer(lambda conn: informes.reunir(conn, ajustes(), periodo, con_listas=False))
    with tempfile.TemporaryDirectory() as d:
        return informes.escribir_presentacion(reunidos, ajustes(), Path(d)).read_bytes()


@acceso.personal
@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def sui(huella: str | None, formato: str, periodo: str) -> tuple[int, list[str], bytes, bytes]:
    """A SUI report (``cauce sui``): its rows, its errors (the first 50, then how many more)
    and, when it is valid, the flat file and the review workbook."""
    import tempfile

    disenio = reportes.disenio(formato, ajustes())
    with tempfile.TemporaryDirectory() as d:
        salida = Path(d) / f"sui_{formato}_{periodo}.csv"
        r = leer(lambda conn: reportes.generar(conn, ajustes(), disenio, periodo, salida,
                                               True)).resultado
        v = r.validacion
        errores = [str(e) for e in v.errores[:50]] + (
            [f"… y {v.total - 50} errores más."] if v.total > 50 else [])
        if r.salida is None:
            return v.filas, errores, b"", b""
        return v.filas, errores, r.salida.read_bytes(), r.xlsx.read_bytes()


@st.cache_data(**CACHE)
def hay_datos(huella: str | None, fuente: str, periodo: str) -> bool:
    return leer(lambda conn: acc.hay_datos(conn, ajustes(), fuente, periodo))


_calentados: set = set()
_calentando = threading.Lock()


def calentar(huella: str | None, periodo: str, series: list[list[str]],
             listas: tuple[str, ...]) -> None:
    """Compute in the background, once per load, what the pages ask first for ``periodo``
    without filters (the 13-month series of each page's cards, the default working lists,
    the whole catalogue, the data checks, the projection): the pages a user opens next are
    then drawn from the cache. Off with ``CAUCE_TABLERO_CALENTAR=0`` (the tests)."""
    if os.environ.get("CAUCE_TABLERO_CALENTAR", "1") == "0" or huella is None:
        return
    clave = (ajustes().almacen_url, huella, periodo)
    with _calentando:
        if clave in _calentados:
            return
        _calentados.add(clave)
    pasos = pasos_de_calentar(huella, periodo, series, listas)

    def trabajo() -> None:
        for _, paso in pasos:
            # A load took the file, or none brought a period yet: the pages will compute
            # what they need, or say why not.
            try:
                paso()
            except (CargaEnCurso, SinAlmacen, sa.exc.SQLAlchemyError, SinCargas):
                return
    threading.Thread(target=trabajo, name="cauce-calentar", daemon=True).start()


def pasos_de_calentar(huella: str | None, periodo: str, series: list[list[str]],
                      listas: tuple[str, ...]) -> list[tuple[str, Callable]]:
    """What :func:`calentar` computes, in order, each step with its name."""
    n = MESES_DE_TENDENCIA
    return ([(f"serie de {n} meses de {len(ids)} indicadores ({ids[0]}, …)",
              lambda ids=ids: tendencia(huella, periodo, tuple(ids), (), n)) for ids in series]
            + [(f"lista {t}", lambda t=t: _primeras(huella, t, periodo, ()))  # cached, not shown
               for t in listas]
            + [("catálogo del mes", lambda: indicadores(huella, periodo, ())),
               ("calidad", lambda: calidad(huella, None)),
               # last: the months the load does not keep, and the forecasting library's
               # import (1.5 s, once), that the Metas page would wait for
               ("proyección", lambda: proyeccion(huella, periodo))])


def cargar(carpeta: Path, progreso, forzar: bool = False, calculando=None) -> carga.Carga:
    """Load a folder of exports and keep the indicators (``cauce.acciones.carga``, as
    ``cauce cargar`` does), holding the warehouse meanwhile: the administrator's only."""
    u = _quien_carga()
    with escritura():
        return carga.cargar(ajustes(), carpeta, forzar=forzar, usuario=f"{u.nombre} (tablero)",
                            progreso=progreso, **({"calculando": calculando} if calculando else {}))


@acceso.personal
def registro_de_documentos(tipo: str | None, periodo: str | None) -> pd.DataFrame:
    """The register of documents with each one's state: not cached, a batch changes it
    between loads."""
    return leer(lambda conn: acc_documentos.registro(conn, tipo, periodo))


@acceso.personal
def emitir_documentos(tipo: str, periodo: str, reemitir: bool):
    """Write and register a batch (as ``cauce documentos`` does), holding the warehouse
    meanwhile: the batch and its two files' bytes (None, b"", b"": no recipients)."""
    with escritura(), tempfile.TemporaryDirectory() as carpeta:
        lote = acc_documentos.emitir(ajustes(), tipo, periodo, Path(carpeta), reemitir)
        if lote is None:
            return None, b"", b""
        return lote, lote.docx.read_bytes(), lote.zip.read_bytes()


def _quien_carga() -> acceso.Usuario:
    """The signed-in administrator: nobody else writes the warehouse."""
    u = acceso.actual()
    if u is None or not u.carga:
        raise acceso.SinPermiso()
    return u


def error_legible(e: Exception) -> str:
    """A Spanish sentence for what went wrong reading the warehouse."""
    if isinstance(e, SinCargas):
        return (f"{e.mensaje} Un administrador carga las exportaciones en la página «Cargar "
                f"datos» (o con cauce cargar en la terminal).")
    if isinstance(e, CauceError):
        return e.mensaje
    if isinstance(e, sa.exc.DBAPIError):
        settings = ajustes()
        engine = (almacen.motor(settings, solo_lectura=True) if es_duckdb(settings)
                  else _motor_pg(settings.almacen_url))
        return almacen.error_de_conexion(engine, e)
    return f"No se pudo leer el almacén ({type(e).__name__}: {e})."
