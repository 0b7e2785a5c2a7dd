"""Reportes: the month's indicators and working lists, to download."""
import streamlit as st

from cauce import CauceError
from cauce.acciones import sui
from cauce.formato import mes
from dashboards import componentes as c
from dashboards import acceso, datos
from dashboards.filtros import vista
from indicators import MESES_DE_TENDENCIA, informe, listas

v = vista()
st.title(f"Reportes: {v.titulo}")

st.subheader("Indicadores del mes")
st.caption("Cada indicador del catálogo con su meta, si la cumple, su numerador y su denominador "
           "(lo mismo que `cauce indicadores`).")
todos, unidades = informe.indicadores_del_mes(datos.indicadores(v.huella, v.periodo, v.filtro),
                                             v.settings)
c.descargas(todos, f"indicadores_{v.periodo}", por_fila=unidades)

st.subheader("Listas de trabajo")
tipo = st.selectbox("Lista", listas.LISTAS, format_func=listas.TITULOS.get)
c.lista(v, tipo)

st.subheader("Informe anual")
st.caption("El informe del año (lo mismo que `cauce informe --anio`): cada indicador con sus 12 "
           "meses y frente al año anterior, facturación, recaudo y cartera por municipio y "
           "servicio, PQR, usuarios, la proyección del año siguiente y la sección pública «Uso "
           "de los subsidios». Solo cifras agregadas.")
anios = sorted({int(p[:4]) for p in datos.periodos(v.huella)}, reverse=True)
anio = st.selectbox("Año", anios, index=anios.index(int(v.periodo[:4])))
if st.button("Preparar el informe anual", icon=":material/calendar_today:"):
    with st.spinner(f"Calculando {anio} y {anio - 1}, la proyección y el uso de los subsidios…"):
        st.session_state["informe_anual"] = (v.huella, anio, *datos.informe_anual(v.huella, anio))
anual = st.session_state.get("informe_anual")
if anual and anual[:2] == (v.huella, anio):
    faltan = anual[2]
    if faltan:
        st.info(f"Faltan {len(faltan)} de los 12 meses de {anio} "
                f"({', '.join(mes(p) for p in faltan)}): el año se calcula con los meses que hay.")
    a, b, _ = st.columns([1, 1, 3])
    a.download_button("Descargar el libro del año (.xlsx)", anual[3], f"informe_{anio}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      on_click="ignore", icon=":material/download:")
    b.download_button("Descargar la versión para publicar (.html)", anual[4],
                      f"informe_{anio}.html", "text/html", on_click="ignore",
                      icon=":material/download:")

st.subheader("Informe mensual y presentación")
st.caption("El libro de Excel del mes (resumen con metas y estados, una hoja por área con su "
           "tendencia, desgloses y gráficos, y las listas) y la presentación para la reunión (un "
           "HTML que abre sin internet, solo con agregados). Lo mismo que `cauce informe`; para "
           "toda la empresa, sin los filtros de la barra lateral.")
if not acceso.ve_personales():      # consulta: the presentation, aggregates only
    acceso.aviso()
    if st.button("Preparar la presentación", icon=":material/co_present:"):
        with st.spinner(f"Calculando los indicadores de {mes(v.periodo)} y sus "
                    f"{MESES_DE_TENDENCIA - 1} meses anteriores…"):
            html = datos.presentacion(v.huella, v.periodo)
        st.download_button("Descargar la presentación (.html)", html, f"informe_{v.periodo}.html",
                           "text/html", on_click="ignore", icon=":material/download:")
    st.stop()
if st.button("Preparar el informe", icon=":material/summarize:"):
    with st.spinner(f"Calculando los indicadores de {mes(v.periodo)} y sus "
                    f"{MESES_DE_TENDENCIA - 1} meses anteriores…"):
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
st.caption("El archivo plano para el cargue masivo en el SUI, validado campo por campo antes de "
           "escribirse, y su copia en Excel para revisarlo (lo mismo que `cauce sui`). Para toda "
           "la empresa.")
disponibles = sui.nombres(v.settings)
formato = st.selectbox("Formato", disponibles,
                       format_func=lambda nombre: sui.disenio(nombre, v.settings).titulo)
if st.button("Preparar el reporte al SUI", icon=":material/fact_check:"):
    with st.spinner(f"Armando y validando {formato} de {mes(v.periodo)}…"):
        try:
            st.session_state["sui"] = (v.huella, v.periodo, formato,
                                       *datos.sui(v.huella, formato, v.periodo))
        except CauceError as e:
            st.error(e.mensaje)
hecho = st.session_state.get("sui")
if hecho and hecho[:3] == (v.huella, v.periodo, formato):
    filas, errores, plano, libro = hecho[3:]
    if errores:
        st.error(f"El reporte de {mes(v.periodo)} ({filas} filas) no pasa la validación; no se "
                 f"genera el archivo. Corrija estos datos en el sistema comercial (o fije los "
                 f"valores de su tarifa en un formato de formatos_sui/, ver el README) y vuelva a "
                 f"cargar:")
        st.code("\n".join(errores), language=None)
    elif not filas:
        st.info(f"El reporte de {mes(v.periodo)} no tiene filas: no hay datos de ese periodo.")
    else:
        st.success(f"{filas} filas validadas.")
        a, b, _ = st.columns([1, 1, 3])
        a.download_button("Descargar el archivo plano", plano,
                          f"sui_{formato}_{v.periodo}.csv", "text/csv", on_click="ignore",
                          icon=":material/download:")
        b.download_button("Descargar la copia en Excel", libro,
                          f"sui_{formato}_{v.periodo}.xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:")
