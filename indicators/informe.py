"""The monthly commercial report (``cauce informe``): an Excel workbook for the coordinator.

A cover; a summary of every indicator with its goal, state (green, amber or red, with the
word) and change from last month; one sheet per area with its 13-month trend and its
breakdowns as Excel tables with native charts; the working lists. Everything comes from
the catalogue, computed once (``reunir``), so the workbook and the meeting presentation
(``indicators.presentacion``, built on this module's :class:`Datos`) show the same numbers
as the dashboard and the CLI. ``cauce.acciones.informes`` writes both.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import xlsxwriter

from cauce.formato import mes, provisional
from cauce.settings import Settings
from indicators import MESES_DE_TENDENCIA, catalogo, exportar, listas, tarifas
from indicators.definicion import CUENTA, PESOS, UNIDADES, Contexto, Indicador, periodo_mas
from indicators.exportar import FORMATOS

NOMBRES_AREA = {"catastro": "Catastro", "facturacion": "Facturación", "critica": "Crítica",
                "recaudo": "Recaudo", "cartera": "Cartera", "pqr": "PQR",
                "ordenes": "Órdenes", "nsu": "NSU", "calendario": "Calendario",
                "correspondencia": "Correspondencia", "cobro": "Control de avisos",
                "tarifas": "Tarifas"}
DESGLOSES = (*CUENTA, "servicio")
ESTADOS = {"cumple": "Cumple", "cerca": "Cerca", "no cumple": "No cumple",
           "sin meta": "Sin meta", "sin datos": "Sin datos"}
COLORES = {"Cumple": "#C8E6C9", "Cerca": "#FFE0B2", "No cumple": "#FFCDD2"}
CAMBIOS = {"proporcion": '+0.0 "pp";-0.0 "pp";0.0 "pp"'}


@dataclass
class Datos:
    """What the report shows, asked of the warehouse once."""
    periodo: str
    indicadores: list[Indicador]
    tendencia: pd.DataFrame               # every indicator, the 13 periods ending at P
    desgloses: dict[str, pd.DataFrame]    # breakdown -> calcular(por=...)
    listas: dict[str, pd.DataFrame]
    corte: dt.date | None = None          # the data's cut-off: what "provisional" is about
    # NSU indicator -> catalogo.ultima_ronda, where the round of P has no survey yet
    rondas: dict[str, dict] = field(default_factory=dict)
    tarifas: pd.DataFrame | None = None   # the tariffs in force as published (no tariffs: None)

    def valor(self, id: str, periodo: str | None = None):
        t = self.tendencia
        fila = t[(t["id"] == id) & (t["periodo"] == (periodo or self.periodo))]
        return fila.iloc[0].to_dict() if len(fila) else {}


def reunir(conn: sa.Connection, periodo: str, settings: Settings,
           con_listas: bool = True) -> Datos:
    """The catalogue for the 13 periods ending at P, its breakdowns of P and the lists."""
    tendencia = catalogo.tendencia(conn, periodo, settings)
    return Datos(
        periodo, catalogo.catalogo(settings), tendencia,
        {por: catalogo.calcular(conn, periodo, settings, por) for por in DESGLOSES},
        {t: listas.obtener(conn, t, periodo, settings) for t in listas.LISTAS}
        if con_listas else {}, catalogo.corte(conn), _rondas(conn, periodo, settings, tendencia),
        _tarifas(conn, periodo, settings))


def _tarifas(conn: sa.Connection, periodo: str, settings: Settings) -> pd.DataFrame | None:
    """The tariff table in force for P, final price per class (``tarifas.tabla_publica``)."""
    r = conn.execute(tarifas.tabla_publica(Contexto(conn, periodo, settings)))
    frame = pd.DataFrame(r.all(), columns=list(r.keys()))
    if frame.empty:
        return None
    return frame.assign(municipio=[catalogo.nombre_de_grupo(settings, "municipio", m)
                                   for m in frame["municipio"]])


def _rondas(conn: sa.Connection, periodo: str, settings: Settings,
            tendencia: pd.DataFrame) -> dict[str, dict]:
    """The last round with answers of each NSU slide that has no value in P."""
    vacios = tendencia[(tendencia["periodo"] == periodo) & tendencia["valor"].isna()]["id"]
    ids = [id for id in catalogo.diapositivas(settings) if id.startswith("nsu.")
           and id in set(vacios)]
    rondas = {id: catalogo.ultima_ronda(conn, id, periodo, settings) for id in ids}
    return {id: r for id, r in rondas.items() if r is not None}


def escribir(datos: Datos, settings: Settings, ruta: Path) -> Path:
    """Write the workbook to ``ruta``."""
    libro = exportar.nuevo_libro(ruta)
    f = _formatos(libro)
    areas = [a for a in NOMBRES_AREA if any(x.area == a for x in datos.indicadores)]
    _portada(libro, f, datos, settings, areas)
    _resumen(libro, f, datos, settings)
    for area in areas:
        _area(libro, f, datos, area, settings)
    if datos.tarifas is not None:
        exportar.hojas(libro, tarifas.HOJA, datos.tarifas.rename(columns=tarifas.ENCABEZADOS),
                       {tarifas.ENCABEZADOS[c] for c in tarifas.PESOS})
    for tipo, frame in datos.listas.items():
        exportar.hojas(libro, listas.TITULOS[tipo], listas.para_personas(frame, settings),
                       listas.DINERO, listas.PORCENTAJE)
    libro.close()
    return ruta


def indicadores_del_mes(frame: pd.DataFrame, settings: Settings, por: str | None = None
                        ) -> tuple[pd.DataFrame, dict[str, list]]:
    """The catalogue of a period (``catalogo.calcular``) as people read it in Excel, the same
    from the dashboard's Reportes and from ``cauce indicadores --formato csv``: Spanish
    headers, the area, the group's name, the unit in words, the state against the goal.
    Values and goals are each in its row's unit, and numerators and denominators in pesos
    where they are money: those units come apart, by column (``exportar``'s ``por_fila``)."""
    todos = {x.id: x for x in catalogo.catalogo(settings)}
    filas, unidades, partes = [], [], []
    for r in frame.to_dict("records"):
        x = todos[r["id"]]
        grupo = "Total" if r["grupo"] is None else catalogo.nombre_de_grupo(settings, por,
                                                                            r["grupo"])
        estado = catalogo.estado(r["valor"], r["meta"], x.mayor_es_mejor,
                                 settings.semaforo_tolerancia)
        filas.append([NOMBRES_AREA[x.area], x.nombre, x.id, *([grupo] if por else []),
                      mes(r["periodo"]).capitalize(), r["valor"], UNIDADES[x.unidad], r["meta"],
                      ESTADOS[estado], r["numerador"], r["denominador"]])
        unidades.append(x.unidad)
        partes.append(PESOS if x.en_pesos else None)
    columnas = ["Área", "Indicador", "Código", *(["Grupo"] if por else []), "Periodo", "Valor",
                "Unidad", "Meta", "Estado", "Numerador", "Denominador"]
    return (pd.DataFrame(filas, columns=columnas, dtype=object),
            {"Valor": unidades, "Meta": unidades, "Numerador": partes, "Denominador": partes})


def _formatos(libro: xlsxwriter.Workbook) -> dict:
    f = {u: libro.add_format({"num_format": n}) for u, n in FORMATOS.items()}
    f.update({f"cambio_{u}": libro.add_format({"num_format": CAMBIOS.get(u, "+" + n + ";-" + n)})
              for u, n in FORMATOS.items()})
    f["titulo"] = libro.add_format({"bold": True, "font_size": 18, "font_color": "#0B3C5D"})
    f["subtitulo"] = libro.add_format({"bold": True, "font_size": 12, "font_color": "#145A86"})
    f["nota"] = libro.add_format({"italic": True, "font_color": "#555555"})
    f["encabezado"] = libro.formatos["encabezado"]
    f.update({e: libro.add_format({"bg_color": c}) for e, c in COLORES.items()})
    return f


def _portada(libro, f, datos: Datos, settings: Settings, areas: list[str]) -> None:
    ws = libro.add_worksheet("Portada")
    ws.set_column(0, 0, 90)
    ws.write_string(0, 0, f"Informe comercial de {mes(datos.periodo)}", f["titulo"])
    ws.write_string(1, 0, settings.empresa, f["subtitulo"])
    if settings.nit:
        ws.write_string(2, 0, f"NIT {settings.nit}")
    ws.write_string(3, 0, f"Generado por Cauce el {dt.datetime.now():%d/%m/%Y a las %H:%M}.",
                    f["nota"])
    ws.write_string(5, 0, "Contenido", f["subtitulo"])
    hojas = (["Resumen: cada indicador con su meta, su estado y el cambio frente al mes "
              "anterior."] + [f"{NOMBRES_AREA[a]}: la tendencia de {MESES_DE_TENDENCIA} meses y los desgloses."
                             for a in areas]
             + [f"{listas.TITULOS[t]}: {len(fr)} filas." for t, fr in datos.listas.items()])
    for i, texto in enumerate(hojas, 6):
        ws.write_string(i, 0, texto)


def _resumen(libro, f, datos: Datos, settings: Settings) -> None:
    ws = libro.add_worksheet("Resumen")
    anterior = periodo_mas(datos.periodo, -1)
    columnas = [("Área", 16), ("Indicador", 44), ("Código", 34), ("Valor", 16), ("Meta", 12),
                ("Estado", 12), (f"Cambio frente a {mes(anterior)}", 16), ("Numerador", 18),
                ("Denominador", 18), ("Provisional", 20)]
    for j, (nombre, ancho) in enumerate(columnas):
        ws.set_column(j, j, ancho)
        ws.write_string(0, j, nombre, f["encabezado"])
    for i, x in enumerate(datos.indicadores, 1):
        ahora, antes = datos.valor(x.id), datos.valor(x.id, anterior)
        valor, meta = ahora.get("valor"), ahora.get("meta")
        estado = ESTADOS[catalogo.estado(valor, meta, x.mayor_es_mejor,
                                         settings.semaforo_tolerancia)]
        ws.write_string(i, 0, NOMBRES_AREA[x.area])
        ws.write_string(i, 1, x.nombre)
        ws.write_string(i, 2, x.id)
        _numero(ws, i, 3, valor, f[x.unidad])
        _numero(ws, i, 4, meta, f[x.unidad])
        ws.write_string(i, 5, estado)
        if valor is not None and antes.get("valor") is not None:
            _numero(ws, i, 6, valor - antes["valor"], f[f"cambio_{x.unidad}"])
        partes = f["pesos"] if x.en_pesos else f["conteo"]
        _numero(ws, i, 7, ahora.get("numerador"), partes)
        _numero(ws, i, 8, ahora.get("denominador"), partes)
        if ahora.get("provisional"):      # judged only up to the data's cut-off
            ws.write_string(i, 9, provisional(ahora["provisional"]))
    ultima = len(datos.indicadores)
    if any(datos.valor(x.id).get("provisional") for x in datos.indicadores):
        ws.write_string(ultima + 2, 0, f"Provisional: lo que vence después del corte de los datos "
                                       f"({datos.corte:%d/%m/%Y}, la última fecha de las "
                                       f"exportaciones cargadas) aún no se juzga; el valor puede "
                                       f"cambiar con las próximas exportaciones.", f["nota"])
    for estado in COLORES:        # the state's word, and its colour
        ws.conditional_format(1, 5, ultima, 5, {"type": "cell", "criteria": "==",
                                                "value": f'"{estado}"', "format": f[estado]})
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, ultima, len(columnas) - 1)


def _area(libro, f, datos: Datos, area: str, settings: Settings) -> None:
    """The area's 13-month trend (a table and a line chart) and its breakdowns of P."""
    ws = libro.add_worksheet(NOMBRES_AREA[area])
    xs = [x for x in datos.indicadores if x.area == area]
    periodos = [periodo_mas(datos.periodo, -k) for k in reversed(range(MESES_DE_TENDENCIA))]
    ws.set_column(0, 0, 44)
    ws.set_column(1, MESES_DE_TENDENCIA, 14)      # a column per month
    ws.freeze_panes(0, 1)            # the indicators' and groups' names stay in view
    ws.write_string(0, 0, f"{NOMBRES_AREA[area]}: {mes(datos.periodo)}", f["titulo"])
    ws.write_string(1, 0, f"Los últimos {MESES_DE_TENDENCIA} meses", f["subtitulo"])
    fila = 2
    ws.write_string(fila, 0, "Indicador", f["encabezado"])
    for j, p in enumerate(periodos, 1):
        ws.write_string(fila, j, mes(p, corto=True), f["encabezado"])
    for i, x in enumerate(xs, fila + 1):
        ws.write_string(i, 0, x.nombre)
        for j, p in enumerate(periodos, 1):
            _numero(ws, i, j, datos.valor(x.id, p).get("valor"), f[x.unidad])
    principal = next((x for x in xs if x.razon), xs[0])
    k = xs.index(principal)
    grafico = libro.add_chart({"type": "line"})
    grafico.add_series({"name": principal.nombre,
                        "categories": [ws.name, fila, 1, fila, len(periodos)],
                        "values": [ws.name, fila + 1 + k, 1, fila + 1 + k, len(periodos)],
                        "line": {"color": "#1F78B4", "width": 2.5}, "marker": {"type": "circle"}})
    grafico.set_title({"name": f"{principal.nombre}, {MESES_DE_TENDENCIA} meses"})
    grafico.set_legend({"none": True})
    grafico.set_y_axis({"num_format": FORMATOS[principal.unidad]})
    ws.insert_chart(1, 15, grafico, {"x_scale": 1.3, "y_scale": 1.1})
    fila += len(xs) + 3
    if area == "cartera":
        fila = _edades(libro, ws, f, datos, fila)
    _desgloses(ws, f, datos, xs, fila, settings)


def _edades(libro, ws, f, datos: Datos, fila: int) -> int:
    """Receivables by age at the last cut-off of P: a table and a column chart."""
    edades = [x for x in datos.indicadores if x.id.startswith("cartera.edad_")]
    ws.write_string(fila, 0, "Cartera por edad de mora", f["subtitulo"])
    ws.write_string(fila + 1, 0, "Edad", f["encabezado"])
    ws.write_string(fila + 1, 1, "Saldo", f["encabezado"])
    for i, x in enumerate(edades, fila + 2):
        ws.write_string(i, 0, x.nombre)
        _numero(ws, i, 1, datos.valor(x.id).get("valor"), f["pesos"])
    grafico = libro.add_chart({"type": "column"})
    ultima = fila + 1 + len(edades)
    grafico.add_series({"name": "Saldo", "categories": [ws.name, fila + 2, 0, ultima, 0],
                        "values": [ws.name, fila + 2, 1, ultima, 1],
                        "fill": {"color": "#145A86"}})
    grafico.set_title({"name": "Cartera por edad de mora"})
    grafico.set_legend({"none": True})
    grafico.set_y_axis({"num_format": FORMATOS["pesos"]})
    ws.insert_chart(fila, 3, grafico)
    return fila + max(len(edades) + 4, 17)


def _desgloses(ws, f, datos: Datos, xs: list[Indicador], fila: int, settings: Settings) -> None:
    """The breakdowns of P as one filterable table: a row per breakdown and group (named as
    the dashboard names it), a column per indicator (empty where the indicator has no such
    breakdown)."""
    ws.write_string(fila, 0, f"Desgloses de {mes(datos.periodo)} (filtre por la columna "
                             f"Desglose)", f["subtitulo"])
    fila += 1
    ws.write_string(fila, 0, "Desglose", f["encabezado"])
    ws.write_string(fila, 1, "Grupo", f["encabezado"])
    for j, x in enumerate(xs, 2):
        ws.write_string(fila, j, x.nombre, f["encabezado"])
    primera = fila
    for por in DESGLOSES:
        d = datos.desgloses[por]
        d = d[d["id"].isin([x.id for x in xs if por in x.desgloses])]
        valores = {(r["id"], str(r["grupo"])): r["valor"] for r in d.to_dict("records")}
        for g in dict.fromkeys(str(g) for g in d["grupo"]):
            fila += 1
            ws.write_string(fila, 0, por)
            ws.write_string(fila, 1, catalogo.nombre_de_grupo(settings, por, g))
            for j, x in enumerate(xs, 2):
                _numero(ws, fila, j, valores.get((x.id, g)), f[x.unidad])
    ws.autofilter(primera, 0, max(fila, primera + 1), len(xs) + 1)


def _numero(ws, i: int, j: int, v, formato) -> None:
    if v is not None and v == v:
        ws.write_number(i, j, float(v), formato)
