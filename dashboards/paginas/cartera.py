"""Cartera: receivables by age, debtors and the collection lists."""
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import compacto, valor
from dashboards import componentes as c
from dashboards import datos
from indicators.estilo import AZULES, etiquetas, figura
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS
from indicators import listas
from indicators.cartera import EDADES

IDS = TARJETAS["cartera"]
COBRO = ("persuasivo", "prejuridico", "juridico", "suspension")     # the collection lists

v = vista()
st.title(f"Cartera: {v.titulo}")
c.tarjetas(v, IDS)

edades = [f"cartera.edad_{sufijo}" for sufijo, *_ in EDADES]
e = datos.indicadores(v.huella, v.periodo, v.filtro, tuple(edades))
if e["valor"].isna().all():
    st.markdown("**Cartera por edad de mora**")
    st.info("No hay corte de cartera de este mes.")
else:
    fig = go.Figure(go.Bar(x=[n.replace("Cartera ", "").replace("de ", "", 1) for n in e["nombre"]],
                           y=e["valor"], marker_color=[AZULES[-2]] + [AZULES[1]] * (len(e) - 1),
                           customdata=e["id"], hovertext=[valor(y, "pesos") for y in e["valor"]],
                           hovertemplate="%{x}: %{hovertext}<extra></extra>",
                           **etiquetas(list(e["valor"]),
                                       [compacto(y, "pesos") for y in e["valor"]])))
    figura(fig, unidad="pesos", titulo="Cartera por edad de mora, al último corte del mes")
    evento = st.plotly_chart(fig, config=c.GRAFICO, on_select="rerun",
                             selection_mode="points", key="edades")
    puntos = (evento or {}).get("selection", {}).get("points", [])
    if puntos:
        c.abrir_registros(puntos[0]["customdata"])
c.tendencia(v, ["cartera.usuarios_morosos"])

st.subheader("Listas de cobro")
tipo = st.radio("Lista", COBRO, format_func=listas.TITULOS.get, horizontal=True)
c.lista(v, tipo)
c.registros(v, IDS + edades)
