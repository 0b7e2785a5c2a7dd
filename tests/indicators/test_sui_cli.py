"""`cauce sui` as a user runs it (cli.md): the file written on success, exit code 1 with the
errors listed and nothing written, exit code 2 for an unknown format or bad usage, and the
utility's own layouts in formatos_sui/ next to its config.toml."""
from __future__ import annotations

import shutil

import pytest

from cauce.settings import SHIPPED_CONFIG
from tests.cauce.test_cli import cauce
from tests.indicators import test_sui as datos
from tests.indicators.conftest import cargar


@pytest.fixture(scope="module")
def almacen(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("sui_cli")
    url = f"duckdb:///{carpeta / 'a.duckdb'}"
    cargar(url, {"suscriptores.csv": datos.SUSCRIPTORES, "pqr.csv": datos.PQR,
                 "lecturas.csv": datos.LECTURAS, "facturas.csv": datos.FACTURAS,
                 "pagos.csv": datos.PAGOS, "cartera.csv": datos.CARTERA}, carpeta / "exportes")
    return url


@pytest.fixture
def empresa(tmp_path):
    """A utility's working folder: its config.toml (the shipped one) and nothing else."""
    shutil.copy(SHIPPED_CONFIG, tmp_path / "config.toml")
    return tmp_path


def sui(almacen, empresa, *args):
    return cauce("sui", *args, "--almacen", almacen, cwd=empresa)


def archivos(carpeta):
    return sorted(p.relative_to(carpeta).as_posix() for p in carpeta.rglob("*") if p.is_file())


def test_pqr_is_written_with_its_review_workbook(almacen, empresa):
    out = sui(almacen, empresa, "pqr", "--periodo", "2026-08", "--salida", "sui/pqr.csv",
              "--xlsx")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (empresa / "sui" / "pqr.csv").read_bytes() == datos.PQR_AGOSTO.encode("utf-8")
    assert archivos(empresa) == ["config.toml", "sui/pqr.csv", "sui/pqr.xlsx"]
    assert "7 filas validadas y escritas en sui/pqr.csv" in out.stdout
    assert "no del anexo oficial" in out.stdout


def test_the_default_file_is_under_datos(almacen, empresa):
    """Nothing lands loose in the folder the command runs from (a clone's root)."""
    out = sui(almacen, empresa, "pqr", "--periodo", "2026-08")
    assert out.returncode == 0, out.stdout + out.stderr
    assert archivos(empresa) == ["config.toml", "datos/sui/sui_pqr_2026-08.csv"]
    assert "escritas en datos/sui/sui_pqr_2026-08.csv" in out.stdout


def test_validation_errors_exit_1_and_write_nothing(almacen, empresa):
    out = sui(almacen, empresa, "facturacion_acueducto", "--periodo", "2026-08", "--salida",
              "acueducto.csv", "--xlsx")
    assert out.returncode == 1, out.stdout + out.stderr
    assert archivos(empresa) == ["config.toml"]
    texto = " ".join(out.stdout.split())
    assert "no pasa la validación: 12 errores en un reporte de 3 filas. No se escribió ningún " \
           "archivo." in texto
    assert ("Fila 3 (factura F3 de la cuenta A03), campo 28 «Costo medio de tasa (CMT)» = «»: "
            "es obligatorio y está vacío.") in texto
    assert ("Campos obligatorios vacíos en todas las filas: campo 25 «Cargo por consumo "
            "básico»; campo 26 «Cargo por consumo complementario»; campo 27 «Cargo por consumo "
            "suntuario»; campo 28 «Costo medio de tasa (CMT)».") in texto
    assert "en algunas filas" not in texto
    assert f"fije su valor en [defectos] de un formato en {empresa / 'formatos_sui'}" in texto
    assert "errores más" not in texto and "Traceback" not in out.stderr


def test_the_utilitys_own_layouts_next_to_its_config(almacen, empresa):
    (empresa / "formatos_sui").mkdir()
    (empresa / "formatos_sui" / "facturacion_acueducto.toml").write_text(
        datos.DEFECTOS_ACUEDUCTO, encoding="utf-8")
    out = sui(almacen, empresa, "facturacion_acueducto", "--periodo", "2026-08", "--salida",
              "acueducto.csv")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (empresa / "acueducto.csv").read_bytes() == datos.ACUEDUCTO_AGOSTO.encode("utf-8")

    # a new layout in that folder is a new FORMATO: 14 mandatory fields left empty on each of
    # its 5 rows (test_sui's NUEVO), and a mandatory notification date R10 lacks: 71 errors,
    # the first 50 shown
    (empresa / "formatos_sui" / "incompleto.toml").write_text(
        datos.NUEVO + "".join(f'\n[[campos]]\nid = "x{i}"\nnombre = "Vacío {i}"\ntipo = "texto"\n'
                              f'obligatorio = true\ndefecto = ""\n' for i in range(14))
        + '\n[[campos]]\nid = "notificada"\nnombre = "Notificada"\ntipo = "fecha"\n'
          'obligatorio = true\ncolumna = "pqr.fecha_notificacion"\n',
        encoding="utf-8")
    out = sui(almacen, empresa, "incompleto", "--periodo", "2026-08", "--salida", "x.csv")
    assert out.returncode == 1, out.stdout + out.stderr
    lineas = [x for x in out.stdout.splitlines() if x.startswith("  Fila ")]
    assert len(lineas) == 50
    assert "… y 21 errores más." in out.stdout
    texto = " ".join(out.stdout.split())
    assert "vacíos en todas las filas: campo 7 «Vacío 0»; campo 8 «Vacío 1»;" in texto
    assert ("Campos obligatorios vacíos en algunas filas: campo 21 «Notificada» en 1 fila. Complete "
            "esos datos en el sistema comercial") in texto
    assert not (empresa / "x.csv").exists()


def test_an_unknown_format_exits_2_naming_the_available_ones(almacen, empresa):
    out = sui(almacen, empresa, "ventas", "--periodo", "2026-08")
    assert out.returncode == 2
    texto = " ".join(out.stderr.split())
    assert ("No hay un formato SUI llamado «ventas». Formatos disponibles: facturacion_acueducto, "
            "facturacion_alcantarillado, pqr.") in texto
    assert archivos(empresa) == ["config.toml"]


def test_bad_usage_exits_2(almacen, empresa):
    out = sui(almacen, empresa, "pqr", "--periodo", "2026-13")
    assert out.returncode == 2 and "no es un periodo" in out.stderr
    out = sui(almacen, empresa, "pqr")
    assert out.returncode == 2 and "faltan los argumentos" in out.stderr
    out = sui(almacen, empresa, "pqr", "--periodo", "2026-08", "--salida", "pqr.xlsx", "--xlsx")
    assert out.returncode == 2 and "es el archivo plano del SUI" in out.stderr
    assert archivos(empresa) == ["config.toml"]


def test_a_period_without_data_writes_nothing(almacen, empresa):
    out = sui(almacen, empresa, "pqr", "--periodo", "2025-01")
    assert out.returncode == 1
    assert "no tiene filas (el almacén no tiene datos de pqr de ese periodo" in " ".join(
        out.stdout.split())
    assert archivos(empresa) == ["config.toml"]


def test_help_in_spanish(empresa):
    out = cauce("sui", "--help", cwd=empresa)
    assert out.returncode == 0
    assert "FORMATO" in out.stdout and "--xlsx" in out.stdout and "formatos_sui" in out.stdout
