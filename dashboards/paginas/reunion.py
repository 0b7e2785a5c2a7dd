"""Modo reunión: one indicator per slide, full screen, for the team meeting.

Aggregates only: every number comes from the catalogue's totals; no list, no record, no
name, document, address, phone or per-account debt is drawn here.

← → move between slides, and so do PageUp and PageDown (what a presenter's clicker sends):
Streamlit's own button shortcuts, one key per button, so the two page keys have buttons of
their own, kept out of sight. At the first and the last slide the way on is disabled: no
silent jump from the last slide back to the first.
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
.st-key-reunion_teclas {display: none;}
.valor-reunion {font-size: 88px; font-weight: 700; line-height: 1.1;}
.estado-reunion {font-size: 32px; font-weight: 600;}
.lectura-reunion {font-size: 26px;}
</style>""", unsafe_allow_html=True)


def _mover(paso: int, cuantas: int) -> None:
    """One slide on or back, stopping at the first and the last."""
    st.session_state["diapositiva"] = min(max(st.session_state["diapositiva"] + paso, 0),
                                          cuantas - 1)


n = len(diapositivas)
i = st.session_state["diapositiva"] = min(max(st.session_state.get("diapositiva", 0), 0), n - 1)
x = c.indicador(v, diapositivas[i])
todas = c.serie(v, diapositivas)        # one computation for every slide
t = todas[todas["id"] == x.id]
actual = t[t["periodo"] == v.periodo].iloc[0]
estado = c.estado(v, x, actual["valor"], actual["meta"])
color, icono, palabra = SEMAFORO[estado]

atras, centro, adelante, salir = st.columns([1, 6, 1, 1])
atras.button("◀ Anterior", shortcut="Left", disabled=i == 0, on_click=_mover, args=(-1, n),
             width="stretch")
adelante.button("Siguiente ▶", shortcut="Right", disabled=i == n - 1, on_click=_mover,
                args=(1, n), width="stretch")
with st.container(key="reunion_teclas"):       # hidden: PageUp / PageDown
    st.button("Anterior (RePág)", shortcut="PageUp", disabled=i == 0, on_click=_mover,
              args=(-1, n))
    st.button("Siguiente (AvPág)", shortcut="PageDown", disabled=i == n - 1, on_click=_mover,
              args=(1, n))
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
