"""An operation on both sides of an equation, named in prose (issue 11; round 47's MATH-500 1960 and 993):
"Multiplying both sides by $4(x-2)$, we have $$[N] = x-2$$" after a visible ``\\frac{3}{x-2} = ...`` gives
the hidden 12 to a reader, and x with it; "Multiply both sides of $300 yen = $2.40$ by $5000/300$" gives the
dollars. Read by the masker's attacks (:mod:`smepo_data.math._both_sides`) and, with its own code, by the
independent checker. Traces built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._both_sides import both_sides, has_operation
from smepo_data.math._equations import read_equations
from smepo_data.math._rational import Fraction
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks, row


def _masked(template: str) -> str:
    return row("", "", template, "")["masked_trace"]


def _original(template: str) -> str:
    return row("", "", template, "")["trace"]


INVERSE_Q = "If $g(x)=\\dfrac{3}{x-2}$, what is the value of $g^{-1}\\left(\\frac{1}{4}\\right)$?"
INVERSE = (
    "We solve the equation $$\\frac{3}{x-2} = ⟦\\frac{1}{4}|EXPR⟧.$$Multiplying both sides by $4(x-2)$, "
    "we have $$⟦12|NUMBER⟧ = x-2.$$Adding $2$ to both sides gives $x=\\boxed{⟦14|NUMBER⟧}$."
)
RATE_Q = (
    "A ticket costs 300 yen in Tokyo and $\\$2.40$ in New York. At that exchange rate, how many dollars "
    "are 5000 yen?"
)
RATE = (
    "Multiply both sides of $300\\text{ yen}=\\$2.40$ by $5000/300$ to find that five thousand yen is "
    "$\\frac{12}{5}\\cdot\\frac{⟦50|NUMBER⟧}{⟦3|NUMBER⟧}=\\boxed{⟦40|NUMBER⟧}$ dollars."
)


def test_a_factor_that_clears_the_denominator_gives_the_hidden_side_and_the_gold_away():
    masked = _masked(INVERSE)
    found = attacks(INVERSE_Q, masked, "14")
    assert found and {f.attack for f in found} == {"constraints"}
    # blamed where the operand is written: the repair hides a value of it
    assert any("4(x-2)" in masked[f.start : f.end] for f in found)
    assert set(checker_leaks("both_sides_inverse", INVERSE_Q, INVERSE, "14")) == {"constraints"}
    # another gold is not reached: the reading computes, it does not guess
    other = INVERSE.replace("⟦14|NUMBER⟧", "⟦15|NUMBER⟧")
    assert attacks(INVERSE_Q, _masked(other), "15") == []
    assert checker_leaks("both_sides_inverse_other", INVERSE_Q, other, "15") == {}


def test_a_hidden_operand_cuts_the_step():
    cut = INVERSE.replace("by $4(x-2)$", "by $⟦4|NUMBER⟧(x-2)$")
    assert attacks(INVERSE_Q, _masked(cut), "14") == []
    assert checker_leaks("both_sides_inverse_cut", INVERSE_Q, cut, "14") == {}


def test_the_equation_the_sentence_names_is_the_one_operated_on():
    masked = _masked(RATE)
    found = attacks(RATE_Q, masked, "40")
    assert found and {f.attack for f in found} <= {"replay", "constraints"}
    assert any(masked[f.start : f.end] == "5000/300" for f in found)
    assert set(checker_leaks("both_sides_rate", RATE_Q, RATE, "40")) == {"constraints"}
    # the masker's cut: the question's 300 hidden in both its copies (a reader reads it back there)
    cut = RATE.replace("300", "⟦300|NUMBER⟧")
    assert attacks(RATE_Q, _masked(cut), "40") == []
    assert checker_leaks("both_sides_rate_cut", RATE_Q, cut, "40") == {}


def test_the_masker_hides_an_operand_and_keeps_the_operations_words():
    for question, template, gold in ((INVERSE_Q, INVERSE, "14"), (RATE_Q, RATE, "40")):
        result = mask_text("math", _original(template), question=question, answer=gold, level="critical")
        assert result.leak is None
        assert attacks(question, result.text, gold) == []
        assert "both sides" in result.text and ("Multiplying" in result.text or "Multiply" in result.text)
        operand = result.text.split(" by $", 1)[1].split("$", 1)[0]
        assert "[" in operand, result.text  # the operand lost a value (the step is cut there)


def test_the_equations_a_reader_has_from_each_operation():
    text = (
        "$$x + 1 = 4.$$ Squaring both sides, $$x^2 + 2x + 1 = [NUMBER].$$ "
        "Dividing both sides by $2$, we have $$[EXPR] = 8.$$"
    )
    got = [(eq.left.tree, eq.right.tree) for eq in both_sides(text, read_equations(text))]
    x, two = ("u", "v:x"), ("n", Fraction(2))
    squared_left = ("+", ("+", ("^", x, two), ("*", two, x)), ("n", Fraction(1)))
    assert (squared_left, ("^", ("+", x, ("n", Fraction(1))), two)) in got
    assert any(left[0] == "u" and right == ("^", ("n", Fraction(4)), two) for left, right in got)
    # dividing by 2: each side of the squared line, halved, is the next line's side in its place
    assert (("u", "u_expr"), ("/", squared_left, two)) in [
        (("u", "u_expr") if left[0] == "u" else left, right) for left, right in got
    ]
    assert any(left == ("n", Fraction(8)) and right[0] == "/" and right[2] == two for left, right in got)
    assert len(got) == 4, got


def test_shifts_are_read_only_where_asked_and_the_phrase_must_name_both_sides():
    text = "$$2x = 10.$$ Adding $3$ to both sides, $$2x + 3 = [NUMBER].$$"
    reading = read_equations(text)
    assert both_sides(text, reading) == []
    shifted = both_sides(text, reading, shifts=True)
    assert [eq.right.tree for eq in shifted][1] == ("+", ("n", Fraction(10)), ("n", Fraction(3)))
    assert has_operation(text, shifts=True) and not has_operation(text)
    assert not has_operation("Multiply the side length by $2$: $$s = [NUMBER].$$")


def _both_ways(question: str, template: str, gold: str) -> tuple[bool, bool]:
    """(the masker's attacks find the gold computed, the checker finds a leak) on one built row."""
    found = [f for f in attacks(question, _masked(template), gold) if "gold" in f.detail]
    return bool(found), bool(checker_leaks("both_sides_case", question, template, gold))


def test_prose_that_is_no_operation_on_this_equation_reads_nothing():
    # each one is a trace whose blank holds 144 and whose gold (72) is half of it: read as an operation on
    # the equation before, A = 36 times 2 would "compute" the gold
    not_operations = [
        "Multiplying each side length by $2$ multiplies the area by four",
        "Multiply the length of each side by $2$ and the area grows four times",
        "Taking the square root of both sides gives nothing new",
        "After dividing both sides by $2$ we are done",
        "We cannot divide both sides by $2$ here",
        "Multiplying both sides of the first equation by $2$ gives",
        "Multiplying both sides by $2$ in the first equation gives",
        "In equation (1), multiplying both sides by $2$ gives",
        "Multiplying each side by $2$ gives",
    ]
    for words in not_operations:
        template = (
            f"The area is $A = 36$. {words}, so $$B = ⟦144|NUMBER⟧.$$ Half of it is $\\boxed{{⟦72|NUMBER⟧}}$."
        )
        assert _both_ways("What is half of the new area?", template, "72") == (False, False), words


def test_an_inequality_or_more_steps_between_reads_nothing():
    inequality = (
        "Let $k = 4$. We need $2n-3>5$. Adding $3$ to both sides gives $$2n = ⟦9|NUMBER⟧ - 1,$$ so the least "
        "integer is $n = \\boxed{⟦5|NUMBER⟧}$."
    )
    assert not both_sides(_masked(inequality), read_equations(_masked(inequality)), shifts=True)
    rearranged = "$$x+\\frac6x=5.$$ Multiplying both sides by $x$ and rearranging, $$x^2-5x+⟦6|NUMBER⟧=0.$$"
    assert not both_sides(_masked(rearranged), read_equations(_masked(rearranged)))


def test_the_masker_and_the_checker_read_the_same_spellings():
    spellings = {
        "\\(": INVERSE.replace("by $4(x-2)$", "by \\(4(x-2)\\)"),
        "multiplies": INVERSE.replace("Multiplying both sides by", "This multiplies both sides by"),
        "$$ named": RATE.replace("$300\\text{ yen}=\\$2.40$", "$$300\\text{ yen}=\\$2.40$$"),
    }
    for name, template in spellings.items():
        question, gold = (RATE_Q, "40") if "yen" in template else (INVERSE_Q, "14")
        assert _both_ways(question, template, gold) == (True, True), name
    completing = (
        "Completing the square, we add $9$ to both sides of $x^2 + 6x = 7$: $$x^2 + 6x + 9 = ⟦16|NUMBER⟧,$$ "
        "so $(x+3)^2 = \\boxed{⟦16|NUMBER⟧}$."
    )
    question = "Write $x^2 + 6x = 7$ as $(x+3)^2 = c$. What is $c$?"
    assert _both_ways(question, completing, "16") == (True, True)


def test_a_divisor_of_zero_leaves_the_row_checked():
    template = "$$3 + 3 = ⟦6|NUMBER⟧.$$ We may divide both sides by $0$, and $$x = ⟦5|NUMBER⟧.$$"
    from .test_recover_check import as_record, rc

    rc._init_worker(8.0)
    got = rc.check_row(as_record(row("zero", "Find x.", template, "5")))
    assert "constraints" not in got["unchecked"], got


def test_a_named_equation_with_words_in_its_units_is_read_by_both():
    template = RATE.replace("300\\text{ yen}", "300\\text{ Japanese yen}")
    assert "Japanese yen" in template
    assert _both_ways(RATE_Q, template, "40") == (True, True)
