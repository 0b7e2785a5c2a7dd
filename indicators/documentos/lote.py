"""One batch of documents: rendered, written and registered together, or not at all.

The template is checked first (nothing is written with a wrong placeholder); the
documents are built from the warehouse inside the caller's transaction, numbered and
registered in it; the two files (one ``.docx`` with one document per page to print, one
``.zip`` with one ``.docx`` per document named by its number to send) are written under
temporary names and put in place last. A failure anywhere removes them, and the caller's
transaction, rolled back, leaves no register rows.
"""
from __future__ import annotations

import datetime as dt
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from cauce import CauceError
from cauce.formato import mes
from cauce.settings import Settings
from etl.warehouse import razon_os
from indicators import catalogo
from indicators.definicion import REGISTRO, Contexto
from indicators.documentos import TIPOS, destinatarios, plantilla, registro


@dataclass
class Lote:
    tipo: str
    periodo: str
    lote: int
    numeros: list[str]            # in print order
    docx: Path                    # every document, one per page
    zip: Path                     # one .docx per document
    nuevo: bool                   # False: the batch in force, asked again
    anulados: int                 # documents of the earlier batch voided (--reemitir)


def nombres(tipo: str, periodo: str, salida: Path) -> tuple[Path, Path]:
    return salida / f"{tipo}_{periodo}.docx", salida / f"{tipo}_{periodo}.zip"


def comunes(settings: Settings) -> dict:
    """The placeholders that are the same on every document: who writes it."""
    ciudad = {m.dane: m.nombre for m in settings.municipios}.get(settings.municipio_defecto, "")
    return {"empresa": settings.empresa, "nit": settings.nit, "ciudad": ciudad}


def emitir(conn: sa.Connection, settings: Settings, tipo: str, periodo: str, salida: Path,
           reemitir: bool = False, hoy: dt.date | None = None) -> Lote | None:
    """Write the batch of ``tipo`` for P in ``salida`` and register it, in the caller's
    transaction. The batch in force is given again, unless ``reemitir`` voids it and numbers
    a new one. None: P has no recipients of the kind (nothing written)."""
    if tipo not in TIPOS:
        raise CauceError(f"«{tipo}» no es un tipo de documento. Los tipos son: "
                         f"{', '.join(TIPOS)}.")
    hoy = hoy or dt.date.today()
    comun = comunes(settings)
    molde = plantilla.cargar(TIPOS[tipo], settings, comun)
    registro.asegurar_tabla(conn)
    previos = registro.vigentes(conn, tipo, periodo)
    anulados = 0
    if previos and not reemitir:
        filas = [{"numero": f.numero, "lote": f.lote, "datos": registro.datos(f)} for f in previos]
    else:
        fuente = destinatarios.FUENTES[tipo]
        if fuente != "tarifas" and not Contexto(conn, periodo, settings).hay_datos(fuente):
            raise CauceError(f"No hay datos de {fuente} del periodo {periodo}: no se escribió "
                             f"ningún documento. Cargue sus exportaciones y vuelva a intentarlo.",
                             codigo=1)
        documentos = destinatarios.documentos(conn, tipo, periodo, settings)
        if previos:
            anulados = registro.anular(conn, tipo, periodo)
        if not documentos:
            _al_dia_los_indicadores(conn, settings)
            return None
        plazo = hoy + dt.timedelta(days=settings.documentos.dias_plazo)
        generales = {"titulo": TIPOS[tipo].titulo, "periodo": periodo,
                     "periodo_nombre": mes(periodo),
                     "fecha": destinatarios.fecha_larga(hoy),
                     "plazo": destinatarios.fecha_larga(plazo),
                     "dias_plazo": settings.documentos.dias_plazo}
        filas = registro.registrar(conn, tipo, periodo, [
            {"codigo": d.codigo, "entidad": d.entidad, "municipio": d.municipio,
             "valor": d.valor, "fecha_limite": plazo, "datos": {**generales, **d.campos}}
            for d in documentos], hoy)
        _al_dia_los_indicadores(conn, settings)
    cuerpos = [molde.render({**comun, **f["datos"]}) for f in filas]
    docx, paquete = nombres(tipo, periodo, salida)
    _escribir(molde, cuerpos, [f["numero"] for f in filas], docx, paquete)
    return Lote(tipo, periodo, filas[0]["lote"], [f["numero"] for f in filas], docx, paquete,
                nuevo=not previos or reemitir, anulados=anulados)


def _al_dia_los_indicadores(conn: sa.Connection, settings: Settings) -> None:
    """The notices' indicators kept by the last load, recomputed on the changed register."""
    catalogo.guardar_de_nuevo(conn, settings, [i for i in REGISTRO if i.startswith("cobro.")])


def _escribir(molde: plantilla.Plantilla, cuerpos: list[str], numeros: list[str], docx: Path,
              paquete: Path) -> None:
    """Both files under temporary names, then in place; on a failure, neither."""
    parciales = [r.with_name(f".{r.name}.parcial") for r in (docx, paquete)]
    try:
        docx.parent.mkdir(parents=True, exist_ok=True)
        parciales[0].write_bytes(plantilla.docx(molde, molde.documento(cuerpos)))
        empaque = plantilla.Empaque(molde)
        with zipfile.ZipFile(parciales[1], "w", zipfile.ZIP_STORED) as z:
            for n, cuerpo in zip(numeros, cuerpos):
                z.writestr(f"{n}.docx", empaque.docx(cuerpo))
        for parcial, final in zip(parciales, (docx, paquete)):
            os.replace(parcial, final)
    except OSError as e:
        for r in parciales:
            r.unlink(missing_ok=True)
        raise CauceError(f"No se pudo escribir en {docx.parent}: {razon_os(e)}. Revise la "
                         f"carpeta de --salida, su espacio y sus permisos, y cierre el documento "
                         f"si está abierto en Word. No se registró ningún documento.") from None
    except BaseException:
        for r in parciales:
            r.unlink(missing_ok=True)
        raise
