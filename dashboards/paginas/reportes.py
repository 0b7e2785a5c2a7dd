"""Reportes: the month's indicators and working lists, to download."""
import streamlit as st

from cauce.formato import mes
from dashboards import componentes as c
from dashboards import datos
from dashboards.filtros import vista

LISTAS = {"persuasivo": "Cobro persuasivo", "prejuridico": "Cobro prejurídico",
          "juridico": "Cobro jurídico", "suspension": "Suspensión del servicio",
          "desviaciones": "Desviaciones significativas", "pqr_en_riesgo": "PQR en riesgo de vencer",
          "ordenes_vencidas": "Órdenes vencidas"}

v = vista()
st.title(f"Reportes: {v.titulo}")

st.subheader("Indicadores del mes")
st.caption("Cada indicador del catálogo con su meta, si la cumple, su numerador y su denominador "
           "(lo mismo que `cauce indicadores`).")
todos = datos.indicadores(v.huella, v.periodo, v.filtro)
c.descargas(todos, f"indicadores_{v.periodo}")

st.subheader("Listas de trabajo")
tipo = st.selectbox("Lista", list(LISTAS), format_func=LISTAS.get)
c.lista(v, tipo)

st.subheader("Informe mensual y presentación")
st.caption("El libro de Excel del mes (resumen con metas y estados, una hoja por área con su "
           "tendencia, desgloses y gráficos, y las listas) y la presentación para la reunión (un "
           "HTML que abre sin internet, solo con agregados). Lo mismo que `cauce informe`; para "
           "toda la empresa, sin los filtros de la barra lateral.")
if st.button("Preparar el informe", icon=":material/summarize:"):
    with st.spinner(f"Calculando los indicadores de {mes(v.periodo)} y sus 12 meses anteriores…"):
        st.session_state["informe"] = (v.huella, v.periodo, *datos.informe(v.huella, v.periodo))
preparado = st.session_state.get("informe")
if preparado and preparado[:2] == (v.huella, v.periodo):
    a, b, _ = st.columns([1, 1, 3])
    a.download_button("Descargar el libro (.xlsx)", preparado[2], f"informe_{v.periodo}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      on_click="ignore", icon=":material/download:")
    b.download_button("Descargar la presentación (.html)", preparado[3],
                      f"informe_{v.periodo}.html", "text/html", on_click="ignore",
                      icon=":material/download:")

st.subheader("Reportes al SUI")
st.info("Los archivos del SUI se generan con `cauce sui FORMATO --periodo AAAA-MM --salida "
        "ARCHIVO` (pqr, facturacion_acueducto, facturacion_alcantarillado), que los valida antes "
        "de escribirlos.")
