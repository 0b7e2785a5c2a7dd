"""Cargar datos: upload a month's export files, load them, and see what was refused."""
import contextlib
import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cauce import CauceError
from cauce.acciones.carga import FUENTES, CargaInterrumpida, Remedio, fuente_de_archivo, que_revisa
from cauce.formato import miles, porcentaje
from dashboards import componentes as c
from dashboards import datos
from indicators import MESES_DE_TENDENCIA

FORZAR = "Cargar también los archivos que superan una tolerancia de calidad"


def propio(nombre: str) -> str:
    """A file's own name, without any folder the browser sent with it."""
    return Path(nombre.replace("\\", "/")).name


def nombre_generado(original: str, n: int) -> str:
    """The name an uploaded file is stored under: its source, a number and a clean excerpt of
    its name (letters, digits, dot, dash), whatever the browser sent."""
    nombre = propio(original)
    fuente = fuente_de_archivo(nombre)
    resto = re.sub(r"[^\w.-]", "_", Path(nombre).stem[len(fuente):], flags=re.ASCII)[:60]
    return f"{fuente}_{n:03d}{resto}{Path(nombre).suffix.lower()}"


def propios(texto: str | None, originales: dict[str, str]) -> str | None:
    """A result or a message with the names the user knows instead of the stored ones."""
    for guardado, original in originales.items():
        texto = texto and texto.replace(guardado, original)
    return texto


def en_espanol(tipos: list[str]) -> str:
    """Streamlit 1.67 cannot be told the upload box's texts ("Upload", "200MB per file",
    "Drag and drop files here"; streamlit/streamlit#13500): CSS hides them and writes the
    Spanish ones in their place, with the size limit the server has."""
    mb = st.get_option("server.maxUploadSize")
    limite = f"{miles(mb // 1024)} GB" if mb % 1024 == 0 else f"{miles(mb)} MB"
    caja = '[data-testid="stFileUploaderDropzone"]'
    tipos_ = " o ".join(t.upper() for t in tipos)
    return f"""<style>
{caja} button [data-testid="stMarkdownContainer"] p {{font-size: 0;}}
{caja} button [data-testid="stMarkdownContainer"] p::after {{
  content: "Elegir archivos"; font-size: 1rem;}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "o arrástrelos aquí · hasta {limite} por archivo · {tipos_}";
  font-size: 0.875rem;}}
[data-testid="stFileUploaderDropzoneInput"] + div span {{font-size: 0;}}
[data-testid="stFileUploaderDropzoneInput"] + div span::after {{
  content: "Suelte aquí los archivos"; font-size: 1rem;}}
</style>"""


def rechazo(r) -> str:
    """Why a file was refused, with this page's remedy (the checkbox, not a command)."""
    excesos = [b for b in r.calidad if b.excede]
    if r.remedio is not Remedio.FORZAR or not excesos:
        return r.mensaje
    return (f"{r.archivo}: rechazado por calidad: " + "; ".join(hallazgo(b) for b in excesos)
            + f". El almacén no cambió. Corrija el archivo en el sistema de origen, o marque "
              f"«{FORZAR}» y vuelva a cargarlo.")


def hallazgo(b) -> str:
    """A rule's finding in words: what it checks, how many rows it flagged, its tolerance."""
    tolerancia = "" if b.tolerancia is None else f"; tolerancia {porcentaje(b.tolerancia)}"
    que = que_revisa(b.regla).rstrip(".")
    return (f"«{que}»: no se cumple en {miles(b.fallidas)} de {miles(b.total)} filas "
            f"({porcentaje(b.proporcion)}{tolerancia})")


st.title("Cargar datos")
st.markdown(
    "Suba los archivos de exportación del mes (`.csv` o `.xlsx`). El nombre de cada archivo "
    f"empieza por su fuente: {', '.join(f'`{s}`' for s in FUENTES)} (por ejemplo "
    "`facturas_2026-10.csv`). Cada archivo se revisa y se carga completo o nada; las filas "
    "inválidas quedan en cuarentena. Lo mismo que `cauce cargar CARPETA`.")
st.html(en_espanol(["csv", "xlsx"]))
archivos = st.file_uploader("Archivos de exportación", type=["csv", "xlsx"],
                            accept_multiple_files=True)
forzar = st.checkbox(f"{FORZAR} (queda registrado)")
ajenos = [f.name for f in archivos or [] if fuente_de_archivo(propio(f.name)) is None]
if ajenos:
    st.error(f"No se reconoce la fuente de {', '.join(ajenos)}: el nombre de cada archivo debe "
             f"empezar por su fuente (por ejemplo `facturas_2026-10.csv`). Cámbielo y vuelva a "
             f"subirlo.")
elif archivos and st.button("Cargar", type="primary"):
    barra = st.progress(0.0, text="Preparando…")
    originales = {}
    with tempfile.TemporaryDirectory(prefix="cauce_carga_") as carpeta:
        for i, f in enumerate(archivos, 1):
            originales[guardado := nombre_generado(f.name, i)] = f.name
            (Path(carpeta) / guardado).write_bytes(f.getvalue())

        def progreso(archivo: str, hecho: int, total: int) -> None:
            barra.progress(min(1.0, hecho / total) if total else 1.0,
                           text=f"Cargando {propios(archivo, originales)}…")
        def calculando(_archivos):
            barra.progress(1.0, text=f"Calculando los indicadores de los últimos "
                                     f"{MESES_DE_TENDENCIA} meses…")
            return contextlib.nullcontext()
        try:
            hecha = datos.cargar(Path(carpeta), progreso, forzar, calculando)
            resultados = hecha.archivos
            if not hecha.indicadores_guardados:
                st.session_state["aviso_carga"] = (
                    f"Los datos quedaron cargados, pero no se guardaron los indicadores de los "
                    f"últimos {MESES_DE_TENDENCIA} meses: cada página los calculará al abrirla "
                    f"(tarda más).")
        except CargaInterrumpida as e:      # the files before the error stay loaded
            resultados, st.session_state["error_carga"] = e.hechos, propios(e.mensaje, originales)
        except CauceError as e:
            barra.empty()
            st.error(e.mensaje)
            if e.detalle:
                st.caption(e.detalle)
            st.stop()
    for r in resultados:
        r.archivo, r.mensaje = propios(r.archivo, originales), propios(r.mensaje, originales)
    st.session_state["ultima_carga"] = resultados
    st.rerun()          # the sidebar offers the periods just loaded

if error := st.session_state.pop("error_carga", None):
    st.error(error)
if aviso := st.session_state.pop("aviso_carga", None):
    st.warning(aviso)
resultados = st.session_state.get("ultima_carga")
if resultados:
    estados = {"cargado": "✔ cargado", "forzado": "▲ forzado", "sin_cambios": "● ya estaba cargado",
               "rechazado": "✖ rechazado"}
    resumen = pd.DataFrame([{"archivo": r.archivo, "fuente": r.fuente or "—",
                             "estado": estados[r.estado], "leidas": r.leidas,
                             "cargadas": r.cargadas, "cuarentena": r.cuarentena,
                             "segundos": round(r.segundos, 1)} for r in resultados])
    st.subheader("Resumen de la carga")
    c.tabla(resumen, "resumen_carga", {"archivo": "Archivo", "fuente": "Fuente",
                                       "estado": "Estado", "leidas": "Leídas",
                                       "cargadas": "Cargadas", "cuarentena": "En cuarentena",
                                       "segundos": "Segundos"})
    for r in resultados:
        if r.estado == "rechazado":
            st.error(f"Rechazado: {rechazo(r)}")
            if r.detalle:
                st.caption(r.detalle)
        for b in r.calidad:
            if b.fallidas:
                st.warning(f"{r.archivo}: {hallazgo(b)}.")
    if any(r.cuarentena for r in resultados):
        st.caption("Las filas en cuarentena quedan en la tabla «cuarentena» del almacén con el "
                   "archivo, la fila, la columna, el valor y el motivo; la página Calidad de "
                   "datos las resume.")
