"""Crítica: significant consumption deviations, stopped meters and regressive readings."""
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import mes, porcentaje, valor
from dashboards import componentes as c
from dashboards import acceso, datos
from indicators.estilo import AZUL, GRIS, figura, meses
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["critica"]

v = vista()
st.title(f"Crítica: {v.titulo}")
umbral = v.settings.critica
st.caption(f"Desviación significativa (Res. CRA 151 de 2001): un consumo que se aparta del "
           f"promedio de la cuenta más de {porcentaje(umbral.variacion_promedio_alto)} (si el "
           f"promedio es de {valor(umbral.promedio_limite_m3, 'm3')} o más) o más de "
           f"{porcentaje(umbral.variacion_promedio_bajo)} (si es menor); debe revisarse antes de "
           f"facturar (Ley 142 art. 149). Los umbrales los fija el administrador de Cauce.")
c.tarjetas(v, IDS)

st.subheader("Desviaciones del mes")
c.lista(v, "desviaciones")
desviadas = (datos.lista(v.huella, "desviaciones", v.periodo, v.filtro)[0]
             if acceso.ve_personales() else None)
if desviadas is not None and not desviadas.empty:
    codigo = st.selectbox("Historia de consumo de la cuenta", desviadas["codigo"],
                          help="Las lecturas de los últimos 13 meses de la cuenta elegida.")
    h = datos.historia(v.huella, codigo, v.periodo)
    fila = desviadas[desviadas["codigo"] == codigo].iloc[0]
    fig = go.Figure(go.Bar(x=meses(h["periodo"]), y=h["consumo"], name="Consumo facturado",
                           marker_color=[AZUL if p != v.periodo else "#c62828" for p in h["periodo"]]))
    if fila["promedio"] is not None and fila["promedio"] == fila["promedio"]:
        fig.add_scatter(x=meses(h["periodo"]), y=[float(fila["promedio"])] * len(h), mode="lines",
                        name="Promedio de referencia", line=dict(color=GRIS, dash="dash"))
    figura(fig, alto=320, unidad="m3", titulo=f"Consumo de la cuenta {codigo}, últimos 13 meses")
    st.plotly_chart(fig, config=c.GRAFICO, key="historia")
    st.caption(f"Cuenta {codigo}: en rojo {mes(v.periodo)}; la línea es el promedio con el que "
               f"se juzgó.")

st.subheader("Medidores frenados")
c.filas_de(v, "critica.consumo_cero_recurrente")
st.subheader("Lecturas regresivas")
c.filas_de(v, "critica.lectura_regresiva")
izquierda, derecha = st.columns(2)
with izquierda:
    c.tendencia(v, ["critica.desviaciones", "critica.desviaciones_sin_visita"],
                "Desviaciones significativas y sin visita")
with derecha:
    c.tendencia(v, ["critica.consumo_cero_recurrente", "critica.lectura_regresiva"],
                "Medidores frenados y lecturas regresivas")
c.registros(v, IDS)
