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
           horizontal: bool = False) -> go.Figure:
    """The house layout: Spanish separators, the palette, room for the labels, and the value
    axis (y, or x for horizontal bars) in ``unidad``."""
    fig.update_layout(separators=",.", height=alto, margin=dict(l=10, r=10, t=30, b=10),
                      font=dict(family="Source Sans Pro, sans-serif", size=14),
                      colorway=list(AZULES[1:]), plot_bgcolor="white", hovermode="x unified",
                      legend=dict(orientation="h", y=-0.2))
    fig.update_xaxes(showgrid=horizontal, gridcolor="#e6e6e6")
    fig.update_yaxes(showgrid=not horizontal, gridcolor="#e6e6e6", zeroline=False)
    if unidad:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(**eje(unidad))
    return fig


def escala(unidad: str) -> float:
    """Charts draw proportions as percentages (93,1 %), everything else as it is."""
    return 100.0 if unidad == "proporcion" else 1.0


def eje(unidad: str) -> dict:
    """A value axis in the indicator's unit (values already multiplied by :func:`escala`)."""
    if unidad == "proporcion":
        return dict(ticksuffix=" %", tickformat=",.0f")
    if unidad == "pesos":
        return dict(tickprefix="$ ", tickformat=",.0f")
    if unidad in ("m3", "m3_por_cuenta"):
        return dict(ticksuffix=" m³", tickformat=",.0f")
    return dict(tickformat=",.0f")


def meses(periodos) -> list[str]:
    """Periods as a chart's axis reads them: "jul 2026"."""
    return [mes(p, corto=True) for p in periodos]
