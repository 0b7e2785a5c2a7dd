"""Calidad de datos: each check of the current loads, what it flagged, and the GX Data Docs."""
import io
import zipfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cauce import CauceError
from cauce.acciones import calidad as informe
from cauce.formato import mes
from dashboards import componentes as c
from dashboards import acceso, datos
from dashboards.filtros import vista

v = vista()
st.title("Calidad de datos")
solo_mes = st.toggle(f"Solo las cargas con datos de {mes(v.periodo)}", value=False)
controles = datos.calidad(v.huella, v.periodo if solo_mes else None)
if not controles:
    st.info("Las cargas vigentes no tienen controles registrados.")
else:
    frame = pd.DataFrame([{
        "fuente": ctl.fuente, "regla": ctl.regla, "descripcion": ctl.descripcion,
        "fallidas": ctl.fallidas, "total": ctl.total,
        "proporcion": ctl.proporcion if ctl.total else None, "tolerancia": ctl.tolerancia,
        "estado": informe.estado(ctl), "ejemplos": ", ".join(ctl.ejemplos[:5]),
    } for ctl in controles])
    if not acceso.ve_personales():      # the examples are account keys and values of rows
        frame = frame.drop(columns="ejemplos")
    excede = int((frame["estado"] == "excede").sum())
    a, b, d = st.columns(3)
    a.metric("Controles", len(frame))
    b.metric("Con hallazgos", int((frame["fallidas"] > 0).sum()))
    d.metric("Sobre la tolerancia", excede)
    st.caption("Señaladas: filas que el control marcó, de las que revisó. «excede»: el archivo pasó "
               "la tolerancia que fijó el administrador de Cauce y solo se cargó forzado. Corrija "
               "las claves de los ejemplos en el sistema de origen.")
    c.tabla(frame, f"calidad_{v.periodo if solo_mes else 'vigentes'}",
            {"fuente": "Fuente", "regla": "Regla", "descripcion": "Qué revisa",
             "fallidas": "Señaladas", "total": "Revisadas", "proporcion": "Proporción",
             "tolerancia": "Tolerancia", "estado": "Estado", "ejemplos": "Ejemplos"},
            porcentaje=("proporcion", "tolerancia"))

st.subheader("Informe detallado (Great Expectations)")
if not acceso.ve_personales():      # Data Docs show the flagged rows' values
    acceso.aviso()
    st.stop()
st.caption("El informe navegable con cada validación de cada archivo cargado (Data Docs). Se "
           "descarga como un .zip: ábralo y haga doble clic en index.html; abre sin internet.")
st.caption("Es el detalle técnico, en inglés, de Great Expectations; el resumen en español es "
           "esta página.")
if st.button("Preparar el informe detallado"):
    try:
        with st.spinner("Construyendo el informe…"):
            indice = informe.html(v.settings)
        memoria = io.BytesIO()
        with zipfile.ZipFile(memoria, "w", zipfile.ZIP_DEFLATED) as z:
            for f in Path(indice).parent.rglob("*"):
                if f.is_file():
                    z.write(f, f.relative_to(Path(indice).parent))
        st.download_button("Descargar el informe (.zip)", memoria.getvalue(),
                           "calidad_data_docs.zip", "application/zip", on_click="ignore",
                           icon=":material/download:")
    except CauceError as e:
        st.info(e.mensaje)
