"""Cauce's dashboard (``cauce tablero``): the month's indicators, their records, the working
lists, the data checks, the loading of exports and the meeting mode.

Run with ``cauce tablero`` (or ``streamlit run dashboards/app.py``). Nobody sees a page signed
out (``acceso``); each role sees the pages it may. Every page draws what the catalogue
(``indicators``) gives for the sidebar's period and filters; nothing is computed here.
"""
from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from cauce import CauceError
from dashboards import acceso, datos, filtros, secciones
from dashboards.cuentas import Usuario
from indicators import catalogo

st.set_page_config(page_title="Cauce", page_icon=":material/water_drop:", layout="wide")


def paginas(u: Usuario) -> dict[str, list[st.Page]]:
    """The pages of the navigation: loading data is the administrator's."""
    return {
        "El mes": [
            st.Page("paginas/resumen.py", title="Resumen del mes", icon=":material/dashboard:",
                    default=True),
            st.Page("paginas/recaudo.py", title="Recaudo", icon=":material/payments:"),
            st.Page("paginas/cartera.py", title="Cartera", icon=":material/account_balance_wallet:"),
            st.Page("paginas/facturacion.py", title="Facturación y consumo",
                    icon=":material/receipt_long:"),
            st.Page("paginas/critica.py", title="Crítica", icon=":material/troubleshoot:"),
            st.Page("paginas/pqr.py", title="PQR", icon=":material/support_agent:"),
            st.Page("paginas/ordenes.py", title="Órdenes de trabajo", icon=":material/construction:"),
            st.Page("paginas/nsu.py", title="NSU", icon=":material/sentiment_satisfied:"),
            st.Page("paginas/calendario.py", title="Calendario comercial",
                    icon=":material/calendar_month:"),
        ],
        "Datos y reportes": [
            st.Page("paginas/calidad.py", title="Calidad de datos", icon=":material/fact_check:"),
            *([st.Page("paginas/cargar.py", title="Cargar datos", icon=":material/upload_file:")]
              if u.carga else []),
            st.Page("paginas/reportes.py", title="Reportes", icon=":material/download:"),
            st.Page("paginas/reunion.py", title="Modo reunión", icon=":material/co_present:"),
        ],
    }


try:
    settings = datos.ajustes()
    usuario = acceso.entrar(settings)
except CauceError as e:         # config.toml or the accounts file unusable: said, nothing shown
    st.error(e.mensaje)
    st.stop()
pagina = st.navigation(paginas(usuario), expanded=True)
st.sidebar.markdown(f"**{settings.empresa}**")
acceso.barra(usuario, settings)
try:
    with datos.pagina():
        vista = st.session_state["_vista"] = filtros.barra()
        pagina.run()
    if vista is not None and not vista.filtro:
        datos.calentar(vista.huella, vista.periodo, [*secciones.TARJETAS.values(),
                                                     catalogo.diapositivas(vista.settings)],
                       secciones.LISTAS)
except datos.CargaEnCurso:
    st.warning("Carga en curso: otro proceso está escribiendo el almacén y estos datos aún no "
               "se habían consultado. Vuelva a abrir la página cuando termine la carga.",
               icon=":material/hourglass_top:")
except acceso.SinPermiso:
    acceso.aviso()
except datos.SinAlmacen:
    st.info("Todavía no hay almacén de datos. Cargue las exportaciones en **Cargar datos**.")
except (sa.exc.SQLAlchemyError, CauceError) as e:   # said in Spanish; the app keeps working
    st.error(datos.error_legible(e))
