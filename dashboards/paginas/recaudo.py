"""Recaudo: what was collected against what was billed."""
import streamlit as st

from dashboards import componentes as c
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["recaudo"]

v = vista()
st.title(f"Recaudo: {v.titulo}")
c.tarjetas(v, IDS)
c.tendencia(v, ["recaudo.eficiencia", "recaudo.eficiencia_oportuna"])
izquierda, derecha = st.columns(2)
with izquierda:
    c.barras(v, "recaudo.eficiencia", "municipio")
with derecha:
    c.agrupado(v, "recaudo.valor", "canal", "Recaudo por canal de pago")
c.registros(v, IDS)
