"""The user's documentation in ``docs/``, written from the one definition in code: the export
layout from ``etl.contract``, the indicators from the catalogue, the SUI layouts from their
files. After changing any of them, run

    python -m cauce.documentacion

``tests/cauce/test_documentacion.py`` fails, naming that command, while the committed pages
differ from what it writes, so the docs cannot drift from what Cauce does. The prose the
code lacks (what a page is for, where the README says more) is kept short here.
"""
from __future__ import annotations

import sys
from pathlib import Path

CARPETA = Path(__file__).resolve().parent.parent / "docs"
COMANDO = "python -m cauce.documentacion"
AVISO = (f"<!-- Generado con «{COMANDO}» a partir del código de Cauce: no lo edite a mano; "
         f"cambie el código y vuelva a generarlo. -->")

TIPOS = {"str": "texto", "int": "entero", "dec": "decimal", "date": "fecha",
         "datetime": "fecha y hora", "bool": "sí/no", "code": "código", "period": "periodo"}
UNIDADES = {"proporcion": "proporción (de 0 a 1; se muestra en %)", "pesos": "pesos",
            "m3": "m³", "m3_por_cuenta": "m³ por cuenta", "cuentas": "cuentas",
            "conteo": "conteo", "dias": "días", "por_mil": "por cada 1.000"}
TIPOS_SUI = {"texto": "texto", "entero": "entero", "decimal": "decimal", "fecha": "fecha",
             "codigo": "código"}


def paginas() -> dict[str, str]:
    """{file name: Markdown} of every page of ``docs/``."""
    return {"README.md": indice(), "exportaciones.md": exportaciones(),
            "indicadores.md": indicadores(), "sui.md": sui()}


def escribir(carpeta: Path = CARPETA) -> list[Path]:
    """Write every page into ``carpeta`` (replacing what was there)."""
    carpeta.mkdir(parents=True, exist_ok=True)
    escritos = []
    for nombre, texto in paginas().items():
        ruta = carpeta / nombre
        ruta.write_text(texto, encoding="utf-8", newline="\n")
        escritos.append(ruta)
    return escritos


# --- Markdown ----------------------------------------------------------------------------

def _tabla(encabezados: list[str], filas: list[list[str]]) -> str:
    def celda(x: str) -> str:
        return str(x).replace("|", "\\|").replace("\n", " ")
    lineas = ["| " + " | ".join(encabezados) + " |", "|" + "---|" * len(encabezados)]
    lineas += ["| " + " | ".join(celda(x) for x in fila) + " |" for fila in filas]
    return "\n".join(lineas)


def _codigos(valores) -> str:
    return ", ".join(f"`{v}`" for v in valores)


def _y(partes: list[str], y: str = "y") -> str:
    return partes[0] if len(partes) == 1 else ", ".join(partes[:-1]) + f" {y} " + partes[-1]


def _pagina(titulo: str, *bloques: str) -> str:
    return "\n\n".join([f"# {titulo}", AVISO, *bloques]).rstrip() + "\n"


# --- docs/README.md ----------------------------------------------------------------------

def indice() -> str:
    return _pagina(
        "La documentación de Cauce",
        "El README del proyecto explica cómo instalar Cauce, cada comando, cómo carga y revisa "
        "los datos, el tablero, el informe mensual y la configuración. Estas páginas dan el "
        "detalle que sale del propio código, así que siempre dicen lo que Cauce hace:",
        "- [Las exportaciones](exportaciones.md): cada archivo que carga Cauce, sus columnas, "
        "tipos, obligatorias y códigos.\n"
        "- [Los indicadores](indicadores.md): cada indicador del catálogo, su fórmula, su "
        "unidad, si es mejor más alto o más bajo, sus desgloses y los datos que necesita.\n"
        "- [Los reportes al SUI](sui.md): los formatos incluidos, campo por campo, con sus "
        "reglas de validación.")


# --- docs/exportaciones.md ---------------------------------------------------------------

def exportaciones() -> str:
    from etl.contract import SOURCES
    fuentes = "\n".join(f"- [`{s.name}`](#{s.name}): {s.description}" for s in SOURCES.values())
    return _pagina(
        "Las exportaciones: los archivos que carga Cauce",
        "Cauce carga las exportaciones mensuales del sistema comercial: uno o varios archivos "
        "`.csv` o `.xlsx` por fuente, en una carpeta, con `cauce cargar CARPETA` o desde la "
        "página Cargar datos del tablero. Esta página dice qué columnas lleva cada fuente. "
        "Cómo se leen (separador, codificación, formatos de fecha y de número) y qué pasa con "
        "una fila que no se puede guardar está en el README, «Cómo carga Cauce».",
        "- **El nombre del archivo** empieza por el de su fuente: `suscriptores_2026-10.csv`, "
        "`pqr.xlsx`, `pagos-oct.csv`.\n"
        "- **Las columnas** se reconocen sin importar mayúsculas, tildes, espacios ni guiones "
        "bajos (`Código Suscriptor` = `codigo_suscriptor`); las que no están aquí se ignoran. Si "
        "su sistema las nombra distinto o usa otros códigos, declárelo en `[mapeo.FUENTE]` de "
        "`config.toml` (README, «Las exportaciones de su sistema»).\n"
        "- **Obligatoria**: un archivo sin esa columna se rechaza completo; una fila sin el "
        "valor va a la cuarentena.\n"
        "- **Tipos**: texto (se guarda tal como viene, con sus ceros a la izquierda); entero; "
        "decimal (los valores en pesos colombianos, los volúmenes en m³); fecha; fecha y hora; "
        "sí/no (`S`/`N`, `SI`/`NO`, `1`/`0`, `true`/`false`); código (uno de los valores de "
        "la lista); periodo (`AAAA-MM`, el periodo de facturación).\n"
        "- **Dato personal** (Ley 1581 de 2012): solo lo ven los roles administrador y "
        "analista, nunca la presentación ni el rol consulta.",
        "Las fuentes, en el orden en que se cargan:",
        fuentes,
        *[_fuente(s) for s in SOURCES.values()])


def _fuente(s) -> str:
    from etl.contract import SIGNIFICADOS
    reemplaza = {None: "las filas con la misma clave", "periodo": "todos los periodos que trae",
                 "fecha_corte": "todas las fechas de corte que trae",
                 "ronda": "todas las rondas que trae"}[s.replaces_by]
    clave = " + ".join(f"`{c}`" for c in s.key)
    filas = []
    for c in s.columns:
        tipo = TIPOS[c.type] + (f" de {c.length} caracteres" if c.length else "")
        if c.required_if:
            obligatoria = f"si `{c.required_if[0]}` es `{c.required_if[1]}`"
        else:
            obligatoria = "sí" if c.required else "no"
        que = SIGNIFICADOS[s.name][c.name] + (" **Dato personal.**" if c.personal else "")
        filas.append([f"`{c.name}`", tipo, obligatoria, que, _codigos(c.codes)])
    return "\n\n".join([
        f"## {s.name}",
        f"**{s.description}.** Clave de una fila: {clave}. Una exportación nueva reemplaza "
        f"{reemplaza}. La columna que ubica cada fila en un periodo es `{s.fecha}`.",
        _tabla(["columna", "tipo", "obligatoria", "qué es", "valores"], filas)])


# --- docs/indicadores.md -----------------------------------------------------------------

def indicadores() -> str:
    from cauce.settings import SHIPPED_CONFIG, load_settings
    from indicators import catalogo
    from indicators.informe import NOMBRES_AREA
    todos = catalogo.catalogo(load_settings(SHIPPED_CONFIG))
    areas = [a for a in NOMBRES_AREA if any(x.area == a for x in todos)]
    resumen = _tabla(["área", "indicadores"], [
        [f"[{NOMBRES_AREA[a]}](#{_ancla(NOMBRES_AREA[a])})",
         ", ".join(f"`{x.id}`" for x in todos if x.area == a)] for a in areas])
    return _pagina(
        "Los indicadores",
        "Cada indicador está definido una sola vez en `indicators/`, como las filas que lo "
        "forman; `cauce indicadores`, el tablero, el informe mensual y la presentación "
        "muestran los mismos números. El README («Los indicadores») explica cuándo un "
        "indicador queda sin datos (nunca un cero inventado), los días hábiles, los desgloses, "
        "las metas y la tendencia.",
        "- **Código**: el que usan `cauce indicadores --formato json` y las metas de "
        "`[metas]` en `config.toml`.\n"
        "- **Mejor**: más alto o más bajo, para juzgar la meta; «—» en un conteo o un saldo "
        "que se lee sin juicio.\n"
        "- **Desgloses**: los grupos de `cauce indicadores --por` y de las barras del tablero "
        "(municipio, ciclo, ruta, estrato y uso, por el catastro del periodo de cada cuenta; servicio, "
        "por el servicio de cada fila).\n"
        "- **Necesita**: las fuentes que deben tener datos del periodo para que haya valor.\n"
        "- Las dimensiones del NSU salen de `[nsu.preguntas]` de `config.toml`; aquí, las del "
        "`config.toml` que trae Cauce.",
        resumen,
        *[_area(NOMBRES_AREA[a], [x for x in todos if x.area == a]) for a in areas])


def _ancla(titulo: str) -> str:
    return titulo.lower().replace(" ", "-")


def _area(titulo: str, indicadores) -> str:
    return "\n\n".join([f"## {titulo}", *[_indicador(x) for x in indicadores]])


def _indicador(x) -> str:
    mejor = {True: "más alto", False: "más bajo", None: "—"}[x.mayor_es_mejor]
    desgloses = ", ".join(x.desgloses) if x.desgloses else "ninguno"
    if x.formula is not None:
        necesita = "Se calcula de " + ", ".join(f"`{d}`" for d in x.de)
    else:
        necesita = "Necesita: " + _necesita(x.requiere)
    return (f"### {x.nombre}\n\n`{x.id}`: {x.descripcion}\n\n"
            f"Unidad: {UNIDADES[x.unidad]}. Mejor: {mejor}. Desgloses: {desgloses}. "
            f"{necesita}.")


def _necesita(requiere) -> str:
    """(("suscriptores", 0), ("lecturas", 0), ("lecturas", -1)) -> "suscriptores del periodo
    y lecturas del periodo y del anterior"."""
    antes: dict[str, int] = {}
    for fuente, k in requiere:
        antes[fuente] = antes.get(fuente, 0) + (k < 0)
    if not any(antes.values()):
        return _y(list(antes)) + " del periodo"
    return _y([f"{fuente} del periodo" + ("" if n == 0 else " y del anterior" if n == 1 else
                                           f" y de los {n} anteriores")
               for fuente, n in antes.items()])


# --- docs/sui.md -------------------------------------------------------------------------

def sui() -> str:
    from indicators.sui import formato as F
    formatos = [F.leer(ruta) for ruta in sorted(F.CARPETA.glob("*.toml"))]
    lista = "\n".join(f"- [`{f.nombre}`](#{f.nombre}): {f.titulo}" for f in formatos)
    return _pagina(
        "Los reportes al SUI",
        "`cauce sui FORMATO --periodo AAAA-MM` arma un reporte al Sistema Único de "
        "Información de la Superintendencia de Servicios Públicos (SSPD), lo valida campo por "
        "campo y solo si no tiene errores escribe el archivo plano para el cargue masivo. Cada "
        "formato es un archivo de datos en `indicators/sui/formatos/`; esta página muestra los "
        "que trae Cauce. Su empresa puede cambiar uno (por ejemplo, fijar sus tarifas en "
        "`[defectos]`) o agregar otro en la carpeta `formatos_sui/` junto a su `config.toml`: "
        "ver el README, «Los reportes al SUI».",
        lista,
        *[_formato(f) for f in formatos])


def _formato(f) -> str:
    from indicators.sui.construir import CONJUNTOS
    filas = CONJUNTOS[f.conjunto].que
    if f.servicio:
        filas += f" Servicio: `{f.servicio}`."
    if f.excluir_tipos:
        filas += f" No se reportan los tipos {_codigos(f.excluir_tipos)}."
    campos = _tabla(["campo", "nombre en el SUI", "tipo", "formato", "obligatorio",
                     "códigos permitidos", "de dónde sale"],
                    [[str(c.numero), c.nombre, TIPOS_SUI[c.tipo], _forma(c),
                      "sí" if c.obligatorio else "no", ", ".join(c.codigos), _origen(c)]
                     for c in f.campos])
    bloques = [f"## {f.nombre}",
               f"**{f.titulo}.** {f.resolucion} (versión {f.version}). {f.origen}",
               f"**Filas**: {filas}", campos]
    if f.reglas:
        bloques += ["**Reglas entre campos** (además del tipo, la longitud, la obligatoriedad y "
                    "los códigos de cada campo):",
                    "\n".join(f"- {_regla(f, r)}" for r in f.reglas)]
    if f.codigos:
        bloques += ["**Tablas de códigos** (valor del almacén → código del SUI):",
                    "\n".join(f"- `{nombre}`: " + ", ".join(f"`{k}` → {v}"
                                                            for k, v in tabla.items())
                              for nombre, tabla in f.codigos.items())]
    return "\n\n".join(bloques)


def _forma(c) -> str:
    partes = []
    if c.longitud:
        cifras = c.digitos or c.numerico
        unidad = ("dígito" if cifras else "carácter") if c.longitud == 1 else (
            "dígitos" if cifras else "caracteres")
        partes.append(f"{'exactamente' if c.exacta else 'hasta'} {c.longitud} {unidad}")
    elif c.digitos:
        partes.append("solo dígitos")
    if c.decimales is not None:
        partes.append(f"hasta {c.decimales} decimales")
    if c.negativo:
        partes.append("admite negativos")
    if c.tipo == "fecha":
        partes.append("dd-mm-aaaa")
    return ", ".join(partes)


def _origen(c) -> str:
    """Where a field's value comes from: a derivation, a constant, a warehouse column (through
    a code table), or only its default."""
    from indicators.sui.construir import EXPLICACIONES
    if c.derivacion:
        texto = EXPLICACIONES[c.derivacion]
    elif c.constante is not None:
        texto = f"Siempre «{c.constante}»."
    elif c.columna:
        texto = f"La columna `{c.columna}`" + (" si su almacén la tiene" if c.opcional else "")
        texto += "."
    elif c.defecto:
        return f"«{c.defecto}»: la exportación no lo trae (se cambia en `[defectos]`)."
    else:
        return ("Vacío: la exportación no lo trae; fíjelo en `[defectos]` de un formato "
                "propio." if c.obligatorio else "Vacío.")
    if c.tabla:
        texto += f" Traducido con la tabla `{c.tabla}`."
    if c.defecto is not None:
        texto += f" Sin valor: «{c.defecto}»." if c.defecto else " Sin valor: vacío."
    return texto


def _regla(f, r) -> str:
    """A cross-field rule (``indicators.sui.validar``) in words."""
    p = r.parametros

    def campo(id: str) -> str:
        return f.campo(id).etiqueta

    if r.tipo == "unico":
        por = [campo(x) for x in p.get("por", [])] + list(p.get("por_contexto", []))
        return f"El {campo(p['campo'])} no se repite" + (f" con el mismo {_y(por)}" if por
                                                         else "") + "."
    if r.tipo == "fechas_en_orden":
        return ("Las fechas van en orden: " + " ≤ ".join(campo(x) for x in p["campos"])
                + " (las que no están vacías).")
    if r.tipo == "igual_si_vacio":
        return (f"El {campo(p['campo'])} es {p['valor']} exactamente cuando el "
                f"{campo(p['si_vacio'])} está vacío.")
    if r.tipo == "solo_si":
        return (f"El {campo(p['campo'])} solo tiene valor cuando el {campo(p['si'])} es "
                f"{_y(list(dict.fromkeys(p['valores'])), 'o')}.")
    if r.tipo == "clase_uso":
        return (f"El {campo(p['campo'])} va de 1 a {p['residencial_hasta']} en las cuentas "
                f"residenciales y desde {p['otros_desde']} en los demás usos.")
    if r.tipo == "suma":
        formula = " + ".join(str(f.campo(x).numero) for x in p["mas"]) + "".join(
            f" − {f.campo(x).numero}" for x in p.get("menos", []))
        return (f"{formula} = {f.campo(p['total']).numero} ({campo(p['total'])}), con una "
                f"tolerancia de {str(p.get('tolerancia', 0.01)).replace('.', ',')}.")
    raise AssertionError(r.tipo)   # formato.PARAMETROS_REGLAS names every rule type


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    carpeta = Path(argv[0]) if argv else CARPETA
    for ruta in escribir(carpeta):
        print(f"Escrito {ruta}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
