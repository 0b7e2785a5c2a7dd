"""NSU: the users' satisfaction by dimension, with its margin of error and required sample."""
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import porcentaje
from dashboards import componentes as c
from dashboards import datos
from indicators.estilo import AZUL, etiquetas, figura
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS
from indicators.definicion import ronda
from indicators.nsu import dimensiones

IDS = TARJETAS["nsu"]

v = vista()
st.title(f"NSU: {v.titulo}")
st.caption(f"La encuesta es semestral: el periodo muestra la ronda {ronda(v.periodo)}. Respuesta "
           f"favorable: 4 o 5 en la escala de 1 a 5.")
c.tarjetas(v, IDS)
dims = [x.id for x in dimensiones(v.settings)]
d = datos.indicadores(v.huella, v.periodo, v.filtro, tuple(dims))
if d["valor"].isna().all():
    st.markdown("**Satisfacción por dimensión**")
    ultima = datos.ultima_ronda(v.huella, "nsu.indice", v.periodo, v.filtro)
    st.info(f"No hay encuestas de la ronda {ronda(v.periodo)}."
            + (f" La última ronda con encuestas es {ultima['ronda']}: NSU "
               f"{porcentaje(ultima['valor'])} (elija un mes de esa ronda para verla)."
               if ultima else ""))
else:
    y = [None if y is None else 100 * y for y in d["valor"]]
    fig = go.Figure(go.Bar(x=[n.replace("NSU: ", "").capitalize() for n in d["nombre"]], y=y,
                           marker_color=AZUL, hovertemplate="%{x}: %{text}<extra></extra>",
                           **etiquetas(y, [porcentaje(y) if y is not None else ""
                                           for y in d["valor"]])))
    figura(fig, unidad="proporcion", titulo=f"Satisfacción por dimensión, ronda {ronda(v.periodo)}")
    st.plotly_chart(fig, config=c.GRAFICO, key="dimensiones")
c.barras(v, "nsu.indice", "municipio")
c.tendencia(v, ["nsu.indice"])
c.registros(v, IDS + dims)
