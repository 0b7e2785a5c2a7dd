"""Resumen del mes: the headline indicators against their goals."""
import streamlit as st

from dashboards import componentes as c
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

PRINCIPALES = TARJETAS["resumen"]

v = vista()
st.title(f"Resumen del mes: {v.titulo}")
st.caption("Cada tarjeta: el valor del mes, su meta y su estado (✔ cumple, ▲ cerca, ✖ no cumple), "
           "el cambio frente al mes anterior y al mismo mes del año pasado, y los últimos 13 meses.")
c.tarjetas(v, PRINCIPALES)
c.registros(v, PRINCIPALES)
