"""Documentos: a numbered batch of letters, notices or statements, and the register with each
document's state (``cauce documentos``). Personal data: administrador and analista only."""
import streamlit as st

from cauce import CauceError
from cauce.acciones import documentos as acc
from cauce.formato import mes, miles
from dashboards import acceso, componentes, datos
from dashboards.filtros import vista
from indicators import listas

v = vista()
st.title(f"Documentos: {v.titulo}")
if not acceso.ve_personales():
    acceso.aviso()
    st.stop()

st.subheader("Generar un lote")
st.caption("Las cartas, avisos y cuentas de cobro del periodo desde las plantillas de Word, "
           "numerados y anotados en el registro (lo mismo que `cauce documentos`): un .docx con "
           "un documento por página para imprimir y un .zip con un .docx por documento. Pedir "
           "otra vez el mismo tipo y periodo da los mismos documentos con los mismos números.")
tipo = st.selectbox("Tipo de documento", acc.TIPOS, format_func=acc.TITULOS.get)
reemitir = st.checkbox("Reemitir: anular el lote ya emitido de este tipo y periodo y numerar uno "
                       "nuevo")
if st.button("Generar el lote", icon=":material/description:"):
    with st.spinner(f"Escribiendo {acc.TITULOS[tipo].lower()} de {mes(v.periodo)}…"):
        try:
            st.session_state["documentos"] = (v.periodo, tipo,
                                              *datos.emitir_documentos(tipo, v.periodo, reemitir))
        except CauceError as e:
            st.error(e.mensaje)
hecho = st.session_state.get("documentos")
if hecho and hecho[:2] == (v.periodo, tipo):
    lote, docx, paquete = hecho[2:]
    if lote is None:
        st.info(f"No hay destinatarios de «{acc.TITULOS[tipo]}» en {mes(v.periodo)}.")
    else:
        previo = "" if lote.nuevo else " Ya estaba emitido: son los mismos números."
        n = len(lote.numeros)
        cuantos = "1 documento, el" if n == 1 else f"{miles(n)} documentos, del"
        hasta = "" if n == 1 else f" al {lote.numeros[-1]}"
        st.success(f"Lote {lote.lote}: {cuantos} {lote.numeros[0]}{hasta}.{previo}")
        a, b, _ = st.columns([1, 1, 2])
        a.download_button("Descargar para imprimir (.docx)", docx, lote.docx.name,
                          "application/vnd.openxmlformats-officedocument.wordprocessingml."
                          "document", on_click="ignore", icon=":material/print:")
        b.download_button("Descargar uno por documento (.zip)", paquete, lote.zip.name,
                          "application/zip", on_click="ignore", icon=":material/download:")

st.subheader("Registro")
st.caption("Cada documento emitido con su estado hoy, según los datos cargados: un aviso o una carta "
           "se cierra con el pago de su valor, la suspensión o un reclamo posteriores a su "
           "emisión; si no, está abierto, y vencido pasada su fecha límite.")
a, b, c = st.columns(3)
filtro_tipo = a.selectbox("Tipo", [None, *acc.TIPOS],
                          format_func=lambda t: "Todos" if t is None else acc.TITULOS[t])
del_periodo = b.checkbox(f"Solo los de {mes(v.periodo)}", value=True)
registro = datos.registro_de_documentos(filtro_tipo, v.periodo if del_periodo else None)
estados = c.multiselect("Estado", sorted(set(registro["estado"])), placeholder="Todos")
if estados:
    registro = registro[registro["estado"].isin(estados)]
if registro.empty:
    st.info("No hay documentos en el registro con esos filtros.")
else:
    registro = registro.assign(tipo=registro["tipo"].map(acc.TITULOS))
    # The register in the users' formats (pesos, dates), with its downloads.
    componentes.tabla(registro, "registro_documentos",
                      {**listas.ENCABEZADOS, "lote": "Lote", "entidad": "Entidad",
                       "municipio": "Municipio"}, dinero=("valor",))
