"""Cauce's dashboard (``cauce tablero``): the month's indicators, their records, the working
lists, the data checks, the loading of exports and the meeting mode.

Run with ``cauce tablero``, which serves it with the routes that keep a sign-in across reloads
(``servidor.py``; plain ``streamlit run dashboards/app.py`` works too, the sign-in then lasting
as long as the tab). Nobody sees a page signed out (``acceso``); each role sees the pages it
may, and the address names the page, period and filters (``filtros``). Every page draws
what the catalogue (``indicators``) gives for the sidebar's period and filters; nothing is
computed here.
"""
from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from cauce import CauceError
from dashboards import acceso, datos, filtros, secciones
from cauce.acciones.cuentas import Usuario
from indicators import catalogo

st.set_page_config(page_title="Cauce", page_icon=":material/water_drop:", layout="wide")


def paginas(u: Usuario | None) -> dict[str, list[st.Page]]:
    """The pages of the navigation: loading data is the administrator's. Signed out, all of
    them (hidden), so a link to any page opens it once signed in."""
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
            st.Page("paginas/tarifas.py", title="Tarifas", icon=":material/price_check:"),
            st.Page("paginas/rutas.py", title="Rutas", icon=":material/route:"),
        ],
        "El año": [
            st.Page("paginas/metas.py", title="Metas y proyección", icon=":material/trending_up:"),
        ],
        "Datos y reportes": [
            st.Page("paginas/calidad.py", title="Calidad de datos", icon=":material/fact_check:"),
            st.Page("paginas/cargar.py", title="Cargar datos", icon=":material/upload_file:")
            if u is None or u.carga else
            st.Page(solo_administrador, title="Cargar datos", url_path="cargar",
                    visibility="hidden"),
            st.Page("paginas/reportes.py", title="Reportes", icon=":material/download:"),
            *([st.Page("paginas/documentos.py", title="Documentos",
                       icon=":material/description:")] if u is None or u.ve_personales else []),
            st.Page("paginas/reunion.py", title="Modo reunión", icon=":material/co_present:"),
        ],
    }


def solo_administrador() -> None:
    """What another role sees at the address of Cargar datos (a link an administrator sent)."""
    st.title("Cargar datos")
    st.info(f"Cargar datos es solo para el rol administrador; su rol es "
            f"{acceso.actual().rol}. Pida a un administrador que cargue las exportaciones del "
            f"mes.", icon=":material/lock:")


try:
    settings = datos.ajustes()
    usuario = acceso.entrar(settings)
except CauceError as e:         # config.toml or the accounts file unusable: said, nothing shown
    st.error(e.mensaje)
    usuario = None
# Signed out, no menu (the previous user's goes at once) and no page: only the sign-in.
pagina = st.navigation(paginas(usuario), position="sidebar" if usuario else "hidden",
                       expanded=True)
if usuario is None:
    st.stop()
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
