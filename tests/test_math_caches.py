"""What the math audit remembers to run faster (a side's parse by its tokens, a calculator note by its
text, the original trace's facts for ``restated``, a question's values) changes no result: a reading made
from warm caches equals one made from cold ones, at any offset, on constructed cases and bundled rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smepo_data import mask_text
from smepo_data.math import _equations, _restated
from smepo_data.math._equations import read_equations
from smepo_data.math._given import given_values
from smepo_data.math._rational import Fraction
from smepo_data.math._values import plain_number
from smepo_data.math.attacks import solve

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"


def _cold() -> None:
    _equations._TEMPLATES.clear()
    _equations._note_chunks.cache_clear()
    _restated._facts.cache_clear()


def _shape(text: str) -> tuple:
    r = read_equations(text)
    sides = [(s.tree, sorted(s.unknowns), s.start, s.end) for s in r.sides]
    eqs = [
        ((e.left.tree, e.left.start), (e.right.tree, e.right.start), sorted(e.unknowns)) for e in r.equations
    ]
    return sides, eqs, list(r.blanks.items())


def _rows() -> list[tuple[str, str]]:
    out = []
    for line in (DATA / "gsm8k_sample.jsonl").read_text().splitlines():
        row = json.loads(line)
        out.append((row["question"], row["answer"]))
    for line in (DATA / "math500_sample.jsonl").read_text().splitlines():
        row = json.loads(line)
        out.append((row["problem"], row["solution"]))
    return out


def test_the_same_step_thrice_names_its_blanks_at_its_own_place():
    text = "So 48/[NUMBER] = <<48/[NUMBER]=[NUMBER]>>[NUMBER] and 48/[NUMBER] = [NUMBER] again."
    r = read_equations(text)
    sides = {
        s.start: s for e in r.equations for s in (e.left, e.right) if text[s.start : s.end] == "48/[NUMBER]"
    }
    assert sorted(sides) == [3, 19, 54]  # in the prose, in the note, and again
    note = text.index("[NUMBER]", 19)
    assert sides[19].tree == ("/", ("n", Fraction(48)), ("u", f"u{note}"))  # its own blank, where it stands
    # the two sides written alike in the prose share their blank (linked), the first one's
    assert sides[3].tree == sides[54].tree == ("/", ("n", Fraction(48)), ("u", "u6"))
    assert r.blanks[note] == f"u{note}" and r.blanks[6] == "u6"


def test_a_reading_from_warm_caches_equals_one_from_cold_caches():
    texts = [t for _, t in _rows()]
    masked = [
        mask_text("math", t, question=q, answer="0", keep_wrong_traces=True).text for q, t in _rows()[:6]
    ]
    _cold()
    cold = [_shape(t) for t in texts + masked]
    warm = [_shape(t) for t in texts + masked]  # every side and note now comes from the caches
    assert warm == cold
    shifted = [_shape("Step.\n" + t) for t in texts]  # the same lines, six characters further on
    assert shifted == [_moved(shape, 6) for shape in cold[: len(texts)]]


def _moved(shape: tuple, by: int) -> tuple:
    """A reading's shape with every offset, and every unknown named by an offset, moved by ``by``."""

    def name(u: str) -> str:
        for head in ("note", "u"):
            if u.startswith(head) and u[len(head) :].isdigit():
                return f"{head}{int(u[len(head) :]) + by}"
        return u

    def tree(t: tuple) -> tuple:
        if t[0] == "u":
            return ("u", name(t[1]))
        return (t[0], *(tree(x) if isinstance(x, tuple) else x for x in t[1:]))

    sides, eqs, blanks = shape
    return (
        [(tree(t), sorted(name(u) for u in us), a + by, b + by) for t, us, a, b in sides],
        [
            ((tree(lt), ls + by), (tree(rt), rs + by), sorted(name(u) for u in us))
            for (lt, ls), (rt, rs), us in eqs
        ],
        [(k + by, name(v)) for k, v in blanks],
    )


def test_prose_before_a_math_segment_still_reads_its_products():
    text = "and so the total of all the sides is $ab + 5b = 12$ here"
    r = read_equations(text)
    (eq,) = r.equations
    assert eq.unknowns == {"v:a", "v:b"}
    assert text[eq.left.start : eq.left.end] == "ab + 5b"


def test_long_prose_between_steps_ends_each_run():
    text = "He pays 48/2 = 24 dollars for the red ones and then the blue ones cost 24 + 3 = 27 dollars"
    r = read_equations(text)
    shown = [(text[e.left.start : e.left.end], text[e.right.start : e.right.end]) for e in r.equations]
    assert shown == [("48/2", "24"), ("24 + 3", "27")]
    assert [k.value for k in solve(r).known.values()] == []  # nothing to solve: no unknowns


def test_restated_finds_the_same_on_every_round():
    trace = (
        "It takes 15 minutes to bake, so it takes 15+30+30 = <<15+30+30=75>>75 minutes\n"
        "So the rest takes 120-75 = <<120-75=45>>45 minutes\n#### 45"
    )
    masked = trace.replace("15+30+30", "[NUMBER]+30+30").replace("75", "[NUMBER]").replace("45", "[NUMBER]")
    _cold()
    first = _restated.restated(trace, masked)
    again = _restated.restated(trace, masked)  # the trace's facts and comparisons remembered
    _cold()
    assert first == again == _restated.restated(trace, masked)
    assert [masked[f.start : f.end] for f in first] == ["15"]


@pytest.mark.parametrize(
    ("question", "given", "not_given"),
    [
        ("She sold 48 clips and half as many in May", [48, -48, 2, Fraction(1, 2), 0, 1, -1], [24, 72]),
        ("A rate of 2.5 km, twenty-five times", [Fraction(5, 2), Fraction(-5, 2), 25], [Fraction(5, 4)]),
    ],
)
def test_a_question_gives_its_values_either_sign(question, given, not_given):
    g = given_values(question)
    assert all(Fraction(v) in g for v in given)
    assert not any(Fraction(v) in g for v in not_given)


def test_numerals_read_once_are_the_same_values():
    assert plain_number("1,234.5") == Fraction(2469, 2)
    assert plain_number("1,234.5") is plain_number("1,234.5")
    assert plain_number("12 apples") is None


_GRID_CASES = [
    # (an equation the grid solver meets, the unknown, the other unknowns' values)
    ("2^{[A]} \\cdot 3 = 96 + [B]", {"B": Fraction(0)}),
    ("\\sqrt{[A] + 7} = \\frac{9}{3} + [B]", {"B": Fraction(1, 2)}),
    ("\\frac{14}{[A] + 4} - [B] = 2", {"B": Fraction(-3, 7)}),
    ("\\frac{1}{3} \\cdot 10^{[A]/2} = [B]^2 + 0.5", {"B": Fraction(10)}),
    ("\\log([A]) \\cdot 2 = [B]", {"B": Fraction(3)}),
]


@pytest.mark.parametrize(("latex", "others"), _GRID_CASES)
def test_the_grid_solver_evaluates_what_stays_fixed_once(latex, others, monkeypatch):
    """``_real_root`` asks hundreds of points: the parts of an equation that do not read the unknown are
    evaluated once (``_fixed_apart``), and every point gives the very value (bit for bit, or the same
    failure) the equation gives with all its values, so the root, and the work spent, are unchanged."""
    from smepo_data.math import attacks

    masked = "$" + latex.replace("[A]", "[NUMBER]").replace("[B]", "[NUMBER]") + "$"
    reading = read_equations(masked)
    eq = next(e for e in reading.equations if len(e.unknowns) == 2)
    u, other = sorted(eq.unknowns, key=lambda n: int(n[1:]))
    env = {other: others["B"]}
    left = attacks._fixed_apart(eq.left.tree, u, env)
    right = attacks._fixed_apart(eq.right.tree, u, env)
    assert left is not None and right is not None
    assert other not in _equations.tree_unknowns(left) | _equations.tree_unknowns(right)
    for x in [*attacks._GRID, *attacks._FAR[::7], 0.1, 1e-9]:
        outcomes = []
        for args in ((eq.left.tree, eq.right.tree, {**env, u: x}), (left, right, {u: x})):
            try:
                outcomes.append(repr(complex(attacks._difference(*args, attacks._Work(10)))))
            except (attacks.Undefined, OverflowError, ZeroDivisionError, ValueError) as e:
                outcomes.append(type(e).__name__)
        assert outcomes[0] == outcomes[1], x
    fast, slow = attacks._Work(1000), attacks._Work(1000)
    root = attacks._real_root(eq, u, env, fast)
    assert root is not None and len(root) == 1
    monkeypatch.setattr(attacks, "_fixed_apart", lambda *a, **k: None)  # every tree evaluated as written
    assert repr(attacks._real_root(eq, u, env, slow)) == repr(root)
    assert fast.left == slow.left


# --------------------------------------------------------------------------- shortcuts of the GSM8K masker
# (note_twins by bisect and exact value pairs, number words tried only where a word can open them)


def test_note_twins_pair_each_step_with_its_own_words():
    """Each note's operands are those inside it, its words those of its own sentence after the previous
    note and outside every note; a note with no words of its own (``<<7*1=7>>``) pairs nothing."""
    from smepo_data.math._notes import note_twins

    t = (
        "Tom has 3 bags of 4 = <<3*4=12>>12 apples and 2 more, so 12 + 2 = <<12+2=14>>14 apples.\n"
        "He sells half: 14/2 = <<14/2=7>>7 and <<7*1=7>>7 left: 7 * 3 = <<7*3=21>>21 cents."
    )
    got = [(t[a.start : a.end], a.start, t[b.start : b.end], b.start) for a, b in note_twins(t)]
    assert got == [
        ("3", 8, "3", 24),
        ("4", 18, "4", 26),
        ("12", 57, "12", 68),
        ("2", 62, "2", 71),
        ("14", 103, "14", 112),
        ("2", 106, "2", 115),
        ("7", 120, "7", 128),
        ("7", 143, "7", 153),
        ("3", 147, "3", 155),
    ]


def test_the_same_matrix_agrees_with_value_comparison():
    """Exact atoms are compared by (numerator, denominator) pairs, the rest by values_equal (a tolerance):
    both must say what ``_same`` says, for one value or several (``20%``: 20 and 1/5)."""
    from smepo_data.math._lexer import Atom
    from smepo_data.math._notes import _same, _same_matrix

    values = [
        (Fraction(1, 2),),
        (Fraction(2, 4),),
        (complex(0.5),),
        (Fraction(20), Fraction(1, 5)),
        (Fraction(1, 5),),
        (complex(3.0000000000001),),
        (Fraction(3),),
        (Fraction(-3),),
    ]
    atoms = [Atom(k, k + 1, v) for k, v in enumerate(values)]
    matrix = _same_matrix(atoms, atoms)
    assert matrix == [[_same(a, b) for b in atoms] for a in atoms]
    assert matrix[0][1] and matrix[0][2] and matrix[3][4] and matrix[5][6] and not matrix[6][7]


@pytest.mark.parametrize(
    "text",
    [
        "Twenty-five boys, a third of them, one-half of the rest and two dozen eggs: twice the 4th.",
        "ſix apples and ſeventeen pears",  # re.I matches the long s as an s: tried whatever the word
        "x-two, \\two, 2two, _three, ab three-quarters.",
        "THIRDS of a cake, a Quarter. An hour, One thousand, thirds",
        "",
    ],
)
def test_number_word_patterns_match_where_finditer_does(text):
    from smepo_data.math import _words

    for pattern, first in (
        (_words._PHRASE, _words._PHRASE_FIRST),
        (_words._FRACTION, _words._FRACTION_FIRST),
    ):
        want = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _words._at_words(pattern, first, text)] == want


@pytest.mark.parametrize(("latex", "others"), _GRID_CASES)
def test_a_compiled_tree_gives_what_evaluate_gives(latex, others):
    """``compile_tree`` (the grid's sides, compiled once) gives, at every point, the very value
    ``evaluate`` gives (bit for bit, Fraction or complex alike) or the same failure."""
    from smepo_data.math import attacks

    masked = "$" + latex.replace("[A]", "[NUMBER]").replace("[B]", "[NUMBER]") + "$"
    eq = next(e for e in read_equations(masked).equations if len(e.unknowns) == 2)
    u, other = sorted(eq.unknowns, key=lambda n: int(n[1:]))
    env = {other: others["B"]}
    trees = [eq.left.tree, eq.right.tree, ("/", ("n", Fraction(1)), ("u", u)), ("^", ("u", u), ("n", -0.0j))]
    bound = [attacks._fixed_apart(t, u, env) for t in trees[:2]]
    trees += [t for t in bound if t is not None]
    points = [*attacks._GRID[::5], *attacks._FAR[::9], 0.0, -0.0, 1e-9, Fraction(3), Fraction(0), 2 + 0j]
    for tree in trees:
        compiled = _equations.compile_tree(tree)
        for x in points:
            outcomes = []
            for f in (lambda at, t=tree: _equations.evaluate(t, at), compiled):
                try:
                    v = f({**env, u: x})  # type: ignore[dict-item]
                    outcomes.append((type(v).__name__, repr(v)))
                except (attacks.Undefined, OverflowError, ZeroDivisionError, ValueError) as e:
                    outcomes.append((type(e).__name__, str(e)))
            assert outcomes[0] == outcomes[1], (tree, x)


def _findings(rows: list[tuple[str, str, str, str]]) -> list[str]:
    from smepo_data.math.attacks import attacks

    return [repr(attacks(q, m, a, t)) for q, m, a, t in rows]


def test_remembered_solver_steps_change_no_finding():
    """The solver's steps remembered across rounds and re-reads (``_remembered``) and the question's
    own reading (``_question_fixes``) give every attack the findings a cold run gives: bundled rows
    masked, then attacked cold, warm, and again with every blank shifted (a repair's re-read)."""
    from smepo_data.math import attacks

    rows: list[tuple[str, str, str, str]] = []
    for line in (DATA / "math500_sample.jsonl").read_text().splitlines()[:12]:
        row = json.loads(line)
        for level in ("answer", "critical"):
            r = mask_text("math", row["solution"], question=row["problem"], answer=row["answer"], level=level)
            rows.append((row["problem"], r.text, row["answer"], row["solution"]))
            rows.append((row["problem"], "Step.\n" + r.text, row["answer"], row["solution"]))
    attacks._ANSWERS.clear()
    attacks._question_fixes.cache_clear()
    cold = []
    for row in rows:  # each row from empty memories
        attacks._ANSWERS.clear()
        attacks._question_fixes.cache_clear()
        cold.extend(_findings([row]))
    assert _findings(rows) == cold  # warm: every row after the others
    assert _findings(rows) == cold  # and once more, every step remembered


def test_a_remembered_step_is_given_only_within_the_budget_left():
    """A step remembered with the work it spent is replayed only when the budget left covers that work:
    with less, it runs for real and runs out as a cold run does (an identity, then nothing)."""
    from smepo_data.math import attacks

    eq = next(e for e in read_equations("$\\frac{14}{[NUMBER] + 4} = 2$").equations if e.unknowns)
    (u,) = eq.unknowns
    attacks._ANSWERS.clear()
    full = attacks._Work(1000)
    roots = attacks._solve_one(eq, u, {}, full)
    spent = 1000 - full.left
    assert roots == [Fraction(3)] and spent > 5
    again = attacks._Work(1000)
    assert attacks._solve_one(eq, u, {}, again) == roots and again.left == full.left
    for budget in (0, 3, spent - 1):
        attacks._ANSWERS.clear()
        cold_work = attacks._Work(budget)
        cold = repr(attacks._solve_one(eq, u, {}, cold_work))
        attacks._solve_one(eq, u, {}, attacks._Work(1000))  # remembered with its full work
        short = attacks._Work(budget)
        assert repr(attacks._solve_one(eq, u, {}, short)) == cold and short.left == cold_work.left


def test_a_remembered_step_tells_equal_values_of_other_types_apart():
    """``Fraction(1)`` and ``1+0j`` (equal, hashed alike) are different inputs to a step: each is
    remembered on its own, as is ``0.0`` against ``-0.0``."""
    from smepo_data.math import attacks

    assert attacks._typed(Fraction(1)) != attacks._typed(1 + 0j)
    assert attacks._typed(complex(0.0, 0.0)) != attacks._typed(complex(-0.0, 0.0))
    eq = next(e for e in read_equations("$[NUMBER] \\cdot [NUMBER] = 6$").equations if e.unknowns)
    a, b = sorted(eq.unknowns)
    attacks._ANSWERS.clear()
    exact = attacks._solve_one(eq, b, {a: Fraction(2)}, attacks._Work(100))
    inexact = attacks._solve_one(eq, b, {a: 2 + 0j}, attacks._Work(100))
    attacks._ANSWERS.clear()
    assert repr(inexact) == repr(attacks._solve_one(eq, b, {a: 2 + 0j}, attacks._Work(100)))
    assert repr(exact) == repr(attacks._solve_one(eq, b, {a: Fraction(2)}, attacks._Work(100)))
    assert exact is not None and inexact is not None
    assert type(exact[0]) is Fraction and type(inexact[0]) is complex
