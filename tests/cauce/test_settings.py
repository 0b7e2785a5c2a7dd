"""config.toml: the shipped values and the Spanish errors for a wrong file."""
from __future__ import annotations

import pytest

from cauce import CauceError
from cauce.settings import SHIPPED_CONFIG, load_settings


def test_shipped_config_describes_the_demo_utility():
    s = load_settings(SHIPPED_CONFIG)
    assert [(m.dane, m.nombre, m.altitud_msnm) for m in s.municipios] == [
        ("20001", "Valledupar", 169), ("20011", "Aguachica", 161), ("20621", "La Paz", 200),
        ("20570", "Pueblo Bello", 1100)]
    assert s.periodicidad == "mensual"
    assert s.pqr_plazos == {"peticion": 15, "queja": 15, "reclamo": 15, "recurso_reposicion": 15,
                            "recurso_reposicion_apelacion": 15, "sugerencia": 0}
    assert s.facturas_para_suspension == 2
    assert (s.banda_persuasivo, s.banda_prejuridico, s.juridico_desde) == ((1, 90), (91, 180), 181)
    assert s.dias_entrega_antes_vencimiento == 5
    assert s.vida_util_anios == 10
    dims = {q: d["dimension"] for q, d in s.nsu_preguntas.items()}
    assert dims == {"p01": "servicio", "p02": "servicio", "p03": "servicio",
                    "p04": "facturacion", "p05": "facturacion", "p06": "facturacion",
                    "p07": "atencion", "p08": "atencion", "p09": "saneamiento",
                    "p10": "saneamiento", "p11": "general"}
    # Pueblo Bello (1100 m) is in the 1000–2000 m band of Res. CRA 750: 13 m³.
    assert [s.consumo_basico_m3(m.altitud_msnm) for m in s.municipios] == [16, 16, 16, 13]
    assert s.meta("recaudo.eficiencia", 2026) == 0.95
    assert s.meta("recaudo.eficiencia", 2024) is None
    assert s.meta("pqr.oportunidad", 2024) == 0.98
    assert (s.csv.separador, s.csv.decimal) == (";", ",")     # Colombian Excel's


def _config(tmp_path, old: str, new: str):
    text = SHIPPED_CONFIG.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "config.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize("old, new, words", [
    ("vida_util_anios = 10", 'vida_util_anios = "diez"', ["[micromedicion] vida_util_anios",
                                                          "'diez'", "entero"]),
    ("facturas_para_suspension = 2", "facturas_para_suspension = 2\nfacturas_suspension = 3",
     ["[cartera]", "facturas_suspension"]),
    ("[micromedicion]\n", "[micromedicio]\n", ["micromedicio", "desconocida"]),
    ("[cartera]\n", "[carteras]\n", ["carteras"]),
    ('periodicidad = "mensual"', 'periodicidad = "semanal"', ["[facturacion] periodicidad",
                                                              "bimestral"]),
    ('dane = "20001"', 'dane = "2001"', ["[municipios #1] dane", "5 dígitos"]),
    ("estrato_1 = 0.70", "estrato_1 = 0,70", ["no es TOML válido en la línea"]),
    ("periodos_repetidos = 3", "periodos_repetidos = 1", ["[calidad.consumo] periodos_repetidos",
                                                          "2 o más"]),
    ("latitud = [7.6, 10.9]", "latitud = [10.9, 7.6]", ["[calidad.area] latitud", "mínimo"]),
    ("residencial = 250\n", "residencial = 250\nrural = 10\n",
     ["[calidad.consumo.maximo_m3]", "rural"]),
    ('"nsu.indice" = 0.80', '"nsu.indice" = "alta"', ['[metas] "nsu.indice"', "un número"]),
    ('atencion = "atención"', 'atencion = "atención"\nfacturasion = "facturación"',
     ["[nsu.dimensiones]", "facturasion"]),
    ('atencion = "atención"', 'atencion = 3', ["[nsu.dimensiones] atencion", "nombre"]),
    ('\nmodo = "local"', '\nmodo = "abierto"', ["[acceso] modo", '"oidc"']),
    ('\nmodo = "local"', '\nmodo = "local"\nclave_maestra = "x"', ["[acceso]", "clave_maestra"]),
    ('separador = ";"', 'separador = "x"', ["[formato.csv] separador", "'x'", "tabulador"]),
    ('decimal = ","\n', 'decimal = ";"\n', ["[formato.csv] decimal", "distinto del separador"]),
    ('separador = ";"', 'separador = ";"\ncomillas = "x"', ["[formato.csv]", "comillas"]),
])
def test_a_wrong_config_names_the_file_and_the_key(tmp_path, old, new, words):
    path = _config(tmp_path, old, new)
    with pytest.raises(CauceError) as e:
        load_settings(path)
    assert e.value.codigo == 2
    assert str(path) in e.value.mensaje
    for word in words:
        assert word in e.value.mensaje


def test_goals_may_name_an_nsu_dimension_of_the_questionnaire(tmp_path):
    path = _config(tmp_path, '"nsu.indice" = 0.80', '"nsu.indice" = 0.80\n'
                   '"nsu.dimension.atencion" = { 2026 = 0.85 }')
    settings = load_settings(path)
    assert settings.meta("nsu.dimension.atencion", 2026) == 0.85
    assert settings.meta("nsu.dimension.atencion", 2025) is None


def test_missing_section_is_named(tmp_path):
    text = SHIPPED_CONFIG.read_text(encoding="utf-8")
    start = text.index("[facturacion]")
    end = text.index("[consumo_basico]")
    p = tmp_path / "config.toml"
    p.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(CauceError, match=r"falta la sección \[facturacion\]"):
        load_settings(p)


def test_relative_duckdb_path_is_relative_to_the_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CAUCE_ALMACEN", raising=False)
    p = _config(tmp_path, 'url = "duckdb:///datos/almacen.duckdb"', 'url = "duckdb:///x/a.duckdb"')
    assert load_settings(p).almacen_url == f"duckdb:///{tmp_path / 'x' / 'a.duckdb'}"
    monkeypatch.setenv("CAUCE_ALMACEN", "postgresql+psycopg://u@h/db")
    assert load_settings(p).almacen_url == "postgresql+psycopg://u@h/db"
    assert load_settings(p, almacen="duckdb:///:memory:").almacen_url == "duckdb:///:memory:"


def test_the_accounts_file_is_relative_to_the_config_folder(tmp_path):
    p = _config(tmp_path, 'usuarios = "datos/usuarios.toml"', 'usuarios = "secretos/cuentas.toml"')
    s = load_settings(p)
    assert s.usuarios_archivo == tmp_path / "secretos" / "cuentas.toml"
    assert (s.acceso, s.proveedor_oidc) == ("local", None)


def test_a_rule_of_its_own_tolerance(tmp_path):
    path = _config(tmp_path, "tolerancia_defecto = 0.02\n",
                   'tolerancia_defecto = 0.02\n"consumo.lectura_regresiva" = 0.05\n')
    s = load_settings(path)
    assert s.tolerancias == {"consumo.lectura_regresiva": 0.05}
    assert s.calidad.periodos_repetidos == 3 and s.calidad.maximo_m3["residencial"] == 250
