"""The pieces every page is made of: the KPI card, the trend and breakdown charts, the
table with its downloads, and the records behind a number (``look-and-feel.md``)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cauce.formato import (cambio, celda, compacto, en_frase, mes, miles, nombre_de_codigo, pesos,
                           provisional, valor)
from dashboards import acceso, datos, filtros
from indicators.estilo import (AZUL, AZULES, GRIS, SEMAFORO, SERVICIOS, escala, etiquetas,
                               figura, meses)
from dashboards.filtros import Vista
from indicators import MESES_DE_TENDENCIA, catalogo
from indicators.definicion import AUN_NO_VENCE, Indicador, periodo_mas
from indicators.listas import ENCABEZADOS

BADGE = {"cumple": ("green", ":material/check_circle:"), "cerca": ("orange", ":material/warning:"),
         "no cumple": ("red", ":material/cancel:"), "sin meta": ("gray", ":material/remove:"),
         "sin datos": ("gray", ":material/block:")}
GRAFICO = {"displaylogo": False, "locale": "es"}


def indicador(v: Vista, id: str) -> Indicador:
    return catalogo.buscar(v.settings, id)


def serie(v: Vista, ids: list[str], n: int = MESES_DE_TENDENCIA) -> pd.DataFrame:
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
    st.html(ESTILO_TARJETAS)
    for i in range(0, len(ids), por_fila):
        for col, id in zip(st.columns(por_fila), ids[i:i + por_fila]):
            with col:
                tarjeta(v, indicador(v, id), t[t["id"] == id])


# What st.metric cannot be told: the card's name wraps onto a second line instead of being
# cut ("Nivel de satisfacción del usu…"), with room for two lines in every card so that the
# values of a row line up; a value in words ("$ 1,2 mil millones") wraps rather than being
# cut; a change never breaks inside its figure ("+$" / "5.995.465").
ESTILO_TARJETAS = """<style>
[data-testid="stMetricLabel"] {min-height: 2.6em; align-items: flex-start;}
[data-testid="stMetricLabel"] .stMarkdownEllipsis,
[data-testid="stMetricLabel"] .stMarkdownEllipsis p,
[data-testid="stMetricValue"] .stMarkdownEllipsis,
[data-testid="stMetricValue"] .stMarkdownEllipsis p {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: normal;}
[data-testid="stMetricValue"] {font-size: 2rem; line-height: 1.15;}
div:has(> [data-testid="stMetricDelta"]) {flex-wrap: wrap; row-gap: 0.25rem;}
[data-testid="stMetricDelta"] p {white-space: nowrap;}
</style>"""


def _junto(texto: str) -> str:
    """A figure that must not break across lines ("+$ 24 millones")."""
    return texto.replace(" ", "\u00a0")


def tarjeta(v: Vista, x: Indicador, t: pd.DataFrame) -> None:
    """Name, value, goal, state, change vs last month and vs the same month last year, and a
    13-month sparkline; a button opens the records behind it. The cards of a row are as tall
    as the tallest."""
    por_periodo = {f["periodo"]: f for f in t.to_dict("records")}
    actual = por_periodo.get(v.periodo, {"valor": None, "meta": None})
    anterior = por_periodo.get(periodo_mas(v.periodo, -1), {}).get("valor")
    hace_un_anio = por_periodo.get(periodo_mas(v.periodo, -12), {}).get("valor")
    ahora, meta = actual["valor"], actual["meta"]
    st_ = estado(v, x, ahora, meta)
    delta = None if ahora is None or anterior is None else ahora - anterior
    anual = None if ahora is None or hace_un_anio is None else ahora - hace_un_anio
    cambio_ = None if delta is None else cambio(delta, x.unidad)
    with st.container(border=True, height="stretch"):
        st.metric(x.nombre, compacto(ahora, x.unidad), help=x.descripcion,
                  delta=None if cambio_ is None else _junto(cambio_), delta_color="off",
                  delta_arrow="auto" if cambio_ and cambio_[0] in "+-" else "off",
                  delta_description=None if delta is None else "vs. mes anterior",
                  chart_data=[float("nan") if y is None else y for y in t["valor"]],
                  chart_type="line")
        color, icono = BADGE[st_]
        st.badge(SEMAFORO[st_][2], icon=icono, color=color)
        if actual.get("provisional"):
            aviso_provisional(v, actual["provisional"])
        if ahora is None and x.area == "nsu":
            ultima_ronda(v, x)
        meta_txt = f"Meta: {_junto(valor(meta, x.unidad))}" if meta is not None else "Sin meta"
        st.caption(f"{meta_txt} · Hace un año: {_junto(cambio(anual, x.unidad))}")
        aviso = aviso_filtro(v, x)
        if aviso:
            st.caption(aviso)
        if st.button("Ver registros", key=f"registros_{x.id}", type="tertiary",
                     help="Las filas que forman este número"):
            abrir_registros(x.id, siempre=True)


def aviso_provisional(v: Vista, pendientes: int) -> None:
    """"Provisional: 15 aún no vencen": the value judges only what was due by the data's
    cut-off, and will change with the next exports."""
    st.badge(f"Provisional: {provisional(pendientes)}", icon=":material/schedule:",
             color="violet",
             help=f"El corte de los datos es el {datos.corte(v.huella):%d/%m/%Y} (la última fecha "
                  f"de las exportaciones cargadas). Lo que vence después aún no se juzga: el "
                  f"valor puede cambiar con las próximas exportaciones.")


def ultima_ronda(v: Vista, x: Indicador) -> None:
    """An NSU indicator without a value in P (its round has no survey yet): the last round
    with answers, «Última ronda: 2026-S1, 77,3 %»."""
    r = datos.ultima_ronda(v.huella, x.id, v.periodo, v.filtro)
    if r is not None:
        st.caption(f"Última ronda: {r['ronda']}, {valor(r['valor'], x.unidad)}")


# --- Charts ------------------------------------------------------------------------------------

def tendencia(v: Vista, ids: list[str], titulo: str | None = None) -> None:
    """The 13-month trend of one or more indicators of the same unit, each with its goal;
    the title says what is drawn (by default the indicators' names)."""
    t = serie(v, ids)
    nombres = [indicador(v, id).nombre for id in ids]
    titulo = titulo or " y ".join([nombres[0], *map(en_frase, nombres[1:])])
    if t["valor"].isna().all():
        st.info(f"{titulo}: no hay datos de estos meses para dibujar la tendencia.")
        return
    x0 = indicador(v, ids[0])
    k_ = escala(x0.unidad)
    fig = go.Figure()
    for k, (id, nombre) in enumerate(zip(ids, nombres)):
        d = t[t["id"] == id]
        color = AZULES[1 + k % 5]
        fig.add_scatter(x=meses(d["periodo"]), y=_por(d["valor"], k_), mode="lines+markers",
                        name=nombre, line=dict(color=color, width=3),
                        hovertemplate=f"%{{y:,.1f}}{' %' if k_ == 100 else ''}"
                                      f"<extra>%{{fullData.name}}</extra>")
        if d["meta"].notna().any():     # each goal named after its indicator, in its colour
            fig.add_scatter(x=meses(d["periodo"]), y=_por(d["meta"], k_), mode="lines",
                            name="Meta" if len(ids) == 1 else f"Meta: {en_frase(nombre)}",
                            line=dict(color=color, dash="dash", width=2))
    figura(fig, unidad=x0.unidad, titulo=f"{titulo}, últimos {MESES_DE_TENDENCIA} meses")
    st.plotly_chart(fig, config=GRAFICO, key=f"tendencia_{'_'.join(ids)}")


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
        st.info(f"Sin datos de {en_frase(x.nombre)} por {por} en {mes(v.periodo)}.")
        return
    elegido = dict(v.filtro).get(por)
    nombres = [_grupo(v, por, str(gr)) for gr in g["grupo"]]
    colores = ([SERVICIOS.get(str(gr), AZUL) for gr in g["grupo"]] if por == "servicio"
               else AZUL)
    fig = _barras_horizontales(nombres, g["valor"], x.unidad, colores, g["grupo"],
                               f"{titulo or x.nombre} por {por}",
                               por_valor=por not in ("estrato", "ciclo", "ruta"), elegido=elegido)
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
    channel), as horizontal bars, each group by its name."""
    x = indicador(v, id)
    g = datos.agrupado(v.huella, id, v.periodo, columna, v.filtro)
    g = g[g["valor"].notna()]
    if g.empty:
        st.markdown(f"**{titulo}**")
        st.info(f"Sin datos de {en_frase(x.nombre)} en {mes(v.periodo)}.")
        return
    fig = _barras_horizontales([_nombre_de_grupo(v, columna, str(gr)) for gr in g[columna]],
                               g["valor"], x.unidad, AZUL, g[columna], titulo)
    st.plotly_chart(fig, config=GRAFICO, key=f"agrupado_{id}_{columna}")


def _barras_horizontales(nombres: list[str], valores: pd.Series, unidad: str, colores,
                         claves, titulo: str, por_valor: bool = True,
                         elegido: str | None = None) -> go.Figure:
    """Breakdown bars: horizontal, so that long group names and value labels
    (``$ 163 millones``) have room at any width; the largest on top, or the groups in their
    own order (estratos, ciclos). Every bar carries its value, so the value axis is left out
    (its long ticks, "$ 150.000.000", crowd a half-width chart). The groups are categories,
    even when their keys are numbers (cause codes). With a group ``elegido`` (the page's
    filter) the other bars are pale."""
    orden = list(range(len(nombres)))
    if por_valor:
        orden.sort(key=lambda i: -valores.iloc[i])
    y = [nombres[i] for i in orden]
    xs = _por(valores.iloc[orden], escala(unidad))
    fig = go.Figure(go.Bar(
        y=y, x=xs, orientation="h", customdata=[claves.iloc[i] for i in orden],
        marker_color=[colores[i] for i in orden] if isinstance(colores, list) else colores,
        hovertext=[valor(valores.iloc[i], unidad) for i in orden],
        hovertemplate="%{y}: %{hovertext}<extra></extra>",
        marker_opacity=[1 if elegido in (None, str(claves.iloc[i])) else 0.35 for i in orden],
        # plotly styles a clicked bar's label from these; without them it throws and the
        # click never reaches the page
        selected=dict(textfont=dict(color=GRIS)), unselected=dict(textfont=dict(color=GRIS)),
        **etiquetas(xs, [compacto(valores.iloc[i], unidad) for i in orden])))
    figura(fig, alto=max(200, 34 * len(y) + 80), unidad=unidad, horizontal=True, titulo=titulo)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True, zerolinecolor="#bdbdbd")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=y,
                     autorange="reversed")
    fig.update_layout(hovermode="closest", bargap=0.25)
    return fig


def _por(serie_: pd.Series, factor: float) -> list:
    """The values to draw (proportions as percentages); no value stays a gap, never a 0."""
    return [None if y is None or y != y else float(y) * factor for y in serie_]


def _grupo(v: Vista, por: str, grupo: str) -> str:
    return catalogo.nombre_de_grupo(v.settings, por, grupo)


def _nombre_de_grupo(v: Vista, columna: str, grupo: str) -> str:
    """A group of a record column: a PQR cause as its code and name from the configuration
    ("101 · Inconformidad con el consumo facturado"), a code as people read it."""
    if columna == "causal" and grupo in v.settings.pqr_causales:
        return f"{grupo} · {v.settings.pqr_causales[grupo]['nombre']}"
    return nombre_de_codigo(grupo)


# --- Tables and downloads ----------------------------------------------------------------------

def tabla(frame: pd.DataFrame, nombre: str, encabezados: dict[str, str] | None = None,
          dinero=(), porcentaje=(), descarga=None, pie=None) -> None:
    """A table in the users' formats, with its downloads (CSV for Excel and XLSX) of
    ``descarga`` (the whole data, or a function that gives it; by default the table shown);
    ``pie`` draws what goes under the table, before the downloads (its total row)."""
    encabezados = encabezados or {}
    vista = frame.rename(columns=encabezados)
    st.dataframe(vista.style.format({encabezados.get(c, c): _formato(c, dinero, porcentaje)
                                     for c in frame.columns}), hide_index=True, placeholder="")
    if pie is not None:
        pie()
    descargas(descarga if descarga is not None else frame, nombre, encabezados, dinero,
              porcentaje)


def _formato(columna: str, dinero=(), porcentaje=()):
    """How a column's cells read (``cauce.formato.celda``); the table keeps the values, so it
    sorts by them."""
    return lambda v: celda(columna, v, dinero, porcentaje)


def descargas(frame, nombre: str, encabezados: dict[str, str] | None = None, dinero=(),
              porcentaje=(), por_fila: dict[str, list] | None = None) -> None:
    """Two buttons: the data as CSV for the user's Excel (``[formato.csv]``) and as XLSX,
    with user text never turned into a formula (``indicators.exportar``). ``frame`` may be a
    function that gives it: the file is then made only when the button is pressed, outside
    the page run (so the function must not need the session)."""
    datos_ = frame if callable(frame) else (lambda: frame)
    formato_csv = datos.ajustes().csv
    a, b, _ = st.columns([1, 1, 4])
    for col, tipo, texto, mime in (
            (a, ".csv", "Descargar CSV", "text/csv"),
            (b, ".xlsx", "Descargar Excel",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        col.download_button(texto, lambda t=tipo: _archivo(datos_(), t, encabezados, dinero,
                                                           porcentaje, por_fila, formato_csv),
                            f"{nombre}{tipo}", mime, key=f"{tipo[1:]}_{nombre}",
                            icon=":material/download:", on_click="ignore")


def _archivo(frame, tipo, encabezados, dinero, porcentaje, por_fila, formato_csv) -> bytes:
    from indicators import exportar
    encabezados = encabezados or {}
    with tempfile.TemporaryDirectory() as d:
        ruta = Path(d) / f"datos{tipo}"
        exportar.escribir(frame.rename(columns=encabezados), ruta,
                          dinero={encabezados.get(c, c) for c in dinero},
                          porcentaje={encabezados.get(c, c) for c in porcentaje},
                          formato_csv=formato_csv, por_fila=por_fila)
        return ruta.read_bytes()


def lista(v: Vista, tipo: str) -> None:
    """A working list (``cauce listas``): its first rows, and all of them in the downloads."""
    from indicators import listas
    if not acceso.ve_personales():
        acceso.aviso()
        return
    frame, total = datos.lista(v.huella, tipo, v.periodo, v.filtro)
    if not datos.hay_datos(v.huella, listas.FUENTES[tipo], v.periodo):
        st.info(f"No hay datos de {listas.FUENTES[tipo]} de {mes(v.periodo)}.")
        return
    if frame.empty:
        st.success(f"La lista está vacía en {mes(v.periodo)}: nada pendiente.")
        return
    st.caption(f"{total:,} filas".replace(",", ".")
               + (f"; se muestran las primeras {len(frame)}" if total > len(frame) else "")
               + ". Las descargas traen la lista completa, con todas sus columnas.")
    visibles = [col for col in frame.columns if col not in listas.DETALLE_CUENTA]
    entera, settings = datos.lista_entera(v.huella, tipo, v.periodo, v.filtro), v.settings
    tabla(frame[visibles], f"{tipo}_{v.periodo}", listas.ENCABEZADOS,
          dinero=listas.COLUMNAS_DINERO, porcentaje=("variacion",),
          descarga=lambda: listas.para_personas(entera(), settings))


# --- The records behind a number ---------------------------------------------------------------

A_LA_VISTA = "_registros_a_la_vista"     # this run brings the records into view
ANCLA = "registros"                       # the records' heading, to scroll to


def abrir_registros(id: str, por: str | None = None, grupo: str | None = None, *,
                    siempre: bool = False) -> None:
    """Show the records behind ``id`` (of one group), from their first page, and bring them
    into view: they are far below. A chart's selection lasts across reruns and calls this on
    each, so only a new choice does it; a button's click (``siempre``) always does."""
    elegido = {"id": id, "por": por, "grupo": grupo}
    if siempre or st.session_state.get("registros") != elegido:
        st.session_state["registros"] = elegido
        st.session_state["registros_pagina"] = 1
        st.session_state[A_LA_VISTA] = st.session_state.get(A_LA_VISTA, 0) + 1


def _a_la_vista() -> None:
    """Scroll the page to the records' heading, on the run a card or a bar chose them
    (Streamlit 1.67 has no scrolling of its own: a fixed script in ``st.html``; the count
    makes each request a new element, so a second click scrolls again)."""
    vez = st.session_state.pop(A_LA_VISTA, 0)
    if vez:
        st.html(f'<script data-vez="{vez}">document.getElementById("{ANCLA}")'
                f'?.scrollIntoView({{behavior: "smooth", block: "start"}});</script>',
                unsafe_allow_javascript=True)


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
    todos = datos.todo_el_detalle(v.huella, id, v.periodo, v.filtro)
    tabla(para_leer(frame), f"{id}_{v.periodo}", ENCABEZADOS,
          descarga=lambda: para_leer(todos()))


def registros(v: Vista, ids: list[str]) -> None:
    """The records behind one of the page's indicators (a card's button or a chart's bar
    chooses it): its numerator's and denominator's rows (or only the numerator's), paged,
    with their total, and whole in a download."""
    st.subheader("Los registros detrás de los números", anchor=ANCLA)
    _a_la_vista()
    if not acceso.ve_personales():
        acceso.aviso()
        return
    elegido = st.session_state.get("registros") or {}
    opciones = list(dict.fromkeys([*([elegido["id"]] if elegido.get("id") else []), *ids]))
    id = st.selectbox("Indicador", opciones, format_func=lambda i: indicador(v, i).nombre,
                      key=f"registros_id_{'_'.join(ids)}_{elegido.get('id')}")
    x = indicador(v, id)
    por, grupo = (elegido.get("por"), elegido.get("grupo")) if elegido.get("id") == id else (None, None)
    filas_de_ = indicador(v, x.de[0]) if x.formula is not None else x     # whose rows they are
    if x.formula is not None:
        st.caption(f"{x.nombre} se calcula de otros indicadores; se muestran los registros de "
                   f"{en_frase(filas_de_.nombre)}.")
    totales = datos.totales(v.huella, id, v.periodo, v.filtro, por, grupo)
    if not totales["registros"]:
        st.info(f"{x.nombre}: ningún registro en {mes(v.periodo)}"
                + (f" en el grupo «{_grupo(v, por, grupo)}»" if grupo else "") + ".")
        return
    solo = filas_de_.razon and st.toggle(
        "Solo las filas del numerador", key=f"registros_numerador_{id}",
        help="Deja fuera las filas que suman solo al denominador (en el recaudo, las facturas: "
             "quedan los pagos).", on_change=lambda: st.session_state.update(registros_pagina=1))
    primera, total = datos.primera_pagina(v.huella, id, v.periodo, v.filtro, por, grupo, solo)
    paginas = max((total - 1) // datos.FILAS_EN_PAGINA + 1, 1)
    pagina = st.number_input(f"Página (de {paginas})", 1, paginas, key="registros_pagina") \
        if paginas > 1 else 1
    frame = primera if pagina == 1 else datos.detalle(v.huella, id, v.periodo, v.filtro, por,
                                                      grupo, pagina - 1, solo_numerador=solo)
    st.caption(_registros(total)
               + ((" que suma" if total == 1 else " que suman") + " al numerador" if solo else "")
               + (f" del grupo «{_grupo(v, por, grupo)}» ({por})" if grupo else "")
               + f"; se muestran {len(frame):,}".replace(",", ".")
               + ". «Aporta al numerador» y «Aporta al denominador» dicen lo que cada fila "
                 "suma a cada parte del indicador.")
    dinero = ("numerador", "denominador") if filas_de_.en_pesos else ()
    if AUN_NO_VENCE in frame.columns:
        st.caption(f"«{ENCABEZADOS[AUN_NO_VENCE]}»: lo que la fila suma a los casos que vencen "
                   f"después del corte de los datos ({datos.corte(v.huella):%d/%m/%Y}), que aún "
                   f"no se juzgan.")
    todos = datos.todo_el_detalle(v.huella, id, v.periodo, v.filtro, por, grupo, solo)
    tabla(para_leer(frame), f"registros_{id}_{v.periodo}" + (f"_{grupo}" if grupo else "")
          + ("_numerador" if solo else ""), ENCABEZADOS, dinero=dinero,
          descarga=lambda: para_leer(todos()), pie=lambda: _fila_total(filas_de_, totales))


def _registros(n: int) -> str:
    return f"{miles(n)} {'registro' if n == 1 else 'registros'}"


def _fila_total(x: Indicador, t: dict) -> None:
    """The records' total row, of all of them (every page, both parts): how many, their
    numerator's and denominator's sums and the value these make, the card's (or the bar's)."""
    num, den = t["numerador"], t["denominador"]
    if x.razon:
        resultado = x.factor * num / den if den else None
    else:
        resultado = x.factor * num if num is not None else None

    def suma(y):
        return "" if y is None else pesos(y) if x.en_pesos else celda("suma", y)
    fila = {"Total": _registros(t["registros"]), "Numerador": suma(num),
            **({"Denominador": suma(den)} if x.razon else {}),
            x.nombre: valor(resultado, x.unidad)}
    derecha = st.column_config.TextColumn(alignment="right")      # figures, as in the table
    st.dataframe(pd.DataFrame([fila]), hide_index=True,
                 column_config={c: derecha for c in fila if c != "Total"})


def para_leer(frame: pd.DataFrame) -> pd.DataFrame:
    """The records without the columns that only serve the breakdowns: ``grupo_ciclo``
    repeats ``ciclo``; one whose plain column is missing (``grupo_municipio``) takes its
    name."""
    repetidas = [c for c in frame.columns if c.startswith("grupo_") and c[6:] in frame.columns]
    return frame.drop(columns=repetidas).rename(
        columns={c: c[6:] for c in frame.columns if c.startswith("grupo_")})
