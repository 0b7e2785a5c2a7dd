"""SUI layouts as data: reading and checking one layout file (TOML).

A layout names the resolution it implements and lists, in order, the fields of the flat
file: SUI name, type, length or decimals, whether it is mandatory, the allowed codes and
where the value comes from (a warehouse column, a code mapping, a constant or a named
derivation of ``indicators.sui.construir``). Its cross-field rules are named rule types of
``indicators.sui.validar`` with their parameters. The shipped layouts live in
``indicators/sui/formatos/``; a utility adds or overrides one with a file in the folder
``formatos_sui/`` next to its ``config.toml`` (``[formato] hereda`` takes another layout
and changes only what the new file says, e.g. its ``[defectos]``).
"""
from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cauce import CauceError
from cauce.settings import Settings
from etl import warehouse as w
from etl.contract import SOURCES
from indicators.sui import construir as filas   # the row sets and derivations a layout names

CARPETA = Path(__file__).resolve().parent / "formatos"
CARPETA_EXTRA = "formatos_sui"        # next to config.toml

TIPOS = ("texto", "entero", "decimal", "fecha", "codigo")
FUENTES = ("columna", "columna_opcional", "derivacion", "constante")

# Parameters of each cross-field rule type (indicators.sui.validar): name -> kind, required.
# Kinds: "campo" a field id, "campos" a list of field ids, "textos" a list of strings,
# "texto" a string, "numero" a number.
PARAMETROS_REGLAS: dict[str, dict[str, tuple[str, bool]]] = {
    "unico": {"campo": ("campo", True), "por": ("campos", False), "por_contexto": ("textos", False)},
    "fechas_en_orden": {"campos": ("campos", True)},
    "igual_si_vacio": {"campo": ("campo", True), "valor": ("texto", True),
                       "si_vacio": ("campo", True)},
    "solo_si": {"campo": ("campo", True), "si": ("campo", True), "claves": ("textos", False),
                "valores": ("textos", False)},
    "clase_uso": {"campo": ("campo", True), "residencial_hasta": ("numero", True),
                  "otros_desde": ("numero", True)},
    "suma": {"total": ("campo", True), "mas": ("campos", True), "menos": ("campos", False),
             "tolerancia": ("numero", False)},
}

_SECCIONES = {"formato", "filas", "codigos", "campos", "reglas", "defectos"}
_CLAVES_FORMATO = {"titulo", "resolucion", "version", "origen", "hereda"}
_CLAVES_FILAS = {"conjunto", "servicio", "excluir_tipos"}
_CLAVES_CAMPO = {"id", "nombre", "tipo", "obligatorio", "longitud", "exacta", "digitos",
                 "decimales", "negativo", "codigos", "defecto", *FUENTES}


@dataclass(frozen=True)
class Campo:
    """One field of the flat file."""
    numero: int                       # its position, from 1
    id: str                           # the name rules and defaults use
    nombre: str                       # the SUI's name
    tipo: str                         # one of TIPOS
    obligatorio: bool
    longitud: int | None = None       # maximum characters (digits for entero)
    exacta: bool = False              # the length is exact (DANE codes, causal)
    digitos: bool = False             # only digits, leading zeros kept
    decimales: int | None = None      # decimal: at most this many decimals
    negativo: bool = False            # decimal: may be below zero
    codigos: tuple[str, ...] = ()     # the allowed SUI values (empty: any)
    tabla: str | None = None          # the code table that maps the source's values
    columna: str | None = None        # "tabla.columna" of the row set
    opcional: bool = False            # the column may be missing from the warehouse
    derivacion: str | None = None
    constante: str | None = None
    defecto: str | None = None        # the value when the source gives none

    @property
    def etiqueta(self) -> str:
        return f"campo {self.numero} «{self.nombre}»"

    @property
    def numerico(self) -> bool:
        return self.tipo in ("entero", "decimal")


@dataclass(frozen=True)
class Regla:
    tipo: str
    parametros: dict


@dataclass(frozen=True)
class Formato:
    nombre: str
    ruta: Path
    titulo: str
    resolucion: str
    version: str
    origen: str
    conjunto: str                     # the row set (indicators.sui.construir.CONJUNTOS)
    servicio: str | None
    excluir_tipos: tuple[str, ...]
    campos: tuple[Campo, ...]
    codigos: dict[str, dict[str, str]] = field(default_factory=dict)
    reglas: tuple[Regla, ...] = ()

    def campo(self, id: str) -> Campo:
        return next(c for c in self.campos if c.id == id)


def carpeta_extra(settings: Settings) -> Path:
    """The utility's own layouts: ``formatos_sui/`` next to its config.toml."""
    return Path(settings.path).resolve().parent / CARPETA_EXTRA


def disponibles(settings: Settings) -> dict[str, Path]:
    """Every layout by name: the shipped ones, then the utility's (which win)."""
    rutas = {p.stem: p for p in sorted(CARPETA.glob("*.toml"))}
    extra = carpeta_extra(settings)
    if extra.is_dir():
        rutas.update({p.stem: p for p in sorted(extra.glob("*.toml"))})
    return rutas


def cargar(nombre: str, settings: Settings) -> Formato:
    """The layout called ``nombre`` (exit code 2 when there is none)."""
    rutas = disponibles(settings)
    if nombre not in rutas:
        raise CauceError(
            f"No hay un formato SUI llamado «{nombre}». Formatos disponibles: "
            f"{', '.join(sorted(rutas))}. Para agregar uno, ponga su archivo .toml en "
            f"{carpeta_extra(settings)}.")
    return leer(rutas[nombre], settings)


def leer(ruta: Path, settings: Settings | None = None) -> Formato:
    """Read and check one layout file (with the layout it inherits from, if any)."""
    ruta = Path(ruta)
    datos = _crudo(ruta, settings, ())
    return _construir(ruta, datos)


def _toml(ruta: Path) -> dict:
    try:
        return tomllib.loads(ruta.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CauceError(f"El formato SUI {ruta} no está en UTF-8. Guárdelo con codificación "
                         f"UTF-8.") from None
    except tomllib.TOMLDecodeError as e:
        raise CauceError(f"El formato SUI {ruta} no es TOML válido ({e}).") from None
    except OSError as e:
        raise CauceError(f"No se pudo leer el formato SUI {ruta}: {e.strerror}.") from None


def _crudo(ruta: Path, settings: Settings | None, vistos: tuple[Path, ...]) -> dict:
    """The file's TOML merged over the layout it inherits from (``[formato] hereda``)."""
    datos = _toml(ruta)
    padre = datos.get("formato", {}).get("hereda") if isinstance(datos.get("formato"), dict) else None
    if padre is None:
        return datos
    if not isinstance(padre, str):
        raise _mal(ruta, "[formato] hereda debe ser el nombre de otro formato")
    candidatos = []
    if settings is not None:
        candidatos.append(carpeta_extra(settings) / f"{padre}.toml")
    candidatos.append(CARPETA / f"{padre}.toml")
    base = next((p for p in candidatos if p.is_file() and p.resolve() != ruta.resolve()
                 and p.resolve() not in vistos), None)
    if base is None:
        raise _mal(ruta, f"[formato] hereda nombra el formato «{padre}», que no existe")
    return _fusionar(_crudo(base, settings, vistos + (ruta.resolve(),)), datos)


def _fusionar(base: dict, hijo: dict) -> dict:
    """The child's sections over the parent's: [formato], [filas] and [defectos] key by key,
    each [codigos.X] table whole, and the field and rule lists whole when the child has them."""
    out = copy.deepcopy(base)
    for seccion, valor in hijo.items():
        if seccion in ("formato", "filas", "defectos") and isinstance(valor, dict):
            out.setdefault(seccion, {}).update(valor)
        elif seccion == "codigos" and isinstance(valor, dict):
            out.setdefault("codigos", {}).update(valor)
        else:
            out[seccion] = valor
    out.get("formato", {}).pop("hereda", None)
    return out


def _mal(ruta: Path, detalle: str) -> CauceError:
    return CauceError(f"Formato SUI inválido en {ruta}: {detalle}. Corrija el archivo y vuelva "
                      f"a intentarlo.")


def _construir(ruta: Path, datos: dict) -> Formato:
    extra = sorted(set(datos) - _SECCIONES)
    if extra:
        raise _mal(ruta, f"sección(es) desconocida(s) {', '.join(extra)}; las válidas son "
                         f"{', '.join(sorted(_SECCIONES))}")
    fmt = _tabla(ruta, datos, "formato", _CLAVES_FORMATO)
    fil = _tabla(ruta, datos, "filas", _CLAVES_FILAS)
    for clave in ("titulo", "resolucion", "origen"):
        if not isinstance(fmt.get(clave), str) or not fmt[clave].strip():
            raise _mal(ruta, f"[formato] {clave} es obligatorio (un texto)")
    conjunto = fil.get("conjunto")
    if conjunto not in filas.CONJUNTOS:
        raise _mal(ruta, f"[filas] conjunto debe ser uno de {', '.join(filas.CONJUNTOS)}, no "
                         f"{conjunto!r}")
    servicio = fil.get("servicio")
    servicios = SOURCES["facturas"].column("servicio").codes
    if servicio is not None and servicio not in servicios:
        raise _mal(ruta, f"[filas] servicio debe ser uno de {', '.join(servicios)}")
    if filas.CONJUNTOS[conjunto].con_servicio and servicio is None:
        raise _mal(ruta, f"[filas] servicio es obligatorio para el conjunto {conjunto}")
    excluir = fil.get("excluir_tipos", [])
    if not (isinstance(excluir, list) and all(isinstance(x, str) for x in excluir)):
        raise _mal(ruta, "[filas] excluir_tipos debe ser una lista de textos")
    if excluir and conjunto != "pqr":
        raise _mal(ruta, "[filas] excluir_tipos sirve solo para el conjunto pqr")

    codigos = datos.get("codigos", {})
    if not isinstance(codigos, dict):
        raise _mal(ruta, "[codigos] debe ser una sección de tablas")
    for nombre, tabla in codigos.items():
        if not (isinstance(tabla, dict) and tabla
                and all(isinstance(v, str) and v for v in tabla.values())):
            raise _mal(ruta, f"[codigos.{nombre}] debe tener al menos un código: "
                             f"valor_del_contrato = \"código SUI\"")

    lista = datos.get("campos")
    if not isinstance(lista, list) or not lista:
        raise _mal(ruta, "faltan los campos ([[campos]], uno por campo, en orden)")
    defectos = datos.get("defectos", {})
    if not isinstance(defectos, dict):
        raise _mal(ruta, "[defectos] debe ser una tabla id_del_campo = valor")
    campos = tuple(_campo(ruta, n, c, codigos, conjunto, defectos)
                   for n, c in enumerate(lista, 1))
    ids = [c.id for c in campos]
    repetidos = sorted({i for i in ids if ids.count(i) > 1})
    if repetidos:
        raise _mal(ruta, f"el id de campo {', '.join(repetidos)} está repetido")
    desconocidos = sorted(set(defectos) - set(ids))
    if desconocidos:
        raise _mal(ruta, f"[defectos] nombra campos que no existen: {', '.join(desconocidos)}")

    reglas = datos.get("reglas", [])
    if not isinstance(reglas, list):
        raise _mal(ruta, "las reglas van como [[reglas]], una por regla")
    por_id = {c.id: c for c in campos}
    return Formato(
        nombre=ruta.stem, ruta=ruta, titulo=fmt["titulo"].strip(),
        resolucion=fmt["resolucion"].strip(), version=str(fmt.get("version", "")),
        origen=" ".join(fmt["origen"].split()), conjunto=conjunto, servicio=servicio,
        excluir_tipos=tuple(excluir), campos=campos, codigos=codigos,
        reglas=tuple(_regla(ruta, i, r, por_id, conjunto, codigos)
                     for i, r in enumerate(reglas, 1)))


def _tabla(ruta: Path, datos: dict, nombre: str, claves: set[str]) -> dict:
    tabla = datos.get(nombre)
    if not isinstance(tabla, dict):
        raise _mal(ruta, f"falta la sección [{nombre}]")
    extra = sorted(set(tabla) - claves)
    if extra:
        raise _mal(ruta, f"[{nombre}] tiene clave(s) desconocida(s) {', '.join(extra)}; las "
                         f"válidas son {', '.join(sorted(claves))}")
    return tabla


def _campo(ruta: Path, n: int, c, codigos: dict, conjunto: str, defectos: dict) -> Campo:
    if not isinstance(c, dict):
        raise _mal(ruta, f"el campo {n} debe ser una tabla [[campos]]")
    donde = f"el campo {n} ({c.get('nombre', c.get('id', '?'))})"
    extra = sorted(set(c) - _CLAVES_CAMPO)
    if extra:
        raise _mal(ruta, f"{donde} tiene clave(s) desconocida(s) {', '.join(extra)}")
    for clave in ("id", "nombre", "tipo"):
        if not isinstance(c.get(clave), str) or not c[clave]:
            raise _mal(ruta, f"{donde} no tiene {clave}")
    if c["tipo"] not in TIPOS:
        raise _mal(ruta, f"{donde} tiene tipo {c['tipo']!r}; los tipos son {', '.join(TIPOS)}")
    fuentes = [f for f in FUENTES if f in c]
    if len(fuentes) > 1:
        raise _mal(ruta, f"{donde} tiene más de un origen ({', '.join(fuentes)}): elija uno")
    if not isinstance(c.get("obligatorio", False), bool):
        raise _mal(ruta, f"{donde}: obligatorio es true o false")
    for clave in ("longitud", "decimales"):
        if clave in c and not (isinstance(c[clave], int) and not isinstance(c[clave], bool)
                               and c[clave] >= 0):
            raise _mal(ruta, f"{donde}: {clave} debe ser un número entero")
    if c["tipo"] == "decimal" and "decimales" not in c:
        raise _mal(ruta, f"{donde} es decimal: diga cuántos decimales admite (decimales = 4)")

    columna, opcional = c.get("columna"), False
    if "columna_opcional" in c:
        columna, opcional = c["columna_opcional"], True
    if columna is not None:
        tabla, _, nombre = str(columna).partition(".")
        tablas = filas.CONJUNTOS[conjunto].tablas
        if tabla not in tablas:
            raise _mal(ruta, f"{donde}: la columna {columna!r} debe ser tabla.columna con una "
                             f"tabla de {', '.join(tablas)}")
        if not opcional and nombre not in w.tables[tablas[tabla]].c:
            raise _mal(ruta, f"{donde}: la tabla {tabla} no tiene la columna {nombre!r} (si su "
                             f"almacén puede no tenerla, use columna_opcional)")
    derivacion = c.get("derivacion")
    if derivacion is not None and derivacion not in filas.DERIVACIONES[conjunto]:
        raise _mal(ruta, f"{donde}: la derivación {derivacion!r} no existe para el conjunto "
                         f"{conjunto}; las hay: {', '.join(sorted(filas.DERIVACIONES[conjunto]))}")

    tabla_codigos, permitidos = None, ()
    cod = c.get("codigos")
    if isinstance(cod, str):
        if cod not in codigos:
            raise _mal(ruta, f"{donde}: la tabla de códigos [codigos.{cod}] no existe")
        tabla_codigos = cod
        permitidos = tuple(dict.fromkeys(codigos[cod].values()))
    elif isinstance(cod, list) and all(isinstance(x, str) for x in cod):
        permitidos = tuple(cod)
    elif cod is not None:
        raise _mal(ruta, f"{donde}: codigos es el nombre de una tabla de [codigos] o una lista "
                         f"de códigos")

    defecto = defectos.get(c["id"], c.get("defecto"))
    constante = c.get("constante")
    if derivacion in filas.CEDEN_AL_DEFECTO and defectos.get(c["id"]) not in (None, ""):
        constante = defectos[c["id"]]      # the utility's own value wins over the tariff table
    if not fuentes and defecto is None:
        raise _mal(ruta, f"{donde} no dice de dónde sale su valor: columna, columna_opcional, "
                         f"derivacion, constante o al menos un defecto (puede ser \"\")")
    return Campo(
        numero=n, id=c["id"], nombre=c["nombre"], tipo=c["tipo"],
        obligatorio=c.get("obligatorio", False), longitud=c.get("longitud"),
        exacta=bool(c.get("exacta", False)), digitos=bool(c.get("digitos", False)),
        decimales=c.get("decimales"), negativo=bool(c.get("negativo", False)),
        codigos=permitidos, tabla=tabla_codigos, columna=columna, opcional=opcional,
        derivacion=derivacion, constante=None if constante is None else _texto(constante),
        defecto=None if defecto is None else _texto(defecto))


def _texto(valor) -> str:
    if isinstance(valor, bool):
        return "1" if valor else "0"
    return str(valor)


def _regla(ruta: Path, i: int, r, campos: dict[str, Campo], conjunto: str,
           codigos: dict) -> Regla:
    donde = f"la regla {i}"
    if not isinstance(r, dict) or r.get("tipo") not in PARAMETROS_REGLAS:
        raise _mal(ruta, f"{donde} debe tener tipo, uno de {', '.join(PARAMETROS_REGLAS)}")
    spec = PARAMETROS_REGLAS[r["tipo"]]
    extra = sorted(set(r) - set(spec) - {"tipo"})
    if extra:
        raise _mal(ruta, f"{donde} ({r['tipo']}) tiene clave(s) desconocida(s) {', '.join(extra)}")
    for nombre, (tipo, requerido) in spec.items():
        if nombre not in r:
            if requerido:
                raise _mal(ruta, f"{donde} ({r['tipo']}) necesita {nombre}")
            continue
        v = r[nombre]
        if tipo == "campo" and v not in campos:
            raise _mal(ruta, f"{donde} ({r['tipo']}): {nombre} nombra el campo {v!r}, que no existe")
        if tipo == "campos" and not (isinstance(v, list) and all(x in campos for x in v)):
            raise _mal(ruta, f"{donde} ({r['tipo']}): {nombre} debe ser una lista de ids de campos "
                             f"del formato")
        if tipo == "textos" and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            raise _mal(ruta, f"{donde} ({r['tipo']}): {nombre} debe ser una lista de textos")
        if tipo == "texto" and not isinstance(v, str):
            raise _mal(ruta, f"{donde} ({r['tipo']}): {nombre} debe ser un texto")
        if tipo == "numero" and not (isinstance(v, (int, float)) and not isinstance(v, bool)):
            raise _mal(ruta, f"{donde} ({r['tipo']}): {nombre} debe ser un número")
    parametros = {k: v for k, v in r.items() if k != "tipo"}
    if r["tipo"] == "solo_si":
        si = campos[r["si"]]
        if "claves" in r:
            if si.tabla is None:
                raise _mal(ruta, f"{donde} (solo_si): claves sirve cuando el campo {si.id} tiene "
                                 f"tabla de códigos; si no, use valores")
            tabla = codigos[si.tabla]
            malas = [k for k in r["claves"] if k not in tabla]
            if malas:
                raise _mal(ruta, f"{donde} (solo_si): la tabla [codigos.{si.tabla}] no tiene "
                                 f"{', '.join(malas)}")
            parametros["valores"] = [tabla[k] for k in r["claves"]] + list(r.get("valores", []))
        elif "valores" not in r:
            raise _mal(ruta, f"{donde} (solo_si) necesita claves o valores")
    if r["tipo"] == "unico":
        contexto = filas.CONJUNTOS[conjunto].contexto
        malos = [x for x in r.get("por_contexto", []) if x not in contexto]
        if malos:
            raise _mal(ruta, f"{donde} (unico): por_contexto admite {', '.join(contexto)}")
    return Regla(r["tipo"], parametros)
