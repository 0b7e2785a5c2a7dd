"""The ``cauce`` command line (``cli.md``): Spanish sub-commands and exit codes.

0 done; 1 done but a person must act (a file was refused); 2 bad usage or
unusable input. Errors are Spanish sentences; ``--depurar`` shows tracebacks.
"""
from __future__ import annotations

import argparse
import difflib
import functools
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cauce import CauceError, SinCargas, __version__
from indicators import MESES_DE_TENDENCIA

if TYPE_CHECKING:
    from cauce.settings import Settings

# Where the commands write what they make, unless --salida says otherwise: under datos/, next
# to the warehouse and the archive, never loose in the folder the command runs from.
DEMO = Path("datos/demo")
INFORMES = Path("datos/informes")
SUI = Path("datos/sui")
DOCUMENTOS = Path("datos/documentos")


class _Parser(argparse.ArgumentParser):
    """argparse with Spanish headings and errors that exit with code 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def format_usage(self):
        return super().format_usage().replace("usage:", "uso:", 1)

    def format_help(self):
        return super().format_help().replace("usage:", "uso:", 1)

    def _check_value(self, action, value):
        """An unknown choice in Spanish, with the closest one when it looks like a typo
        (``cauce cargr``: ¿quiso decir «cargar»?). argparse's own suggestion (Python 3.14's
        ``suggest_on_error``) would be English and only on the newest Pythons."""
        if action.choices is None or value in action.choices:
            return
        opciones = [str(c) for c in action.choices]
        cercana = difflib.get_close_matches(str(value), opciones, n=1)
        sugerencia = f" ¿Quiso decir «{cercana[0]}»?" if cercana else ""
        if action.dest == "comando":
            raise argparse.ArgumentError(None, f"«{value}» no es un comando de cauce.{sugerencia} "
                                               f"Los comandos son: {', '.join(opciones)}.")
        raise argparse.ArgumentError(action, f"«{value}» no es un valor válido.{sugerencia} "
                                             f"Elija entre: {', '.join(opciones)}.")

    def error(self, message):
        message = (message.replace("the following arguments are required", "faltan los argumentos")
                   .replace("unrecognized arguments", "argumentos no reconocidos")
                   .replace("expected one argument", "se espera un valor")
                   .replace("argument ", "argumento "))
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


class _Registro(Sequence):
    """The choices of an argument, read from the registry that owns them (the list types,
    the roles, the demo's sizes) only when the argument is parsed or its help is shown: the
    parser is built for every command, the registries' modules are not loaded for each."""

    def __init__(self, leer: Callable[[], Sequence[str]]):
        self._leer = leer

    @functools.cached_property
    def _valores(self) -> tuple[str, ...]:
        return tuple(self._leer())

    def __getitem__(self, i):
        return self._valores[i]

    def __len__(self) -> int:
        return len(self._valores)


def _escalas() -> Sequence[str]:
    from cauce.acciones import demo
    return demo.ESCALAS


def _tipos_de_lista() -> Sequence[str]:
    from cauce.acciones import listas
    return listas.TIPOS


def _tipos_de_documento() -> Sequence[str]:
    from cauce.acciones import documentos
    return documentos.TIPOS


def _roles() -> Sequence[str]:
    from cauce.acciones import cuentas
    return tuple(cuentas.ROLES)


def _desgloses() -> Sequence[str]:
    from indicators.definicion import TODOS
    return TODOS


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="RUTA",
                   help="archivo de configuración (por defecto config.toml de esta carpeta, "
                        "si no el que trae Cauce)")
    p.add_argument("--almacen", metavar="URL",
                   help="URL del almacén (SQLAlchemy); por defecto la de config.toml o la "
                        "variable CAUCE_ALMACEN")
    p.add_argument("--depurar", action="store_true", help="muestra el detalle técnico de los errores")


# --- Each sub-command: its arguments and what runs it --------------------------------------

def _args_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("--escala", choices=_Registro(_escalas), default="pequena",
                   help="pequena ≈ 5.000 cuentas, mediana ≈ 200.000, grande ≈ 2.000.000 "
                        "(por defecto pequena)")
    p.add_argument("--semilla", type=int, default=1, metavar="N",
                   help="semilla: la misma semilla da los mismos archivos (por defecto 1)")
    p.add_argument("--hasta", metavar="AAAA-MM",
                   help="último periodo (por defecto el último mes completo)")
    p.add_argument("--salida", metavar="CARPETA", default=str(DEMO),
                   help=f"carpeta de salida (por defecto {DEMO})")
    p.add_argument("--sin-defectos", action="store_true",
                   help="no siembra los defectos de prueba (datos limpios)")


def _demo(args, settings) -> int:
    from cauce import terminal
    return terminal.demo(settings, args.escala, args.semilla, args.hasta, Path(args.salida),
                         not args.sin_defectos)


def _args_cargar(p: argparse.ArgumentParser) -> None:
    p.add_argument("carpeta", metavar="CARPETA", help="carpeta con los archivos .csv o .xlsx")
    p.add_argument("--forzar", action="store_true",
                   help="carga también los archivos que superan una tolerancia de calidad "
                        "(queda registrado)")


def _cargar(args, settings) -> int:
    from cauce import terminal
    return terminal.cargar(settings, Path(args.carpeta), args.forzar)


def _args_calidad(p: argparse.ArgumentParser) -> None:
    p.add_argument("--periodo", metavar="AAAA-MM",
                   help="solo las cargas con datos de este periodo (por defecto todas las "
                        "vigentes)")
    p.add_argument("--formato", choices=["tabla", "json", "html"], default="tabla",
                   help="tabla en pantalla (por defecto), json para otros programas, o html: el "
                        "informe navegable con el detalle de cada archivo cargado")
    p.add_argument("--salida", metavar="RUTA",
                   help="con json, el archivo donde escribirlo (si no, la pantalla); con html, la "
                        "carpeta donde copiar el informe (se reemplaza su contenido)")


def _calidad(args, settings) -> int:
    from cauce import terminal
    return terminal.calidad(settings, args.periodo, args.formato,
                            Path(args.salida) if args.salida else None)


def _args_indicadores(p: argparse.ArgumentParser) -> None:
    _periodo(p, required=False)
    p.add_argument("--formato", choices=["tabla", "json", "csv"], default="tabla",
                   help="tabla en pantalla (por defecto), json para otros programas o csv "
                        "para Excel")
    p.add_argument("--por", choices=_Registro(_desgloses),
                   help="desglosa cada indicador por grupo (los grupos suman el total; las "
                        "cuentas que no están en el catastro van al grupo «sin catastro»)")


def _indicadores(args, settings) -> int:
    from cauce import terminal
    return terminal.indicadores(settings, args.periodo, args.formato, args.por)


def _args_listas(p: argparse.ArgumentParser) -> None:
    p.add_argument("tipo", metavar="TIPO", choices=_Registro(_tipos_de_lista),
                   help="persuasivo, prejuridico, juridico, suspension, proteccion_especial, "
                        "desviaciones, pqr_en_riesgo, ordenes_vencidas, avisos_abiertos, "
                        "diferencias_tarifa o reparto_tardio")
    _periodo(p, required=False)
    p.add_argument("--salida", metavar="ARCHIVO",
                   help="archivo .xlsx (con formato) o .csv (UTF-8 con BOM, para Excel); sin "
                        "él se muestran las primeras filas")


def _listas(args, settings) -> int:
    from cauce import terminal
    return terminal.listas(settings, args.tipo, args.periodo,
                           Path(args.salida) if args.salida else None)


def _anio(texto: str) -> int:
    """An argparse type: a year written AAAA."""
    if not re.fullmatch(r"(19|20)\d\d", texto):
        raise argparse.ArgumentTypeError(f"«{texto}» no es un año: escríbalo como AAAA, por "
                                         f"ejemplo 2026")
    return int(texto)


def _args_informe(p: argparse.ArgumentParser) -> None:
    cual = p.add_mutually_exclusive_group()
    cual.add_argument("--periodo", metavar="AAAA-MM", type=periodo,
                      help="periodo del informe mensual (por defecto el último facturado)")
    cual.add_argument("--anio", metavar="AAAA", type=_anio,
                      help="escribe en cambio el informe del año (informe_AAAA.xlsx e "
                           "informe_AAAA.html, con la sección pública «Uso de los subsidios»)")
    p.add_argument("--salida", metavar="CARPETA", default=str(INFORMES),
                   help="carpeta donde escribir informe_AAAA-MM.xlsx e informe_AAAA-MM.html, o "
                        f"con --anio informe_AAAA.xlsx e informe_AAAA.html (por defecto "
                        f"{INFORMES})")


def _informe(args, settings) -> int:
    from cauce import terminal
    if args.anio is not None:
        return terminal.informe_anual(settings, args.anio, Path(args.salida))
    return terminal.informe(settings, args.periodo, Path(args.salida))


def _meses(texto: str) -> int:
    """An argparse type: how many months to project, 1 to 36."""
    if not texto.isdigit() or not 1 <= int(texto) <= 36:
        raise argparse.ArgumentTypeError(f"«{texto}» no es un número de meses válido: escriba "
                                         f"un entero de 1 a 36, por ejemplo 12")
    return int(texto)


def _args_proyeccion(p: argparse.ArgumentParser) -> None:
    p.add_argument("--hasta", metavar="AAAA-MM", type=periodo,
                   help="último mes de la historia que se usa (por defecto el último facturado)")
    p.add_argument("--meses", metavar="N", type=_meses, default=12,
                   help="cuántos meses proyectar (por defecto 12)")
    p.add_argument("--formato", choices=["tabla", "json"], default="tabla",
                   help="tabla en pantalla (por defecto) o json")


def _proyeccion(args, settings) -> int:
    from cauce import terminal
    return terminal.proyeccion(settings, args.hasta, args.meses, args.formato)


def _args_tablero(p: argparse.ArgumentParser) -> None:
    p.add_argument("--puerto", type=int, metavar="N", default=8501,
                   help="puerto del servidor (por defecto 8501)")
    p.add_argument("--sin-navegador", action="store_true",
                   help="no abre el navegador (en un servidor)")


def _tablero(args, settings) -> int:
    from cauce import terminal
    return terminal.tablero(settings, args.puerto, not args.sin_navegador)


def _args_sui(p: argparse.ArgumentParser) -> None:
    p.add_argument("formato", metavar="FORMATO",
                   help="pqr, facturacion_acueducto, facturacion_alcantarillado u otro que su "
                        "empresa agregó en formatos_sui/")
    _periodo(p)
    p.add_argument("--salida", metavar="ARCHIVO",
                   help=f"el archivo plano (por defecto {SUI}/sui_FORMATO_AAAA-MM.csv)")
    p.add_argument("--xlsx", action="store_true",
                   help="escribe también, a su lado, un Excel con encabezados en español para "
                        "revisarlo antes de cargarlo")


def _sui(args, settings) -> int:
    from cauce import terminal
    salida = Path(args.salida or SUI / f"sui_{args.formato}_{args.periodo}.csv")
    return terminal.sui(settings, args.formato, args.periodo, salida, args.xlsx)


def _args_documentos(p: argparse.ArgumentParser) -> None:
    p.add_argument("tipo", metavar="TIPO", choices=_Registro(_tipos_de_documento),
                   help="carta_persuasiva, carta_prejuridica, aviso_suspension, "
                        "cuenta_cobro_oficial, cuenta_cobro_subsidios o aviso_tarifas")
    _periodo(p)
    p.add_argument("--salida", metavar="CARPETA", default=str(DOCUMENTOS),
                   help="carpeta donde escribir TIPO_AAAA-MM.docx (todos, uno por página) y "
                        f"TIPO_AAAA-MM.zip (uno por documento) (por defecto {DOCUMENTOS})")
    p.add_argument("--reemitir", action="store_true",
                   help="anula el lote ya emitido del tipo y periodo (sus filas quedan en el "
                        "registro como anuladas) y numera uno nuevo")


def _documentos(args, settings) -> int:
    from cauce import terminal
    return terminal.documentos(settings, args.tipo, args.periodo, Path(args.salida),
                               args.reemitir)


def _args_usuarios(p: argparse.ArgumentParser) -> None:
    p.add_argument("accion", choices=["agregar", "listar", "quitar"])
    p.add_argument("nombre", nargs="?", metavar="NOMBRE")
    p.add_argument("--rol", choices=_Registro(_roles),
                   help="administrador: carga datos y ve todo; analista: ve todo y trabaja las "
                        "listas; consulta: solo cifras agregadas, sin datos personales")


def _usuarios(args, settings) -> int:
    from cauce import terminal
    return terminal.usuarios(settings, args.accion, args.nombre, args.rol)


@dataclass(frozen=True)
class Comando:
    """A sub-command: its name and help, its arguments, what runs it, and whether it reads
    the catalogue or the rules (then ``[metas]`` and ``[calidad]`` are checked at the start;
    ``cauce usuarios`` reads neither and does not load them)."""
    nombre: str
    ayuda: str
    descripcion: str
    argumentos: Callable[[argparse.ArgumentParser], None]
    ejecutar: Callable[[argparse.Namespace, Settings], int]
    revisa_nombres: bool = True


# The sub-commands, in the order of the help: a new one is a line here.
COMANDOS: tuple[Comando, ...] = (
    Comando("demo", "genera exportaciones de una empresa de demostración",
            "Escribe un juego completo y coherente de archivos de exportación de una empresa "
            "ficticia (24 periodos).", _args_demo, _demo),
    Comando("cargar", "revisa y carga las exportaciones de una carpeta",
            "Lee cada archivo de exportación de la carpeta, pone en cuarentena las filas que no "
            "se pueden guardar, carga el resto y registra la carga. Cada archivo se carga "
            "completo o nada.", _args_cargar, _cargar),
    Comando("calidad", "informe de calidad de los datos cargados",
            "Muestra cada control de calidad de las cargas vigentes (la última exportación de "
            "cada periodo): cuántas filas señaló, de cuántas, y ejemplos de sus claves para "
            "corregirlas en el sistema de origen.", _args_calidad, _calidad),
    Comando("indicadores", "los indicadores comerciales de un periodo",
            "Calcula en el almacén cada indicador del catálogo para el periodo (recaudo, "
            "cartera, PQR, crítica, órdenes, NSU, ...), con su meta y si la cumple. Sin datos "
            "para calcularlo, el valor queda vacío (nunca un cero inventado).",
            _args_indicadores, _indicadores),
    Comando("listas", "las listas de trabajo del mes",
            "Una fila por cuenta, trámite u orden, con lo que necesita quien la trabaja "
            "(cuenta, nombre, dirección, ruta, valores, fechas, días): cobro persuasivo, "
            "prejurídico y jurídico, suspensión, protección especial, desviaciones, PQR en "
            "riesgo y órdenes vencidas.", _args_listas, _listas),
    Comando("informe", "el informe mensual en Excel y la presentación",
            "Escribe el informe comercial del periodo: un libro de Excel (portada, resumen de "
            "cada indicador con su meta y su estado, una hoja por área con la tendencia de "
            f"{MESES_DE_TENDENCIA} meses, los desgloses y gráficos, y las listas de trabajo) y "
            "la presentación para la reunión (un HTML que abre sin internet, solo con "
            "agregados). Con --anio AAAA, el informe del año: los 12 meses de cada indicador, "
            "el año frente al anterior, la proyección del siguiente y la sección pública «Uso "
            "de los subsidios».", _args_informe, _informe),
    Comando("proyeccion", "proyección de usuarios, facturación, recaudo y PQR, y metas",
            "Proyecta, desde la historia cargada, los próximos meses de suscriptores activos, "
            "valor facturado, valor recaudado y PQR radicadas, con estacionalidad mensual e "
            "intervalos del 80 % y del 95 %; dice el error de cada proyección en los últimos 6 "
            "meses que no vio (MAPE) y propone las metas del año siguiente como un bloque "
            "[metas] para copiar en config.toml (Cauce nunca lo modifica).",
            _args_proyeccion, _proyeccion),
    Comando("tablero", "abre el tablero en el navegador",
            "Inicia el tablero de Cauce (Streamlit): el resumen del mes, cada área con sus "
            "registros y listas, la calidad de los datos, la carga de exportaciones y el modo "
            "reunión. Se detiene con Ctrl+C.", _args_tablero, _tablero),
    Comando("sui", "un reporte al SUI en el formato de la Superintendencia",
            "Arma el reporte del periodo en el formato del SUI (un archivo de datos por "
            "formato), lo valida campo por campo y, solo si no tiene errores, escribe el "
            "archivo plano para el cargue masivo (separado por comas, sin encabezado, fechas "
            "dd-mm-aaaa). Con errores los lista y no escribe nada.", _args_sui, _sui),
    Comando("documentos", "cartas, avisos y cuentas de cobro numerados",
            "Escribe desde las plantillas de Word un lote numerado del tipo y periodo: un .docx "
            "con un documento por página (para imprimir de una vez) y un .zip con un .docx por "
            "documento, nombrado por su número (para enviarlos uno a uno), y lo anota en el "
            "registro de documentos del almacén. Pedirlo otra vez da los mismos documentos con "
            "los mismos números.", _args_documentos, _documentos),
    Comando("usuarios", "las cuentas del tablero (agregar, listar, quitar)",
            "Las cuentas que entran al tablero y su rol. «agregar» pide la contraseña (con "
            "[acceso] modo = \"oidc\", no: NOMBRE es el correo de la persona) y guarda solo su "
            "huella argon2; si la cuenta existe, cambia su rol y su contraseña.",
            _args_usuarios, _usuarios, revisa_nombres=False),
)
_POR_NOMBRE = {c.nombre: c for c in COMANDOS}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cauce", description=(
        "Cauce: analítica comercial para empresas de acueducto, alcantarillado y aseo. "
        "Revisa y carga las exportaciones del sistema comercial, calcula los indicadores y "
        "prepara los reportes."))
    parser.add_argument("--version", action="version", version=f"cauce {__version__}",
                        help="muestra la versión")
    sub = parser.add_subparsers(dest="comando", metavar="COMANDO", title="comandos",
                                parser_class=_Parser)
    for comando in COMANDOS:
        p = sub.add_parser(comando.nombre, help=comando.ayuda, description=comando.descripcion)
        comando.argumentos(p)
        _common(p)
    return parser


def periodo(texto: str) -> str:
    """An argparse type: a period written AAAA-MM."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", texto):
        raise argparse.ArgumentTypeError(f"«{texto}» no es un periodo: escríbalo como AAAA-MM, "
                                         f"por ejemplo 2026-10")
    return texto


def _periodo(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--periodo", metavar="AAAA-MM", required=required, type=periodo,
                   help="periodo a consultar" + ("" if required else
                                                  " (por defecto el último facturado)"))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.comando:
        parser.print_help()
        return 2
    try:
        return _run(args)
    except CauceError as e:
        if args.depurar:
            traceback.print_exc()
        remedio = (" Cargue primero las exportaciones con «cauce cargar CARPETA» (o indique otro "
                   "almacén con --almacen)." if isinstance(e, SinCargas) else "")
        print(f"Error: {e.mensaje}{remedio}" + (f"\n  {e.detalle}" if e.detalle else ""),
              file=sys.stderr)
        return e.codigo
    except KeyboardInterrupt:
        print("Interrumpido. Lo que no terminó de cargarse no quedó en el almacén.", file=sys.stderr)
        return 2


def _run(args) -> int:
    comando = _POR_NOMBRE[args.comando]
    if comando.revisa_nombres:
        from cauce.acciones import ajustes
        settings = ajustes.leer(args.config, args.almacen)
    else:
        from cauce.settings import load_settings
        settings = load_settings(args.config, args.almacen)
    return comando.ejecutar(args, settings)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
