"""The meeting presentation (``informe_P.html``): one slide per headline indicator.

A single self-contained HTML file (plotly's JavaScript inside it, no network needed): it
opens from a USB stick on the meeting room's PC. Each slide has the value in large type,
the goal and the state (colour, icon and word), the 13-month trend and the sentence that
reads it. Aggregates only: it is built from the catalogue's totals, never from a list or a
record, so no name, document, address, phone or per-account debt can reach it.

Each chart is drawn when its slide is first shown, not when the file opens: a plotly chart
drawn inside a hidden slide measures its box as zero (or a guess) and lays its margins out
for that, so its axes come out cut ("0" alone on y, no months, no legend). ← → (and PageUp,
PageDown, the space bar: what a presenter's clicker sends) move between slides; at the first
and the last slide they do nothing, as the disabled buttons say.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import plotly.graph_objects as go
import plotly.offline

from cauce.formato import compacto, mes, provisional, valor
from cauce.settings import Settings
from indicators import catalogo
from indicators.estilo import AZULES, GRIS, SEMAFORO, escala, figura, meses
from indicators.informe import Datos
from indicators.lectura import lectura

ESTILO = """
body { margin: 0; font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; color: #1b2a38;
       background: #f4f7fa; }
.diapositiva { box-sizing: border-box; min-height: 100vh; padding: 40px 64px; display: none;
               background: white; }
.diapositiva.visible { display: block; }
.empresa { color: #5b6b7a; font-size: 18px; }
h1 { font-size: 44px; margin: 8px 0 24px; color: #0b3c5d; }
.cuerpo { display: flex; gap: 48px; align-items: flex-start; }
.cifras { flex: 2; }
.grafico { flex: 3; min-width: 0; }
.valor { font-size: 96px; font-weight: 700; line-height: 1.05; }
.estado { font-size: 32px; font-weight: 600; margin: 12px 0; }
.meta { font-size: 26px; margin: 8px 0 20px; }
.lectura { font-size: 26px; line-height: 1.35; }
.formula { color: #5b6b7a; font-size: 16px; margin-top: 24px; }
nav { position: fixed; bottom: 16px; right: 24px; font-size: 18px; color: #5b6b7a; }
nav button { font-size: 18px; padding: 6px 14px; margin-left: 8px; cursor: pointer; }
nav button:disabled { cursor: default; opacity: 0.4; }
@media print { .diapositiva { display: block; page-break-after: always; } nav { display: none; } }
"""

GUION = """
const diapositivas = document.querySelectorAll('.diapositiva');
const CONFIG = {displaylogo: false, displayModeBar: false, responsive: true};
let actual = 0;
function dibujar(d) {
  d.querySelectorAll('.figura').forEach(g => {
    if (g.dataset.figura) {
      const f = JSON.parse(g.dataset.figura); delete g.dataset.figura;
      Plotly.newPlot(g, f.data, f.layout, CONFIG);
    } else { Plotly.Plots.resize(g); }    // the window may have changed while it was hidden
  });
}
function ver(k) {
  if (k < 0 || k >= diapositivas.length) return;      // no wrap at either end
  diapositivas[actual].classList.remove('visible');
  actual = k;
  diapositivas[actual].classList.add('visible');
  document.getElementById('n').textContent = (actual + 1) + ' de ' + diapositivas.length;
  document.getElementById('anterior').disabled = actual === 0;
  document.getElementById('siguiente').disabled = actual === diapositivas.length - 1;
  dibujar(diapositivas[actual]);
}
document.addEventListener('keydown', e => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;      // Alt+← is the browser's "back"
  const paso = {ArrowRight: 1, PageDown: 1, ' ': 1, ArrowLeft: -1, PageUp: -1}[e.key];
  if (paso) { e.preventDefault(); ver(actual + paso); } });
window.addEventListener('beforeprint', () => diapositivas.forEach(d => {
  if (d.classList.contains('visible')) return;         // printing shows every slide: draw
  d.classList.add('visible'); dibujar(d); d.classList.remove('visible'); }));
ver(0);
"""


def escribir(datos: Datos, settings: Settings, ruta: Path) -> Path:
    """Write the presentation of ``datos`` (``indicators.informe.reunir``) to ``ruta``."""
    diapositivas = [_diapositiva(datos, settings, id) for id in catalogo.diapositivas(settings)]
    titulo = f"{settings.empresa}: indicadores de {mes(datos.periodo)}"
    documento = f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8">
<title>{html.escape(titulo)}</title>
<style>{ESTILO}</style>
<script>{plotly.offline.get_plotlyjs()}</script>
</head><body>
{''.join(diapositivas)}
<nav><span id="n"></span><button id="anterior" onclick="ver(actual - 1)">◀ Anterior</button>
<button id="siguiente" onclick="ver(actual + 1)">Siguiente ▶</button></nav>
<script>{GUION}</script>
</body></html>
"""
    ruta.write_text(documento, encoding="utf-8")
    return ruta


def _diapositiva(datos: Datos, settings: Settings, id: str) -> str:
    x = catalogo.buscar(settings, id)
    t = datos.tendencia[datos.tendencia["id"] == id]
    serie = t.to_dict("records")
    actual = serie[-1]
    estado = catalogo.estado(actual["valor"], actual["meta"], x.mayor_es_mejor,
                             settings.semaforo_tolerancia)
    color, icono, palabra = SEMAFORO[estado]
    meta = (f'<div class="meta">Meta: {valor(actual["meta"], x.unidad)}</div>'
            if actual["meta"] is not None else "")
    return f"""<section class="diapositiva">
<div class="empresa">{html.escape(settings.empresa)} · {mes(datos.periodo).capitalize()}
 · generado el {dt.date.today():%d/%m/%Y}</div>
<h1>{html.escape(x.nombre)}</h1>
<div class="cuerpo"><div class="cifras">
<div class="valor">{compacto(actual["valor"], x.unidad)}</div>
<div class="estado" style="color:{color}">{icono} {palabra}</div>
{_provisional(datos, actual)}{_ultima_ronda(datos, x)}{meta}
<p class="lectura">{html.escape(lectura(serie, x.unidad, x.mayor_es_mejor))}</p>
<p class="formula">{html.escape(x.descripcion)}</p>
</div><div class="grafico">{_grafico(x, t)}</div></div>
</section>
"""


def _provisional(datos: Datos, actual: dict) -> str:
    """"Provisional: 15 aún no vencen", with the data's cut-off, where the value judges only
    what was due by it."""
    if not actual.get("provisional"):
        return ""
    return (f'<div class="meta">Provisional: {provisional(actual["provisional"])} al corte de '
            f'los datos ({datos.corte:%d/%m/%Y})</div>\n')


def _ultima_ronda(datos: Datos, x) -> str:
    """An NSU slide without a value in P: the last round with answers."""
    r = datos.rondas.get(x.id)
    if r is None:
        return ""
    return f'<div class="meta">Última ronda: {r["ronda"]}, {valor(r["valor"], x.unidad)}</div>\n'


def _grafico(x, t) -> str:
    """The trend chart, as a figure the slide's script draws when the slide is shown."""
    k = escala(x.unidad)
    fig = go.Figure()
    fig.add_scatter(x=meses(t["periodo"]), y=[None if v is None else v * k for v in t["valor"]],
                    mode="lines+markers", name=x.nombre, line=dict(color=AZULES[1], width=4),
                    marker=dict(size=9))
    if t["meta"].notna().any():
        fig.add_scatter(x=meses(t["periodo"]),
                        y=[None if v is None else v * k for v in t["meta"]], mode="lines",
                        name="Meta", line=dict(color=GRIS, dash="dash", width=2))
    figura(fig, alto=460, unidad=x.unidad).update_layout(
        font=dict(size=18), showlegend=True,            # also with the indicator's line alone
        # above the plot: below it, upright month labels (long y labels leave x little room)
        # ran under it
        legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"),
        margin=dict(l=10, r=30, t=30, b=10))            # room for the last month's slanted label
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return f'<div class="figura" data-figura="{html.escape(fig.to_json(), quote=True)}"></div>'
