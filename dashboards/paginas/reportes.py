"""Reportes: the month's indicators and working lists, to download."""
import streamlit as st

from cauce.formato import mes
from dashboards import componentes as c
from dashboards import datos
from dashboards.filtros import vista

LISTAS = {"persuasivo": "Cobro persuasivo", "prejuridico": "Cobro prejurídico",
          "juridico": "Cobro jurídico", "suspension": "Suspensión del servicio",
          "desviaciones": "Desviaciones significativas", "pqr_en_riesgo": "PQR en riesgo de vencer",
          "ordenes_vencidas": "Órdenes vencidas"}

v = vista()
st.title(f"Reportes: {v.titulo}")

st.subheader("Indicadores del mes")
st.caption("Cada indicador del catálogo con su meta, si la cumple, su numerador y su denominador "
           "(lo mismo que `cauce indicadores`).")
todos = datos.indicadores(v.huella, v.periodo, v.filtro)
c.descargas(todos, f"indicadores_{v.periodo}")

st.subheader("Listas de trabajo")
tipo = st.selectbox("Lista", list(LISTAS), format_func=LISTAS.get)
c.lista(v, tipo)

st.subheader("Informe mensual y reportes al SUI")
st.info(f"El informe mensual en Excel, la presentación para la reunión y los archivos del SUI de "
        f"{mes(v.periodo)} se descargarán aquí cuando estén disponibles en Cauce "
        f"(`cauce informe`, `cauce sui`). Mientras tanto, el Modo reunión muestra los indicadores "
        f"en pantalla completa.")
