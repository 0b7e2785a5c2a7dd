"""Rutas: per route of the period, its accounts against its cycle's mean, its reading
effectiveness and causes of non-reading, its deviations and its deliveries on time; and the
accounts on a map that needs no internet (no tile server: points on latitude and longitude)."""
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import mes, miles, porcentaje
from dashboards import acceso, datos
from dashboards import componentes as c
from dashboards.filtros import vista
from indicators.catalogo import nombre_de_codigo
from indicators.estilo import AZULES, figura

COLORES = plotly.colors.qualitative.Safe      # routes told apart, colour-blind safe
MAXIMO_DE_BARRAS = 40      # routes drawn as bars; beyond, the sortable table
EN_LA_LEYENDA = 30         # routes named in the map's legend; beyond, one layer of points

v = vista()
st.title(f"Rutas: {v.titulo}")
st.caption("Las rutas de lectura y reparto del catastro del periodo. Un clic en una barra filtra "
           "la página por esa ruta.")

t = datos.rutas(v.huella, v.periodo, v.filtro)
if t.empty:
    st.info(f"Sin catastro en {mes(v.periodo)}: no hay rutas que mostrar.")
    st.stop()

desbalance = v.settings.rutas_desbalance
malas = t[t["desbalanceada"]]
a, b, d = st.columns(3)
a.metric("Rutas", miles(len(t)))
b.metric("Cuentas activas", miles(round(t["activos"].sum())))
d.metric(f"Desbalanceadas (±{porcentaje(desbalance)})", miles(len(malas)))
if malas.empty:
    st.success(f"Ninguna ruta se aparta más de {porcentaje(desbalance)} del promedio de cuentas "
               f"activas de su ciclo.")
else:
    st.markdown(f":orange[**Rutas desbalanceadas.**] {len(malas)} rutas se apartan más de {porcentaje(desbalance)} del promedio de "
               f"cuentas activas de su ciclo: "
               + ", ".join(f"{r.ruta} ({'+' if r.desviacion > 0 else ''}"
                           f"{porcentaje(r.desviacion)})" for r in malas.itertuples()) + ".")
if (t["activos"] == 1).any():
    st.caption(f"{int((t['activos'] == 1).sum())} rutas tienen una sola cuenta activa.")

ENCABEZADOS = {"ruta": "Ruta", "ciclo": "Ciclo", "activos": "Cuentas activas",
               "media_ciclo": "Promedio del ciclo", "desviacion": "Frente al promedio",
               "desbalanceada": "Desbalanceada",
               "facturacion.lectura_efectiva": "Lectura efectiva",
               "critica.desviaciones": "Desviaciones significativas",
               "facturacion.reparto_oportuno": "Facturas entregadas a tiempo",
               "entregas_tardias": "Entregadas tarde"}
c.tabla(t, f"rutas_{v.periodo}", ENCABEZADOS,
        porcentaje=("desviacion", "facturacion.lectura_efectiva", "facturacion.reparto_oportuno"))
if t["facturacion.reparto_oportuno"].isna().all():
    st.info(f"Sin fechas de entrega de facturas en {mes(v.periodo)}: no se puede juzgar el "
            f"reparto.")

if len(t) <= MAXIMO_DE_BARRAS:
    izquierda, derecha = st.columns(2)
    with izquierda:
        c.barras(v, "facturacion.lectura_efectiva", "ruta", "Lectura efectiva")
    with derecha:
        c.barras(v, "facturacion.reparto_oportuno", "ruta", "Facturas entregadas a tiempo")
else:
    st.caption(f"Con {miles(len(t))} rutas las barras no caben en la página: ordene la tabla por "
               f"una columna (un clic en su encabezado), o filtre por municipio para verlas.")

causas = datos.causas_de_no_lectura(v.huella, v.periodo, v.filtro)
if causas.empty:
    st.markdown("**Lecturas no tomadas, por causa**")
    st.info(f"Sin lecturas no tomadas en {mes(v.periodo)}.")
else:
    fig = go.Figure(go.Bar(y=[nombre_de_codigo(x) for x in causas["causa"]], x=causas["lecturas"],
                           orientation="h", marker_color=AZULES[2],
                           text=[miles(round(x)) for x in causas["lecturas"]]))
    figura(fig, alto=max(200, 34 * len(causas) + 80), horizontal=True,
           titulo="Lecturas no tomadas, por causa")
    fig.update_yaxes(autorange="reversed", type="category")
    st.plotly_chart(fig, key="causas_no_lectura")

st.subheader("Mapa de las cuentas por ruta")
if not acceso.ve_personales():
    acceso.aviso()
    st.stop()
puntos, total, sin = datos.mapa(v.huella, v.periodo, v.filtro)
if total and sin == total:
    st.info(f"Ninguna de las {miles(total)} cuentas activas tiene coordenadas en el catastro: no "
            f"hay mapa.")
    st.stop()
notas = []
if sin:
    notas.append(f"{miles(sin)} de {miles(total)} cuentas activas no tienen coordenadas y no "
                 f"están en el mapa")
if len(puntos) < total - sin:
    notas.append(f"se dibuja una muestra pareja de {miles(len(puntos))} cuentas")
fig = go.Figure()
cual, rutas = pd.factorize(puntos["ruta"], sort=True)    # each route its colour, in order
if len(rutas) <= EN_LA_LEYENDA:          # a layer per route, named in the legend
    for k, ruta in enumerate(rutas):
        g = puntos[cual == k]
        fig.add_scattergl(x=g["longitud"], y=g["latitud"], mode="markers", name=f"ruta {ruta}",
                          marker=dict(size=5, color=COLORES[k % len(COLORES)]),
                          hovertemplate=f"ruta {ruta}<extra></extra>")
else:       # thousands of routes: one layer (thousands would take the browser seconds)
    # Each point's colour as a number on a scale of steps, one step per colour: a list of
    # colour names, one per point, Plotly checks name by name (most of the page's time).
    n = len(COLORES)
    escalones = [[x / n, color] for k, color in enumerate(COLORES) for x in (k, k + 1)]
    fig.add_scattergl(x=puntos["longitud"], y=puntos["latitud"], mode="markers",
                      customdata=puntos["ruta"], hovertemplate="ruta %{customdata}<extra></extra>",
                      marker=dict(size=5, color=cual % n + 0.5, colorscale=escalones,
                                  cmin=0, cmax=n))
figura(fig, alto=560, titulo="Cuentas activas por ruta")
fig.update_yaxes(scaleanchor="x", title="latitud")
fig.update_xaxes(title="longitud")
fig.update_layout(showlegend=len(rutas) <= EN_LA_LEYENDA, hovermode="closest")
st.plotly_chart(fig, key="mapa_rutas")
st.caption("Sin servidor de mapas: cada punto es una cuenta en su latitud y longitud, del color "
           "de su ruta." + (" " + "; ".join(notas).capitalize() + "." if notas else ""))
