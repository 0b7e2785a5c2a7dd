"""The year's report (``planning.md``, "The year's report"): ``informe_AAAA.xlsx`` and a
self-contained ``informe_AAAA.html``, aggregates only.

Per indicator its 12 months, the months that met the goal and the year against the previous
year; billing, collection and receivables by municipality and by service; PQR by type and
cause; the users gained and lost; the projection of next year with its proposed goals; and
the public section *Uso de los subsidios*: subsidies granted and contributions billed by
municipality, service and stratum, and the balance with each municipality's solidarity fund.

Everything comes from the catalogue (``catalogo.tendencia``, ``calcular``, ``agrupar``,
``cruzar``) and the projection (``indicators.proyeccion``), never from a list or a record:
no name, document, address or per-account debt can reach it. A month of the year without
data is said, and the year is computed from the months it has.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cauce.formato import mes, valor
from cauce.settings import Settings
from indicators import catalogo, exportar, proyeccion
from indicators.definicion import Indicador
from indicators.exportar import FORMATOS
from indicators.informe import NOMBRES_AREA

# Indicators read at the year's end rather than summed over its months: stocks (accounts in
# the cadastre, balances of the receivables) and their shares.
_AL_CIERRE = ("catastro.suscriptores", "catastro.activos", "catastro.inactivos",
              "cartera.total", "cartera.vencida", "cartera.usuarios_morosos")
FACTURACION = ("facturacion.valor", "recaudo.valor")
CARTERA = ("cartera.total", "cartera.vencida")
SOLIDARIDAD = ("facturacion.subsidios", "facturacion.contribuciones")
OTROS = "Otros cambios (reconexiones menos retiros)"


@dataclass
class DatosAnio:
    """What the year's report shows, asked of the warehouse once."""
    anio: int
    indicadores: list[Indicador]
    meses: list[str]                      # the year's 12 periods
    faltan: list[str]                     # those without billing, cadastre or readings
    tendencia: pd.DataFrame               # the catalogue, the 12 months of the year
    anterior: pd.DataFrame                # and of the year before
    por_municipio: pd.DataFrame           # municipio: billed, collected (year), receivables (end)
    por_servicio: pd.DataFrame            # the same by service
    pqr: dict[str, pd.DataFrame]          # "tipo"/"causal" -> group, radicadas of the year
    usuarios: pd.DataFrame                # periodo, activos, nuevos, crecimiento, otros
    subsidios: pd.DataFrame               # municipio, servicio, estrato, subsidios, contribuciones
    proyecciones: list[proyeccion.Proyeccion]
    metas: proyeccion.Metas | None

    @property
    def con_datos(self) -> list[str]:
        return [p for p in self.meses if p not in self.faltan]

    @property
    def cierre(self) -> str | None:
        """The last month of the year with data: the year's end for the stocks."""
        return self.con_datos[-1] if self.con_datos else None


def reunir(conn: sa.Connection, anio: int, settings: Settings) -> DatosAnio:
    """The year ``anio`` from the catalogue; a year without any data has every month missing."""
    meses = [f"{anio}-{m:02d}" for m in range(1, 13)]
    cargados = set(catalogo.periodos(conn))
    faltan = [p for p in meses if p not in cargados]
    tendencia = catalogo.tendencia(conn, meses[-1], settings, n=12)
    anterior = catalogo.tendencia(conn, f"{anio - 1}-12", settings, n=12)
    con_datos = [p for p in meses if p not in faltan]
    cierre = con_datos[-1] if con_datos else None
    proyecciones = proyeccion.proyectar(conn, settings, cierre) if cierre else []
    return DatosAnio(
        anio, catalogo.catalogo(settings), meses, faltan, tendencia, anterior,
        _por(conn, settings, con_datos, cierre, "municipio"),
        _por(conn, settings, con_datos, cierre, "servicio"),
        {c: _pqr(conn, settings, con_datos, c) for c in ("tipo", "causal")},
        _usuarios(tendencia, con_datos),
        _subsidios(conn, settings, con_datos),
        proyecciones,
        proyeccion.metas(proyecciones, settings, anio + 1) if proyecciones else None)


def del_anio(x: Indicador, filas: pd.DataFrame) -> float | None:
    """An indicator's value for a year from its months (``catalogo.tendencia``'s rows): a
    ratio over the year's sums, a stock at the last month with a value, a flow summed; None
    without any month. A formula reads its last month."""
    f = filas[(filas["id"] == x.id) & filas["valor"].notna()]
    if f.empty:
        return None
    if x.razon:
        den = f["denominador"].astype(float).sum()
        return x.factor * f["numerador"].astype(float).sum() / den if den else None
    if x.id in _AL_CIERRE or x.formula is not None:
        return float(f["valor"].iloc[-1])
    return float(f["valor"].astype(float).sum())


def meses_que_cumplen(x: Indicador, filas: pd.DataFrame) -> tuple[int, int]:
    """(months that met the goal, months with a value and a goal)."""
    f = filas[(filas["id"] == x.id) & filas["cumple"].notna()]
    return int(sum(bool(c) for c in f["cumple"])), len(f)


# --- What it gathers ---------------------------------------------------------------------------

def _por(conn, settings: Settings, meses: list[str], cierre: str | None,
         por: str) -> pd.DataFrame:
    """Billing and collection of the year, and receivables at its close, by ``por``."""
    columnas = [por, *FACTURACION, *CARTERA]
    if not meses:
        return pd.DataFrame(columns=columnas)
    flujos = pd.concat([catalogo.calcular(conn, p, settings, por, list(FACTURACION))
                        for p in meses])
    sumas = (flujos.assign(valor=flujos["valor"].astype(float))
             .pivot_table(index="grupo", columns="id", values="valor", aggfunc="sum"))
    saldos = catalogo.calcular(conn, cierre, settings, por, list(CARTERA))
    saldos = saldos.pivot_table(index="grupo", columns="id", values="valor", aggfunc="sum")
    tabla = sumas.join(saldos, how="outer").reindex(columns=[*FACTURACION, *CARTERA])
    tabla = tabla.reset_index().rename(columns={"grupo": por})
    tabla[por] = tabla[por].astype(str)
    return tabla[columnas]


def _pqr(conn, settings: Settings, meses: list[str], columna: str) -> pd.DataFrame:
    partes = [catalogo.agrupar(conn, "pqr.radicadas", p, settings, columna) for p in meses]
    partes = [p for p in partes if not p.empty]
    if not partes:
        return pd.DataFrame(columns=[columna, "radicadas"])
    t = pd.concat(partes)
    t = t.assign(radicadas=t["valor"].astype(float)).groupby(columna, as_index=False)[
        "radicadas"].sum()
    return t.sort_values("radicadas", ascending=False, ignore_index=True)


def _usuarios(tendencia: pd.DataFrame, meses: list[str]) -> pd.DataFrame:
    """Per month: active accounts, new ones (connected in the month), the net growth, and the
    other changes (the growth less the new accounts: reconnections less the accounts that
    stopped being active)."""
    filas = []
    for p in meses:
        t = tendencia[tendencia["periodo"] == p].set_index("id")["valor"]
        activos, nuevos, neto = (t.get(i) for i in ("catastro.activos", "catastro.nuevos",
                                                    "catastro.crecimiento_neto"))
        otros = None if nuevos is None or neto is None else neto - nuevos
        filas.append({"periodo": p, "activos": activos, "nuevos": nuevos,
                      "crecimiento": neto, "otros": otros})
    return pd.DataFrame(filas, columns=["periodo", "activos", "nuevos", "crecimiento", "otros"])


def _subsidios(conn, settings: Settings, meses: list[str]) -> pd.DataFrame:
    columnas = ["municipio", "servicio", "estrato", *SOLIDARIDAD]
    partes = [catalogo.cruzar(conn, list(SOLIDARIDAD), p, settings,
                              ("municipio", "servicio", "estrato")) for p in meses]
    partes = [p for p in partes if not p.empty]
    if not partes:
        return pd.DataFrame(columns=columnas)
    t = pd.concat(partes)
    for c in SOLIDARIDAD:
        t[c] = t[c].astype(float)
    return t.groupby(["municipio", "servicio", "estrato"], as_index=False)[list(SOLIDARIDAD)].sum()


# --- In words, for both files --------------------------------------------------------------------

def titulo(datos: DatosAnio, settings: Settings) -> str:
    return f"Informe comercial del año {datos.anio} · {settings.empresa}"


def aviso_de_meses(datos: DatosAnio) -> str | None:
    """Which months have no data, and that the year is computed from the others."""
    if not datos.faltan:
        return None
    if len(datos.faltan) == 12:
        return (f"El almacén no tiene datos de ningún mes de {datos.anio}: el informe queda "
                f"vacío. Cargue las exportaciones del año.")
    nombres = ", ".join(mes(p) for p in datos.faltan)
    return (f"Faltan {len(datos.faltan)} de los 12 meses de {datos.anio} ({nombres}): las "
            f"cifras del año se calculan con los {12 - len(datos.faltan)} meses que hay.")


def tabla_indicadores(datos: DatosAnio, settings: Settings) -> pd.DataFrame:
    """One row per indicator: the area, the name, the year's value, the previous year's,
    the months that met the goal, then each month's value."""
    filas = []
    for x in datos.indicadores:
        cumplen, con_meta = meses_que_cumplen(x, datos.tendencia)
        meses_ = datos.tendencia[datos.tendencia["id"] == x.id].set_index("periodo")["valor"]
        filas.append({"Área": NOMBRES_AREA[x.area], "Indicador": x.nombre, "Código": x.id,
                      "unidad": x.unidad, "Año": del_anio(x, datos.tendencia),
                      "Año anterior": del_anio(x, datos.anterior),
                      "Meta": settings.meta(x.id, datos.anio),
                      "Meses que cumplen": f"{cumplen} de {con_meta}" if con_meta else "",
                      **{mes(p, corto=True): meses_.get(p) for p in datos.meses}})
    return pd.DataFrame(filas)


def nombre(settings: Settings, por: str, grupo) -> str:
    return catalogo.nombre_de_grupo(settings, por, grupo)


def balance(datos: DatosAnio) -> pd.DataFrame:
    """Per municipality: subsidies, contributions, and their balance (contributions less
    subsidies: a surplus to transfer to the solidarity fund, or the deficit it must cover)."""
    t = datos.subsidios.groupby("municipio", as_index=False)[list(SOLIDARIDAD)].sum()
    t["balance"] = t["facturacion.contribuciones"] - t["facturacion.subsidios"]
    return t


def lectura_del_balance(b: float) -> str:
    if b > 0:
        return "superávit: se gira al fondo de solidaridad"
    if b < 0:
        return "déficit: lo cubre el fondo de solidaridad del municipio"
    return "equilibrio"


# --- The workbook ------------------------------------------------------------------------------

def escribir_libro(datos: DatosAnio, settings: Settings, ruta: Path) -> Path:
    libro = exportar.nuevo_libro(ruta)
    f = {u: libro.add_format({"num_format": n}) for u, n in FORMATOS.items()}
    f["titulo"] = libro.add_format({"bold": True, "font_size": 18, "font_color": "#0B3C5D"})
    f["subtitulo"] = libro.add_format({"bold": True, "font_size": 12, "font_color": "#145A86"})
    f["nota"] = libro.add_format({"italic": True, "font_color": "#555555"})
    f["encabezado"] = libro.formatos["encabezado"]
    f["texto"] = libro.add_format({"font_name": "Consolas"})

    ws = libro.add_worksheet("Portada")
    ws.set_column(0, 0, 100)
    ws.write_string(0, 0, f"Informe comercial del año {datos.anio}", f["titulo"])
    ws.write_string(1, 0, settings.empresa, f["subtitulo"])
    ws.write_string(2, 0, f"Generado por Cauce el {dt.datetime.now():%d/%m/%Y a las %H:%M}. "
                          f"Solo cifras agregadas, sin datos personales.", f["nota"])
    fila = 4
    if (aviso := aviso_de_meses(datos)) is not None:
        ws.write_string(fila, 0, aviso)
        fila += 2
    for texto in ("Indicadores: los 12 meses de cada indicador, los meses que cumplieron la "
                  "meta y el año frente al anterior.",
                  "Facturación y recaudo: el año por municipio y por servicio, y la cartera al "
                  "cierre.", "PQR: las radicadas del año por tipo y por causal.",
                  "Usuarios: los activos, los nuevos y los demás cambios de cada mes.",
                  "Proyección: el año siguiente, con sus intervalos y las metas propuestas.",
                  "Uso de los subsidios: subsidios y contribuciones por municipio, servicio y "
                  "estrato, y el balance con cada fondo de solidaridad."):
        ws.write_string(fila, 0, texto)
        fila += 1

    _hoja_indicadores(libro, f, datos, settings)
    ws = libro.add_worksheet("Facturación y recaudo")
    ws.set_column(0, 0, 28)
    ws.set_column(1, 4, 20)
    fila = 0
    for por, tabla in (("municipio", datos.por_municipio), ("servicio", datos.por_servicio)):
        ws.write_string(fila, 0, f"Por {por}", f["subtitulo"])
        fila = _tabla(ws, f, fila + 1, [por.capitalize(), f"Facturado en {datos.anio}",
                                        f"Recaudado en {datos.anio}", "Cartera total al cierre",
                                        "Cartera vencida al cierre"],
                      [[nombre(settings, por, r[por]), *(r[c] for c in (*FACTURACION, *CARTERA))]
                       for r in tabla.to_dict("records")], ["pesos"] * 4) + 2
    ws = libro.add_worksheet("PQR")
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 14)
    fila = 0
    for columna, tabla in datos.pqr.items():
        ws.write_string(fila, 0, f"PQR radicadas en {datos.anio} por {columna}", f["subtitulo"])
        fila = _tabla(ws, f, fila + 1, [columna.capitalize(), "Radicadas"],
                      [[catalogo.nombre_de_grupo(settings, columna, r[columna]), r["radicadas"]]
                       for r in tabla.to_dict("records")], ["conteo"]) + 2
    ws = libro.add_worksheet("Usuarios")
    ws.set_column(0, 4, 18)
    _tabla(ws, f, 0, ["Mes", "Activos", "Nuevos", "Crecimiento neto", OTROS],
           [[mes(r["periodo"]), r["activos"], r["nuevos"], r["crecimiento"], r["otros"]]
            for r in datos.usuarios.to_dict("records")], ["cuentas"] * 4)
    _hoja_proyeccion(libro, f, datos)
    _hoja_subsidios(libro, f, datos, settings)
    libro.close()
    return ruta


def _hoja_indicadores(libro, f, datos: DatosAnio, settings: Settings) -> None:
    ws = libro.add_worksheet("Indicadores")
    t = tabla_indicadores(datos, settings)
    columnas = [c for c in t.columns if c != "unidad"]
    anchos = {"Área": 16, "Indicador": 44, "Código": 34, "Meses que cumplen": 16}
    for j, c in enumerate(columnas):
        ws.set_column(j, j, anchos.get(c, 14))
        ws.write_string(0, j, c if c != "Año" else str(datos.anio), f["encabezado"])
        if c == "Año anterior":
            ws.write_string(0, j, str(datos.anio - 1), f["encabezado"])
    for i, r in enumerate(t.to_dict("records"), 1):
        for j, c in enumerate(columnas):
            v = r[c]
            if isinstance(v, str):
                if v:
                    ws.write_string(i, j, v)
            elif v is not None and v == v:
                ws.write_number(i, j, float(v), f[r["unidad"]])
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, len(t), len(columnas) - 1)
    if (aviso := aviso_de_meses(datos)) is not None:
        ws.write_string(len(t) + 2, 0, aviso, f["nota"])


def _hoja_proyeccion(libro, f, datos: DatosAnio) -> None:
    ws = libro.add_worksheet("Proyección")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 5, 18)
    fila = 0
    for p in datos.proyecciones:
        ws.write_string(fila, 0, p.nombre, f["subtitulo"])
        ws.write_string(fila + 1, 0, p.explicacion, f["nota"])
        fila += 2
        if not p.meses.empty:
            fila = _tabla(ws, f, fila, ["Mes", "Proyección", "Desde (80 %)", "Hasta (80 %)",
                                        "Desde (95 %)", "Hasta (95 %)"],
                          [[mes(r["periodo"]), r["valor"], r["inferior_80"], r["superior_80"],
                            r["inferior_95"], r["superior_95"]]
                           for r in p.meses.to_dict("records")], [p.unidad] * 5)
        fila += 2
    if datos.metas is not None:
        m = datos.metas
        ws.write_string(fila, 0, f"Metas propuestas para {m.anio}", f["subtitulo"])
        fila = _tabla(ws, f, fila + 1, ["Indicador", "Meta actual", "Propuesta"],
                      [[r["nombre"], r["actual"], r["propuesta"]]
                       for r in m.filas.to_dict("records")],
                      [[r["unidad"] for r in m.filas.to_dict("records")]] * 2) + 2
        ws.write_string(fila, 0, "El bloque [metas] para copiar en config.toml (Cauce no "
                                 "modifica la configuración):", f["nota"])
        for i, linea in enumerate(m.bloque.splitlines(), fila + 1):
            ws.write_string(i, 0, linea, f["texto"])


def _hoja_subsidios(libro, f, datos: DatosAnio, settings: Settings) -> None:
    ws = libro.add_worksheet("Uso de los subsidios")
    ws.set_column(0, 2, 20)
    ws.set_column(3, 5, 22)
    ws.write_string(0, 0, f"Uso de los subsidios en {datos.anio}", f["titulo"])
    ws.write_string(1, 0, "Subsidios otorgados y contribuciones de solidaridad facturados en el "
                          "año, por municipio, servicio y estrato (o uso, sin estrato).",
                    f["nota"])
    fila = _tabla(ws, f, 3, ["Municipio", "Servicio", "Estrato", "Subsidios", "Contribuciones"],
                  [[nombre(settings, "municipio", r["municipio"]), r["servicio"],
                    nombre(settings, "estrato", r["estrato"]), r["facturacion.subsidios"],
                    r["facturacion.contribuciones"]] for r in datos.subsidios.to_dict("records")],
                  ["pesos"] * 2) + 2
    ws.write_string(fila, 0, "Balance con el fondo de solidaridad de cada municipio",
                    f["subtitulo"])
    b = balance(datos)
    _tabla(ws, f, fila + 1, ["Municipio", "Subsidios", "Contribuciones", "Balance", "Lectura"],
           [[nombre(settings, "municipio", r["municipio"]), r["facturacion.subsidios"],
             r["facturacion.contribuciones"], r["balance"], lectura_del_balance(r["balance"])]
            for r in b.to_dict("records")], ["pesos"] * 3)


def _tabla(ws, f, fila: int, encabezados: list[str], filas: list[list], unidades) -> int:
    """A header and rows from ``fila``; the first column is text, the next ones numbers in
    ``unidades`` (one per column, or a list per column with one unit per row). The last
    row written."""
    for j, e in enumerate(encabezados):
        ws.write_string(fila, j, e, f["encabezado"])
    for i, r in enumerate(filas, fila + 1):
        for j, v in enumerate(r):
            if v is None or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, str):
                ws.write_string(i, j, v)
                continue
            u = unidades[j - 1] if 0 < j <= len(unidades) else "conteo"
            if isinstance(u, list):
                u = u[i - fila - 1]
            ws.write_number(i, j, float(v), f.get(u, f["conteo"]))
    return fila + len(filas)


# --- The public HTML -----------------------------------------------------------------------------

ESTILO = """
body { margin: 0 auto; max-width: 1100px; padding: 32px; font-family: "Source Sans Pro",
       "Segoe UI", Arial, sans-serif; color: #1b2a38; background: #f4f7fa; }
section { background: white; padding: 24px 32px; margin: 0 0 24px; }
h1 { color: #0b3c5d; font-size: 36px; margin: 0 0 8px; }
h2 { color: #145a86; font-size: 26px; margin: 0 0 12px; }
h3 { color: #145a86; font-size: 19px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 15px; }
th { background: #0b3c5d; color: white; text-align: left; padding: 6px 8px; }
td { border-bottom: 1px solid #dde5ec; padding: 5px 8px; }
td.n { text-align: right; white-space: nowrap; }
.nota { color: #5b6b7a; font-style: italic; }
.aviso { background: #FFE0B2; padding: 10px 14px; }
pre { background: #eef3f7; padding: 12px; }
@media print { section { page-break-inside: avoid; } }
"""


def escribir_html(datos: DatosAnio, settings: Settings, ruta: Path) -> Path:
    """The year's report as one HTML file: inline style, no script, no image, no link: it
    opens anywhere and can be published as it is."""
    partes = [f"<h1>{html.escape(titulo(datos, settings))}</h1>",
              f'<p class="nota">Generado por Cauce el {dt.date.today():%d/%m/%Y}. Solo cifras '
              f'agregadas, sin datos personales.</p>']
    if (aviso := aviso_de_meses(datos)) is not None:
        partes.append(f'<p class="aviso">{html.escape(aviso)}</p>')
    secciones = [_html_subsidios(datos, settings), _html_indicadores(datos, settings),
                 _html_facturacion(datos, settings), _html_pqr(datos, settings),
                 _html_usuarios(datos), _html_proyeccion(datos)]
    documento = (f'<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8">'
                 f"<title>{html.escape(titulo(datos, settings))}</title>"
                 f"<style>{ESTILO}</style></head><body>\n<section>{''.join(partes)}</section>\n"
                 + "\n".join(f"<section>{s}</section>" for s in secciones) + "\n</body></html>\n")
    ruta.write_text(documento, encoding="utf-8")
    return ruta


def _t(encabezados: list[str], filas: list[list[str]]) -> str:
    """An HTML table of text already formatted; columns after the first are numbers."""
    if not filas:
        return '<p class="nota">Sin datos en el año.</p>'
    cab = "".join(f"<th>{html.escape(e)}</th>" for e in encabezados)
    cuerpo = "".join("<tr>" + "".join(
        f'<td{" class=n" if j else ""}>{html.escape(str(v))}</td>' for j, v in enumerate(f))
        + "</tr>" for f in filas)
    return f"<table><tr>{cab}</tr>{cuerpo}</table>"


def _v(x, unidad: str) -> str:
    return "" if x is None or x != x else valor(float(x), unidad)


def _html_subsidios(datos: DatosAnio, settings: Settings) -> str:
    b = balance(datos)
    return (f"<h2>Uso de los subsidios en {datos.anio}</h2>"
            "<p>La ley ordena a la empresa informar cada año a la comunidad cómo se usaron los "
            "subsidios. Los usuarios de estratos 1, 2 y 3 reciben un subsidio en su factura; "
            "los de estratos 5 y 6 y los usos comercial e industrial pagan una contribución de "
            "solidaridad. La diferencia entre lo aportado y lo otorgado en cada municipio se "
            "concilia con su fondo de solidaridad y redistribución de ingresos.</p>"
            "<h3>Balance con el fondo de solidaridad de cada municipio</h3>"
            + _t(["Municipio", "Subsidios otorgados", "Contribuciones facturadas", "Balance",
                  "Lectura"],
                 [[nombre(settings, "municipio", r["municipio"]),
                   _v(r["facturacion.subsidios"], "pesos"),
                   _v(r["facturacion.contribuciones"], "pesos"), _v(r["balance"], "pesos"),
                   lectura_del_balance(r["balance"])] for r in b.to_dict("records")])
            + "<h3>Por municipio, servicio y estrato</h3>"
            + _t(["Municipio", "Servicio", "Estrato", "Subsidios otorgados",
                  "Contribuciones facturadas"],
                 [[nombre(settings, "municipio", r["municipio"]), r["servicio"],
                   nombre(settings, "estrato", r["estrato"]),
                   _v(r["facturacion.subsidios"], "pesos"),
                   _v(r["facturacion.contribuciones"], "pesos")]
                  for r in datos.subsidios.to_dict("records")]))


def _html_indicadores(datos: DatosAnio, settings: Settings) -> str:
    t = tabla_indicadores(datos, settings)
    filas = [[r["Indicador"], _v(r["Año"], r["unidad"]), _v(r["Año anterior"], r["unidad"]),
              _v(r["Meta"], r["unidad"]), r["Meses que cumplen"]] for r in t.to_dict("records")]
    return (f"<h2>Los indicadores del año</h2>"
            f'<p class="nota">El año: las razones sobre las sumas del año, los saldos y las '
            f"cuentas al cierre, los demás sumados. Los meses de cada indicador están en el "
            f"libro de Excel.</p>"
            + _t(["Indicador", str(datos.anio), str(datos.anio - 1), "Meta",
                  "Meses que cumplen la meta"], filas))


def _html_facturacion(datos: DatosAnio, settings: Settings) -> str:
    partes = [f"<h2>Facturación, recaudo y cartera en {datos.anio}</h2>"]
    for por, tabla in (("municipio", datos.por_municipio), ("servicio", datos.por_servicio)):
        partes.append(f"<h3>Por {por}</h3>" + _t(
            [por.capitalize(), "Facturado", "Recaudado", "Cartera total al cierre",
             "Cartera vencida al cierre"],
            [[nombre(settings, por, r[por]), *(_v(r[c], "pesos") for c in (*FACTURACION,
                                                                            *CARTERA))]
             for r in tabla.to_dict("records")]))
    return "".join(partes)


def _html_pqr(datos: DatosAnio, settings: Settings) -> str:
    partes = [f"<h2>Peticiones, quejas y reclamos de {datos.anio}</h2>"]
    for columna, tabla in datos.pqr.items():
        partes.append(f"<h3>Por {columna}</h3>" + _t(
            [columna.capitalize(), "Radicadas"],
            [[catalogo.nombre_de_grupo(settings, columna, r[columna]),
              _v(r["radicadas"], "conteo")] for r in tabla.to_dict("records")]))
    return "".join(partes)


def _html_usuarios(datos: DatosAnio) -> str:
    return (f"<h2>Usuarios ganados y perdidos en {datos.anio}</h2>"
            + _t(["Mes", "Activos", "Nuevos", "Crecimiento neto", OTROS],
                 [[mes(r["periodo"]).capitalize(), _v(r["activos"], "cuentas"),
                   _v(r["nuevos"], "cuentas"), _v(r["crecimiento"], "cuentas"),
                   _v(r["otros"], "cuentas")] for r in datos.usuarios.to_dict("records")]))


def _html_proyeccion(datos: DatosAnio) -> str:
    partes = [f"<h2>Proyección de {datos.anio + 1}</h2>"]
    for p in datos.proyecciones:
        partes.append(f"<h3>{html.escape(p.nombre)}</h3><p>{html.escape(p.explicacion)}</p>")
        if not p.meses.empty:
            partes.append(_t(["Mes", "Proyección", "Intervalo del 80 %", "Intervalo del 95 %"],
                             [[mes(r["periodo"]).capitalize(), _v(r["valor"], p.unidad),
                               f"{_v(r['inferior_80'], p.unidad)} a "
                               f"{_v(r['superior_80'], p.unidad)}",
                               f"{_v(r['inferior_95'], p.unidad)} a "
                               f"{_v(r['superior_95'], p.unidad)}"]
                              for r in p.meses.to_dict("records")]))
    if datos.metas is not None:
        m = datos.metas
        partes.append(f"<h3>Metas propuestas para {m.anio}</h3>" + _t(
            ["Indicador", "Meta actual", "Propuesta"],
            [[r["nombre"], _v(r["actual"], r["unidad"]),
              _v(r["propuesta"], r["unidad"]) or "sin proyección: se conserva la actual"]
             for r in m.filas.to_dict("records")])
            + f"<pre>{html.escape(m.bloque)}</pre>")
    return "".join(partes)

