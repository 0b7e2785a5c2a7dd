"""The sidebar filters every page shares (period, municipality, service) and the view they
make: what each page asks the catalogue for."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cauce.formato import mes
from cauce.settings import Settings
from dashboards import acceso, datos
from etl.contract import SERVICIOS

TODOS = "Todos"


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
        nombres = {m.dane: m.nombre for m in self.settings.municipios}
        partes = [mes(self.periodo).capitalize()]
        partes += [nombres.get(v, v) if d == "municipio" else v for d, v in self.filtro]
        return " · ".join(partes)


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
    inicial = datos.ultimo_periodo(huella)      # the last billed month, not the latest of all
    periodo = st.sidebar.selectbox("Periodo", periodos, key="periodo", persist_state="session",
                                   index=periodos.index(inicial) if inicial in periodos else 0,
                                   format_func=lambda p: mes(p).capitalize(),
                                   help="El mes facturado que se revisa.")
    if periodo not in periodos:       # a period of an earlier load that is gone
        periodo = inicial if inicial in periodos else periodos[0]
    nombres = {m.dane: m.nombre for m in settings.municipios}
    municipio = st.sidebar.selectbox("Municipio", [TODOS, *nombres], key="municipio",
                                     persist_state="session",
                                     format_func=lambda c: nombres.get(c, c))
    servicio = st.sidebar.selectbox("Servicio", [TODOS, *SERVICIOS], key="servicio",
                                    persist_state="session",
                                    format_func=str.capitalize)
    filtro = tuple((d, v) for d, v in (("municipio", municipio), ("servicio", servicio))
                   if v != TODOS)
    return Vista(huella, periodo, filtro, settings)


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
