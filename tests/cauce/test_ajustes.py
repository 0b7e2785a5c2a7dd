"""The settings a command starts with (``cauce.acciones.ajustes``): what ``[metas]`` and
``[calidad]`` name is checked against the catalogue and the rules, which ``cauce.settings``
(the ground) does not know. Moved here from ``test_settings.py`` with the check."""
from __future__ import annotations

import pytest

from cauce import CauceError
from cauce.acciones import ajustes
from tests.cauce.test_settings import _config


@pytest.mark.parametrize("old, new, words", [
    ("tolerancia_defecto = 0.02\n", 'tolerancia_defecto = 0.02\n"consumo.regresiva" = 0.05\n',
     ["consumo.regresiva", "no existe o no detiene la carga", "consumo.lectura_regresiva"]),
    ("tolerancia_defecto = 0.02\n", 'tolerancia_defecto = 0.02\n"recaudo.pago_futuro" = 0.5\n',
     ["recaudo.pago_futuro", "no detiene la carga"]),
    ('"nsu.indice" = 0.80', '"nsu.indise" = 0.80', ["[metas]", "nsu.indise", "catálogo"]),
])
def test_a_wrong_config_names_the_file_and_the_key(tmp_path, old, new, words):
    path = _config(tmp_path, old, new)
    with pytest.raises(CauceError) as e:
        ajustes.leer(path)
    assert e.value.codigo == 2
    assert str(path) in e.value.mensaje
    for word in words:
        assert word in e.value.mensaje


def test_goals_may_name_an_nsu_dimension_of_the_questionnaire(tmp_path):
    path = _config(tmp_path, '"nsu.indice" = 0.80', '"nsu.indice" = 0.80\n'
                   '"nsu.dimension.atencion" = { 2026 = 0.85 }')
    assert ajustes.leer(path).meta("nsu.dimension.atencion", 2026) == 0.85
