"""Tarifas: was every invoice charged as the approved tariff says, the tariff in force as the
public reads it, and the notice when the price index allows an update (tariffs.md)."""
import streamlit as st

from cauce.formato import mes
from dashboards import componentes as c
from dashboards import datos
from dashboards.filtros import etiqueta, vista
from dashboards.secciones import TARJETAS
from indicators.tarifas import ENCABEZADOS, PESOS

IDS = TARJETAS["tarifas"]
v = vista()
st.title(f"Tarifas: {v.titulo}")
c.tarjetas(v, IDS)
t = datos.tarifas(v.huella, v.periodo)
municipio = dict(v.filtro).get("municipio")


def _del_municipio(frame):
    frame = frame if municipio is None or frame.empty else frame[frame.municipio == municipio]
    return frame.assign(municipio=[etiqueta(v.settings, "municipio", m) for m in frame.municipio])


actualizar = [m for m in t.para_actualizar if municipio in (None, m)]
if actualizar:
    nombres = ", ".join(etiqueta(v.settings, "municipio", m) for m in actualizar)
    st.warning(f"El índice de precios ya subió {t.umbral:.0%} o más desde que entró en vigencia "
               f"la tarifa de {nombres}: se puede actualizar (Ley 142 art. 125). Abajo, la tabla "
               f"que publicaría la actualización.", icon=":material/trending_up:")
    indexada = _del_municipio(t.indexada[t.indexada.municipio.isin(actualizar)])
    c.tabla(indexada, f"tarifas_indexadas_{v.periodo}", ENCABEZADOS, dinero=PESOS)

st.subheader(f"Tarifas vigentes en {mes(v.periodo)}, como las lee el público")
publica = _del_municipio(t.publica)
if publica.empty:
    st.info("No hay tabla de tarifas vigente para este periodo: cargue el archivo tarifas en "
            "Cargar datos.")
else:
    st.caption("Precio final por clase: cargo fijo × (1 + factor); m³ básico × (1 + factor); "
               "m³ complementario × (1 + contribución). Para la publicación de enero y junio.")
    c.tabla(publica, f"tarifas_vigentes_{v.periodo}", ENCABEZADOS, dinero=PESOS)

c.tendencia(v, ["tarifas.exactitud"])
c.tendencia(v, ["tarifas.sobrefacturado", "tarifas.subfacturado"])
izquierda, derecha = st.columns(2)
with izquierda:
    c.barras(v, "tarifas.exactitud", "uso", "Exactitud")
    c.barras(v, "tarifas.sobrefacturado", "estrato", "Facturado de más")
with derecha:
    c.barras(v, "tarifas.exactitud", "estrato", "Exactitud")
    c.barras(v, "tarifas.subfacturado", "estrato", "Facturado de menos")
st.subheader("Facturas que no siguen la tarifa")
c.lista(v, "diferencias_tarifa")
c.registros(v, IDS)
