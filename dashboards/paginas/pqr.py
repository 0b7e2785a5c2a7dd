"""PQR: filings answered on time (business days), by cause and channel, and those at risk."""
import streamlit as st

from dashboards import componentes as c
from cauce.formato import nombre_de_codigo
from dashboards.filtros import vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["pqr"]


def plazos(por_tipo: dict[str, int]) -> str:
    """The terms in the users' words: "15 días hábiles para petición, queja y reclamo;
    sugerencia: sin término"."""
    grupos: dict[int, list[str]] = {}
    for tipo, dias in por_tipo.items():
        grupos.setdefault(dias, []).append(nombre_de_codigo(tipo))
    return "; ".join(f"{dias} días hábiles para {_y(tipos)}" if dias
                     else f"{_y(tipos)}: sin término"
                     for dias, tipos in sorted(grupos.items(), key=lambda g: -g[0]))


def _y(nombres: list[str]) -> str:
    return " y ".join(filter(None, [", ".join(nombres[:-1]), nombres[-1]]))


v = vista()
st.title(f"PQR: {v.titulo}")
st.caption(f"Términos en días hábiles (Ley 142 art. 158, Ley 1755 de 2015), con los festivos de "
           f"Colombia: {plazos(v.settings.pqr_plazos)}.")
c.tarjetas(v, IDS)
c.tendencia(v, ["pqr.oportunidad"])
c.agrupado(v, "pqr.radicadas", "causal", "PQR radicadas por causal")
izquierda, derecha = st.columns(2)
with izquierda:
    c.agrupado(v, "pqr.radicadas", "canal", "PQR radicadas por canal")
with derecha:
    c.agrupado(v, "pqr.oportunidad", "tipo", "Respondidas a tiempo por tipo de trámite")
st.subheader("PQR en riesgo de vencer")
st.caption("Abiertas, con su vencimiento y los días hábiles que les quedan.")
c.lista(v, "pqr_en_riesgo")
st.subheader("PQR vencidas sin respuesta")
c.filas_de(v, "pqr.vencidas_sin_respuesta")
c.registros(v, IDS)
