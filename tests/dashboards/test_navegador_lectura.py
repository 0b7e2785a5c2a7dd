"""What a person sees of the charts, the cards and the upload box, in a real Chromium at a
laptop's width (1280 px): no value label cut at a chart's edge or shrunk to micro-text, no
tick repeated, a title on every chart, one legend entry per series, the calendar on one
screen, cards of one row equally tall with their whole name, a change that never breaks
inside its figure, no "None" in a table, and an upload box in Spanish.

The fixtures (the demo to 2026-09, ``cauce tablero``, Chromium) are in ``navegador.py``; the
screenshots go to ``tests/artefactos/navegador/test_navegador_lectura/``.
"""
from __future__ import annotations

import re

import pytest

from tests.dashboards.navegador import entrar, ir, quieta, sin_errores, titulo

ANCHO, ALTO = 1280, 3600        # a laptop's width; tall, so every chart is drawn at once
# The pages with charts, by their sidebar link (their <h1> starts with it).
PAGINAS = ["Recaudo", "Cartera", "Facturación y consumo", "Crítica", "PQR",
           "Órdenes de trabajo", "NSU", "Calendario comercial"]

# Each plotly chart of the page: its title, its box and height, its value labels (text, size,
# inside the chart's box or not), its ticks and its legend entries.
GRAFICOS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => {
  const caja = d.querySelector('.main-svg').getBoundingClientRect();
  const dentro = r => r.left >= caja.left - 1 && r.right <= caja.right + 1
                   && r.top >= caja.top - 1 && r.bottom <= caja.bottom + 1;
  const textos = sel => Array.from(d.querySelectorAll(sel));
  return {
    titulo: (d.querySelector('.gtitle') || {}).textContent || '',
    alto: caja.height,
    etiquetas: textos('.bartext').filter(t => t.textContent).map(t => ({
      texto: t.textContent, dentro: dentro(t.getBoundingClientRect()),
      tamano: parseFloat(getComputedStyle(t).fontSize)})),
    yticks: textos('.ytick text').map(t => t.textContent),
    xticks: textos('.xtick text').map(t => t.textContent),
    leyendas: textos('.legendtext').map(t => t.textContent),
  };
})"""

# Each KPI card: its row, its height, whether its name and value fit (nothing cut with an
# ellipsis) and in how many lines its change is drawn.
TARJETAS = """() => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(m => {
  const tarjeta = m.closest('[data-testid="stVerticalBlock"]');
  const fila = tarjeta.closest('[data-testid="stHorizontalBlock"]');
  const cabe = e => !e || e.scrollWidth <= e.clientWidth + 1;
  const lineas = e => {
    if (!e) return 0;
    const r = document.createRange();
    r.selectNodeContents(e);
    return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size;
  };
  const nombre = m.querySelector('[data-testid="stMetricLabel"] p');
  return {
    nombre: nombre.textContent,
    fila: Array.from(document.querySelectorAll('[data-testid="stHorizontalBlock"]')).indexOf(fila),
    alto: Math.round(tarjeta.getBoundingClientRect().height),
    nombre_cabe: cabe(nombre) && cabe(nombre.parentElement),
    valor_cabe: cabe(m.querySelector('[data-testid="stMetricValue"] p')),
    lineas_del_cambio: lineas(m.querySelector('[data-testid="stMetricDelta"] p')),
  };
})"""


# The tables are drawn on a canvas: every text painted on one is recorded, so the test reads
# what a person sees in the cells (the DOM keeps the raw values).
PINTADO = """(() => {
  const pintar = CanvasRenderingContext2D.prototype.fillText;
  window.__pintado = [];
  CanvasRenderingContext2D.prototype.fillText = function (texto, ...resto) {
    window.__pintado.push(String(texto));
    return pintar.call(this, texto, ...resto);
  };
})()"""


def _dibujada(pagina, expect) -> None:
    """Wait until the page's cards and charts are on it, and it has gone quiet."""
    expect(pagina.locator('[data-testid="stMetric"]').first).to_be_visible()
    quieta(pagina, calma_s=2)


def _revisar_graficos(pagina, donde: str) -> list[dict]:
    graficos = pagina.evaluate(GRAFICOS)
    assert graficos, f"{donde}: ningún gráfico"
    for g in graficos:
        que = f"{donde}, «{g['titulo']}»"
        assert len(g["titulo"]) > 5, f"{donde}: un gráfico sin título"
        cortadas = [e["texto"] for e in g["etiquetas"] if not e["dentro"]]
        assert cortadas == [], f"{que}: etiquetas cortadas en el borde {cortadas}"
        diminutas = [(e["texto"], e["tamano"]) for e in g["etiquetas"] if e["tamano"] < 12]
        assert diminutas == [], f"{que}: etiquetas diminutas {diminutas}"
        for eje in ("yticks", "xticks"):
            marcas = g[eje]
            assert len(marcas) == len(set(marcas)), f"{que}: marcas repetidas {marcas}"
        assert len(g["leyendas"]) == len(set(g["leyendas"])), f"{que}: leyendas {g['leyendas']}"
    return graficos


def _revisar_tarjetas(pagina, donde: str) -> None:
    tarjetas = pagina.evaluate(TARJETAS)
    assert tarjetas, f"{donde}: ninguna tarjeta"
    for t in tarjetas:
        assert t["nombre_cabe"], f"{donde}: el nombre «{t['nombre']}» no cabe en su tarjeta"
        assert t["valor_cabe"], f"{donde}: el valor de «{t['nombre']}» no cabe en su tarjeta"
        assert t["lineas_del_cambio"] <= 1, f"{donde}: el cambio de «{t['nombre']}» se parte"
    for fila in {t["fila"] for t in tarjetas}:
        altos = {t["nombre"]: t["alto"] for t in tarjetas if t["fila"] == fila}
        assert max(altos.values()) - min(altos.values()) <= 2, f"{donde}: alturas {altos}"


def test_graficos_y_tarjetas_se_leen_enteros(pestana, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.set_viewport_size({"width": ANCHO, "height": ALTO})
    pagina.goto(pestana.direccion)
    entrar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    _dibujada(pagina, expect)
    pestana.captura("Resumen del mes")
    _revisar_tarjetas(pagina, "Resumen del mes")
    for enlace in PAGINAS:
        ir(pagina, enlace)
        expect(titulo(pagina)).to_contain_text(f"{enlace}: ")
        _dibujada(pagina, expect)
        expect(pagina.locator(".js-plotly-plot .main-svg").first).to_be_visible()
        pestana.captura(enlace)
        sin_errores(pagina, enlace)
        _revisar_tarjetas(pagina, enlace)
        graficos = _revisar_graficos(pagina, enlace)
        if enlace == "Calendario comercial":     # one screen, not 2.700 px
            [grilla] = [g for g in graficos if g["titulo"].startswith("Programado")]
            assert grilla["alto"] < 900 and "ciclo 01" in grilla["xticks"]
        if enlace == "PQR":                       # causes by code and name, not 120–200
            [causal] = [g for g in graficos if "causal" in g["titulo"]]
            assert all(re.match(r"^\d{3} · \w", y) for y in causal["yticks"]), causal["yticks"]
        pestana.paso(enlace)


def test_ninguna_tabla_muestra_none(pestana, pw):
    """Órdenes' records: reinstatements have no «referencia»; the cell is painted empty, and
    the codes are painted with their accents."""
    expect, pagina = pw.expect, pestana.pagina
    pagina.add_init_script(PINTADO)
    pagina.goto(pestana.direccion)
    entrar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    ir(pagina, "Órdenes de trabajo")
    expect(titulo(pagina)).to_contain_text("Órdenes de trabajo: ")
    _dibujada(pagina, expect)
    registros = pagina.locator('[data-testid="stDataFrame"]').nth(-2)   # the last: their total
    expect(registros).to_contain_text("Referencia")
    registros.scroll_into_view_if_needed()
    quieta(pagina)
    pestana.captura("registros de órdenes")
    pintado = pagina.evaluate("window.__pintado")
    assert "Referencia" in pintado and "reinstalación" in pintado, pintado[:40]
    assert "None" not in pintado and "reinstalacion" not in pintado


def test_la_caja_de_carga_habla_espanol(pestana, pw):
    """Streamlit writes "Upload" and "1GB per file"; what shows is the Spanish that CSS puts
    in their place (the English text is there at size 0)."""
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(pestana.direccion)
    entrar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    ir(pagina, "Cargar datos")
    expect(titulo(pagina)).to_have_text("Cargar datos")
    quieta(pagina)
    pestana.captura("caja de carga")
    caja = pagina.locator('[data-testid="stFileUploaderDropzone"]')
    visto = caja.evaluate("""c => {
      const out = {ingles: [], espanol: []};
      const paseo = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
      while (paseo.nextNode()) {
        const n = paseo.currentNode, e = n.parentElement;
        const icono = e.closest('[data-testid="stIconMaterial"]');   // "upload" draws the icon
        if (n.textContent.trim() && !icono && parseFloat(getComputedStyle(e).fontSize) > 0)
          out.ingles.push(n.textContent.trim());
        const despues = getComputedStyle(e, '::after').content;
        if (despues && despues !== 'none') out.espanol.push(despues);
      }
      return out;
    }""")
    assert visto["ingles"] == [], f"texto visible sin traducir: {visto['ingles']}"
    assert any("Elegir archivos" in t for t in visto["espanol"]), visto
    assert any("hasta 1 GB por archivo" in t for t in visto["espanol"]), visto
