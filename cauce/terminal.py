"""What the commands show on a terminal: progress bars and Spanish summary tables.

Each command calls its use case (``cauce.acciones``) and words the outcome for a terminal:
a refused file's remedy is a command to run (``cauce cargar --forzar``).
"""
from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                           TimeRemainingColumn)
from rich.table import Table

from cauce import CauceError
from cauce.acciones import almacen
from cauce.formato import celda, miles, porcentaje, provisional
from cauce.settings import Settings
from indicators import MESES_DE_TENDENCIA

console = Console()
if not console.is_terminal:
    console.width = 140


@contextlib.contextmanager
def _paso(texto: str):
    """A long step: a spinner on a terminal; off one (a log, a pipe, a scheduled task) a plain
    line when it starts and one with its time when it ends, so nobody takes it for stuck."""
    if console.is_terminal:
        with console.status(texto):
            yield
        return
    inicio = time.monotonic()
    _linea(texto)
    yield
    _linea(f"Hecho en {_segundos(time.monotonic() - inicio)}.")


def _linea(texto: str) -> None:
    """A plain progress line: no bars, no colours, no control codes."""
    console.print(texto, highlight=False, markup=False, soft_wrap=True)


def _segundos(s: float) -> str:
    return f"{s:.1f} s".replace(".", ",")


def demo(settings: Settings, escala: str, semilla: int, hasta: str | None, salida: Path,
         defectos: bool) -> int:
    from cauce.acciones import demo as demostracion
    with Progress(TextColumn("Generando {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} periodos"), console=console,
                  transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(escala, total=24)

        def progreso(periodo: str, i: int, total: int) -> None:
            bar.update(task, completed=i, total=total, description=f"{escala}: {periodo}")

        info = demostracion.generar(settings, escala, semilla, hasta, salida, defectos, progreso)
    table = Table(title="Datos de demostración")
    table.add_column("Fuente")
    table.add_column("Filas", justify="right")
    for fuente, filas in info["filas"].items():
        table.add_row(fuente, miles(filas))
    console.print(table)
    console.print(f"{info['archivos']} archivos en {salida}; {miles(info['defectos'])} defectos "
                  f"sembrados (lista en {salida / 'defectos.json'}).", highlight=False)
    console.print(f"Siguiente paso: [bold]cauce cargar {salida}[/bold]")
    return 0


def cargar(settings: Settings, carpeta: Path, forzar: bool) -> int:
    from cauce.acciones import carga
    try:
        hecha = _cargar(settings, carpeta, forzar)
    except carga.CargaInterrumpida as e:      # say what did load before the error
        if e.hechos:
            _resumen(carpeta, e.hechos)
        raise
    results = hecha.archivos
    if not hecha.indicadores_guardados:
        console.print(f"[yellow]No se guardaron los indicadores de los últimos "
                      f"{MESES_DE_TENDENCIA} meses[/yellow]: el almacén dio un error al "
                      f"escribirlos. Los datos sí quedaron cargados; el tablero y los informes "
                      f"calcularán los indicadores al pedirlos, y la próxima «cauce cargar» "
                      f"volverá a guardarlos.", highlight=False)
    refused = [r for r in results if r.estado == "rechazado"]
    for r in refused:
        console.print(f"[red]Rechazado[/red] {escape(_por_que(r, carga.Remedio))}"
                      + (f"\n  {escape(r.detalle)}" if r.detalle else ""), highlight=False)
    if any(r.cuarentena for r in results):
        console.print("Las filas en cuarentena quedan en la tabla «cuarentena» del almacén, con "
                      "archivo, fila, columna, valor y motivo.")
    return 1 if refused else 0


def _por_que(r, remedios) -> str:
    """A refused file's reason, with its remedy as a command to run."""
    if r.remedio is remedios.FORZAR:
        return (f"{r.mensaje} Corrija el archivo en el sistema de origen (detalle en cauce "
                f"calidad --formato html) o cárguelo de todos modos con cauce cargar --forzar.")
    return r.mensaje


def _cargar(settings: Settings, carpeta: Path, forzar: bool):
    """The load with its progress bars, its summary, then the indicators kept."""
    from cauce.acciones import carga
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def progreso(archivo: str, hecho: int, total: int) -> None:
            if archivo not in tasks:
                tasks[archivo] = bar.add_task(archivo, total=total)
                if not console.is_terminal:
                    _linea(f"Cargando {archivo}…")
            bar.update(tasks[archivo], completed=hecho)

        @contextlib.contextmanager
        def calculando(archivos: list):
            bar.stop()
            _resumen(carpeta, archivos)
            with _paso(f"Calculando los indicadores de los últimos {MESES_DE_TENDENCIA} meses…"):
                yield

        def esperando(segundos: float) -> None:
            print(f"El almacén está abierto en otro proceso (el tablero o otra carga): se "
                  f"espera hasta {segundos:.0f} s a que lo libere…", file=sys.stderr, flush=True)

        return carga.cargar(settings, carpeta, forzar=forzar, progreso=progreso,
                            calculando=calculando, al_esperar=esperando)


def _resumen(carpeta: Path, results: list) -> None:
    """The table of the files of a load, the columns they had that Cauce ignored, and the
    findings of the data checks."""
    table = Table(title=f"Carga de {escape(str(carpeta))}", title_justify="left")
    for name, justify in (("Archivo", "left"), ("Fuente", "left"), ("Estado", "left"),
                          ("Leídas", "right"), ("Cargadas", "right"), ("En cuarentena", "right"),
                          ("Tiempo", "right")):
        table.add_column(name, justify=justify)
    estados = {"cargado": "cargado", "forzado": "[yellow]forzado[/yellow]",
               "sin_cambios": "[dim]ya cargado[/dim]", "rechazado": "[red]rechazado[/red]"}
    for r in results:
        table.add_row(escape(r.archivo), r.fuente or "—", estados[r.estado], miles(r.leidas),
                      miles(r.cargadas), miles(r.cuarentena), _segundos(r.segundos))
    table.add_row("[bold]Total[/bold]", "", "", miles(sum(r.leidas for r in results)),
                  miles(sum(r.cargadas for r in results)),
                  miles(sum(r.cuarentena for r in results)),
                  _segundos(sum(r.segundos for r in results)))
    console.print(table)
    for r in results:
        if r.ignoradas:
            console.print(f"{r.archivo}: se ignoraron las columnas que no están en el contrato: "
                          f"{', '.join(r.ignoradas)}.", highlight=False, markup=False)
    _hallazgos(results)


def _hallazgos(results) -> None:
    """The rules that flagged rows in this run, per source: what to fix at the source."""
    por_regla: dict[tuple[str, str], list] = {}
    juzgadas: dict[tuple[str, str], int] = {}
    for r in results:
        for b in r.calidad:
            juzgadas[r.fuente, b.regla] = juzgadas.get((r.fuente, b.regla), 0) + b.total
            if b.fallidas:
                por_regla.setdefault((r.fuente, b.regla), []).append((r, b))
    if not por_regla:
        return
    table = Table(title="Hallazgos de calidad", title_justify="left",
                  caption="Las claves señaladas quedan en el almacén (tabla «hallazgo»); "
                          "el detalle completo: cauce calidad.", caption_justify="left")
    for name, justify in (("Fuente", "left"), ("Regla", "left"), ("Señaladas", "right"),
                          ("De", "right"), ("Peor archivo", "right"), ("Tolerancia", "right"),
                          ("Archivos", "left")):
        table.add_column(name, justify=justify)
    for (fuente, regla), items in por_regla.items():
        peor = max(items, key=lambda x: x[1].proporcion)[1]
        estados = sorted({r.estado for r, _ in items})
        table.add_row(fuente, regla, miles(sum(b.fallidas for _, b in items)),
                      miles(juzgadas[fuente, regla]), porcentaje(peor.proporcion),
                      "—" if peor.tolerancia is None else porcentaje(peor.tolerancia),
                      f"{len(items)} ({', '.join(estados)})")
    console.print(table)


def calidad(settings: Settings, periodo: str | None, formato: str, salida: Path | None) -> int:
    """``cauce calidad``: the checks of the current loads as a table, JSON or the Data Docs."""
    from cauce.acciones import calidad as informe
    if formato == "tabla" and salida is not None:
        raise CauceError("--salida sirve con --formato json (un archivo) o --formato html (una "
                         "carpeta); la tabla solo se muestra en pantalla.")
    if formato == "html":
        if periodo:
            console.print("El informe html muestra todas las cargas guardadas; --periodo solo "
                          "filtra la tabla y el JSON.", highlight=False)
        console.print(f"Informe de calidad: {informe.html(settings, salida)}", highlight=False,
                      soft_wrap=True)
        return 0
    controles = almacen.leer(settings, lambda conn: informe.controles(conn, periodo),
                             debe_existir=False)
    if formato == "tabla":
        informe.tabla(controles, console, periodo,
                      pie="cauce calidad --formato html abre el detalle de cada control.")
    elif salida is None:
        sys.stdout.write(informe.como_json(controles) + "\n")
    else:
        try:
            salida.parent.mkdir(parents=True, exist_ok=True)
            salida.write_text(informe.como_json(controles) + "\n", encoding="utf-8")
        except OSError as e:
            raise CauceError(f"No se pudo escribir {salida}: {e.strerror or e}. Revise la ruta "
                             f"de --salida y sus permisos.") from None
        console.print(f"{len(controles)} controles escritos en {salida}.", highlight=False)
    return 0


_ESTADOS = {"cumple": "[green]✔ cumple[/green]", "cerca": "[yellow]▲ cerca[/yellow]",
            "no cumple": "[red]✖ no cumple[/red]", "sin meta": "[dim]sin meta[/dim]",
            "sin datos": "[dim]sin datos[/dim]"}


def _elegir(conn, periodo: str | None) -> str:
    """The period asked for, or the latest billed one."""
    from cauce.acciones import indicadores
    periodo = indicadores.elegir_periodo(conn, periodo)
    if periodo is None:
        raise CauceError("El almacén no tiene periodos cargados. Cargue las exportaciones con "
                         "«cauce cargar CARPETA» o indique uno con --periodo AAAA-MM.")
    return periodo


def indicadores(settings: Settings, periodo: str | None, formato: str, por: str | None) -> int:
    """``cauce indicadores``: the catalogue for period P as a table, JSON (``cli.md``) or CSV.
    A period without any data says so, with the periods there are, and exits 1: a script
    must not take a month of empty values for a report."""
    import json

    import pandas as pd

    from cauce.acciones import indicadores as acc
    from cauce.formato import decimal, valor
    from indicators import catalogo

    r = almacen.leer(settings, lambda conn: acc.del_periodo(conn, settings, _elegir(conn, periodo),
                                                            por))
    frame, periodo, vacio, hasta = r.filas, r.periodo, r.vacio, r.corte
    if vacio:
        print(_sin_datos(periodo, r.cargados), file=sys.stderr)
    if formato == "json":
        sys.stdout.write(json.dumps(_sin_ruido(frame), ensure_ascii=False) + "\n")
        return 1 if vacio else 0
    if formato == "csv":        # for the user's Excel, as the dashboard's Reportes gives it
        from indicators import exportar, informe
        tabla, unidades = informe.indicadores_del_mes(frame, settings, por)
        sys.stdout.flush()
        sys.stdout.buffer.write(exportar.csv_para_excel(tabla, settings.csv, por_fila=unidades))
        return 1 if vacio else 0
    if vacio:
        return 1
    mejor = {x.id: x.mayor_es_mejor for x in catalogo.catalogo(settings)}

    def cifra(x):
        return "" if x is None else miles(round(x)) if float(x).is_integer() else decimal(x, 2)

    table = Table(title=f"Indicadores de {periodo}" + (f" por {por}" if por else ""),
                  title_justify="left")
    for name, justify in (("Indicador", "left"), ("Código", "left"), ("Grupo", "left"),
                          ("Valor", "right"), ("Meta", "right"), ("Estado", "left"),
                          ("Numerador", "right"), ("Denominador", "right"),
                          ("Provisional", "left")):
        if name != "Grupo" or por:
            table.add_column(name, justify=justify)
    for f in frame.to_dict("records"):
        st = catalogo.estado(f["valor"], f["meta"], mejor[f["id"]], settings.semaforo_tolerancia)
        table.add_row(f["nombre"], f["id"], *([f["grupo"] or "total"] if por else []),
                      valor(f["valor"], f["unidad"]),
                      "" if f["meta"] is None else valor(f["meta"], f["unidad"]), _ESTADOS[st],
                      cifra(f["numerador"]), cifra(f["denominador"]),
                      provisional(f["provisional"]))
    console.print(table)
    _nota_del_corte(frame, hasta)
    return 0


def _nota_del_corte(frame, hasta) -> None:
    """Under a table with provisional values: what the data's cut-off is and what it means."""
    if not any(n for n in frame["provisional"] if n):
        return
    console.print(f"Provisional: el corte de los datos es el {hasta:%d/%m/%Y} (la última fecha "
                  f"de las exportaciones cargadas); lo que vence después aún no se juzga, así "
                  f"que el valor puede cambiar con las próximas exportaciones.", highlight=False)


def _sin_datos(periodo: str, cargados: tuple[str, str] | None) -> str:
    """Why every indicator of P is empty, and what to do."""
    if cargados is None:
        hay = "no tiene facturas, catastro ni lecturas cargados"
    elif cargados[0] == cargados[1]:
        hay = f"el único periodo cargado es {cargados[0]}"
    else:
        hay = f"los periodos cargados van de {cargados[0]} a {cargados[1]}"
    return (f"El almacén no tiene datos del periodo {periodo}: {hay}. Pida uno de ellos con "
            f"--periodo AAAA-MM, o cargue las exportaciones de {periodo} con «cauce cargar "
            f"CARPETA».")


def _sin_ruido(frame) -> list[dict]:
    """The catalogue's rows for other programs, with its sums to cents (money in pesos, and
    m³): adding thousands of amounts leaves float noise nobody wrote (82427.42000000003).
    Proportions, averages and rates keep every digit, because machine readers compare them."""
    from indicators.definicion import M3, PESOS
    sumas = (PESOS, M3)      # units whose value is a sum, like every numerator and denominator
    filas = frame.to_dict("records")
    for f in filas:
        for k in ("numerador", "denominador") + (("valor", "meta") if f["unidad"] in sumas
                                                 else ()):
            if f[k] is not None and f[k] == f[k]:
                f[k] = round(float(f[k]), 2)
    return filas


def listas(settings: Settings, tipo: str, periodo: str | None, salida: Path | None) -> int:
    """``cauce listas``: a working list into a file (XLSX or CSV), or its first rows on screen."""
    from cauce.acciones import listas as acc
    from indicators import listas as ls

    lista = almacen.leer(settings, lambda conn: acc.del_periodo(conn, settings, tipo,
                                                                _elegir(conn, periodo)))
    periodo, frame = lista.periodo, lista.filas
    if not lista.hay_datos:
        console.print(f"No hay datos de {ls.FUENTES[tipo]} del periodo {periodo}: cargue sus "
                      f"exportaciones con «cauce cargar CARPETA».", highlight=False)
    nombre = ls.TITULOS[tipo]
    if salida is not None:
        acc.escribir(lista, salida, settings)
        console.print(f"Lista «{nombre}» de {periodo}: {miles(len(frame))} filas escritas en "
                      f"{salida}.", highlight=False, markup=False)
        return 0
    if frame.empty:
        console.print(f"La lista «{nombre}» de {periodo} está vacía.", highlight=False)
        return 0
    columnas = [c for c in frame.columns if c not in ls.DETALLE_CUENTA][:9]
    muestra = frame.head(30)[columnas]
    table = Table(title=f"Lista «{nombre}» de {periodo}: {miles(len(frame))} filas"
                        + (" (las primeras 30)" if len(frame) > 30 else ""), title_justify="left")
    for col in columnas:
        table.add_column(ls.ENCABEZADOS.get(col, col))
    for fila in muestra.itertuples(index=False):
        table.add_row(*[celda(c, v) for c, v in zip(columnas, fila)])
    console.print(table)
    console.print("La lista completa, con todas sus columnas: añada --salida lista.xlsx (o .csv).")
    return 0


def informe(settings: Settings, periodo: str | None, salida: Path) -> int:
    """``cauce informe``: the monthly workbook and the meeting presentation into ``salida``
    (of the last billed period unless another is asked for)."""
    from cauce.acciones import informes
    periodo = almacen.leer(settings, lambda conn: _elegir(conn, periodo))
    with _paso(f"Calculando los indicadores de {periodo} y sus {MESES_DE_TENDENCIA - 1} meses "
               f"anteriores…"):
        datos = almacen.leer(settings, lambda conn: informes.reunir(conn, settings, periodo))
    try:
        libro, html = informes.escribir(datos, settings, salida)
    except OSError as e:
        raise CauceError(f"No se pudo escribir en {salida}: {e.strerror or e}. Revise la carpeta "
                         f"de --salida y sus permisos, y cierre el informe si está abierto en "
                         f"Excel.") from None
    console.print(f"Informe de {periodo}: {libro} y la presentación {html}.", highlight=False,
                  soft_wrap=True)
    return 0


def proyeccion(settings: Settings, hasta: str | None, meses: int, formato: str) -> int:
    """``cauce proyeccion``: the four series projected with their intervals, how far to trust
    each (the backtest, or why there is none) and the ``[metas]`` block to copy. Exit 1 when
    not one series has history enough to project."""
    import json

    from cauce.acciones import proyeccion as acc
    from cauce.formato import mes, valor

    def leer():
        return almacen.leer(settings, lambda conn: acc.proyectar(conn, settings, hasta, meses))
    if formato == "json":          # standard output is the JSON alone
        r = leer()
        sys.stdout.write(json.dumps(_proyeccion_json(r), ensure_ascii=False) + "\n")
        return 0 if r.alguna else 1
    with _paso("Ajustando las proyecciones…"):
        r = leer()
    console.print(f"Proyección desde la historia hasta {mes(r.hasta)}.", highlight=False)
    for p in r.series:
        console.print(f"\n[bold]{escape(p.nombre)}[/bold] ({p.id})", highlight=False)
        console.print(escape(p.explicacion), highlight=False, soft_wrap=True)
        if p.meses.empty:
            continue
        table = Table(show_header=True)
        for name, justify in (("Mes", "left"), ("Proyección", "right"),
                              ("Intervalo del 80 %", "right"), ("Intervalo del 95 %", "right")):
            table.add_column(name, justify=justify)
        for f in p.meses.to_dict("records"):
            table.add_row(mes(f["periodo"]), valor(f["valor"], p.unidad),
                          f"{valor(f['inferior_80'], p.unidad)} a {valor(f['superior_80'], p.unidad)}",
                          f"{valor(f['inferior_95'], p.unidad)} a {valor(f['superior_95'], p.unidad)}")
        console.print(table)
    m = r.metas
    console.print(f"\n[bold]Metas propuestas para {m.anio}[/bold]", highlight=False)
    if m.meses < 12:
        console.print(f"La proyección cubre {m.meses} de los 12 meses de {m.anio}: las metas "
                      f"propuestas salen de esos meses.", highlight=False)
    table = Table(show_header=True)
    for name, justify in (("Indicador", "left"), ("Meta actual", "right"),
                          ("Propuesta", "right")):
        table.add_column(name, justify=justify)
    for f in m.filas.to_dict("records"):
        propuesta = f["propuesta"]
        table.add_row(f["nombre"], valor(f["actual"], f["unidad"]),
                      "sin proyección: se conserva la actual" if propuesta is None
                      or propuesta != propuesta else valor(propuesta, f["unidad"]))
    console.print(table)
    console.print("Para adoptarlas, copie este bloque en config.toml en lugar de su sección "
                  "[metas] (Cauce no modifica la configuración):", highlight=False)
    console.print(escape(m.bloque), highlight=False, markup=False, soft_wrap=True)
    if not r.alguna:
        console.print("Ninguna serie tiene historia suficiente para proyectarla: cargue al "
                      "menos 6 meses seguidos de exportaciones.", highlight=False)
        return 1
    return 0


def _proyeccion_json(r) -> dict:
    def limpio(v):
        return None if v is None or v != v else round(float(v), 4)
    return {
        "hasta": r.hasta,
        "series": [{"id": p.id, "nombre": p.nombre, "unidad": p.unidad, "metodo": p.metodo,
                    "explicacion": p.explicacion, "meses_de_historia": len(p.historia),
                    "mape": limpio(p.mape),
                    "meses": [{k: (v if k == "periodo" else limpio(v)) for k, v in f.items()}
                              for f in p.meses.to_dict("records")],
                    "prueba": [{k: (v if k == "periodo" else limpio(v)) for k, v in f.items()}
                               for f in p.prueba.to_dict("records")]}
                   for p in r.series],
        "metas": {"anio": r.metas.anio, "meses": r.metas.meses,
                  "propuestas": [{k: (v if k in ("id", "nombre", "unidad") else limpio(v))
                                  for k, v in f.items()}
                                 for f in r.metas.filas.to_dict("records")],
                  "bloque": r.metas.bloque},
    }


def informe_anual(settings: Settings, anio: int, salida: Path) -> int:
    """``cauce informe --anio AAAA``: the year's workbook and public HTML into ``salida``. A
    year with months missing says which (and the files say it too); a year without any data
    writes nothing and exits 1."""
    from cauce.acciones import informes
    from cauce.formato import mes
    with _paso(f"Calculando los indicadores de {anio} y de {anio - 1}, la proyección y el uso "
               f"de los subsidios…"):
        datos = almacen.leer(settings, lambda conn: informes.reunir_anio(conn, settings, anio))
    if len(datos.faltan) == 12:
        console.print(f"El almacén no tiene datos de ningún mes de {anio}: no se escribió el "
                      f"informe. Pida otro año con --anio AAAA o cargue las exportaciones del "
                      f"año con «cauce cargar CARPETA».", highlight=False)
        return 1
    if datos.faltan:
        console.print(f"Faltan {len(datos.faltan)} de los 12 meses de {anio} ("
                      f"{', '.join(mes(p) for p in datos.faltan)}): el año se calcula con los "
                      f"meses que hay.", highlight=False, soft_wrap=True)
    try:
        libro, html = informes.escribir_anual(datos, settings, salida)
    except OSError as e:
        raise CauceError(f"No se pudo escribir en {salida}: {e.strerror or e}. Revise la carpeta "
                         f"de --salida y sus permisos, y cierre el informe si está abierto en "
                         f"Excel.") from None
    console.print(f"Informe del año {anio}: {libro} y su versión para publicar {html}.",
                  highlight=False, soft_wrap=True)
    return 0


ERRORES_EN_PANTALLA = 50


def documentos(settings: Settings, tipo: str, periodo: str, salida: Path, reemitir: bool) -> int:
    """``cauce documentos``: a numbered batch of letters, notices or statements, registered."""
    from cauce.acciones import documentos as acc
    titulo = acc.TITULOS[tipo]
    with _paso(f"Escribiendo {titulo.lower()} de {periodo}…"):
        lote = acc.emitir(settings, tipo, periodo, salida, reemitir)
    if lote is None:
        console.print(f"No hay destinatarios de «{titulo}» en {periodo}: no se escribió ningún "
                      f"documento.", highlight=False, markup=False)
        return 0
    n = len(lote.numeros)
    if lote.anulados:
        console.print(f"Se anularon {miles(lote.anulados)} documentos del lote anterior (quedan en "
                      f"el registro como anulados).", highlight=False, markup=False)
    if not lote.nuevo:
        console.print(f"El lote {lote.lote} de «{titulo}» de {periodo} ya estaba emitido: se "
                      f"escriben los mismos documentos con los mismos números. Para anularlo y "
                      f"numerar uno nuevo, use --reemitir.", highlight=False, markup=False)
    console.print(f"Lote {lote.lote}, «{titulo}» de {periodo}: {miles(n)} documento"
                  f"{'s' if n != 1 else ''}, del {lote.numeros[0]} al {lote.numeros[-1]}. Para "
                  f"imprimir: {lote.docx}; uno por documento: {lote.zip}.", highlight=False,
                  markup=False, soft_wrap=True)
    return 0


def sui(settings: Settings, formato: str, periodo: str, salida: Path, xlsx: bool) -> int:
    """``cauce sui``: build the report of a SUI layout for P, validate it and write it only
    when every row passes (exit 1 with the errors, writing nothing, when one does not)."""
    from cauce.acciones import sui as reportes
    disenio = reportes.disenio(formato, settings)          # an unknown layout: exit 2
    if xlsx and salida.suffix.lower() == ".xlsx":
        raise CauceError(f"--salida {salida.name} es el archivo plano del SUI: use un nombre "
                         f".csv o .txt; la copia para revisión se escribe a su lado (.xlsx).")
    try:
        reporte = almacen.leer(settings, lambda conn: reportes.generar(
            conn, settings, disenio, periodo, salida, xlsx))
    except reportes.EscrituraFallida as e:
        raise CauceError(f"{e.mensaje} Revise la ruta de --salida y sus permisos.") from None
    hay, r = reporte.hay_datos, reporte.resultado
    console.print(f"Formato SUI {disenio.nombre}: {disenio.titulo} ({disenio.resolucion}).",
                  highlight=False, markup=False)
    v = r.validacion
    if not v.valida:
        console.print(f"[red]El reporte de {periodo} no pasa la validación:[/red] "
                      f"{miles(v.total)} errores en un reporte de {miles(v.filas)} filas. No se "
                      f"escribió ningún archivo.", highlight=False)
        campos = {c.numero: c for c in disenio.campos}
        todas = [campos[n].etiqueta for n, k in v.vacios.items() if k == v.filas]
        algunas = [f"{campos[n].etiqueta} en {miles(k)} fila{'s' if k > 1 else ''}"
                   for n, k in v.vacios.items() if k < v.filas]
        if todas:
            console.print(f"Campos obligatorios vacíos en todas las filas: {'; '.join(todas)}. "
                          f"Si su sistema no los exporta, fije su valor en [defectos] de un "
                          f"formato en {reportes.carpeta_extra(settings)} (vea «Los reportes al "
                          f"SUI» en el README).", highlight=False, markup=False)
        if algunas:
            console.print(f"Campos obligatorios vacíos en algunas filas: {'; '.join(algunas)}. "
                          f"Complete esos datos en el sistema comercial y vuelva a cargar la "
                          f"exportación.", highlight=False, markup=False)
        for error in v.errores[:ERRORES_EN_PANTALLA]:
            console.print(f"  {error}", highlight=False, markup=False)
        if v.total > ERRORES_EN_PANTALLA:
            console.print(f"  … y {miles(v.total - ERRORES_EN_PANTALLA)} errores más.",
                          highlight=False)
        return 1
    if v.filas == 0:
        console.print(f"El reporte de {periodo} no tiene filas"
                      + ("" if hay else f" (el almacén no tiene datos de "
                         f"{reporte.fuente} de ese periodo: cargue "
                         f"sus exportaciones con «cauce cargar CARPETA»)")
                      + ". No se escribió ningún archivo; si de verdad no hay nada que reportar, "
                        "certifíquelo así en el SUI.", highlight=False, markup=False)
        return 1
    console.print(f"Reporte de {periodo}: {miles(v.filas)} filas validadas y escritas en "
                  f"{r.salida}" + (f"; copia para revisión en {r.xlsx}" if r.xlsx else "") + ".",
                  highlight=False, markup=False)
    console.print(disenio.origen, style="dim", highlight=False, markup=False)
    return 0


def tablero(settings: Settings, puerto: int, navegador: bool) -> int:
    """``cauce tablero``: run the Streamlit app on this configuration and warehouse until
    Ctrl+C, and open it in the browser."""
    import os
    import signal
    import subprocess
    import threading
    import webbrowser

    import importlib.util

    # The dashboard runs in its own process: found, never imported, by this interface.
    app = Path(importlib.util.find_spec("dashboards").origin).parent / "servidor.py"
    env = os.environ | {"CAUCE_CONFIG": str(settings.path), "CAUCE_ALMACEN": settings.almacen_url}
    url = f"http://localhost:{puerto}"
    console.print(f"Tablero de Cauce en {url} (Ctrl+C para detenerlo).", highlight=False)
    from cauce.acciones import cuentas
    if not cuentas.leer(settings.usuarios_archivo):
        console.print("Aún no hay cuentas del tablero: nadie puede entrar. Cree la primera con "
                      "«cauce usuarios agregar NOMBRE --rol administrador».", highlight=False)
    if navegador:
        threading.Timer(3.0, webbrowser.open, args=(url,)).start()
    orden = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(puerto),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.maxUploadSize", "1024", "--theme.primaryColor", "#1f78b4",
             "--client.toolbarMode", "minimal"]
    servidor = subprocess.Popen(orden, env=env)
    # Stopping `cauce tablero` stops the server (Ctrl+C reaches both; a service manager's
    # SIGTERM only reaches this process).
    signal.signal(signal.SIGTERM, lambda *_: servidor.terminate())
    try:
        servidor.wait()
    except KeyboardInterrupt:
        servidor.wait()
    return 0


def usuarios(settings: Settings, accion: str, nombre: str | None, rol: str | None) -> int:
    """``cauce usuarios agregar|listar|quitar``: the dashboard's accounts."""
    from cauce.acciones import cuentas
    archivo = settings.usuarios_archivo
    if accion == "listar":
        tabla = Table(title=f"Cuentas del tablero ({archivo})")
        for col in ("Cuenta", "Rol", "Entra con"):
            tabla.add_column(col)
        for n, c in cuentas.leer(archivo).items():
            tabla.add_row(n, c["rol"], "contraseña" if "clave" in c else "su organización (OIDC)")
        console.print(tabla)
        return 0
    if not nombre:
        raise CauceError(f"Falta el nombre de la cuenta: cauce usuarios {accion} NOMBRE"
                         + (" --rol ROL" if accion == "agregar" else "") + ".")
    if accion == "quitar":
        cuentas.quitar(archivo, nombre)
        console.print(f"Cuenta {cuentas.normalizar(nombre)} quitada: ya no entra al tablero.",
                      highlight=False)
        return 0
    if rol is None:
        raise CauceError("Falta el rol: --rol administrador, analista o consulta.")
    clave = None if settings.acceso == "oidc" else _pedir_clave(nombre)
    nueva = cuentas.agregar(archivo, nombre, rol, clave)
    console.print(f"Cuenta {cuentas.normalizar(nombre)} {'creada' if nueva else 'actualizada'} "
                  f"con el rol {rol} ({cuentas.ROLES[rol]}), en {archivo}.", highlight=False)
    return 0


def _pedir_clave(nombre: str) -> str:
    """The new password: asked twice on a terminal (not shown); read from the first line of
    the input when it comes from a pipe or a file (scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass
    clave = getpass.getpass(f"Contraseña para {nombre}: ")
    if getpass.getpass("Repítala: ") != clave:
        raise CauceError("Las dos contraseñas no coinciden; no se cambió nada. Vuelva a intentarlo.")
    return clave
