"""One style for the dashboard, the workbook and the presentation (``look-and-feel.md``): the
palette, the traffic light and the plotly layout in Spanish (decimal comma, thousands dot,
month names)."""
from __future__ import annotations

import plotly.graph_objects as go

from cauce.formato import mes

AZULES = ("#0b3c5d", "#145a86", "#1f78b4", "#4c9bd0", "#8cc0e6", "#c6e0f5")   # dark to light
AZUL = AZULES[2]
GRIS = "#9e9e9e"
SERVICIOS = {"acueducto": "#1f78b4", "alcantarillado": "#6d4c41", "aseo": "#00897b",
             "sin servicio": GRIS}

# State against goal: colour, icon and word (never the colour alone).
SEMAFORO = {
    "cumple": ("#2e7d32", "✔", "Cumple la meta"),
    "cerca": ("#f9a825", "▲", "Cerca de la meta"),
    "no cumple": ("#c62828", "✖", "No cumple la meta"),
    "sin meta": (GRIS, "●", "Sin meta"),
    "sin datos": (GRIS, "○", "Sin datos"),
}


def figura(fig: go.Figure, alto: int = 360, unidad: str | None = None,
           horizontal: bool = False, titulo: str | None = None) -> go.Figure:
    """The house layout: a title that says what the chart is, Spanish separators, the
    palette, text that never shrinks below a readable size, and the value axis (y, or x for
    horizontal bars) in ``unidad``."""
    fig.update_layout(separators=",.", height=alto,
                      margin=dict(l=10, r=10, t=50 if titulo else 30, b=10),
                      font=dict(family="Source Sans Pro, sans-serif", size=14),
                      colorway=list(AZULES[1:]), plot_bgcolor="white", hovermode="x unified",
                      legend=dict(orientation="h", y=-0.2),
                      uniformtext=dict(minsize=12, mode="show"))
    if titulo:
        fig.update_layout(title=dict(text=f"<b>{titulo}</b>", x=0, xref="container", xanchor="left",
                                     y=1, yref="container", yanchor="top", pad=dict(l=10, t=12),
                                     font=dict(size=16, color="#31333f")))
    fig.update_xaxes(showgrid=horizontal, gridcolor="#e6e6e6", automargin=True)
    fig.update_yaxes(showgrid=not horizontal, gridcolor="#e6e6e6", zeroline=False, automargin=True)
    if unidad:
        valores = _valores(fig, horizontal)
        (fig.update_xaxes if horizontal else fig.update_yaxes)(**eje(unidad, valores))
    return fig


def etiquetas(valores: list, textos: list[str]) -> dict:
    """The value labels of a bar chart: inside the end of the long bars (at least 60 % of the
    longest), outside the short ones, so that no label is cut at the chart's edge whatever
    its width; on the bar in a colour that contrasts with it, dark beside it."""
    tope = max((abs(y) for y in valores if y is not None and y == y), default=0)
    dentro = [tope > 0 and y is not None and y == y and abs(y) >= 0.6 * tope for y in valores]
    return dict(text=textos, textposition=["inside" if d else "outside" for d in dentro],
                insidetextanchor="end",
                outsidetextfont=dict(color="#31333f"), cliponaxis=False)


def escala(unidad: str) -> float:
    """Charts draw proportions as percentages (93,1 %), everything else as it is."""
    return 100.0 if unidad == "proporcion" else 1.0


def eje(unidad: str, valores: list[float] = ()) -> dict:
    """A value axis in the indicator's unit (values already multiplied by :func:`escala`).
    Plotly picks the decimals its steps need (a fixed format repeats ticks: "80 %, 80 %,
    79 %"), never with an SI suffix ("150M", which reads as thousands here); counts step by
    whole units."""
    base = dict(tickformat="", exponentformat="none", separatethousands=True)
    if unidad == "proporcion":
        return base | dict(ticksuffix=" %")
    if unidad == "pesos":
        return base | dict(tickprefix="$ ")
    if unidad in ("m3", "m3_por_cuenta"):
        return base | dict(ticksuffix=" m³")
    if unidad in ("cuentas", "conteo"):
        pocos = not valores or max(valores) - min(min(valores), 0) < 10
        return base | dict(rangemode="nonnegative") | (dict(dtick=1, tick0=0) if pocos else {})
    return base


def _valores(fig: go.Figure, horizontal: bool) -> list[float]:
    """Every value the figure draws on its value axis (x for horizontal bars, else y)."""
    valores = []
    for traza in fig.data:
        datos = traza.x if horizontal else traza.y
        valores += [float(y) for y in (datos if datos is not None else ())
                    if isinstance(y, (int, float)) and y == y]
    return valores


def meses(periodos) -> list[str]:
    """Periods as a chart's axis reads them: "jul 2026"."""
    return [mes(p, corto=True) for p in periodos]
