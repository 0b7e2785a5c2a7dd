"""Tarifas: was every invoice charged as the approved tariff says, the tariff in force as the
public reads it, and the notice when the price index allows an update (tariffs.md)."""
import streamlit as st

from cauce.formato import mes
from dashboards import componentes as c
from dashboards import datos
from dashboards.filtros import etiqueta, vista
from dashboards.secciones import TARJETAS

IDS = TARJETAS["tarifas"]
PUBLICA = {"municipio": "Municipio", "servicio": "Servicio", "uso": "Uso", "estrato": "Estrato",
           "vigente_desde": "Vigente desde", "factor": "Factor",
           "consumo_basico_m3": "Consumo básico (m³)", "cargo_fijo_final": "Cargo fijo",
           "precio_basico": "m³ básico (aseo: cargo variable)",
           "precio_complementario": "m³ complementario", "acuerdo": "Acuerdo"}
INDEXADA = {"municipio": "Municipio", "servicio": "Servicio", "uso": "Uso", "estrato": "Estrato",
            "vigente_desde": "Vigente desde", "factor": "Factor",
            "consumo_basico_m3": "Consumo básico (m³)",
            "cargo_fijo_vigente": "Cargo fijo vigente", "cargo_fijo": "Cargo fijo indexado",
            "cargo_consumo_vigente": "Cargo por consumo vigente",
            "cargo_consumo": "Cargo por consumo indexado"}
PESOS_PUBLICA = ("cargo_fijo_final", "precio_basico", "precio_complementario")
PESOS_INDEXADA = ("cargo_fijo_vigente", "cargo_fijo", "cargo_consumo_vigente", "cargo_consumo")

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
    c.tabla(indexada, f"tarifas_indexadas_{v.periodo}", INDEXADA, dinero=PESOS_INDEXADA)

st.subheader(f"Tarifas vigentes en {mes(v.periodo)}, como las lee el público")
publica = _del_municipio(t.publica)
if publica.empty:
    st.info("No hay tabla de tarifas vigente para este periodo: cargue el archivo tarifas en "
            "Cargar datos.")
else:
    st.caption("Precio final por clase: cargo fijo × (1 + factor); m³ básico × (1 + factor); "
               "m³ complementario × (1 + contribución). Para la publicación de enero y junio.")
    c.tabla(publica, f"tarifas_vigentes_{v.periodo}", PUBLICA, dinero=PESOS_PUBLICA)

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
