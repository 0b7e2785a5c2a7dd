"""The canonical layout of the twelve export sources (``data-contract.md``).

Each source is declared once here; the reader, the warehouse schema, the
generator and the data checks all derive from these declarations.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

# Column types of the contract.
STR, INT, DEC, DATE, DATETIME, BOOL, CODE, PERIOD = (
    "str", "int", "dec", "date", "datetime", "bool", "code", "period")



def fin_de_periodo(periodo: str) -> dt.date:
    """The last day of a period ``AAAA-MM`` (a ``PERIOD`` value): the one definition of the end
    of a month, for the checks, the indicators and the SUI layouts."""
    anio, mes = int(periodo[:4]), int(periodo[5:7])
    return dt.date(anio, mes, calendar.monthrange(anio, mes)[1])


SERVICIOS = ("acueducto", "alcantarillado", "aseo")
USOS = ("residencial", "comercial", "industrial", "oficial", "especial", "provisional")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    codes: tuple[str, ...] = ()
    length: int | None = None      # fixed width of a code-like string (DANE: 5)
    personal: bool = False         # personal data under Ley 1581 de 2012
    # Required only when another column has a value: (column, value). The
    # estrato is required for residential accounts, 0 or empty for the rest.
    required_if: tuple[str, str] | None = None


@dataclass(frozen=True)
class Source:
    """One export source: its columns, the key of a row and how reloads work.

    ``replaces_by`` names the column whose values a newer export replaces
    whole (a period, a cut-off date, a survey round); when it is ``None`` a
    newer export replaces the rows with the same ``key`` (an upsert).
    """
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    replaces_by: str | None = None
    # The column that dates a row (its period, cut-off, payment or filing date, survey
    # round): a load's periods, which `cauce calidad --periodo` filters on.
    fecha: str = "periodo"
    # Access paths of the indicators beyond the key (whose unique index also
    # serves lookups by its leading columns). Few on purpose: each index is
    # paid for on every load.
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, type_, required=False, codes=(), length=None, personal=False, required_if=None):
    return Column(name, type_, required, tuple(codes), length, personal, required_if)


SOURCES: dict[str, Source] = {s.name: s for s in (
    Source(
        "suscriptores", "Catastro de usuarios (una foto por periodo)",
        (
            _c("codigo", STR, True),
            _c("periodo", PERIOD, True),
            _c("nombre", STR, personal=True),
            _c("documento", STR, personal=True),
            _c("direccion", STR, True, personal=True),
            _c("barrio", STR),
            _c("municipio_dane", STR, True, length=5),
            _c("zona", CODE, codes=("urbana", "rural")),
            _c("uso", CODE, True, codes=USOS),
            _c("estrato", INT, required_if=("uso", "residencial")),
            _c("acueducto", BOOL, True),
            _c("alcantarillado", BOOL, True),
            _c("aseo", BOOL, True),
            _c("ciclo", STR, True),
            _c("ruta", STR, True),
            _c("secuencia", INT),
            _c("medidor", STR),
            _c("medidor_instalacion", DATE),
            _c("estado", CODE, True, codes=("activo", "suspendido", "cortado", "inactivo")),
            _c("fecha_vinculacion", DATE),
            _c("unidades", INT),
            _c("latitud", DEC),
            _c("longitud", DEC),
            _c("telefono", STR, personal=True),
            _c("correo", STR, personal=True),
            _c("proteccion_especial", BOOL),
        ),
        key=("codigo", "periodo"), replaces_by="periodo",
        indexes=(("periodo",),),
    ),
    Source(
        "lecturas", "Lecturas y consumo facturado",
        (
            _c("codigo", STR, True),
            _c("periodo", PERIOD, True),
            _c("fecha_lectura", DATE),
            _c("lectura_anterior", DEC),
            _c("lectura_actual", DEC),
            _c("causal_no_lectura", CODE, codes=(
                "predio_cerrado", "medidor_danado", "medidor_ilegible", "sin_medidor",
                "acceso_impedido", "medidor_enterrado", "otro")),
            _c("consumo_facturado", DEC, True),
            _c("tipo_consumo", CODE, True, codes=(
                "medido", "promedio", "estimado", "aforo", "cambio_medidor")),
            _c("critica", CODE, codes=("normal", "desviacion", "visita", "ajustado")),
        ),
        key=("codigo", "periodo"), replaces_by="periodo",
        indexes=(("periodo",),),
    ),
    Source(
        "facturas", "Facturas, una fila por factura y servicio",
        (
            _c("numero", STR, True),
            _c("codigo", STR, True),
            _c("periodo", PERIOD, True),
            _c("servicio", CODE, True, codes=SERVICIOS),
            _c("fecha_expedicion", DATE, True),
            _c("fecha_entrega", DATE),
            _c("fecha_vencimiento", DATE, True),
            _c("consumo_m3", DEC),
            _c("cargo_fijo", DEC, True),
            _c("valor_consumo", DEC, True),
            _c("subsidio", DEC, True),
            _c("contribucion", DEC, True),
            _c("otros_cargos", DEC),
            _c("valor_total", DEC, True),
        ),
        key=("numero", "servicio"), replaces_by="periodo",
        indexes=(("periodo",),),
    ),
    Source(
        "pagos", "Pagos recaudados",
        (
            _c("id", STR, True),
            _c("codigo", STR),
            _c("numero_factura", STR),
            _c("fecha_pago", DATE, True),
            _c("fecha_aplicacion", DATE),
            _c("valor", DEC, True),
            _c("canal", CODE, codes=("oficina", "banco", "corresponsal", "pse", "otro")),
            _c("entidad", STR),
        ),
        key=("id",), fecha="fecha_pago",
        indexes=(("fecha_pago",), ("numero_factura",)),
    ),
    Source(
        "cartera", "Cartera: facturas con saldo a una fecha de corte",
        (
            _c("fecha_corte", DATE, True),
            _c("codigo", STR, True),
            _c("numero_factura", STR, True),
            _c("servicio", CODE, True, codes=SERVICIOS),
            _c("fecha_vencimiento", DATE, True),
            _c("saldo", DEC, True),
            _c("financiado", BOOL),
        ),
        key=("fecha_corte", "numero_factura", "servicio"), replaces_by="fecha_corte", fecha="fecha_corte",
    ),
    Source(
        "pqr", "Peticiones, quejas, reclamos y recursos",
        (
            _c("radicado", STR, True),
            _c("codigo", STR),
            _c("fecha_radicacion", DATETIME, True),
            _c("tipo", CODE, True, codes=(
                "peticion", "queja", "reclamo", "recurso_reposicion",
                "recurso_reposicion_apelacion", "sugerencia")),
            _c("servicio", CODE, True, codes=SERVICIOS),
            _c("causal", STR, True, length=3),
            _c("grupo_causal", CODE, codes=("F", "P")),
            _c("canal", CODE, codes=("presencial", "telefonico", "escrito", "correo", "web")),
            _c("numero_factura", STR),
            _c("radicado_origen", STR),
            _c("fecha_respuesta", DATETIME),
            _c("tipo_respuesta", CODE, codes=(
                "accede", "accede_parcial", "no_accede", "confirma", "modifica", "revoca",
                "rechaza", "traslado_competencia", "archiva")),
            _c("fecha_notificacion", DATE),
            _c("tipo_notificacion", CODE, codes=(
                "personal", "aviso", "edicto", "electronica", "conducta_concluyente")),
            _c("fecha_traslado_sspd", DATE),
            _c("descripcion", STR, personal=True),
        ),
        key=("radicado",), fecha="fecha_radicacion",
        indexes=(("fecha_radicacion",), ("fecha_respuesta",), ("numero_factura",)),
    ),
    Source(
        "ordenes", "Órdenes de trabajo",
        (
            _c("numero", STR, True),
            _c("codigo", STR),
            _c("tipo", CODE, True, codes=(
                "suspension", "corte", "reinstalacion", "reconexion", "aviso_suspension",
                "revision_desviacion", "instalacion_medidor", "cambio_medidor",
                "verificacion_medidor", "conexion_nueva", "otro")),
            _c("origen", CODE, codes=("cartera", "critica", "pqr", "solicitud", "programada")),
            _c("referencia", STR),
            _c("fecha_generacion", DATETIME, True),
            _c("fecha_vencimiento", DATETIME, True),
            _c("fecha_ejecucion", DATETIME),
            _c("fecha_cierre", DATETIME),
            _c("estado", CODE, True, codes=("pendiente", "ejecutada", "cerrada", "anulada")),
            _c("resultado", STR),
            _c("valor_cargo", DEC),
            _c("facturado", BOOL),
        ),
        key=("numero",), fecha="fecha_generacion",
        indexes=(("fecha_vencimiento",), ("fecha_generacion",), ("tipo", "referencia")),
    ),
    Source(
        "encuestas", "Encuestas de satisfacción del usuario (NSU)",
        (
            _c("ronda", STR, True),
            _c("encuesta", STR, True),
            _c("fecha", DATE),
            _c("codigo", STR),
            _c("municipio_dane", STR, True, length=5),
            _c("estrato", INT),
            _c("uso", CODE, codes=USOS),
            _c("pregunta", STR, True),
            _c("valor", INT),
        ),
        key=("ronda", "encuesta", "pregunta"), replaces_by="ronda", fecha="ronda",
    ),
    Source(
        "calendario", "Calendario comercial: programado contra ejecutado",
        (
            _c("periodo", PERIOD, True),
            _c("ciclo", STR, True),
            _c("actividad", CODE, True, codes=(
                "revision_predios", "lectura", "critica", "liquidacion", "impresion",
                "reparto", "vencimiento", "suspension", "cierre_recaudo", "informe")),
            _c("fecha_programada", DATE, True),
            _c("fecha_ejecutada", DATE),
        ),
        key=("periodo", "ciclo", "actividad"), replaces_by="periodo",
    ),
    Source(
        "correspondencia", "Correspondencia oficial recibida y respondida",
        (
            _c("radicado", STR, True),
            _c("fecha_recibido", DATE, True),
            _c("tipo", CODE, True, codes=(
                "derecho_peticion", "tutela", "accion_popular", "requerimiento", "citacion",
                "circular", "acto_administrativo", "otro")),
            _c("remitente", STR),
            _c("responsable", STR),
            _c("fecha_limite", DATE, True),
            _c("fecha_respuesta", DATE),
        ),
        key=("radicado",), fecha="fecha_recibido",
        indexes=(("fecha_limite",),),
    ),
    Source(
        "tarifas", "Tarifas aprobadas: costos de referencia y factor de cada clase",
        (
            _c("municipio_dane", STR, True, length=5),
            _c("servicio", CODE, True, codes=SERVICIOS),
            _c("vigente_desde", DATE, True),
            _c("uso", CODE, True, codes=USOS),
            _c("estrato", INT, True),
            _c("cargo_fijo", DEC, True),
            _c("cargo_consumo", DEC, True),
            _c("consumo_basico_m3", DEC),
            _c("factor", DEC, True),
            _c("acuerdo", STR),
        ),
        key=("municipio_dane", "servicio", "vigente_desde", "uso", "estrato"),
        fecha="vigente_desde",
    ),
    Source(
        "indices", "Índice de precios con que se indexan las tarifas (IPC del DANE)",
        (
            _c("periodo", PERIOD, True),
            _c("indice", DEC, True),
        ),
        key=("periodo",),
    ),
)}


# How people read the codes above, where that differs from the code itself (accents,
# spaces, acronyms): one place for the dashboard's tables and charts, the lists and the
# reports. A code not listed reads as it is written.
NOMBRES_DE_CODIGOS = {
    # suscriptores, lecturas
    "predio_cerrado": "predio cerrado", "medidor_danado": "medidor dañado",
    "medidor_ilegible": "medidor ilegible", "sin_medidor": "sin medidor",
    "acceso_impedido": "acceso impedido", "medidor_enterrado": "medidor enterrado",
    "cambio_medidor": "cambio de medidor", "desviacion": "desviación",
    # pagos
    "pse": "PSE",
    # pqr
    "peticion": "petición", "recurso_reposicion": "recurso de reposición",
    "recurso_reposicion_apelacion": "recurso de reposición y apelación",
    "telefonico": "telefónico", "accede_parcial": "accede en parte", "no_accede": "no accede",
    "traslado_competencia": "traslado por competencia", "electronica": "electrónica",
    "conducta_concluyente": "conducta concluyente",
    # ordenes
    "suspension": "suspensión", "reinstalacion": "reinstalación", "reconexion": "reconexión",
    "aviso_suspension": "aviso de suspensión", "revision_desviacion": "revisión de desviación",
    "instalacion_medidor": "instalación de medidor",
    "verificacion_medidor": "verificación de medidor", "conexion_nueva": "conexión nueva",
    "critica": "crítica", "pqr": "PQR",
    # calendario
    "revision_predios": "revisión de predios", "liquidacion": "liquidación",
    "impresion": "impresión", "cierre_recaudo": "cierre de recaudo",
    # correspondencia
    "derecho_peticion": "derecho de petición", "accion_popular": "acción popular",
    "citacion": "citación", "acto_administrativo": "acto administrativo",
}

# The contract's code columns, by name: their values are codes of the lists above.
COLUMNAS_DE_CODIGOS = frozenset(col.name for s in SOURCES.values() for col in s.columns
                                if col.type == CODE)


def nombre_de_codigo(codigo: str) -> str:
    """A code as people read it: ``peticion`` -> "petición", ``telefonico`` ->
    "telefónico"."""
    return NOMBRES_DE_CODIGOS.get(codigo, codigo)


def source_of_filename(filename: str) -> Source | None:
    """The source a file belongs to, told by its name's prefix.

    ``suscriptores_2026-10.csv``, ``pqr.xlsx`` and ``pagos-oct.csv`` name
    ``suscriptores``, ``pqr`` and ``pagos``. The longest matching name wins.
    """
    stem = filename.rsplit("/", 1)[-1].lower()
    for name in sorted(SOURCES, key=len, reverse=True):
        if stem.startswith(name) and (len(stem) == len(name) or not stem[len(name)].isalpha()):
            return SOURCES[name]
    return None


# What each column means, as the export layout's documentation says it (docs/exportaciones.md,
# written by ``cauce.documentacion``; tests/cauce/test_documentacion.py checks that every
# column of SOURCES has its meaning and nothing else does). The codes come from SOURCES.
SIGNIFICADOS: dict[str, dict[str, str]] = {
    "suscriptores": {
        "codigo": "Cuenta del suscriptor (NUID o cuenta contrato); única en cada foto. Es "
                  "texto: conserva los ceros a la izquierda.",
        "periodo": "Periodo que describe esta foto del catastro.",
        "nombre": "Nombre del titular.",
        "documento": "Número de identificación del titular.",
        "direccion": "Dirección del predio.",
        "barrio": "Barrio.",
        "municipio_dane": "Código DANE del municipio (20001 es Valledupar), con sus ceros.",
        "zona": "Zona del predio.",
        "uso": "Uso del inmueble.",
        "estrato": "Estrato socioeconómico: de 1 a 6 en el uso residencial; 0 o vacío en los "
                   "demás usos.",
        "acueducto": "Si la cuenta tiene el servicio de acueducto.",
        "alcantarillado": "Si la cuenta tiene el servicio de alcantarillado.",
        "aseo": "Si la cuenta tiene el servicio de aseo.",
        "ciclo": "Ciclo de facturación.",
        "ruta": "Ruta de lectura y reparto.",
        "secuencia": "Orden del predio dentro de su ruta.",
        "medidor": "Serial del medidor; vacío si no tiene.",
        "medidor_instalacion": "Fecha de instalación del medidor actual.",
        "estado": "Estado de la cuenta (inactivo: desocupado o sin servicio).",
        "fecha_vinculacion": "Fecha en que se vinculó la cuenta.",
        "unidades": "Unidades habitacionales o no residenciales detrás de la cuenta "
                    "(multiusuario); 1 si viene vacío.",
        "latitud": "Latitud del predio (WGS84).",
        "longitud": "Longitud del predio (WGS84).",
        "telefono": "Teléfono de contacto.",
        "correo": "Correo electrónico de contacto.",
        "proteccion_especial": "Si en el predio hay un usuario de especial protección "
                               "constitucional (hospital, colegio, hogar con una persona "
                               "vulnerable): nunca se suspende por no pago y la deuda se cobra "
                               "por otros medios (T-471 de 2011); vacío: no.",
    },
    "lecturas": {
        "codigo": "Cuenta.",
        "periodo": "Periodo de facturación de la lectura.",
        "fecha_lectura": "Fecha en que se leyó el medidor.",
        "lectura_anterior": "Lectura anterior del medidor, en m³.",
        "lectura_actual": "Lectura actual del medidor, en m³; vacía si no se leyó.",
        "causal_no_lectura": "Por qué no se leyó; vacía si se leyó.",
        "consumo_facturado": "m³ facturados en el periodo.",
        "tipo_consumo": "Cómo se determinó el consumo: medido (diferencia de lecturas), "
                        "promedio (la historia de la cuenta, Ley 142 art. 146), estimado (el "
                        "promedio de usuarios similares: mismo uso y estrato), aforo o cambio "
                        "de medidor.",
        "critica": "Resultado de la crítica antes de facturar; vacío si no pasó por ella.",
    },
    "facturas": {
        "numero": "Número de la factura (el mismo en las filas de sus servicios).",
        "codigo": "Cuenta.",
        "periodo": "Periodo facturado.",
        "servicio": "Servicio de esta fila de la factura.",
        "fecha_expedicion": "Fecha de expedición.",
        "fecha_entrega": "Fecha de entrega en el predio (reparto).",
        "fecha_vencimiento": "Fecha de pago oportuno.",
        "consumo_m3": "m³ facturados en este servicio (vacío en aseo).",
        "cargo_fijo": "Cargo fijo, en pesos.",
        "valor_consumo": "Valor del consumo antes de subsidio o contribución, en pesos.",
        "subsidio": "Subsidio otorgado (0 o más; se resta), en pesos.",
        "contribucion": "Contribución de solidaridad cobrada (0 o más; se suma), en pesos.",
        "otros_cargos": "Reconexión, cuotas, intereses y otros cobros, en pesos.",
        "valor_total": "cargo_fijo + valor_consumo − subsidio + contribucion + otros_cargos, "
                       "en pesos.",
    },
    "pagos": {
        "id": "Identificador único del pago.",
        "codigo": "Cuenta; vacía mientras el pago no está identificado.",
        "numero_factura": "Factura pagada; vacía si no está identificada. Un pago se reparte "
                          "entre los servicios de su factura en proporción a su valor total.",
        "fecha_pago": "Fecha en que el usuario pagó.",
        "fecha_aplicacion": "Fecha en que se aplicó a la cuenta.",
        "valor": "Valor pagado, mayor que 0, en pesos.",
        "canal": "Canal de recaudo.",
        "entidad": "Banco o corresponsal que recaudó.",
    },
    "cartera": {
        "fecha_corte": "Fecha de corte (normalmente el último día del periodo).",
        "codigo": "Cuenta.",
        "numero_factura": "Factura que aún debe.",
        "servicio": "Servicio de ese saldo.",
        "fecha_vencimiento": "Vencimiento de esa factura.",
        "saldo": "Lo que aún se debe de ella, mayor que 0, en pesos.",
        "financiado": "Si está en un acuerdo de pago.",
    },
    "pqr": {
        "radicado": "Número de radicado, único.",
        "codigo": "Cuenta; vacía si quien radica no es suscriptor.",
        "fecha_radicacion": "Fecha y hora de radicación.",
        "tipo": "Tipo de trámite (recurso_reposicion_apelacion: reposición y en subsidio "
                "apelación).",
        "servicio": "Servicio al que se refiere.",
        "causal": "Causal detallada del SUI (3 dígitos; ver [pqr.causales] en config.toml).",
        "grupo_causal": "F (facturación) o P (prestación); si viene vacío, se toma de la "
                        "causal en config.toml.",
        "canal": "Canal de recepción.",
        "numero_factura": "La factura que reclama, si reclama una.",
        "radicado_origen": "En un recurso: el radicado de la PQR que recurre.",
        "fecha_respuesta": "Fecha y hora de la decisión; vacía mientras no hay respuesta.",
        "tipo_respuesta": "Sentido de la decisión (confirma, modifica y revoca deciden un "
                          "recurso).",
        "fecha_notificacion": "Fecha en que se notificó la decisión.",
        "tipo_notificacion": "Cómo se notificó.",
        "fecha_traslado_sspd": "Fecha en que una apelación se envió a la Superintendencia "
                               "(SSPD).",
        "descripcion": "Texto libre escrito por el usuario.",
    },
    "ordenes": {
        "numero": "Número de la orden, único.",
        "codigo": "Cuenta.",
        "tipo": "Tipo de trabajo.",
        "origen": "Qué la originó.",
        "referencia": "El radicado, la factura o el periodo que la causó.",
        "fecha_generacion": "Fecha y hora en que se generó.",
        "fecha_vencimiento": "Fecha y hora en que debe estar ejecutada.",
        "fecha_ejecucion": "Fecha y hora en que se ejecutó en terreno.",
        "fecha_cierre": "Fecha y hora en que se cerró en el sistema.",
        "estado": "Estado de la orden.",
        "resultado": "Resultado en terreno.",
        "valor_cargo": "Cargo a facturar por ella (conexión, reparación, reconexión), en "
                       "pesos.",
        "facturado": "Si ese cargo ya se facturó.",
    },
    "encuestas": {
        "ronda": "Ronda de la encuesta: AAAA-S1 (de enero a junio) o AAAA-S2 (de julio a "
                 "diciembre).",
        "encuesta": "Un cuestionario (una persona encuestada).",
        "fecha": "Fecha de la encuesta.",
        "codigo": "Cuenta de quien responde, si es suscriptor.",
        "municipio_dane": "Código DANE del municipio.",
        "estrato": "Estrato de quien responde.",
        "uso": "Uso del inmueble de quien responde.",
        "pregunta": "Código de la pregunta, definida en [nsu.preguntas] de config.toml con su "
                    "dimensión.",
        "valor": "Respuesta de 1 (muy insatisfecho) a 5 (muy satisfecho); vacía si no "
                 "respondió.",
    },
    "calendario": {
        "periodo": "Periodo de facturación.",
        "ciclo": "Ciclo de facturación.",
        "actividad": "Actividad del calendario comercial.",
        "fecha_programada": "Fecha programada.",
        "fecha_ejecutada": "Fecha en que se ejecutó; vacía mientras no se ha hecho.",
    },
    "correspondencia": {
        "radicado": "Número de radicado, único.",
        "fecha_recibido": "Fecha de recibo.",
        "tipo": "Tipo de documento.",
        "remitente": "Entidad que lo envía.",
        "responsable": "Quien debe responderlo.",
        "fecha_limite": "Fecha límite de respuesta.",
        "fecha_respuesta": "Fecha de la respuesta; vacía mientras no se ha respondido.",
    },
    "tarifas": {
        "municipio_dane": "Código DANE del municipio al que se aplica la tarifa.",
        "servicio": "Servicio de la tarifa.",
        "vigente_desde": "Primer día en que se aplica: un periodo usa la fila con la fecha "
                         "más reciente que no pase de su primer día.",
        "uso": "Uso del inmueble (la clase de uso).",
        "estrato": "Estrato de 1 a 6 en el uso residencial; 0 en los demás usos.",
        "cargo_fijo": "Costo de referencia del cargo fijo por unidad y mes, antes de subsidio "
                      "o contribución, en pesos.",
        "cargo_consumo": "Acueducto y alcantarillado: costo de referencia por m³; aseo: el "
                         "cargo variable mensual por unidad, en pesos.",
        "consumo_basico_m3": "Consumo básico por unidad y mes, en m³ (obligatorio en "
                             "acueducto y alcantarillado).",
        "factor": "Factor de la clase: negativo es subsidio (−0.70 es 70 %), positivo es "
                  "contribución (0.50 es 50 %), 0 ninguno.",
        "acuerdo": "Acto que la fijó (resolución de junta, acuerdo municipal de los "
                   "factores).",
    },
    "indices": {
        "periodo": "Mes del índice.",
        "indice": "Nivel del índice en ese mes (p. ej. IPC, base diciembre de 2018 = 100).",
    },
}
