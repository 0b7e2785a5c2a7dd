"""The pieces every page is made of: the KPI card, the trend and breakdown charts, the
table with its downloads, and the records behind a number (``look-and-feel.md``)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import cambio, celda, compacto, mes, valor
from dashboards import acceso, datos, filtros
from indicators.estilo import AZUL, AZULES, GRIS, SEMAFORO, SERVICIOS, escala, figura, meses
from dashboards.filtros import Vista
from indicators import catalogo
from indicators.definicion import Indicador, periodo_mas

BADGE = {"cumple": ("green", ":material/check_circle:"), "cerca": ("orange", ":material/warning:"),
         "no cumple": ("red", ":material/cancel:"), "sin meta": ("gray", ":material/remove:"),
         "sin datos": ("gray", ":material/block:")}
GRAFICO = {"displaylogo": False, "locale": "es"}


def indicador(v: Vista, id: str) -> Indicador:
    return catalogo.buscar(v.settings, id)


def serie(v: Vista, ids: list[str], n: int = 13) -> pd.DataFrame:
    """The indicators over the n periods ending at the view's period; a page's charts take
    their series from what its cards already asked for."""
    for pedidos, frame in datos.de_esta_pagina().items():
        if set(ids) <= set(pedidos) and frame["periodo"].nunique() == n:
            return frame[frame["id"].isin(ids)]
    frame = datos.tendencia(v.huella, v.periodo, tuple(ids), v.filtro, n)
    datos.de_esta_pagina()[tuple(ids)] = frame
    return frame


def estado(v: Vista, x: Indicador, valor_, meta) -> str:
    return catalogo.estado(valor_, meta, x.mayor_es_mejor, v.settings.semaforo_tolerancia)


def aviso_filtro(v: Vista, x: Indicador) -> str | None:
    """Where the view's filter does not apply to the indicator, say so."""
    fuera = [d for d, _ in v.filtro if not catalogo.filtrable(x, d)]
    return f"Para toda la empresa: no se desglosa por {' ni '.join(fuera)}." if fuera else None


# --- The KPI card ------------------------------------------------------------------------------

def tarjetas(v: Vista, ids: list[str], por_fila: int = 4) -> None:
    """A row of KPI cards, with the 13 months of each for its sparkline and changes."""
    t = serie(v, ids)
    for i in range(0, len(ids), por_fila):
        for col, id in zip(st.columns(por_fila), ids[i:i + por_fila]):
            with col:
                tarjeta(v, indicador(v, id), t[t["id"] == id])


def tarjeta(v: Vista, x: Indicador, t: pd.DataFrame) -> None:
    """Name, value, goal, state, change vs last month and vs the same month last year, and a
    13-month sparkline; a button opens the records behind it."""
    por_periodo = {f["periodo"]: f for f in t.to_dict("records")}
    actual = por_periodo.get(v.periodo, {"valor": None, "meta": None})
    anterior = por_periodo.get(periodo_mas(v.periodo, -1), {}).get("valor")
    hace_un_anio = por_periodo.get(periodo_mas(v.periodo, -12), {}).get("valor")
    ahora, meta = actual["valor"], actual["meta"]
    st_ = estado(v, x, ahora, meta)
    delta = None if ahora is None or anterior is None else ahora - anterior
    anual = None if ahora is None or hace_un_anio is None else ahora - hace_un_anio
    with st.container(border=True):
        st.metric(x.nombre, compacto(ahora, x.unidad), help=x.descripcion,
                  delta=None if delta is None else cambio(delta, x.unidad), delta_color="off",
                  delta_description=None if delta is None else "vs. mes anterior",
                  chart_data=[float("nan") if y is None else y for y in t["valor"]],
                  chart_type="line")
        color, icono = BADGE[st_]
        st.badge(SEMAFORO[st_][2], icon=icono, color=color)
        meta_txt = f"Meta: {valor(meta, x.unidad)}" if meta is not None else "Sin meta"
        st.caption(f"{meta_txt} · Hace un año: {cambio(anual, x.unidad)}")
        aviso = aviso_filtro(v, x)
        if aviso:
            st.caption(aviso)
        if st.button("Ver registros", key=f"registros_{x.id}", type="tertiary",
                     help="Las filas que forman este número"):
            abrir_registros(x.id)


# --- Charts ------------------------------------------------------------------------------------

def tendencia(v: Vista, ids: list[str], titulo: str | None = None) -> None:
    """The 13-month trend of one or more indicators of the same unit, with the goal."""
    t = serie(v, ids)
    if t["valor"].isna().all():
        st.info("No hay datos de estos meses para dibujar la tendencia.")
        return
    x0 = indicador(v, ids[0])
    k_ = escala(x0.unidad)
    fig = go.Figure()
    for k, id in enumerate(ids):
        d = t[t["id"] == id]
        fig.add_scatter(x=meses(d["periodo"]), y=_por(d["valor"], k_), mode="lines+markers",
                        name=indicador(v, id).nombre, line=dict(color=AZULES[1 + k % 5], width=3),
                        hovertemplate=f"%{{y:,.1f}}{' %' if k_ == 100 else ''}"
                                      f"<extra>%{{fullData.name}}</extra>")
        if d["meta"].notna().any():
            fig.add_scatter(x=meses(d["periodo"]), y=_por(d["meta"], k_), mode="lines",
                            name="Meta", line=dict(color=GRIS, dash="dash"))
    figura(fig, unidad=x0.unidad)
    st.plotly_chart(fig, config=GRAFICO, key=f"tendencia_{'_'.join(ids)}")
    if titulo:
        st.caption(titulo)


def barras(v: Vista, id: str, por: str, titulo: str | None = None) -> None:
    """An indicator by group (municipio, ciclo, estrato, uso, servicio) as bars. A click on a
    bar filters the whole page by that group and opens its records below (``_al_elegir``);
    the chart keeps every group, the chosen one standing out."""
    x = indicador(v, id)
    if por not in x.desgloses:
        return
    otros = tuple((d, g) for d, g in v.filtro if d != por)     # its own filter: highlighted
    g = datos.indicadores(v.huella, v.periodo, otros, (id,), por)
    g = g[g["valor"].notna()]
    if g.empty:
        st.info(f"Sin datos de {x.nombre.lower()} por {por} en {mes(v.periodo)}.")
        return
    elegido = dict(v.filtro).get(por)
    etiquetas = [_grupo(v, por, str(gr)) for gr in g["grupo"]]
    colores = ([SERVICIOS.get(str(gr), AZUL) for gr in g["grupo"]] if por == "servicio"
               else AZUL)
    fig = go.Figure(go.Bar(x=etiquetas, y=_por(g["valor"], escala(x.unidad)), marker_color=colores,
                           marker_opacity=[1 if elegido in (None, str(gr)) else 0.35
                                           for gr in g["grupo"]],
                           customdata=g["grupo"],
                           text=[compacto(y, x.unidad) for y in g["valor"]],
                           textposition="outside", cliponaxis=False,
                           # plotly styles a clicked bar's label from these; without them it
                           # throws and the click never reaches the page
                           selected=dict(textfont=dict(color=GRIS)),
                           unselected=dict(textfont=dict(color=GRIS))))
    figura(fig, unidad=x.unidad).update_layout(hovermode="closest")
    st.markdown(f"**{titulo or x.nombre} por {por}**")
    clave = f"barras_{id}_{por}_{elegido or ''}"       # a new filter, a chart without selection
    st.plotly_chart(fig, config=GRAFICO, on_select=lambda: _al_elegir(v, clave, id, por),
                    selection_mode="points", key=clave)
    st.caption("Un clic en una barra filtra la página por ese grupo; otro clic en ella quita el "
               "filtro." if elegido is None else
               f"Página filtrada por {_grupo(v, por, elegido)}: un clic en su barra quita el "
               f"filtro.")


def _al_elegir(v: Vista, clave: str, id: str, por: str) -> None:
    """A bar chosen: the page filtered by its group (the same bar again: the filter goes), and
    the indicator's records opened below, which the page's filter narrows to the group; a group
    that cannot filter the page ("sin catastro") opens its own records."""
    puntos = st.session_state[clave]["selection"]["points"]
    if not puntos:
        return
    grupo = str(puntos[0]["customdata"])
    if filtros.filtrable(v.settings, por, grupo):
        filtros.filtrar(por, grupo)
        abrir_registros(id)
    else:
        abrir_registros(id, por, grupo)


def agrupado(v: Vista, id: str, columna: str, titulo: str) -> None:
    """An indicator's records summed by one of their own columns (PQR by cause, payments by
    channel), as horizontal bars."""
    x = indicador(v, id)
    g = datos.agrupado(v.huella, id, v.periodo, columna, v.filtro)
    g = g[g["valor"].notna()]
    st.markdown(f"**{titulo}**")
    if g.empty:
        st.info(f"Sin datos de {x.nombre.lower()} en {mes(v.periodo)}.")
        return
    g = g.sort_values("valor")
    fig = go.Figure(go.Bar(y=g[columna], x=_por(g["valor"], escala(x.unidad)), orientation="h",
                           marker_color=AZUL,
                           text=[compacto(y, x.unidad) for y in g["valor"]],
                           textposition="outside", cliponaxis=False))
    figura(fig, alto=max(220, 40 * len(g) + 80), unidad=x.unidad, horizontal=True)
    fig.update_layout(hovermode="closest")
    st.plotly_chart(fig, config=GRAFICO, key=f"agrupado_{id}_{columna}")


def _por(serie_: pd.Series, factor: float) -> list:
    """The values to draw (proportions as percentages); no value stays a gap, never a 0."""
    return [None if y is None or y != y else float(y) * factor for y in serie_]


def _grupo(v: Vista, por: str, grupo: str) -> str:
    return filtros.etiqueta(v.settings, por, grupo)


# --- Tables and downloads ----------------------------------------------------------------------

def tabla(frame: pd.DataFrame, nombre: str, encabezados: dict[str, str] | None = None,
          dinero=(), porcentaje=(), descarga=None) -> None:
    """A table in the users' formats, with its downloads (CSV with BOM and XLSX) of
    ``descarga`` (the whole data, or a function that gives it; by default the table shown)."""
    encabezados = encabezados or {}
    vista = frame.rename(columns=encabezados)
    st.dataframe(vista.style.format({encabezados.get(c, c): _formato(c, dinero, porcentaje)
                                     for c in frame.columns}), hide_index=True)
    descargas(descarga if descarga is not None else frame, nombre, encabezados, dinero,
              porcentaje)


def _formato(columna: str, dinero=(), porcentaje=()):
    """How a column's cells read (``cauce.formato.celda``); the table keeps the values, so it
    sorts by them."""
    return lambda v: celda(columna, v, dinero, porcentaje)


def descargas(frame, nombre: str, encabezados: dict[str, str] | None = None, dinero=(),
              porcentaje=()) -> None:
    """Two buttons: the data as CSV (UTF-8 with BOM, Excel keeps the accents) and as XLSX,
    with user text never turned into a formula (``indicators.exportar``). ``frame`` may be a
    function that gives it: the file is then made only when the button is pressed."""
    datos_ = frame if callable(frame) else (lambda: frame)
    a, b, _ = st.columns([1, 1, 4])
    for col, tipo, texto, mime in (
            (a, ".csv", "Descargar CSV", "text/csv"),
            (b, ".xlsx", "Descargar Excel",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        col.download_button(texto, lambda t=tipo: _archivo(datos_(), t, encabezados, dinero,
                                                           porcentaje),
                            f"{nombre}{tipo}", mime, key=f"{tipo[1:]}_{nombre}",
                            icon=":material/download:", on_click="ignore")


def _archivo(frame, tipo, encabezados, dinero, porcentaje) -> bytes:
    from indicators import exportar
    encabezados = encabezados or {}
    with tempfile.TemporaryDirectory() as d:
        ruta = Path(d) / f"datos{tipo}"
        exportar.escribir(frame.rename(columns=encabezados), ruta,
                          dinero={encabezados.get(c, c) for c in dinero},
                          porcentaje={encabezados.get(c, c) for c in porcentaje})
        return ruta.read_bytes()


def lista(v: Vista, tipo: str) -> None:
    """A working list (``cauce listas``): its first rows, and all of them in the downloads."""
    from indicators import listas
    if not acceso.ve_personales():
        acceso.aviso()
        return
    frame = datos.lista(v.huella, tipo, v.periodo, v.filtro)
    if not datos.hay_datos(v.huella, listas.FUENTES[tipo], v.periodo):
        st.info(f"No hay datos de {listas.FUENTES[tipo]} de {mes(v.periodo)}.")
        return
    if frame.empty:
        st.success(f"La lista está vacía en {mes(v.periodo)}: nada pendiente.")
        return
    st.caption(f"{len(frame):,} filas".replace(",", ".")
               + (f"; se muestran las primeras {datos.FILAS_EN_PAGINA}"
                  if len(frame) > datos.FILAS_EN_PAGINA else "")
               + ". Las descargas traen la lista completa, con todas sus columnas.")
    visibles = [col for col in frame.columns if col not in listas.DETALLE_CUENTA]
    tabla(frame[visibles].head(datos.FILAS_EN_PAGINA), f"{tipo}_{v.periodo}", listas.ENCABEZADOS,
          dinero=("saldo_vencido", "saldo_total"), porcentaje=("variacion",), descarga=frame)


# --- The records behind a number ---------------------------------------------------------------

def abrir_registros(id: str, por: str | None = None, grupo: str | None = None) -> None:
    st.session_state["registros"] = {"id": id, "por": por, "grupo": grupo}
    st.session_state["registros_pagina"] = 1


def filas_de(v: Vista, id: str) -> None:
    """The records an indicator counts, as a list to act on (the overdue filings, the stopped
    meters): the first rows, and all of them in the downloads."""
    x = indicador(v, id)
    st.caption(x.descripcion)
    if not acceso.ve_personales():
        acceso.aviso()
        return
    frame, total = datos.primera_pagina(v.huella, id, v.periodo, v.filtro)
    if total == 0:
        st.success(f"{x.nombre}: ninguno en {mes(v.periodo)}.")
        return
    st.caption(f"{total:,} filas".replace(",", ".")
               + (f"; se muestran las primeras {len(frame)}" if total > len(frame) else "")
               + ". Las descargas las traen todas.")
    from indicators.listas import ENCABEZADOS
    tabla(frame, f"{id}_{v.periodo}", ENCABEZADOS, descarga=lambda: datos.detalle(
        v.huella, id, v.periodo, v.filtro, filas=None))


def registros(v: Vista, ids: list[str]) -> None:
    """The records behind one of the page's indicators (a card's button or a chart's bar
    chooses it): its numerator's and denominator's rows, paged, and whole in a download."""
    st.subheader("Los registros detrás de los números")
    if not acceso.ve_personales():
        acceso.aviso()
        return
    elegido = st.session_state.get("registros") or {}
    opciones = list(dict.fromkeys([*([elegido["id"]] if elegido.get("id") else []), *ids]))
    id = st.selectbox("Indicador", opciones, format_func=lambda i: indicador(v, i).nombre,
                      key=f"registros_id_{'_'.join(ids)}_{elegido.get('id')}")
    x = indicador(v, id)
    por, grupo = (elegido.get("por"), elegido.get("grupo")) if elegido.get("id") == id else (None, None)
    if x.formula is not None:
        st.caption(f"{x.nombre} se calcula de otros indicadores; se muestran los registros de "
                   f"{indicador(v, x.de[0]).nombre.lower()}.")
    primera, total = datos.primera_pagina(v.huella, id, v.periodo, v.filtro, por, grupo)
    if total == 0:
        st.info(f"{x.nombre}: ningún registro en {mes(v.periodo)}"
                + (f" en el grupo «{_grupo(v, por, grupo)}»" if grupo else "") + ".")
        return
    paginas = (total - 1) // datos.FILAS_EN_PAGINA + 1
    pagina = st.number_input(f"Página (de {paginas})", 1, paginas, key="registros_pagina") \
        if paginas > 1 else 1
    frame = primera if pagina == 1 else datos.detalle(v.huella, id, v.periodo, v.filtro, por,
                                                      grupo, pagina - 1)
    st.caption(f"{total:,} registros".replace(",", ".")
               + (f" del grupo «{_grupo(v, por, grupo)}» ({por})" if grupo else "")
               + f"; se muestran {len(frame):,}".replace(",", ".")
               + ". «numerador» y «denominador» dicen lo que cada fila suma a cada uno.")
    st.dataframe(frame.style.format({c: _formato(c) for c in frame.columns}), hide_index=True)
    descargas(lambda: datos.detalle(v.huella, id, v.periodo, v.filtro, por, grupo, 0, None),
              f"registros_{id}_{v.periodo}" + (f"_{grupo}" if grupo else ""))
