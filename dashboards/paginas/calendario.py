"""Calendario comercial: each activity of the cycle, planned against done."""
import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from cauce.formato import MESES, celda
from dashboards import componentes as c
from dashboards import datos
from indicators.estilo import AZUL, figura
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["calendario"]

v = vista()
st.title(f"Calendario comercial: {v.titulo}")
c.tarjetas(v, IDS)
actividades = datos.detalle(v.huella, "calendario.cumplimiento", v.periodo, v.filtro,
                            filas=None)
st.markdown("**Programado y ejecutado, por actividad y ciclo**")
if actividades.empty:
    st.info("No hay actividades del calendario en este periodo.")
else:
    a = actividades.sort_values(["fecha_programada", "ciclo"])
    etiqueta = [f"{x} · ciclo {y}" for x, y in zip(a["actividad"], a["ciclo"])]
    a_tiempo = a["numerador"] == 1
    fig = go.Figure()
    fig.add_scatter(x=a["fecha_programada"], y=etiqueta, mode="markers", name="Programada",
                    customdata=[celda("fecha", d) for d in a["fecha_programada"]],
                    hovertemplate="%{y}<br>programada el %{customdata}<extra></extra>",
                    marker=dict(symbol="line-ns-open", size=18, color=AZUL, line=dict(width=3)))
    for ok, nombre, color in ((True, "Ejecutada a tiempo", "#2e7d32"),
                              (False, "Ejecutada tarde o sin ejecutar", "#c62828")):
        b = a[a_tiempo == ok]
        fig.add_scatter(x=b["fecha_ejecutada"], y=[e for e, m in zip(etiqueta, a_tiempo) if m == ok],
                        mode="markers", name=nombre,
                        customdata=[celda("fecha", d) for d in b["fecha_ejecutada"]],
                        hovertemplate="%{y}<br>ejecutada el %{customdata}<extra></extra>",
                        marker=dict(symbol="circle" if ok else "x", size=10, color=color))
    dias = sorted({d for d in a["fecha_programada"].dropna()} |
                  {d for d in a["fecha_ejecutada"].dropna()})
    marcas = [d for d in dias if isinstance(d, dt.date)][::max(1, len(dias) // 8)]
    fig.update_xaxes(tickvals=marcas,
                     ticktext=[f"{d.day} {MESES[d.month - 1][:3]}" for d in marcas])
    figura(fig, alto=max(300, 22 * len(a) + 120))
    fig.update_layout(hovermode="closest")
    st.plotly_chart(fig, config=c.GRAFICO, key="calendario")
    st.caption("La raya azul es la fecha programada; el punto verde, la ejecución a tiempo; la "
               "equis roja, una ejecución tarde (o ninguna).")
c.tendencia(v, ["calendario.cumplimiento"])
c.registros(v, IDS)
