"""Órdenes de trabajo: executed on time, reinstatements within 24 hours, and the overdue ones."""
import streamlit as st

from dashboards import componentes as c
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["ordenes"]

v = vista()
st.title(f"Órdenes de trabajo: {v.titulo}")
c.tarjetas(v, IDS)
c.tendencia(v, ["ordenes.cumplimiento", "ordenes.reinstalacion_24h"])
c.agrupado(v, "ordenes.cumplimiento", "tipo", "Órdenes ejecutadas a tiempo por tipo")
st.subheader("Órdenes vencidas sin ejecutar")
c.lista(v, "ordenes_vencidas")
c.registros(v, IDS)
