"""PQR: filings answered on time (business days), by cause and channel, and those at risk."""
import streamlit as st

from dashboards import componentes as c
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["pqr"]

v = vista()
st.title(f"PQR: {v.titulo}")
st.caption("Términos en días hábiles (Ley 142 art. 158, Ley 1755 de 2015), con los festivos de "
           "Colombia; el plazo de cada tipo de trámite está en [pqr.plazos] de la configuración.")
c.tarjetas(v, IDS)
c.tendencia(v, ["pqr.oportunidad"])
izquierda, derecha = st.columns(2)
with izquierda:
    c.agrupado(v, "pqr.radicadas", "causal", "PQR radicadas por causal")
with derecha:
    c.agrupado(v, "pqr.radicadas", "canal", "PQR radicadas por canal")
    c.agrupado(v, "pqr.oportunidad", "tipo", "Respondidas a tiempo por tipo de trámite")
st.subheader("PQR en riesgo de vencer")
st.caption("Abiertas, con su vencimiento y los días hábiles que les quedan.")
c.lista(v, "pqr_en_riesgo")
st.subheader("PQR vencidas sin respuesta")
c.filas_de(v, "pqr.vencidas_sin_respuesta")
c.registros(v, IDS)
