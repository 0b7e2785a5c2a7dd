"""What the commands show on a terminal: progress bars and Spanish summary tables."""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                           TimeRemainingColumn)
from rich.table import Table

from cauce.settings import Settings

console = Console()
if not console.is_terminal:
    console.width = 140


def miles(n: int) -> str:
    """1234567 -> 1.234.567 (Colombian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def demo(settings: Settings, escala: str, semilla: int, hasta: str | None, salida: Path,
         defectos: bool) -> int:
    from etl.demo import generate
    with Progress(TextColumn("Generando {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} periodos"), console=console,
                  transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(escala, total=24)

        def progreso(periodo: str, i: int, total: int) -> None:
            bar.update(task, completed=i, total=total, description=f"{escala}: {periodo}")

        info = generate(salida, settings, escala, semilla, hasta, defectos, progreso)
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
    from etl.load import load_folder
    if forzar:
        console.print("[yellow]--forzar todavía no tiene efecto:[/yellow] las reglas de calidad con "
                      "tolerancia llegan en una próxima versión; hoy solo se rechazan archivos "
                      "ilegibles o sin columnas obligatorias, y eso no se puede forzar.")
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def progreso(archivo: str, hecho: int, total: int) -> None:
            if archivo not in tasks:
                tasks[archivo] = bar.add_task(archivo, total=total)
            bar.update(tasks[archivo], completed=hecho)

        results = load_folder(carpeta, settings, progreso)
    table = Table(title=f"Carga de {carpeta}", title_justify="left")
    for name, justify in (("Archivo", "left"), ("Fuente", "left"), ("Estado", "left"),
                          ("Leídas", "right"), ("Cargadas", "right"), ("En cuarentena", "right"),
                          ("Tiempo", "right")):
        table.add_column(name, justify=justify)
    estados = {"cargado": "cargado", "sin_cambios": "[dim]ya cargado[/dim]", "rechazado": "[red]rechazado[/red]"}
    for r in results:
        table.add_row(r.archivo, r.fuente or "—", estados[r.estado], miles(r.leidas),
                      miles(r.cargadas), miles(r.cuarentena), f"{r.segundos:.1f} s".replace(".", ","))
    table.add_row("[bold]Total[/bold]", "", "", miles(sum(r.leidas for r in results)),
                  miles(sum(r.cargadas for r in results)),
                  miles(sum(r.cuarentena for r in results)),
                  f"{sum(r.segundos for r in results):.1f} s".replace(".", ","))
    console.print(table)
    for r in results:
        if r.ignoradas:
            console.print(f"{r.archivo}: se ignoraron las columnas que no están en el contrato: "
                          f"{', '.join(r.ignoradas)}.", highlight=False)
    refused = [r for r in results if r.estado == "rechazado"]
    for r in refused:
        console.print(f"[red]Rechazado[/red] {r.mensaje}", highlight=False)
    if any(r.cuarentena for r in results):
        console.print("Las filas en cuarentena quedan en la tabla «cuarentena» del almacén, con "
                      "archivo, fila, columna, valor y motivo.")
    return 1 if refused else 0
