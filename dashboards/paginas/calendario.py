"""Calendario comercial: each activity of the cycle, planned against done."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import MESES, celda, nombre_de_codigo
from dashboards import componentes as c
from dashboards import datos
from indicators.calendario import ACTIVIDADES
from indicators.estilo import GRIS, figura
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["calendario"]
# Each activity's outcome: its colour on the grid and its word (never the colour alone).
ESTADOS = {"a_tiempo": ("#2e7d32", "✔ a tiempo"), "tarde": ("#ef6c00", "▲ tarde"),
           "sin_ejecutar": ("#c62828", "✖ sin ejecutar"), "no_vence": (GRIS, "○ aún no vence")}


def estado(fila) -> str:
    """On time, late, not done; or not yet judged (not in the share's denominator)."""
    if not fila["denominador"]:
        return "no_vence"
    if fila["numerador"]:
        return "a_tiempo"
    return "tarde" if pd.notna(fila["fecha_ejecutada"]) else "sin_ejecutar"


def dia(d) -> str:
    return f"{d.day} {MESES[d.month - 1][:3]}"


def texto(fila, est: str) -> str:
    """What a cell says: the day it was programmed, then how it went ("+2 días" late)."""
    programada = fila["fecha_programada"]
    if est == "tarde":
        return f"{dia(programada)}<br>▲ +{(fila['fecha_ejecutada'] - programada).days} d"
    return f"{dia(programada)}<br>{ESTADOS[est][1].split(' ', 1)[0]}"


def ayuda(fila, est: str) -> str:
    ejecutada = (f"ejecutada el {celda('fecha', fila['fecha_ejecutada'])}"
                 if est in ("a_tiempo", "tarde") else ESTADOS[est][1][2:])
    return (f"{nombre_de_codigo(fila['actividad'])} · ciclo {fila['ciclo']}<br>programada el "
            f"{celda('fecha', fila['fecha_programada'])}; {ejecutada}")


def grilla(a) -> go.Figure:
    """Activities (rows, in the cycle's order) by cycle (columns): one cell each, coloured by
    its outcome and saying it in words; a height that fits the screen whatever the number of
    cycles (a line per activity, not per activity and cycle), the cycles named on top."""
    ciclos = sorted(a["ciclo"].unique())
    actividades = [x for x in ACTIVIDADES if x in set(a["actividad"])]
    codigos = list(ESTADOS)
    z = [[None] * len(ciclos) for _ in actividades]
    textos = [[""] * len(ciclos) for _ in actividades]
    ayudas = [[""] * len(ciclos) for _ in actividades]
    for fila in a.to_dict("records"):
        i, j = actividades.index(fila["actividad"]), ciclos.index(fila["ciclo"])
        est = estado(fila)
        z[i][j], textos[i][j], ayudas[i][j] = codigos.index(est), texto(fila, est), ayuda(fila, est)
    n = len(codigos)
    escala = [p for k, cod in enumerate(codigos)
              for p in ((k / n, ESTADOS[cod][0]), ((k + 1) / n, ESTADOS[cod][0]))]
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"ciclo {x}" for x in ciclos], y=[nombre_de_codigo(x) for x in actividades],
        zmin=-0.5, zmax=n - 0.5, colorscale=escala, showscale=False, xgap=3, ygap=3,
        text=textos, texttemplate="%{text}", textfont=dict(color="white", size=12),
        customdata=ayudas, hovertemplate="%{customdata}<extra></extra>", hoverongaps=False))
    for cod in codigos:     # the legend: one entry per outcome, with its word
        fig.add_scatter(x=[None], y=[None], mode="markers", name=ESTADOS[cod][1],
                        marker=dict(symbol="square", size=14, color=ESTADOS[cod][0]))
    figura(fig, alto=54 * len(actividades) + 190,
           titulo="Programado y ejecutado, por actividad y ciclo")
    fig.update_xaxes(side="top", showgrid=False, type="category", ticks="")
    fig.update_yaxes(autorange="reversed", showgrid=False, type="category", ticks="")
    fig.update_layout(hovermode="closest", legend=dict(y=-0.04, yanchor="top"))
    return fig


v = vista()
st.title(f"Calendario comercial: {v.titulo}")
c.tarjetas(v, IDS)
actividades = datos.detalle(v.huella, "calendario.cumplimiento", v.periodo, v.filtro,
                            filas=None)
if actividades.empty:
    st.markdown("**Programado y ejecutado, por actividad y ciclo**")
    st.info("No hay actividades del calendario en este periodo.")
else:
    st.plotly_chart(grilla(actividades), config=c.GRAFICO, key="calendario")
    st.caption("Cada casilla: el día programado y cómo se cumplió (✔ a tiempo, ▲ con los días de "
               "retraso, ✖ sin ejecutar). Pase el puntero por una casilla para ver sus fechas.")
c.tendencia(v, ["calendario.cumplimiento"])
c.registros(v, IDS)
