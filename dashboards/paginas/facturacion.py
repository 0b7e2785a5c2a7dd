"""Facturación y consumo: what was billed, by use and stratum, and how it was measured."""
import streamlit as st

from dashboards import componentes as c
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["facturacion"]

v = vista()
st.title(f"Facturación y consumo: {v.titulo}")
c.tarjetas(v, IDS)
izquierda, derecha = st.columns(2)
with izquierda:
    c.barras(v, "facturacion.m3", "uso", "Consumo facturado")
    c.barras(v, "facturacion.valor", "uso", "Valor facturado")
with derecha:
    c.barras(v, "facturacion.m3", "estrato", "Consumo facturado")
    c.barras(v, "facturacion.valor", "estrato", "Valor facturado")
st.subheader("Subsidios y contribuciones")
izquierda, derecha = st.columns(2)
with izquierda:
    c.barras(v, "facturacion.subsidios", "estrato")
with derecha:
    c.barras(v, "facturacion.contribuciones", "uso")
c.tendencia(v, ["facturacion.subsidios", "facturacion.contribuciones"])
c.tendencia(v, ["facturacion.lectura_efectiva", "facturacion.consumo_no_medido"])
c.registros(v, IDS)
