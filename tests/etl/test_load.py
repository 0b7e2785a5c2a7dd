"""The load job on real DuckDB and PostgreSQL warehouses (``data-contract.md``)."""
from __future__ import annotations

import re

import datetime as dt
from decimal import Decimal

import openpyxl

from cauce.settings import Mapeo
from etl.archivo import file_sha256
from etl.load import load_folder
from tests.conftest import rows, snapshot, write

SUSCRIPTORES = ("codigo;periodo;nombre;direccion;municipio_dane;uso;estrato;acueducto;"
                "alcantarillado;aseo;ciclo;ruta;estado;latitud\n")


def test_cp1252_semicolon_decimal_comma_and_day_first_dates(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "facturas_2026-10.csv", (
        "Número;Código;Periodo;Servicio;Fecha Expedición;Fecha_Vencimiento;Cargo Fijo;"
        "Valor Consumo;Subsidio;Contribución;Valor Total\n"
        "F-1;00077;2026-10;Acueducto;05/10/2026;20/10/2026;9.500,00;30.450,5;1.234,56;0;38.715,94\n"
    ), encoding="cp1252")
    [r] = load_folder(folder, settings_for(almacen))
    assert (r.estado, r.cargadas, r.cuarentena) == ("cargado", 1, 0)
    got = rows(almacen, "SELECT numero, codigo, servicio, fecha_expedicion, fecha_vencimiento, "
                        "cargo_fijo, valor_consumo, subsidio, valor_total FROM facturas")
    # 9.500,00 -> 9500; 30.450,5 -> 30450.5; 05/10/2026 is 5 October (day first).
    assert got == [("F-1", "00077", "acueducto", dt.date(2026, 10, 5), dt.date(2026, 10, 20),
                    Decimal("9500.0000"), Decimal("30450.5000"), Decimal("1234.5600"),
                    Decimal("38715.9400"))]


def test_windows_1252_accents_are_kept(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "suscriptores_2026-10.csv", SUSCRIPTORES +
          "001;2026-10;María Peñaloza – Ñañez;CL 5 # 3-20;20001;residencial;2;S;S;S;01;0101;activo;10,47\n",
          encoding="cp1252")
    load_folder(folder, settings_for(almacen))
    assert rows(almacen, "SELECT nombre, latitud FROM suscriptores") == [
        ("María Peñaloza – Ñañez", Decimal("10.4700"))]


def test_utf8_bom_and_comma_delimiter(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "pagos.csv", "\ufeffid,codigo,numero_factura,fecha_pago,valor,canal\n"
                                "P1,001,F-1,2026-10-14,\"1,234.50\",banco\n", encoding="utf-8")
    [r] = load_folder(folder, settings_for(almacen))
    assert r.estado == "cargado"
    assert rows(almacen, "SELECT id, codigo, fecha_pago, valor, canal FROM pagos") == [
        ("P1", "001", dt.date(2026, 10, 14), Decimal("1234.5000"), "banco")]


def test_xlsx_with_date_cells_and_numeric_account(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["radicado", "codigo", "fecha_radicacion", "tipo", "servicio", "causal",
                  "fecha_respuesta"])
    sheet.append(["R-1", 1234, dt.datetime(2026, 10, 2, 9, 30), "Reclamo", "acueducto", "101",
                  dt.datetime(2026, 10, 9, 16, 0)])
    sheet.append(["R-2", None, dt.datetime(2026, 10, 3), "petición", "aseo", 206, None])
    book.save(folder / "pqr.xlsx")
    [r] = load_folder(folder, settings_for(almacen))
    assert (r.estado, r.cargadas) == ("cargado", 2)
    assert rows(almacen, "SELECT radicado, codigo, fecha_radicacion, tipo, causal, fecha_respuesta "
                         "FROM pqr ORDER BY radicado") == [
        ("R-1", "1234", dt.datetime(2026, 10, 2, 9, 30), "reclamo", "101",
         dt.datetime(2026, 10, 9, 16, 0)),
        ("R-2", None, dt.datetime(2026, 10, 3), "peticion", "206", None)]


def test_header_and_code_mapping_from_config(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "suscriptores_2026-10.csv",
          "NUID;Periodo;Dirección Predio;Cod DANE;Clase Uso;Estrato;Acueducto;Alcantarillado;Aseo;"
          "Ciclo;Ruta;Estado;Columna Propia\n"
          "A1;2026-10;CL 1;20011;1;3;S;N;N;02;0201;ACTIVO;x\n"
          "A2;2026-10;CL 2;20011;2;0;S;N;N;02;0201;Activo;y\n")
    mapeo = Mapeo(columnas={"codigo": "NUID", "direccion": "Dirección Predio",
                            "municipio_dane": "Cod DANE", "uso": "Clase Uso"},
                  valores={"uso": {"1": "residencial", "2": "comercial"}})
    [r] = load_folder(folder, settings_for(almacen, mapeos={"suscriptores": mapeo}))
    assert (r.estado, r.cargadas, r.cuarentena) == ("cargado", 2, 0)
    assert r.ignoradas == ("Columna Propia",)
    assert rows(almacen, "SELECT codigo, uso, estrato, estado, municipio_dane FROM suscriptores "
                         "ORDER BY codigo") == [
        ("A1", "residencial", 3, "activo", "20011"), ("A2", "comercial", 0, "activo", "20011")]


def test_missing_required_column_refuses_the_file_naming_it(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "pagos_2026-10.csv", "id,codigo,valor\nP1,001,100\n")
    [r] = load_folder(folder, settings_for(almacen))
    assert r.estado == "rechazado"
    assert "pagos_2026-10.csv" in r.mensaje and "fecha_pago" in r.mensaje
    assert rows(almacen, "SELECT count(*) FROM carga") == [(0,)]


def test_each_kind_of_unstorable_row_is_quarantined_and_the_rest_loads(almacen, settings_for,
                                                                        tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "suscriptores_2026-10.csv", SUSCRIPTORES +
          "001;2026-10;Ana;CL 1;20001;residencial;2;S;S;S;01;0101;activo;10,4\n"   # row 2: good
          "002;2026-10;Luis;;20001;residencial;2;S;S;S;01;0101;activo;10,4\n"      # 3: no direccion
          "003;2026-10;Eva;CL 3;20001;residencial;2;S;S;quizas;01;0101;activo;10,4\n"  # 4: bool
          "004;2026-10;Teo;CL 4;20001;granja;2;S;S;S;01;0101;activo;10,4\n"        # 5: unknown code
          "005;2026-10;Iris;CL 5;20001;residencial;2;S;S;S;01;0101;activo;diez\n"  # 6: not a number
          "006;2026-13;Noé;CL 6;20001;residencial;2;S;S;S;01;0101;activo;10,4\n"   # 7: bad period
          "007;2026-10;Sol;CL 7;20001;residencial;;S;S;S;01;0101;activo;10,4\n"    # 8: no estrato
          "008;2026-10;Mar;CL 8;20001;comercial;;S;S;S;01;0101;activo;10,4\n"      # 9: ok (not res.)
          "001;2026-10;Ana bis;CL 1;20001;residencial;2;S;S;S;01;0101;activo;10,4\n"  # 10: repeated
          "009;2026-10;Pía;CL 9;20001;residencial;2;S;S;S;01;0101;activo\n")       # 11: short row
    [r] = load_folder(folder, settings_for(almacen))
    assert (r.leidas, r.cargadas, r.cuarentena) == (10, 2, 8)
    assert rows(almacen, "SELECT codigo, nombre FROM suscriptores ORDER BY codigo") == [
        ("001", "Ana"), ("008", "Mar")]
    got = rows(almacen, "SELECT fila, columna, valor FROM cuarentena ORDER BY fila")
    assert got == [
        (3, "direccion", None), (4, "aseo", "quizas"), (5, "uso", "granja"),
        (6, "latitud", "diez"), (7, "periodo", "2026-13"), (8, "estrato", None),
        (10, "codigo, periodo", "001 | 2026-10"),
        (11, None, "009;2026-10;Pía;CL 9;20001;residencial;2;S;S;S;01;0101;activo")]
    # Each record names the row's key as written, to find it in the source system.
    assert rows(almacen, "SELECT clave FROM cuarentena WHERE fila = 5") == [("004 | 2026-10",)]
    motivos = dict(rows(almacen, "SELECT fila, motivo FROM cuarentena"))
    assert motivos[3] == "falta el valor obligatorio"
    assert "fila 2" in motivos[10]
    assert "tiene 13 columnas y el encabezado 14" in motivos[11]


def test_reloading_the_same_file_changes_nothing(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "suscriptores_2026-10.csv", SUSCRIPTORES +
          "001;2026-10;Ana;CL 1;20001;residencial;2;S;S;S;01;0101;activo;10,4\n"
          "001;2026-10;Ana;CL 1;20001;residencial;2;S;S;S;01;0101;activo;10,4\n")
    write(folder / "pagos.csv", "id,fecha_pago,valor\nP1,2026-10-01,5000\n")
    settings = settings_for(almacen)
    first = load_folder(folder, settings)
    before = snapshot(almacen)
    second = load_folder(folder, settings)
    assert [r.estado for r in first] == ["cargado", "cargado"]
    assert [r.estado for r in second] == ["sin_cambios", "sin_cambios"]
    assert snapshot(almacen) == before


def test_a_newer_export_replaces_its_periods_only(almacen, settings_for, tmp_path):
    settings = settings_for(almacen)
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    v1.mkdir(), v2.mkdir()
    write(v1 / "suscriptores_2026-09.csv", SUSCRIPTORES +
          "001;2026-09;Ana;CL 1;20001;residencial;2;S;S;S;01;0101;activo;10,4\n")
    write(v1 / "suscriptores_2026-10.csv", SUSCRIPTORES +
          "001;2026-10;Ana;CL 1;20001;residencial;2;S;S;S;01;0101;activo;10,4\n"
          "002;2026-10;Luis;CL 2;20001;residencial;1;S;S;S;01;0101;activo;10,4\n")
    write(v2 / "suscriptores_2026-10_corregido.csv", SUSCRIPTORES +
          "001;2026-10;Ana;CL 1;20001;residencial;3;S;S;S;01;0101;suspendido;10,4\n")
    load_folder(v1, settings)
    load_folder(v2, settings)
    assert rows(almacen, "SELECT codigo, periodo, estrato, estado FROM suscriptores "
                         "ORDER BY periodo, codigo") == [
        ("001", "2026-09", 2, "activo"), ("001", "2026-10", 3, "suspendido")]
    # Loading the older October export again brings it back: it is a newer action.
    [_, again] = load_folder(v1, settings)
    assert again.estado == "cargado"
    assert rows(almacen, "SELECT count(*) FROM suscriptores WHERE periodo = '2026-10'") == [(2,)]


def test_an_answered_pqr_replaces_its_unanswered_state(almacen, settings_for, tmp_path):
    settings = settings_for(almacen)
    header = "radicado,codigo,fecha_radicacion,tipo,servicio,causal,fecha_respuesta,tipo_respuesta\n"
    sep, octo = tmp_path / "sep", tmp_path / "oct"
    sep.mkdir(), octo.mkdir()
    write(sep / "pqr_2026-09.csv", header +
          "R1,001,2026-09-28 10:00,reclamo,acueducto,101,,\n"
          "R2,002,2026-09-29 11:00,peticion,aseo,206,2026-09-30 08:00,accede\n")
    write(octo / "pqr_2026-10.csv", header +
          "R1,001,2026-09-28 10:00,reclamo,acueducto,101,2026-10-15 12:00,no_accede\n"
          "R3,003,2026-10-02 09:00,queja,acueducto,201,,\n")
    load_folder(sep, settings)
    load_folder(octo, settings)
    assert rows(almacen, "SELECT radicado, fecha_respuesta, tipo_respuesta FROM pqr "
                         "ORDER BY radicado") == [
        ("R1", dt.datetime(2026, 10, 15, 12, 0), "no_accede"),
        ("R2", dt.datetime(2026, 9, 30, 8, 0), "accede"),
        ("R3", None, None)]


def test_a_file_that_fails_midway_leaves_the_warehouse_as_it_was(almacen, settings_for, tmp_path):
    settings = settings_for(almacen, bloque_bytes=4096)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    write(first / "pagos_2026-09.csv", "id,fecha_pago,valor\nP0,2026-09-01,100\n")
    load_folder(first, settings)
    before = snapshot(almacen)
    good = "".join(f"P{i},2026-10-01,{i}\n" for i in range(1, 3000))   # many 4 KB blocks
    write(second / "pagos_2026-10.csv", "id,fecha_pago,valor\n" + good +
          'P9999,2026-10-02,"5\n' + good)                                 # a quote never closed
    [r] = load_folder(second, settings)
    assert r.estado == "rechazado"
    assert "pagos_2026-10.csv" in r.mensaje and "comilla" in r.mensaje
    assert snapshot(almacen) == before


def test_loaded_files_are_archived_by_hash(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    f = write(folder / "pagos.csv", "id,fecha_pago,valor\nP1,2026-10-01,5000\n")
    settings = settings_for(almacen)
    load_folder(folder, settings)
    # named by source, the moment of the load and the hash: the folder rebuilds the warehouse
    [archived] = settings.archivo_dir.iterdir()
    assert re.fullmatch(rf"pagos_\d{{8}}T\d{{12}}_{file_sha256(f)}\.csv", archived.name)
    assert archived.read_bytes() == f.read_bytes()
    assert rows(almacen, "SELECT archivo, sha256, fuente, filas_leidas, filas_cargadas, estado "
                         "FROM carga") == [("pagos.csv", file_sha256(f), "pagos", 1, 1, "cargado")]


def test_an_invoice_key_held_by_another_period_is_quarantined(almacen, settings_for, tmp_path):
    header = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
              "valor_consumo,subsidio,contribucion,valor_total\n")
    sep, octo = tmp_path / "sep", tmp_path / "oct"
    sep.mkdir(), octo.mkdir()
    write(sep / "facturas_2026-09.csv", header +
          "F1,001,2026-09,acueducto,2026-09-05,2026-09-20,100,50,0,0,150\n")
    write(octo / "facturas_2026-10.csv", header +
          "F1,002,2026-10,acueducto,2026-10-05,2026-10-20,100,60,0,0,160\n"   # F1 is September's
          "F2,002,2026-10,acueducto,2026-10-05,2026-10-20,100,70,0,0,170\n")
    settings = settings_for(almacen)
    load_folder(sep, settings)
    [r] = load_folder(octo, settings)
    assert (r.leidas, r.cargadas, r.cuarentena) == (2, 1, 1)
    assert rows(almacen, "SELECT numero, periodo, valor_total FROM facturas ORDER BY numero") == [
        ("F1", "2026-09", Decimal("150.0000")), ("F2", "2026-10", Decimal("170.0000"))]
    [(fila, clave, motivo)] = rows(almacen, "SELECT fila, clave, motivo FROM cuarentena")
    assert (fila, clave) == (2, "F1 | acueducto") and "periodo 2026-09" in motivo
    # The corrected September export replaces September, so its own F1 is no clash.
    write(sep / "facturas_2026-09.csv", header +
          "F1,001,2026-09,acueducto,2026-09-05,2026-09-20,100,55,0,0,155\n")
    [r] = load_folder(sep, settings)
    assert (r.cargadas, r.cuarentena) == (1, 0)
