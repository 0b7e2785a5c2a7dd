"""A kind's Word template: found by name, checked before anything is written, rendered in bulk.

docxtpl reads the template and cleans its XML (Word splits ``{{ nombre }}`` across runs;
``{%tr %}`` rows repeat a table row); its Jinja environment, with autoescape, then renders
the body once per document. Rendering a whole ``DocxTemplate`` per document (parse, render,
save a zip) is what makes 10,000 notices slow: here the body's template is compiled once,
each document is one ``render`` into a string, and the batch's ``.docx`` is the template's
package with those bodies joined by page breaks. Text from the exports is data: autoescape
writes ``&``, ``<`` and ``>`` as XML entities, and a ``{{`` in a name is printed, never run.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta

from cauce import CauceError
from cauce.settings import Settings
from indicators.documentos import COMUNES, Tipo

CARPETA = Path(__file__).parent / "plantillas"
CARPETA_PROPIA = "plantillas"            # the utility's own, next to its config.toml
DOCUMENTO = "word/document.xml"
SALTO = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
_ENCABEZADOS = re.compile(r"word/(header|footer)\d*\.xml")


def carpeta_propia(settings: Settings) -> Path:
    return Path(settings.path).resolve().parent / CARPETA_PROPIA


def ruta(tipo: Tipo, settings: Settings) -> Path:
    """The utility's ``plantillas/TIPO.docx`` when it has one, else the shipped one."""
    propia = carpeta_propia(settings) / f"{tipo.nombre}.docx"
    return propia if propia.is_file() else CARPETA / f"{tipo.nombre}.docx"


@dataclass
class Plantilla:
    tipo: Tipo
    ruta: Path
    partes: list[tuple[str, bytes | None]]   # the package's parts in order; None: the body
    inicio: str                              # document.xml up to the body's content
    cierre: str                              # the body's section properties to the end
    cuerpo: jinja2.Template

    def render(self, contexto: dict) -> str:
        """One document's body content (without the section properties)."""
        try:
            xml = self.cuerpo.render(contexto)
        except jinja2.UndefinedError as e:
            raise _desconocido(self.ruta, self.tipo, _nombre_indefinido(str(e))) from None
        except jinja2.TemplateError as e:
            raise CauceError(f"La plantilla {self.ruta} no se pudo llenar: {e}. Revise sus "
                             f"marcadores en Word.") from None
        return xml[xml.index(">") + 1:_fin_del_contenido(xml)]

    def documento(self, cuerpos: list[str]) -> str:
        """document.xml of the bodies, one per page."""
        return self.inicio + SALTO.join(_ids_unicos(cuerpos)) + self.cierre


def _fin_del_contenido(xml: str) -> int:
    """Where the body's content ends: at its own section properties (Word always writes
    them last), else at the body's end tag."""
    fin = xml.rfind("</w:body>")
    seccion = xml.rfind("<w:sectPr", 0, fin)
    cierre_parrafo = max(xml.rfind("</w:p>", 0, fin), xml.rfind("</w:tbl>", 0, fin))
    return seccion if seccion > cierre_parrafo else fin


def entorno() -> jinja2.Environment:
    """docxtpl's Jinja environment, autoescaped (the XML of Word), strict about names."""
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def cargar(tipo: Tipo, settings: Settings, comun: dict) -> Plantilla:
    """The template of ``tipo`` checked: a Word file, well-formed placeholders, each one the
    kind offers (``Tipo.campos``, ``COMUNES``); the headers and footers filled with
    ``comun`` (the same on every page). A ``CauceError`` naming the file and the placeholder
    otherwise: nothing has been written yet."""
    origen = ruta(tipo, settings)
    try:
        tpl = DocxTemplate(origen)
        tpl.init_docx()
        with zipfile.ZipFile(origen) as z:
            partes = [(i.filename, z.read(i.filename)) for i in z.infolist()]
        # Word's paragraph ids must be unique in a file: dropped (they are optional), since the
        # batch's single file repeats the body once per document
        cuerpo_xml = re.sub(r' w14:(?:paraId|textId)="[^"]*"', "", tpl.patch_xml(tpl.get_xml()))
        original = dict(partes)[DOCUMENTO].decode("utf-8")
    except Exception as e:    # a zip, an XML or a Word package that is not right
        raise CauceError(f"La plantilla {origen} está dañada o no es un documento de Word "
                         f"(.docx) ({type(e).__name__}). Ábrala en Word y guárdela de nuevo como "
                         f"documento de Word, o quítela de {carpeta_propia(settings)} para usar "
                         f"la que trae Cauce.") from None
    env = entorno()
    fuentes = {DOCUMENTO: cuerpo_xml} | {
        n: tpl.patch_xml(d.decode("utf-8")) for n, d in partes
        if _ENCABEZADOS.fullmatch(n) and ("{{" in d.decode("utf-8") or "{%" in d.decode("utf-8"))}
    compiladas = {}
    for nombre, xml in fuentes.items():
        try:
            arbol = env.parse(xml)
        except jinja2.TemplateSyntaxError as e:
            raise CauceError(f"La plantilla {origen} tiene un marcador mal escrito: {e.message}. "
                             f"Cada marcador se escribe {{{{ nombre }}}} y cada bloque {{% ... %}} "
                             f"con su cierre; corríjalo en Word.") from None
        permitidos = set(COMUNES) | (set(tipo.campos) if nombre == DOCUMENTO else set())
        for desconocido in sorted(meta.find_undeclared_variables(arbol) - permitidos):
            raise _desconocido(origen, tipo, desconocido, en_encabezado=nombre != DOCUMENTO)
        compiladas[nombre] = env.from_string(xml)
    cuerpo = compiladas.pop(DOCUMENTO)
    inicio_cuerpo = re.search(r"<w:body[^>]*>", original)
    fin = _fin_del_contenido(original)
    partes_finales: list[tuple[str, bytes | None]] = []
    for nombre, datos in partes:
        if nombre == DOCUMENTO:
            partes_finales.append((nombre, None))
        elif nombre in compiladas:
            partes_finales.append((nombre, compiladas[nombre].render(comun).encode("utf-8")))
        else:
            partes_finales.append((nombre, datos))
    return Plantilla(tipo, origen, partes_finales, original[:inicio_cuerpo.end()],
                     original[fin:], cuerpo)


def _nombre_indefinido(mensaje: str) -> str:
    """The placeholder a Jinja UndefinedError names: 'x' is undefined, or an attribute."""
    m = re.search(r"has no attribute '([^']+)'", mensaje) or re.search(r"'([^']+)'", mensaje)
    return m[1] if m else mensaje


def _desconocido(origen: Path, tipo: Tipo, nombre: str,
                 en_encabezado: bool = False) -> CauceError:
    donde = " en el encabezado o el pie de página" if en_encabezado else ""
    return CauceError(
        f"La plantilla {origen} usa el marcador «{nombre}»{donde}, que «{tipo.nombre}» no "
        f"tiene. Los marcadores de «{tipo.nombre}» son: {', '.join(COMUNES + tipo.campos)} "
        f"(ver «Los documentos» en el README). Corríjalo en Word y vuelva a intentarlo.")


def _ids_unicos(cuerpos: list[str]) -> list[str]:
    """Drawings (a logo) repeated on every page keep unique ids, or Word repairs the file."""
    if not any("<wp:docPr" in c for c in cuerpos):
        return cuerpos
    siguiente = iter(range(1, 10**9))
    return [re.sub(r'(<wp:docPr\b[^>]*?\bid=")\d+', lambda m: f"{m[1]}{next(siguiente)}", c)
            for c in cuerpos]


# --- The packages ----------------------------------------------------------------------------

def docx(p: Plantilla, documento_xml: str) -> bytes:
    """A Word package: the template's parts with this body (the batch's single file)."""
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as z:
        for nombre, datos in p.partes:
            z.writestr(nombre, documento_xml.encode("utf-8") if datos is None else datos)
    return salida.getvalue()


class Empaque:
    """One ``.docx`` per document, fast: the template's fixed parts are compressed once and
    copied as they are into each package; only the body is compressed per document. The
    standard library's ``zipfile`` compresses every part again (some 7 ms a document for a
    template with Word's styles, over a minute for 10,000), so this writes the ZIP records
    itself (APPNOTE 4.3: local headers, central directory, end record; UTF-8 names)."""

    def __init__(self, p: Plantilla):
        self.plantilla = p
        self.partes = [None if d is None else _comprimida(n, d) for n, d in p.partes]

    def docx(self, cuerpo: str) -> bytes:
        entradas = [e or _comprimida(DOCUMENTO, self.plantilla.documento([cuerpo]).encode())
                    for e in self.partes]
        return _zip(entradas)


def _comprimida(nombre: str, datos: bytes) -> tuple[bytes, int, bytes, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return nombre.encode("utf-8"), zlib.crc32(datos), c.compress(datos) + c.flush(), len(datos)


_HORA, _FECHA = 0, (2026 - 1980) << 9 | 1 << 5 | 1     # a fixed date-time: identical bytes


def _zip(entradas: list[tuple[bytes, int, bytes, int]]) -> bytes:
    cuerpo, central = bytearray(), bytearray()
    for nombre, crc, datos, tamano in entradas:
        desplazamiento = len(cuerpo)
        cuerpo += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, _HORA, _FECHA, crc,
                              len(datos), tamano, len(nombre), 0) + nombre + datos
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, 8, _HORA,
                               _FECHA, crc, len(datos), tamano, len(nombre), 0, 0, 0, 0, 0,
                               desplazamiento) + nombre
    fin = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entradas), len(entradas), len(central),
                      len(cuerpo), 0)
    return bytes(cuerpo + central + fin)
