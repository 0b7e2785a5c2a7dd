"""Metas y proyección: next year's users, billing, collection and claims with their
intervals, how far to trust each projection, and the proposed goals as a [metas] block to
copy into config.toml (Cauce never edits it)."""
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import mes, valor
from dashboards import componentes as c
from dashboards import datos
from dashboards.filtros import vista
from indicators.estilo import AZULES, GRIS, escala, figura, meses

v = vista()
st.title(f"Metas y proyección: {mes(v.periodo).capitalize()}")
st.caption("Los próximos 12 meses proyectados con la historia cargada hasta el periodo de la "
           "barra lateral (para toda la empresa, sin filtros), con intervalos del 80 % y del "
           "95 %. Lo mismo que `cauce proyeccion`.")
with st.spinner("Ajustando las proyecciones…"):
    r = datos.proyeccion(v.huella, v.periodo)


def grafico(p) -> None:
    k = escala(p.unidad)
    h, m = p.historia, p.meses
    fig = go.Figure()
    for nivel, opacidad in ((95, 0.18), (80, 0.32)):
        fig.add_scatter(x=meses(m["periodo"]), y=m[f"superior_{nivel}"] * k, mode="lines",
                        line=dict(width=0), showlegend=False, hoverinfo="skip")
        fig.add_scatter(x=meses(m["periodo"]), y=m[f"inferior_{nivel}"] * k, mode="lines",
                        line=dict(width=0), fill="tonexty", name=f"Intervalo del {nivel} %",
                        fillcolor=f"rgba(31,120,180,{opacidad})", hoverinfo="skip")
    fig.add_scatter(x=meses(list(h.index)), y=h.to_numpy() * k, mode="lines+markers",
                    name="Historia", line=dict(color=AZULES[0], width=3))
    fig.add_scatter(x=meses(m["periodo"]), y=m["valor"] * k, mode="lines+markers",
                    name="Proyección", line=dict(color=AZULES[2], width=3, dash="dash"))
    if not p.prueba.empty:
        fig.add_scatter(x=meses(p.prueba["periodo"]), y=p.prueba["proyectado"] * k,
                        mode="lines", name="Prueba: lo que habría proyectado",
                        line=dict(color=GRIS, width=2, dash="dot"))
    figura(fig, alto=380, unidad=p.unidad, titulo=p.nombre)
    # The months in time order (the projection's traces come first), one label a quarter:
    # three years of months side by side would not be read.
    todos = meses(sorted({*h.index, *m["periodo"]}))
    fig.update_xaxes(categoryorder="array", categoryarray=todos, tickvals=todos[::3],
                     tickangle=0)
    st.plotly_chart(fig, key=f"proyeccion_{p.id}")


for p in r.series:
    st.subheader(p.nombre)
    st.markdown(p.explicacion)
    if p.meses.empty:
        st.info(f"Sin proyección de {p.nombre.lower()}: cargue al menos 6 meses seguidos.")
        continue
    grafico(p)

st.subheader(f"Metas propuestas para {r.metas.anio}")
if r.metas.meses and r.metas.meses < 12:
    st.caption(f"La proyección cubre {r.metas.meses} de los 12 meses de {r.metas.anio}: las "
               f"propuestas salen de esos meses.")
filas = r.metas.filas.assign(
    actual=[valor(a, u) if a == a else "" for a, u in zip(r.metas.filas["actual"],
                                                           r.metas.filas["unidad"])],
    propuesta=[valor(x, u) if x is not None and x == x else "se conserva la actual"
               for x, u in zip(r.metas.filas["propuesta"], r.metas.filas["unidad"])])
c.tabla(filas[["nombre", "id", "actual", "propuesta"]], f"metas_{r.metas.anio}",
        {"nombre": "Indicador", "id": "Código", "actual": "Meta actual",
         "propuesta": "Propuesta"})
st.markdown("Para adoptarlas, copie este bloque en `config.toml` en lugar de su sección "
            "`[metas]` (Cauce no modifica la configuración por sí mismo):")
st.code(r.metas.bloque, language="toml")
