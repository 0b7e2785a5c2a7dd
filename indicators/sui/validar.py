"""The validator: every rule of a layout on every row, before anything is written.

Field rules come from each field's declaration (type, length or decimals, mandatory,
allowed codes, digits only); cross-field rules are the layout's ``[[reglas]]``, each a
rule type below with its parameters. Rows are judged as they will be written (the text of
each field), so what passes is exactly what the SUI receives. Each error names the row
(its line in the file), the field and the offending value, in Spanish.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from indicators.sui.construir import Fila
from indicators.sui.formato import Campo, Formato

_ENTERO = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_FECHA = re.compile(r"\d{2}-\d{2}-\d{4}")


@dataclass(frozen=True)
class Error:
    fila: int                       # the line of the flat file (no header: the first row is 1)
    campo: Campo
    valor: str
    mensaje: str
    clave: str = ""                 # what the row is: "radicado R01", "factura F1"

    def __str__(self) -> str:
        donde = f"Fila {self.fila}" + (f" ({self.clave})" if self.clave else "")
        return f"{donde}, {self.campo.etiqueta} = «{self.valor}»: {self.mensaje}."


@dataclass
class Validacion:
    errores: list[Error]            # the first ones, in row order
    total: int                      # every error found
    filas: int
    vacios: dict[int, int] = field(default_factory=dict)   # mandatory field -> empty rows

    @property
    def valida(self) -> bool:
        return self.total == 0


def fecha(texto: str) -> dt.date | None:
    """A ``dd-mm-aaaa`` date, or None when empty or not a date."""
    if not _FECHA.fullmatch(texto):
        return None
    try:
        return dt.date(int(texto[6:]), int(texto[3:5]), int(texto[:2]))
    except ValueError:
        return None


def numero(texto: str) -> Decimal | None:
    if not _DECIMAL.fullmatch(texto):
        return None
    try:
        return Decimal(texto)
    except InvalidOperation:            # pragma: no cover - the pattern rules it out
        return None


def revisar_campo(campo: Campo, v: str) -> str | None:
    """What is wrong with a field's text by its own declaration, or None."""
    if v == "":
        return "es obligatorio y está vacío" if campo.obligatorio else None
    if "," in v or "\n" in v or "\r" in v:
        return "contiene una coma o un salto de línea, que el archivo plano no admite"
    if campo.tipo == "texto":
        if campo.longitud is not None and len(v) > campo.longitud:
            return f"tiene {len(v)} caracteres; el máximo es {campo.longitud}"
    elif campo.tipo == "entero":
        if not _ENTERO.fullmatch(v) or (v.startswith("-") and not campo.negativo):
            return "debe ser un número entero sin signo, sin puntos ni comas"
        if campo.longitud is not None and len(v.lstrip("-")) > campo.longitud:
            return f"tiene {len(v.lstrip('-'))} dígitos; el máximo es {campo.longitud}"
    elif campo.tipo == "decimal":
        if not _DECIMAL.fullmatch(v):
            return "debe ser un número con punto decimal y sin separador de miles"
        if v.startswith("-") and not campo.negativo:
            return "no puede ser negativo"
        decimales = len(v.partition(".")[2])
        if decimales > (campo.decimales or 0):
            return f"tiene {decimales} decimales; el máximo es {campo.decimales}"
        if campo.longitud is not None and len(v.lstrip("-").partition(".")[0]) > campo.longitud:
            return f"tiene más de {campo.longitud} dígitos enteros"
    elif campo.tipo == "fecha":
        if fecha(v) is None:
            return "debe ser una fecha dd-mm-aaaa válida"
    elif campo.tipo == "codigo":
        if campo.digitos and not v.isdigit():
            return "debe tener solo dígitos"
        if campo.longitud is not None:
            if campo.exacta and len(v) != campo.longitud:
                return f"debe tener exactamente {campo.longitud} caracteres"
            if len(v) > campo.longitud:
                return f"tiene {len(v)} caracteres; el máximo es {campo.longitud}"
        if campo.codigos and v not in campo.codigos:
            return f"no es un código permitido ({', '.join(campo.codigos)})"
    return None


# --- Cross-field rules: one factory per rule type of formato.PARAMETROS_REGLAS -------------
# A factory takes the layout and the rule's parameters and returns the fields the rule reads
# and a function of (row number, row, {field id: text}) that yields (field, message) for
# each error. A rule does not judge a row where one of its fields already failed its own
# check (an invalid code, a date that is not one): that error is reported once.

Revisor = Callable[[int, Fila, dict[str, str]], Iterable[tuple[Campo, str]]]
Regla = tuple[list[Campo], Revisor]


def _con_valor(campo: Campo, v: str) -> bool:
    """A field carries something: not empty, and not zero for a number."""
    if v == "":
        return False
    if campo.numerico:
        n = numero(v)
        return n is None or n != 0
    return True


def _unico(f: Formato, p: dict) -> Regla:
    campo = f.campo(p["campo"])
    por = [f.campo(x) for x in p.get("por", [])]
    contexto = p.get("por_contexto", [])
    vistos: dict[tuple, int] = {}

    def revisar(n, fila, v):
        clave = (v[campo.id], *[v[c.id] for c in por], *[fila.contexto.get(x) for x in contexto])
        if clave in vistos:
            sobre = ", ".join([c.etiqueta for c in por] + [x for x in contexto])
            yield campo, (f"se repite (ya está en la fila {vistos[clave]})"
                          + (f" con los mismos {sobre}" if sobre else ""))
        else:
            vistos[clave] = n
    return [campo, *por], revisar


def _fechas_en_orden(f: Formato, p: dict) -> Regla:
    campos = [f.campo(x) for x in p["campos"]]

    def revisar(n, fila, v):
        anterior: tuple[Campo, dt.date] | None = None
        for c in campos:
            d = fecha(v[c.id])
            if d is None:
                continue
            if anterior is not None and d < anterior[1]:
                yield c, (f"es anterior al {anterior[0].etiqueta} "
                          f"({anterior[1].strftime('%d-%m-%Y')})")
            anterior = (c, d)
    return campos, revisar


def _igual_si_vacio(f: Formato, p: dict) -> Regla:
    campo, si_vacio, valor = f.campo(p["campo"]), f.campo(p["si_vacio"]), p["valor"]

    def revisar(n, fila, v):
        vacio = v[si_vacio.id] == ""
        if vacio and v[campo.id] != valor:
            yield campo, f"debe ser {valor} porque el {si_vacio.etiqueta} está vacío"
        elif not vacio and v[campo.id] == valor:
            yield campo, (f"es {valor}, que exige el {si_vacio.etiqueta} vacío, y ese campo "
                          f"tiene «{v[si_vacio.id]}»")
    return [campo, si_vacio], revisar


def _solo_si(f: Formato, p: dict) -> Regla:
    campo, si, valores = f.campo(p["campo"]), f.campo(p["si"]), list(dict.fromkeys(p["valores"]))

    def revisar(n, fila, v):
        if _con_valor(campo, v[campo.id]) and v[si.id] not in valores:
            yield campo, (f"solo puede tener valor cuando el {si.etiqueta} es "
                          f"{' o '.join(valores)}, y aquí es «{v[si.id]}»")
    return [campo, si], revisar


def _clase_uso(f: Formato, p: dict) -> Regla:
    campo = f.campo(p["campo"])
    hasta, desde = p["residencial_hasta"], p["otros_desde"]

    def revisar(n, fila, v):
        uso = fila.contexto.get("uso")
        codigo = v[campo.id]
        if uso is None or not codigo.isdigit():
            return
        if uso == "residencial" and int(codigo) > hasta:
            yield campo, f"la cuenta es residencial: su clase de uso debe ser {hasta} o menos"
        elif uso != "residencial" and int(codigo) < desde:
            yield campo, f"la cuenta es de uso {uso}: su clase de uso debe ser {desde} o más"
    return [campo], revisar


def _suma(f: Formato, p: dict) -> Regla:
    total = f.campo(p["total"])
    mas, menos = [f.campo(x) for x in p["mas"]], [f.campo(x) for x in p.get("menos", [])]
    tolerancia = Decimal(str(p.get("tolerancia", 0.01)))
    formula = " + ".join(str(c.numero) for c in mas) + "".join(f" − {c.numero}" for c in menos)

    def revisar(n, fila, v):
        partes = [numero(v[c.id] or "0") for c in mas + menos + [total]]
        if any(x is None for x in partes):
            return                      # a field that is not a number: its own error says so
        suma = sum(partes[:len(mas)], Decimal(0)) - sum(partes[len(mas):-1], Decimal(0))
        if abs(suma - partes[-1]) > tolerancia:
            yield total, (f"no cuadra con {formula} = {suma.normalize():f} (diferencia "
                          f"{(partes[-1] - suma).normalize():f}; se admite hasta {tolerancia})")
    return [*mas, *menos, total], revisar


REGLAS: dict[str, Callable[[Formato, dict], Regla]] = {
    "unico": _unico, "fechas_en_orden": _fechas_en_orden, "igual_si_vacio": _igual_si_vacio,
    "solo_si": _solo_si, "clase_uso": _clase_uso, "suma": _suma,
}


class Validador:
    """Judges rows one at a time (a report may not fit in memory); keeps the first
    ``max_errores`` errors and counts them all."""

    def __init__(self, formato: Formato, max_errores: int = 1000):
        self.formato = formato
        self.max_errores = max_errores
        self.errores: list[Error] = []
        self.total = 0
        self.filas = 0
        self.vacios: Counter[int] = Counter()
        self.reglas: list[Regla] = [REGLAS[r.tipo](formato, r.parametros)
                                    for r in formato.reglas]

    def _error(self, n: int, fila: Fila, campo: Campo, valor: str, mensaje: str) -> None:
        self.total += 1
        if len(self.errores) < self.max_errores:
            self.errores.append(Error(n, campo, valor, mensaje, fila.clave))

    def revisar(self, n: int, fila: Fila) -> None:
        self.filas += 1
        v = {c.id: x for c, x in zip(self.formato.campos, fila.valores)}
        malos = set()
        for campo, valor in zip(self.formato.campos, fila.valores):
            mensaje = revisar_campo(campo, valor)
            if mensaje is not None:
                malos.add(campo.numero)
                if valor == "":
                    self.vacios[campo.numero] += 1
                self._error(n, fila, campo, valor, mensaje)
        for campos, regla in self.reglas:
            if any(c.numero in malos for c in campos):
                continue
            for campo, mensaje in regla(n, fila, v):
                self._error(n, fila, campo, v[campo.id], mensaje)

    def terminar(self) -> Validacion:
        return Validacion(self.errores, self.total, self.filas, dict(sorted(self.vacios.items())))


def validar(formato: Formato, filas: Iterable[Fila], max_errores: int = 1000) -> Validacion:
    v = Validador(formato, max_errores)
    for n, fila in enumerate(filas, 1):
        v.revisar(n, fila)
    return v.terminar()

