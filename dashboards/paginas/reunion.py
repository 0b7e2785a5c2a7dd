"""Modo reunión: one indicator per slide, full screen, for the team meeting.

Aggregates only: every number comes from the catalogue's totals; no list, no record, no
name, document, address, phone or per-account debt is drawn here.
"""
import streamlit as st

from cauce.formato import compacto, provisional, valor
from dashboards import componentes as c
from dashboards import datos
from indicators.estilo import SEMAFORO
from dashboards.filtros import vista
from indicators import catalogo
from indicators.lectura import lectura

v = vista()
diapositivas = catalogo.diapositivas(v.settings)
st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header {display: none;}
.valor-reunion {font-size: 88px; font-weight: 700; line-height: 1.1;}
.estado-reunion {font-size: 32px; font-weight: 600;}
.lectura-reunion {font-size: 26px;}
</style>""", unsafe_allow_html=True)

i = st.session_state.setdefault("diapositiva", 0) % len(diapositivas)
x = c.indicador(v, diapositivas[i])
todas = c.serie(v, diapositivas)        # one computation for every slide
t = todas[todas["id"] == x.id]
actual = t[t["periodo"] == v.periodo].iloc[0]
estado = c.estado(v, x, actual["valor"], actual["meta"])
color, icono, palabra = SEMAFORO[estado]

atras, centro, adelante, salir = st.columns([1, 6, 1, 1])
if atras.button("◀ Anterior", use_container_width=True):
    st.session_state["diapositiva"] = (i - 1) % len(diapositivas)
    st.rerun()
if adelante.button("Siguiente ▶", use_container_width=True):
    st.session_state["diapositiva"] = (i + 1) % len(diapositivas)
    st.rerun()
if salir.button("Salir", use_container_width=True):
    st.switch_page("paginas/resumen.py")
centro.caption(f"{i + 1} de {len(diapositivas)} · {v.titulo} · {v.settings.empresa}")

st.title(x.nombre)
izquierda, derecha = st.columns([2, 3])
with izquierda:
    st.markdown(f'<div class="valor-reunion">{compacto(actual["valor"], x.unidad)}</div>',
                unsafe_allow_html=True)
    st.markdown(f'<div class="estado-reunion" style="color:{color}">{icono} {palabra}</div>',
                unsafe_allow_html=True)
    if actual.get("provisional"):
        st.markdown(f"### Provisional: {provisional(actual['provisional'])}",
                    help=f"Al corte de los datos ({datos.corte(v.huella):%d/%m/%Y}): lo que "
                         f"vence después aún no se juzga.")
    ronda = (datos.ultima_ronda(v.huella, x.id, v.periodo, v.filtro)
             if actual["valor"] is None and x.area == "nsu" else None)
    if ronda is not None:
        st.markdown(f"### Última ronda: {ronda['ronda']}, {valor(ronda['valor'], x.unidad)}")
    if actual["meta"] is not None:
        st.markdown(f"### Meta: {valor(actual['meta'], x.unidad)}")
    st.markdown(f'<p class="lectura-reunion">{lectura(t.to_dict("records"), x.unidad, x.mayor_es_mejor)}</p>',
                unsafe_allow_html=True)
    st.caption(x.descripcion)
with derecha:
    c.tendencia(v, [x.id])
