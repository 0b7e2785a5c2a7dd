"""The sidebar filters every page shares (period, municipality, service), the groups a click
on a bar adds (ciclo, estrato, uso), and the view they make: what each page asks the
catalogue for.

The view is in the address (``?periodo=2026-09&municipio=20001&estrato=2``, after the page's
own path), so a link, a bookmark or a reload opens the same month and filters for anyone
allowed to see the page."""
from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from cauce.formato import mes
from cauce.settings import Settings
from dashboards import acceso, datos
from indicators import catalogo
from indicators.catalogo import SERVICIOS

TODOS = "Todos"
DE_LA_BARRA = ("municipio", "servicio")     # the sidebar's own filters
DE_LA_VISTA = ("ciclo", "ruta", "estrato", "uso")   # added by a click on a bar (componentes.barras)
PARAMETROS = ("periodo", *DE_LA_BARRA, *DE_LA_VISTA)   # what the address carries
_ESCRITOS = "_url"           # the address's parameters as this session last wrote them
_GRUPO = re.compile(r"^[\w .-]{1,40}$")


@dataclass(frozen=True)
class Vista:
    """What the user is looking at: the warehouse's last load, the period and the filter."""
    huella: str | None                     # the data's identity (datos.huella)
    periodo: str
    filtro: tuple[tuple[str, str], ...]    # (("municipio", "20001"), ("servicio", "aseo"))
    settings: Settings

    @property
    def titulo(self) -> str:
        """"Octubre de 2026", with the filter: "Octubre de 2026 · Valledupar · acueducto"."""
        partes = [mes(self.periodo).capitalize()]
        partes += [etiqueta(self.settings, d, v) for d, v in self.filtro]
        return " · ".join(partes)


def etiqueta(settings: Settings, dimension: str, grupo: str) -> str:
    """How a group reads on a bar, a title or a chip: a municipality by its name, "estrato 2",
    "sin estrato", "ciclo 01"."""
    if dimension in ("ciclo", "ruta"):
        return f"{dimension} {grupo}"
    return catalogo.nombre_de_grupo(settings, dimension, grupo)


def barra() -> Vista | None:
    """Draw the sidebar filters; the view, or None when the warehouse has no period yet
    (after saying why on the page). A load in progress is said in the sidebar."""
    settings = datos.ajustes()
    try:
        huella = datos.huella()
        periodos = datos.periodos(huella) if huella is not None else []
    except datos.SinAlmacen:
        huella, periodos = None, []
    except datos.CargaEnCurso:
        st.sidebar.warning("Carga en curso: otro proceso está escribiendo el almacén. Vuelva a "
                           "abrir la página en un momento para ver los datos nuevos.")
        return None
    if datos.carga_en_curso():
        st.sidebar.info("Carga en curso: se muestran los datos de la última carga terminada.")
    if not periodos:
        return None
    nombres = {m.dane: m.nombre for m in settings.municipios}
    _de_la_direccion(periodos, nombres)
    inicial = datos.ultimo_periodo(huella)      # the last billed month, not the latest of all
    periodo = st.sidebar.selectbox("Periodo", periodos, key="periodo", persist_state="session",
                                   index=periodos.index(inicial) if inicial in periodos else 0,
                                   format_func=lambda p: mes(p).capitalize(),
                                   help="El mes facturado que se revisa.")
    if periodo not in periodos:       # a period of an earlier load that is gone
        periodo = inicial if inicial in periodos else periodos[0]
    municipio = st.sidebar.selectbox("Municipio", [TODOS, *nombres], key="municipio",
                                     persist_state="session",
                                     format_func=lambda c: nombres.get(c, c))
    servicio = st.sidebar.selectbox("Servicio", [TODOS, *SERVICIOS], key="servicio",
                                    persist_state="session",
                                    format_func=str.capitalize)
    filtro = tuple((d, v) for d, v in (("municipio", municipio), ("servicio", servicio))
                   if v != TODOS)
    grupos = tuple((d, st.session_state[d]) for d in DE_LA_VISTA if st.session_state.get(d))
    for d, g in grupos:
        st.sidebar.button(f"Filtrado por {etiqueta(settings, d, g)} · quitar", key=f"quitar_{d}",
                          icon=":material/filter_alt_off:", on_click=st.session_state.pop,
                          args=(d, None), help="Quita este filtro: la página vuelve a contar "
                                               "todos los grupos.")
    v = Vista(huella, periodo, filtro + grupos, settings)
    _a_la_direccion(v)
    return v


def filtrable(settings: Settings, dimension: str, grupo: str) -> bool:
    """Whether a bar's group can filter the page ("sin catastro" is no municipality to choose)."""
    if dimension == "municipio":
        return grupo in {m.dane for m in settings.municipios}
    if dimension == "servicio":
        return grupo in SERVICIOS
    return dimension in DE_LA_VISTA


def filtrar(dimension: str, grupo: str) -> None:
    """A click on a bar of ``dimension``: the whole page filtered by ``grupo`` (a municipality or
    a service is chosen in the sidebar's own box); on the group already chosen, the filter goes.
    Runs as the chart's callback, before the sidebar is drawn."""
    elegido = st.session_state.get(dimension) == grupo
    if dimension in DE_LA_BARRA:
        st.session_state[dimension] = TODOS if elegido else grupo
    elif elegido:
        st.session_state.pop(dimension)
    else:
        st.session_state[dimension] = grupo


def _de_la_direccion(periodos: list[str], nombres: dict[str, str]) -> None:
    """An address this session did not write (a link, a bookmark, a reload, the browser's Back)
    sets the period and filters before the sidebar is drawn. One with a period is a whole view:
    a filter it leaves out is not applied; one without (the bare page) keeps the session's.
    A value that cannot be used is said, and left out."""
    pedidos = {k: st.query_params[k] for k in PARAMETROS if k in st.query_params}
    if pedidos == st.session_state.get(_ESCRITOS):
        return
    validos = {"periodo": periodos, "municipio": nombres, "servicio": SERVICIOS}
    for k in PARAMETROS[1:]:
        if k not in pedidos and "periodo" in pedidos:
            st.session_state.pop(k, None)
    for k, v in pedidos.items():
        if (v in validos[k]) if k in validos else _GRUPO.match(v):
            st.session_state[k] = v
        else:
            st.session_state.pop(k, None)
            st.toast(f"El enlace pide {_pedido(k, v)}, que no está en los datos: se muestra "
                     + ("el último mes facturado." if k == "periodo" else "sin ese filtro."),
                     icon=":material/link_off:")


def _pedido(parametro: str, valor: str) -> str:
    return f"el periodo «{valor}»" if parametro == "periodo" else f"{parametro} «{valor}»"


def _a_la_direccion(v: Vista) -> None:
    """The view in the address, so it can be copied, bookmarked or reloaded (the period always:
    a link keeps its month when a newer one is loaded)."""
    escritos = {"periodo": v.periodo, **dict(v.filtro)}
    for k in PARAMETROS:
        if k not in escritos:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != escritos[k]:
            st.query_params[k] = escritos[k]
    st.session_state[_ESCRITOS] = escritos


def vista() -> Vista:
    """The view of the page being drawn; without data, an empty state and the page stops."""
    v = st.session_state.get("_vista")
    if v is None and datos.carga_en_curso():
        st.info("Carga en curso: otro proceso está escribiendo el almacén. Vuelva a abrir esta "
                "página cuando termine para ver los datos.", icon=":material/hourglass_top:")
        st.stop()
    if v is None and not (acceso.actual() and acceso.actual().carga):
        st.info("Todavía no hay datos en el almacén. Pida a un administrador de Cauce que cargue "
                "las exportaciones del mes.", icon=":material/folder_open:")
        st.stop()
    if v is None:
        st.info("Todavía no hay datos en el almacén. Cargue las exportaciones del mes en la página "
                "**Cargar datos**, o desde la terminal: `cauce demo && cauce cargar datos/demo` "
                "para ver la empresa de demostración.", icon=":material/folder_open:")
        st.page_link("paginas/cargar.py", label="Ir a Cargar datos", icon=":material/upload_file:")
        st.stop()
    return v
