import pytest

from smepo_data.math._answer import find_text, normalize, parse_gold
from smepo_data.math._rational import Fraction
from smepo_data.math._values import expression_value, numeric_value, plain_number, values_equal


@pytest.mark.parametrize(
    "text, value",
    [
        ("72", Fraction(72)),
        ("1,000", Fraction(1000)),
        ("-3.5", Fraction(-7, 2)),
        (".25", Fraction(1, 4)),
        ("1.5e3", Fraction(1500)),
        ("1{,}000", Fraction(1000)),
    ],
)
def test_plain_numbers_are_exact(text, value):
    assert plain_number(text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        (r"\frac{14}{3}", Fraction(14, 3)),
        (r"\dfrac{3}{4}", Fraction(3, 4)),
        (r"\frac12", Fraction(1, 2)),
        (r"\sqrt[3]{27}", Fraction(3)),
        ("3^{4}", Fraction(81)),
        (r"1.5\times10^{8}", Fraction(150_000_000)),
        (r"\left( 3 \right)", Fraction(3)),
        (r"-\frac{1}{3}", Fraction(-1, 3)),
        ("48/2", Fraction(24)),
    ],
)
def test_numeric_latex_fast_path_is_exact(text, value):
    assert numeric_value(text) == value


@pytest.mark.parametrize(
    "text, approx",
    [
        (r"3\sqrt{13}", 3 * 13**0.5),
        (r"\frac{\pi}{2}", 1.5707963267948966),
        (r"2\pi", 6.283185307179586),
        (r"\dfrac{3\sqrt{2}}{4}", 3 * 2**0.5 / 4),
    ],
)
def test_irrational_values(text, approx):
    assert values_equal(numeric_value(text), complex(approx))


def test_non_numeric_text_has_no_fast_value():
    assert numeric_value("x+1") is None
    assert numeric_value(r"\text{Monday}") is None
    assert numeric_value("1/0") is None


def test_sympy_path_compares_expressions_in_variables():
    assert values_equal(expression_value("p - q"), expression_value("-(q-p)"))
    assert not values_equal(expression_value("p - q"), expression_value("q - p"))
    assert not values_equal(expression_value("x"), expression_value("y"))


@pytest.mark.parametrize(
    "gold, numeric, components",
    [
        ("72", True, ()),
        ("1,000", True, ()),
        (r"\frac{14}{3}", True, ()),
        ("x=5", True, ()),
        (r"\left( 3, \frac{\pi}{2} \right)", False, 2),
        ("[2,5)", False, 2),
        (r"\{1,2\}", False, 2),
        (r"\begin{pmatrix} -1/3 \\ 2/3 \\ 5/3 \end{pmatrix}", False, 3),
        (r"\text{Monday}", False, ()),
        ("(B)", False, ()),
    ],
)
def test_gold_answers(gold, numeric, components):
    g = parse_gold(gold)
    assert g.numeric is numeric
    assert len(g.components) == (components or 0)


def test_normalize_maps_back_to_the_original():
    text = r"so $\left( 3, \dfrac{\pi}{2} \right)$ and \text{Monday}"
    norm, where = normalize(text)
    assert norm == r"so(3,\frac{\pi}{2})andMonday"
    i = norm.index("Monday")
    assert text[where[i] : where[i + 5] + 1] == "Monday"


def test_find_text_checks_boundaries_in_the_original_text():
    assert find_text("the answer is Monday.", "Monday") == [(14, 20)]
    assert find_text("on Mondays", "Monday") == []
    assert find_text(r"is $\text{(B)}$.", "(B)") == [(10, 13)]
    assert find_text("3.5 and 13", "3") == []
    tuple_text = r"\left( 3, \dfrac{\pi}{2} \right)"
    assert find_text(tuple_text, r"(3,\frac{\pi}{2})") == [(5, len(tuple_text))]
