"""The sentence that reads an indicator's trend in the meeting mode."""
from indicators.lectura import lectura


def fila(periodo, valor, meta=0.95):
    return {"periodo": periodo, "valor": valor, "meta": meta}


def test_a_rise_that_meets_the_goal_for_the_third_month():
    serie = [fila("2026-06", 0.90), fila("2026-07", 0.96), fila("2026-08", 0.955),
             fila("2026-09", 0.979)]
    # 0,979 − 0,955 = 0,024 -> 2,4 pp; 0,96, 0,955 and 0,979 are >= 0,95: three months running
    assert lectura(serie, "proporcion", True) == ("Subió 2,4 pp frente a agosto de 2026; cumple "
                                                 "la meta por tercer mes seguido.")


def test_a_fall_below_the_goal():
    serie = [fila("2026-08", 0.97), fila("2026-09", 0.93)]
    assert lectura(serie, "proporcion", True) == ("Bajó 4,0 pp frente a agosto de 2026; no "
                                                 "cumple la meta.")


def test_lower_is_better_and_counts_without_goal():
    assert lectura([fila("2026-08", 0.12, 0.10), fila("2026-09", 0.08, 0.10)], "proporcion",
                   False) == "Bajó 4,0 pp frente a agosto de 2026; cumple la meta."
    assert lectura([fila("2026-08", 40, None), fila("2026-09", 40, None)], "cuentas",
                   None) == "Se mantuvo igual que en agosto de 2026."


def test_missing_months_are_said_not_invented():
    assert lectura([fila("2026-08", 0.9), fila("2026-09", None)], "proporcion",
                   True) == "Sin datos en septiembre de 2026."
    assert lectura([fila("2026-08", None), fila("2026-09", 0.97)], "proporcion",
                   True) == "Sin dato del mes anterior para comparar; cumple la meta."
