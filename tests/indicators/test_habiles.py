"""Business days (``indicators.md`` Conventions; ``regulation.md``, "business days").

Monday–Friday minus Colombia's national holidays; ``dias_habiles(a, b)`` counts the
business days d with a < d ≤ b, and the deadline of a filing on date a with a term of n
business days is the n-th business day after a. Every expected date below is worked out
by hand from the 2026 calendar; the holidays are written literally (not asked of the
``holidays`` package), as published for 2026:

    Thu 01-01 Año Nuevo                   Mon 01-12 Reyes (from 01-06)
    Mon 03-23 San José (from 03-19)       Thu 04-02 Jueves Santo
    Fri 04-03 Viernes Santo               Fri 05-01 Día del Trabajo
    Mon 05-18 Ascensión                   Mon 06-08 Corpus Christi
    Mon 06-15 Sagrado Corazón             Mon 06-29 San Pedro y San Pablo
    Mon 07-13 Virgen de Chiquinquirá (09 July, Ley 2578 de 2026, moved to the Monday)
    Mon 07-20 Independencia               Fri 08-07 Batalla de Boyacá
    Mon 08-17 Asunción (from Sat 08-15)   Mon 10-12 Día de la Raza
    Mon 11-02 Todos los Santos            Mon 11-16 Independencia de Cartagena
    Tue 12-08 Inmaculada Concepción       Fri 12-25 Navidad
    2027: Fri 01-01 Año Nuevo

Weekdays: 2026-03-01 is a Sunday, 04-01 a Wednesday, 07-01 a Wednesday, 08-01 a Saturday,
09-01 a Tuesday, 10-01 a Thursday, 11-01 a Sunday, 12-01 a Tuesday; each case below names
the weekday of its dates.

The SQL calendar (``habiles.calendario``) is run on DuckDB and on PostgreSQL and must give
the same counts and deadlines as the hand-worked ones.
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from indicators.habiles import calendario, dias_habiles, es_habil, vencimiento

D = dt.date

# (filing date, term n, the n-th business day after it), worked by hand.
DEADLINES = [
    # Mon 2026-08-03, 15 days, crossing Fri 08-07 (Boyacá) and Mon 08-17 (Asunción, Ley
    # Emiliani): 4(1) 5(2) 6(3) [7] 10(4) 11(5) 12(6) 13(7) 14(8) [17] 18(9) 19(10) 20(11)
    # 21(12) 24(13) 25(14) 26(15). Without the two holidays it would be 08-24.
    (D(2026, 8, 3), 15, D(2026, 8, 26)),
    # Fri 2026-07-10, crossing Mon 07-13 (Chiquinquirá) and Mon 07-20: [13] 14(1) 15(2)
    # 16(3) 17(4) [20] 21(5) 22(6) 23(7) 24(8) 27(9) 28(10) 29(11) 30(12) 31(13) 08-03(14)
    # 08-04(15). Without 07-13 it would be 08-03; without both, 07-31.
    (D(2026, 7, 10), 15, D(2026, 8, 4)),
    # Mon 2026-07-06: 7(1) 8(2) 9(3: Thursday 9 July is a business day, its holiday is the
    # Monday) 10(4) [13] 14(5) 15(6) 16(7) 17(8) [20] 21(9) 22(10) 23(11) 24(12) 27(13)
    # 28(14) 29(15).
    (D(2026, 7, 6), 15, D(2026, 7, 29)),
    # Holy Week: Fri 2026-03-27: 30(1) 31(2) 04-01(3) [02 03] 06(4) 07(5) 08(6) 09(7) 10(8)
    # 13(9) 14(10) 15(11) 16(12) 17(13) 20(14) 21(15).
    (D(2026, 3, 27), 15, D(2026, 4, 21)),
    # Fri 2026-03-20, crossing Mon 03-23 (San José) and Holy Week: [23] 24(1) 25(2) 26(3)
    # 27(4) 30(5) 31(6) 04-01(7) [02 03] 06(8) 07(9) 08(10) 09(11) 10(12) 13(13) 14(14) 15(15).
    (D(2026, 3, 20), 15, D(2026, 4, 15)),
    # Filed on Saturday 2026-10-10: [Sun 11] [Mon 12 Día de la Raza] 13(1) 14(2) 15(3) 16(4)
    # 19(5) 20(6) 21(7) 22(8) 23(9) 26(10) 27(11) 28(12) 29(13) 30(14) [11-02] 11-03(15).
    (D(2026, 10, 10), 15, D(2026, 11, 3)),
    # The same deadline from the Friday before, the Sunday, and the holiday itself.
    (D(2026, 10, 9), 15, D(2026, 11, 3)),
    (D(2026, 10, 11), 15, D(2026, 11, 3)),
    (D(2026, 10, 12), 15, D(2026, 11, 3)),
    # Filed on the holiday Mon 2026-08-17: 18(1) 19(2) 20(3) 21(4) 24(5) 25(6) 26(7) 27(8)
    # 28(9) 31(10) 09-01(11) 02(12) 03(13) 04(14) 07(15).
    (D(2026, 8, 17), 15, D(2026, 9, 7)),
    # Filed on the holiday Fri 2026-08-07: 10(1) 11(2) 12(3) 13(4) 14(5) [17] 18(6) 19(7)
    # 20(8) 21(9) 24(10) 25(11) 26(12) 27(13) 28(14) 31(15).
    (D(2026, 8, 7), 15, D(2026, 8, 31)),
    # Across the new year: Thu 2026-12-24, [25 Navidad] [26 27] 28(1) 29(2) 30(3) 31(4)
    # [2027-01-01 Año Nuevo] [2 3] 2027-01-04(5).
    (D(2026, 12, 24), 5, D(2027, 1, 4)),
    # One business day after Thu 2026-04-01 skips Holy Thursday and Good Friday and the
    # weekend: Mon 04-06.
    (D(2026, 4, 1), 1, D(2026, 4, 6)),
    # Mon 2026-12-07 + 1 skips Tue 12-08 (Inmaculada, not moved): Wed 12-09.
    (D(2026, 12, 7), 1, D(2026, 12, 9)),
]

# (a, b, business days d with a < d ≤ b), worked by hand.
COUNTS = [
    (D(2026, 8, 3), D(2026, 8, 26), 15),      # the first deadline above
    (D(2026, 8, 6), D(2026, 8, 10), 1),       # [Fri 7 Boyacá] [8 9] Mon 10
    (D(2026, 8, 14), D(2026, 8, 18), 1),      # [15 16] [Mon 17 Asunción] Tue 18
    (D(2026, 8, 14), D(2026, 8, 17), 0),      # only the weekend and the holiday
    (D(2026, 7, 17), D(2026, 7, 21), 1),      # [18 19] [Mon 20] Tue 21
    (D(2026, 7, 10), D(2026, 7, 14), 1),      # [11 12] [Mon 13 Chiquinquirá] Tue 14
    (D(2026, 7, 8), D(2026, 7, 9), 1),        # Thu 9 July itself is a business day
    (D(2026, 3, 31), D(2026, 4, 6), 2),       # Wed 04-01, [Thu 2 Fri 3 Sat Sun], Mon 04-06
    (D(2026, 10, 10), D(2026, 10, 12), 0),    # Saturday to the Monday holiday
    (D(2026, 10, 9), D(2026, 10, 13), 1),     # Tue 13
    (D(2026, 8, 12), D(2026, 8, 12), 0),      # a < d ≤ a: none
    (D(2026, 8, 31), D(2026, 9, 3), 3),       # Tue 1, Wed 2, Thu 3
    (D(2026, 8, 31), D(2026, 9, 7), 5),       # 1 2 3 4 7
    (D(2026, 7, 1), D(2026, 8, 3), 21),       # 2 3 6 7 8 9 10 14 15 16 17 21 22 23 24
                                              # 27 28 29 30 31 08-03
    (D(2026, 12, 24), D(2027, 1, 4), 5),      # 28 29 30 31 2027-01-04
    (D(2026, 8, 26), D(2026, 8, 3), -15),     # b before a: the negative of the other way
]


@pytest.mark.parametrize("a, n, esperado", DEADLINES, ids=[f"{a}+{n}" for a, n, _ in DEADLINES])
def test_vencimiento_is_the_nth_business_day_after_the_filing(a, n, esperado):
    assert vencimiento(a, n) == esperado


@pytest.mark.parametrize("a, b, esperado", COUNTS, ids=[f"{a}..{b}" for a, b, _ in COUNTS])
def test_dias_habiles_counts_business_days_after_a_up_to_b(a, b, esperado):
    assert dias_habiles(a, b) == esperado


def test_the_deadline_is_n_business_days_away_and_a_business_day():
    for a, n, v in DEADLINES:
        assert dias_habiles(a, v) == n, a
        assert es_habil(v), v
        # the day before the deadline is still fewer than n business days away
        assert dias_habiles(a, v - dt.timedelta(days=1)) == n - 1, a


@pytest.mark.parametrize("dia, habil", [
    (D(2026, 8, 7), False),      # Friday, Batalla de Boyacá (not moved)
    (D(2026, 8, 17), False),     # Monday, Asunción moved from Saturday 08-15
    (D(2026, 8, 15), False),     # Saturday (Asunción's own date): a weekend day anyway
    (D(2026, 8, 18), True),      # Tuesday after it
    (D(2026, 7, 9), True),       # Thursday: Chiquinquirá's own date, moved to the Monday
    (D(2026, 7, 13), False),     # Monday, Virgen de Chiquinquirá (Ley 2578 de 2026)
    (D(2026, 7, 20), False),     # Monday, Independencia
    (D(2026, 7, 21), True),      # Tuesday
    (D(2026, 4, 1), True),       # Holy Wednesday is a working day
    (D(2026, 4, 2), False),      # Jueves Santo
    (D(2026, 4, 3), False),      # Viernes Santo
    (D(2026, 3, 19), True),      # Thursday: San José's own date, moved to Monday 03-23
    (D(2026, 3, 23), False),
    (D(2026, 10, 12), False),    # Día de la Raza, a Monday
    (D(2026, 10, 10), False),    # Saturday
    (D(2026, 10, 11), False),    # Sunday
    (D(2026, 10, 13), True),
    (D(2026, 12, 8), False),     # Tuesday, Inmaculada Concepción (not moved)
    (D(2026, 12, 25), False),    # Friday, Navidad
    (D(2027, 1, 1), False),      # Friday, Año Nuevo 2027
    (D(2026, 9, 7), True),       # an ordinary Monday
])
def test_es_habil(dia, habil):
    assert es_habil(dia) is habil


# --- The SQL calendar, on both warehouses -------------------------------------------------------

def filas(url: str, query) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(query)]
    finally:
        engine.dispose()


def test_sql_calendar_marks_holidays_and_counts_from_its_first_day(almacen_modulo):
    cal = calendario(D(2026, 7, 31), D(2026, 8, 19))
    got = filas(almacen_modulo, sa.select(cal.c.fecha, cal.c.habil, cal.c.acumulado)
                .order_by(cal.c.fecha))
    # acumulado: business days from 07-31 up to and including the day.
    assert [(f, bool(h), int(a)) for f, h, a in got] == [
        (D(2026, 7, 31), True, 1),        # Friday
        (D(2026, 8, 1), False, 1),        # Saturday
        (D(2026, 8, 2), False, 1),        # Sunday
        (D(2026, 8, 3), True, 2),
        (D(2026, 8, 4), True, 3),
        (D(2026, 8, 5), True, 4),
        (D(2026, 8, 6), True, 5),
        (D(2026, 8, 7), False, 5),        # Boyacá
        (D(2026, 8, 8), False, 5),
        (D(2026, 8, 9), False, 5),
        (D(2026, 8, 10), True, 6),
        (D(2026, 8, 11), True, 7),
        (D(2026, 8, 12), True, 8),
        (D(2026, 8, 13), True, 9),
        (D(2026, 8, 14), True, 10),
        (D(2026, 8, 15), False, 10),
        (D(2026, 8, 16), False, 10),
        (D(2026, 8, 17), False, 10),      # Asunción (Monday)
        (D(2026, 8, 18), True, 11),
        (D(2026, 8, 19), True, 12),
    ]


def test_sql_calendar_starting_on_a_holiday_and_without_holidays(almacen_modulo):
    semana_santa = calendario(D(2026, 4, 2), D(2026, 4, 7))
    got = filas(almacen_modulo, sa.select(semana_santa.c.fecha, semana_santa.c.habil,
                                          semana_santa.c.acumulado).order_by(semana_santa.c.fecha))
    assert [(f, bool(h), int(a)) for f, h, a in got] == [
        (D(2026, 4, 2), False, 0),        # Jueves Santo
        (D(2026, 4, 3), False, 0),        # Viernes Santo
        (D(2026, 4, 4), False, 0),
        (D(2026, 4, 5), False, 0),
        (D(2026, 4, 6), True, 1),
        (D(2026, 4, 7), True, 2),
    ]
    # September 2026 has no holiday: Tue 1 … Thu 10 is only weekdays and a weekend.
    septiembre = calendario(D(2026, 9, 1), D(2026, 9, 10))
    got = filas(almacen_modulo, sa.select(septiembre.c.fecha, septiembre.c.habil,
                                          septiembre.c.acumulado).order_by(septiembre.c.fecha))
    assert [(f.day, bool(h), int(a)) for f, h, a in got] == [
        (1, True, 1), (2, True, 2), (3, True, 3), (4, True, 4), (5, False, 4), (6, False, 4),
        (7, True, 5), (8, True, 6), (9, True, 7), (10, True, 8)]


def test_sql_calendar_gives_the_hand_worked_deadlines_and_counts(almacen_modulo):
    cal = calendario(D(2026, 3, 1), D(2027, 1, 31))
    a, v = cal.alias("a"), cal.alias("v")
    for inicio, n, esperado in DEADLINES:
        # the deadline: the business day whose running count is acumulado(a) + n
        q = (sa.select(v.c.fecha).select_from(a.join(v, sa.and_(
                v.c.habil, v.c.acumulado == a.c.acumulado + n)))
             .where(a.c.fecha == inicio))
        assert filas(almacen_modulo, q) == [(esperado,)], inicio
    b = cal.alias("b")
    for x, y, esperado in COUNTS:
        q = (sa.select(b.c.acumulado - a.c.acumulado)
             .select_from(a.join(b, sa.true())).where(a.c.fecha == x, b.c.fecha == y))
        assert [int(r[0]) for r in filas(almacen_modulo, q)] == [esperado], (x, y)


def test_sql_calendar_holidays_of_2026(almacen_modulo):
    cal = calendario(D(2026, 1, 1), D(2026, 12, 31))
    got = filas(almacen_modulo, sa.select(cal.c.fecha).where(
        ~cal.c.habil, sa.extract("isodow", cal.c.fecha) < 6).order_by(cal.c.fecha))
    # the weekday holidays of 2026 (none falls on a weekend this year)
    assert [r[0] for r in got] == [
        D(2026, 1, 1), D(2026, 1, 12), D(2026, 3, 23), D(2026, 4, 2), D(2026, 4, 3),
        D(2026, 5, 1), D(2026, 5, 18), D(2026, 6, 8), D(2026, 6, 15), D(2026, 6, 29),
        D(2026, 7, 13), D(2026, 7, 20), D(2026, 8, 7), D(2026, 8, 17), D(2026, 10, 12),
        D(2026, 11, 2), D(2026, 11, 16), D(2026, 12, 8), D(2026, 12, 25)]
    # 2026 has 365 days, 104 weekend days (52 weeks + Thu 01-01: 261 weekdays), minus 19
    # weekday holidays: 242 business days, the last day's running count.
    total = filas(almacen_modulo, sa.select(sa.func.max(cal.c.acumulado)))
    assert int(total[0][0]) == 242
