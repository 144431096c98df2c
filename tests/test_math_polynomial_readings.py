"""Two readings of the ``constraints`` and ``replay`` attacks over visible polynomials: an expression that
takes one value at every root of a visible polynomial equation (:mod:`smepo_data.math._root_values`), and a
quotient read off a side written as quotient plus remainder over the divisor, or as a fraction whose
denominator is a factor of its numerator. Every trace here is written for the test."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._root_values import root_values
from smepo_data.math.attacks import attacks, solve

CUBE_Q = r"Let $w$ be a complex number such that $w^3 = 1$ and $w \neq 1.$ Compute $w^2 + w + 5.$"
CUBE_T = (
    r"Since $w^3 = 1,$ $w^3 - 1 = (w - 1)(w^2 + w + 1) = 0.$ Since $w \neq 1,$ $w^2 + w + 1 = 0.$ "
    r"Hence $w^2 + w + 5 = (w^2 + w + 1) + 4 = \boxed{4}.$"
)


def found(question: str, masked: str, answer: str) -> list[str]:
    return [f.detail for f in root_values(question, masked, parse_gold(answer))]


def test_an_expression_constant_on_the_roots_of_a_visible_polynomial():
    masked = (
        r"Since $w \neq 1,$ $w^2 + w + 1 = 0.$ Hence $w^2 + w + 5 = [NUMBER] + [NUMBER] = \boxed{[NUMBER]}.$"
    )
    (detail,) = found(CUBE_Q, masked, "4")
    assert "is the gold at every root of 'w^2 + w + 1 = 0'" in detail
    # the polynomial's constant hidden: no polynomial is visible, nothing is found
    assert found(CUBE_Q, masked.replace("w + 1 = 0", "w + [NUMBER] = 0"), "4") == []
    # another value than the gold: nothing
    assert found(CUBE_Q, masked, "5") == []
    # the question's own expression is read even where the trace does not write it again
    bare = r"Since $w \neq 1,$ $w^2 + w + 1 = 0.$ The answer is $\boxed{[NUMBER]}.$"
    assert found(CUBE_Q, bare, "4")
    ask = r"Let $w$ be a complex number such that $w^3 = 1$ and $w \neq 1.$ Compute the answer."
    # an expression that differs from root to root, or is that value everywhere (the replay's), is none
    assert found(ask, masked.replace("w^2 + w + 5", "w + 5"), "4") == []
    assert found(ask, masked.replace("w^2 + w + 5", "(w + 2)^2 - w^2 - 4w"), "4") == []
    # the equation's own side is its other side at every root: no finding for a gold of 0
    assert found(ask, r"So $w^2 + w + 1 = 0$ and $\boxed{[NUMBER]}.$", "0") == []


def test_a_root_the_trace_rules_out_and_a_factor_of_a_product_equal_to_zero():
    q = r"Let $x$ be a complex number with $x^2 + x + 1 = 0.$ Compute $x^4 + x^2 + 7.$"
    # x^3 - 1 = 0 has the root 1 too, where x^4 + x^2 + 7 is 9: only "x \neq 1" leaves the two where it is 6
    masked = (
        r"Multiplying by $x - 1$ gives $x^3 - 1 = 0.$ So $x^4 + x^2 + 7 = x + x^2 + 7 = \boxed{[NUMBER]}.$"
    )
    assert found(q, masked, "6") == []
    for ruled_out in (r"$x^3 - 1 = 0$ with $x \neq 1.$", r"$x^3 - 1 = 0,$ and $x \ne 1,$"):
        assert found(q, masked.replace("$x^3 - 1 = 0.$", ruled_out), "6"), ruled_out
    # a coefficient or a subscript before \neq is not the letter: nothing is ruled out
    assert found(q, masked.replace("$x^3 - 1 = 0.$", r"$x^3 - 1 = 0$ with $2x \neq 1.$"), "6") == []
    # a product equal to 0 with a blank in one factor: the other factor is read alone
    q2 = r"Let $z$ be a complex number with $z^3 = 1$ and $z \neq 1.$ Compute $z^4 + z^2.$"
    product = r"So $(z - [NUMBER])(z^2 + z + 1) = 0,$ and the sum is $\boxed{[NUMBER]}.$"
    (detail,) = found(q2, product, "-1")
    assert "(z^2 + z + 1) = 0" in detail


def test_a_greek_letter_and_a_power_past_the_evaluator_s_bound():
    q = r"Let $\omega$ be a nonreal root of $x^3 = 1.$ Compute $\omega^{1997} + \omega^{1999} + 5.$"
    masked = r"Since $\omega \neq 1,$ $\omega^2 + \omega + 1 = 0.$ So the sum is $\boxed{[NUMBER]}.$"
    # omega^1997 + omega^1999 is omega^2 + omega = -1 at both nonreal cube roots of 1
    (detail,) = found(q, masked, "4")
    assert "omega^2 + " in detail and "omega + 1 = 0" in detail
    # the question's own x^3 = 1, written in omega by the trace, is the question's
    assert found(q, r"Since $\omega^3 = 1,$ the sum is $\boxed{[NUMBER]}.$", "4") == []


def test_the_question_s_own_polynomial_is_the_task():
    q = r"The number $x$ satisfies $x(x - 3) = -1.$ Find $x^2 - 3x + 7.$"
    # the question's equation as it stands, or moved around and multiplied out: solving it is the task
    for own in ("x(x - 3) = -1", "x^2 - 3x + 1 = 0", "1 = 3x - x^2", "-x^2 + 3x - 1 = 0"):
        assert found(q, f"Since ${own},$ we have $x^2 - 3x + 7 = \\boxed{{[NUMBER]}}.$", "6") == [], own
    # "a root of" a polynomial the question writes alone is the question's too
    root_of = r"Let $x$ be a root of $x^2 - 3x + 1.$ Find $x^2 - 3x + 7.$"
    assert found(root_of, r"We have $x^2 - 3x + 1 = 0,$ so the value is $\boxed{[NUMBER]}.$", "6") == []
    # a factor the trace splits off has other roots: the trace's, it counts; also inside a product
    cube = r"Let $w$ be a complex number such that $w^3 = 1$ and $w \neq 1.$ Compute $w^2 + w + 5.$"
    assert found(cube, r"So $(w - 1)(w^2 + w + 1) = 0,$ and the value is $\boxed{[NUMBER]}.$", "4")
    assert found(cube, r"So $w^3 - 1 = 0,$ and the value is $\boxed{[NUMBER]}.$", "4") == []
    cubic = r"The number $x \neq 0$ satisfies $x^3 - 3x^2 + x = 0.$ Find $x^2 - 3x + 7.$"
    split = r"Dividing by $x,$ $x^2 - 3x + 1 = 0,$ so $x^2 - 3x + 7 = \boxed{[NUMBER]}.$"
    assert found(cubic, split, "6")


def test_a_leaking_trace_is_masked_until_the_polynomial_is_cut():
    r = mask_text("math", CUBE_T, question=CUBE_Q, answer="4")
    assert r.leak is None
    assert "w^2 + w + 1 = 0" not in r.text  # the visible polynomial lost a value
    assert "Hence $w^2 + w + " in r.text and "w \\neq 1" in r.text  # the plan stays
    assert attacks(CUBE_Q, r.text, "4", CUBE_T) == []
    assert any("every root" in s.reason for s in r.spans)


QUOTIENT_Q = "Find the quotient when $x^4 - 7$ is divided by $x - 1.$"


def test_a_quotient_read_off_beside_its_remainder_over_the_divisor():
    # the identity fixes both blanks (coefficient matching); the terms before the remainder are the quotient
    masked = (
        r"$$\frac{x^4 - 7}{x - 1} = x^3 + x^2 + x + [NUMBER] - \frac{[NUMBER]}{x - 1}.$$"
        r" Thus the quotient is $\boxed{[EXPR]}.$"
    )
    gold = "x^3 + x^2 + x + 1"
    assert [f.attack for f in attacks(QUOTIENT_Q, masked, gold)] == ["replay"]
    assert attacks(QUOTIENT_Q, masked, "x^3 + x^2 + x + 2") == []


def test_a_denominator_written_as_a_factor_of_the_numerator_is_cancelled():
    # the quotient is the product without the factor x - 1, which no run of adjacent factors shows
    masked = (
        r"$$\frac{x^4 - 7}{x - 1} = \frac{(x^4 - 1) - [NUMBER]}{x - 1} = "
        r"\frac{(x^2 + 1)(x - 1)(x + 1)}{x - 1} - \frac{[NUMBER]}{x - 1}.$$ The quotient is $\boxed{[EXPR]}.$"
    )
    gold = "x^3 + x^2 + x + 1"
    details = [f.detail for f in attacks(QUOTIENT_Q, masked, gold)]
    assert any("(x^2 + 1)(x - 1)(x + 1)" in d and "whole part" in d for d in details), details
    # a denominator that is no factor of the numerator cancels nothing: no quotient is read (the first
    # side hidden whole: its visible x^4 - 1 over x - 1 is the quotient too, read below)
    other = masked.replace("(x + 1)}{x - 1}", "(x + 1)}{x - 2}").replace("(x^4 - 1) - [NUMBER]", "[EXPR]")
    assert attacks(QUOTIENT_Q, other, gold) == []


def test_a_visible_factor_the_denominator_divides_is_divided_out():
    # (x^2 + 1) over x + 1 does not divide; (x^3 + 1) over x + 1 does: the whole part is the quotient
    masked = (
        r"$$\frac{x^6 - 3}{x + 1} = \frac{x^6 - [NUMBER]}{x + 1} - \frac{[NUMBER]}{x + 1} = "
        r"\frac{(x^3 - [NUMBER])(x^3 + 1)}{x + 1} - \frac{[NUMBER]}{x + 1}.$$"
        r" The quotient is $\boxed{[EXPR]}.$"
    )
    q = r"Find the quotient when $x^6 - 3$ is divided by $x + 1.$"
    gold = "x^5 - x^4 + x^3 - x^2 + x - 1"
    details = [f.detail for f in attacks(q, masked, gold)]
    assert any("(x^3 - [NUMBER])(x^3 + 1)" in d and "whole part" in d for d in details), details
    # the visible factor hidden too: nothing divides out, and the blanks fix nothing
    assert attacks(q, masked.replace("(x^3 + 1)", "(x^3 + [NUMBER])"), gold) == []


def test_the_visible_terms_of_a_numerator_over_its_denominator():
    # \frac{(x^9 - 1) + [N]}{x - 1}: a reader splits off \frac{x^9 - 1}{x - 1}, which divides exactly
    q = r"Find the quotient when $x^9 + 1$ is divided by $x - 1.$"
    gold = "x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1"
    masked = r"$$\frac{x^9 + 1}{x - 1} = \frac{(x^9 - 1) + [NUMBER]}{x - 1} = [EXPR].$$ So $\boxed{[EXPR]}.$"
    (f,) = attacks(q, masked, gold)
    assert f.attack == "replay" and "divides to the gold" in f.detail and f.shape
    assert masked[f.start : f.end] == r"\frac{(x^9 - 1) + [NUMBER]}{x - 1}"
    # the visible terms' quotient is no polynomial, or is not the gold: nothing is read
    assert attacks(q, masked.replace("(x^9 - 1)", "(x^9 - 2)"), gold) == []
    assert attacks(q, masked.replace("(x^9 - 1)", "(x^9 - [NUMBER])"), gold) == []
    # every term hidden but one number: no split is read
    assert attacks(q, masked.replace("(x^9 - 1) + [NUMBER]", "[EXPR] + 2"), gold) == []
    # the masker hides that side whole, and the split is no longer visible
    trace = (
        masked.replace("[NUMBER]", "2")
        .replace("= [EXPR]", "= x^8 + \\dots + 1")
        .replace("\\boxed{[EXPR]}", "\\boxed{x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1}")
    )
    r = mask_text("math", trace, question=q, answer=gold)
    assert "(x^9 - 1)" not in r.text and r.leak is None, r.text


def test_simplifying_through_a_function_s_identity_is_the_task():
    # the blank is 1 only by sin^2 x + cos^2 x = 1: simplifying that is what the question asks
    q = r"Simplify $\sin^2 x + \cos^2 x + x^2$."
    masked = r"We have $\sin^2 x + \cos^2 x + x^2 = [NUMBER] + x^2 = \boxed{[EXPR]}$."
    assert "replay" not in {f.attack for f in attacks(q, masked, "1 + x^2")}
    # the same shape without a function: the identity in x fixes the blank, and the side is the gold
    plain = r"We have $(x + 1)^2 - 2x = [NUMBER] + x^2 = \boxed{[EXPR]}$."
    assert "replay" in {f.attack for f in attacks(r"Simplify $(x + 1)^2 - 2x$.", plain, "1 + x^2")}


def test_coefficient_matching_that_is_not_linear_in_the_blanks():
    from smepo_data.math._coefficients import identity_by_algebra
    from smepo_data.math._equations import read_equations

    def fixed(text: str) -> list:
        (eq,) = [e for e in read_equations(text).equations if not e.part]
        blanks = sorted(u for u in eq.unknowns if not u.startswith("v:"))
        letters = sorted(u for u in eq.unknowns if u.startswith("v:"))
        return [v for _, v in identity_by_algebra(eq.left.tree, eq.right.tree, blanks, letters, {})]

    # the constant's coefficient is a product of the two blanks: 1 - a = 0, b - a = 0, ab = 1
    assert fixed(r"$(z - [NUMBER])(z^4 + z^3 + z^2 + z + [NUMBER]) = z^5 - 1$") == [1, 1]
    # two solutions (the factors' order), none: nothing is fixed
    assert fixed(r"$(x - [NUMBER])(x - [NUMBER]) = x^2 - 5x + 6$") == []
    assert fixed(r"$(x - [NUMBER])(x^2 + [NUMBER]) = x^3 + 5$") == []
    # a blank in a divisor: linear elimination and differences fix nothing, the polynomials fix all three
    chain = (
        r"$\frac{x^9 - 1}{x - 1} + \frac{2}{x - 1} = x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + [NUMBER]"
        r" + \frac{[NUMBER]}{x - [NUMBER]}$"
    )
    assert sorted(fixed(chain)) == [1, 1, 2]
    # so the audit reads the quotient with its blank filled in
    q = "Find the quotient when $x^9 + 1$ is divided by $x - 1.$"
    gold = "x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1"
    assert "replay" in {f.attack for f in attacks(q, chain + r" The quotient is $\boxed{[EXPR]}.$", gold)}


QUOTIENT_Q = "Find the quotient when $x^9 + 1$ is divided by $x - 1.$"
QUOTIENT_GOLD = "x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1"
QUOTIENT_T = (
    "We can also write\n\\begin{align*}\n"
    r"\frac{x^9 + 1}{x - 1} &= \frac{(x^9 - 1) + 2}{x - 1} \\"
    "\n"
    r"&= \frac{x^9 - 1}{x - 1} + \frac{2}{x - 1} \\"
    "\n"
    r"&= x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1 + \frac{2}{x - 1}."
    "\n"
    r"\end{align*}Thus, the quotient is $\boxed{x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1}.$"
)


def test_coefficient_matching_fixes_some_blanks_where_others_stay_free():
    from smepo_data.math._coefficients import identity_by_algebra
    from smepo_data.math._equations import read_equations

    def fixed(text: str) -> dict[str, object]:
        (eq,) = [e for e in read_equations(text, link=False).equations if not e.part]
        blanks = sorted(u for u in eq.unknowns if not u.startswith("v:"))
        letters = sorted(u for u in eq.unknowns if u.startswith("v:"))
        # each blank by the text just before it
        found = identity_by_algebra(eq.left.tree, eq.right.tree, blanks, letters, {})
        return {text[int(u[1:]) - 6 : int(u[1:])]: v for u, v in found}

    # the divisor's blank is 1 whatever the two added ones are (only their difference is fixed)
    text = (
        r"$\frac{x^9 - [NUMBER]}{x - [NUMBER]} + \frac{[NUMBER]}{x - 1} = x^8 + x^7 + x^6 + x^5 + x^4 + x^3"
        r" + x^2 + x + 1 + \frac{2}{x - 1}$"
    )
    assert fixed(text) == {"}{x - ": 1}
    # several solutions for a blank: it is not fixed
    assert fixed(r"$(x - [NUMBER])(x - [NUMBER]) = x^2 - 5x + 6$") == {}


def test_the_shape_of_a_quotient_goes_whole():
    # every value of the quotient hidden: its shape with the line above fixes the constant
    at_all = (
        r"\frac{x^9 - [NUMBER]}{x - [NUMBER]} + \frac{[NUMBER]}{x - [NUMBER]} \\"
        "\n"
        r"&= x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + [NUMBER] + \frac{[NUMBER]}{x - [NUMBER]}."
    )
    masked = "\\begin{align*}\n" + at_all + "\n\\end{align*}So it is $\\boxed{[EXPR]}.$"
    (finding,) = [f for f in attacks(QUOTIENT_Q, masked, QUOTIENT_GOLD) if f.attack == "replay"]
    assert "the whole part of 'x^8 + x^7" in finding.detail
    # the masker hides that side whole, at the level asked for, and the question's values stay
    result = mask_text("math", QUOTIENT_T, question=QUOTIENT_Q, answer=QUOTIENT_GOLD, level="critical")
    assert result.leak is None and result.level == "critical"
    assert "x^8" not in result.text and r"&= [EXPR]." in result.text
    assert r"\frac{x^9 + 1}{x - 1}" in result.text
    # a quotient whose constant no visible identity fixes is no finding
    lone = (
        r"So the quotient is $x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + [NUMBER]$, or $\boxed{[EXPR]}.$"
    )
    assert not [f for f in attacks(QUOTIENT_Q, lone, QUOTIENT_GOLD) if f.attack == "replay"]


def test_a_factor_cancels_once_the_equations_fix_its_blanks():
    q = "Find the quotient when $x^6 - 3$ is divided by $x + 1.$"
    gold = "x^5 - x^4 + x^3 - x^2 + x - 1"
    masked = (
        r"$\frac{(x^3 - 1)(x^3 + 1)}{x + 1} - \frac{2}{x + 1}"
        r" = \frac{(x^3 - [NUMBER])(x + [NUMBER])(x^2 - x + 1)}{x + 1}"
        r" - \frac{[NUMBER]}{x + 1}$ and $\boxed{[EXPR]}.$"
    )
    details = [f.detail for f in attacks(q, masked, gold) if f.attack == "replay"]
    assert any("the whole part of" in d for d in details)
    # a denominator that is no factor once filled in: nothing cancels, no whole part is the quotient (the
    # first side's x^3 + 1 hidden too: x + 1 divides it, read above)
    other = masked.replace("(x + [NUMBER])(x^2", "(x + [NUMBER])^2(x^2")
    other = other.replace("(x^3 + 1)", "(x^3 + [NUMBER])")
    assert not [d for d in (f.detail for f in attacks(q, other, gold)) if "the whole part of" in d]
    # masked, a line whose blanks the line above fixes goes whole at once: hiding its values one by one
    # (the divisor's 1 too) would leave a shape the identity fixes again
    trace = (
        "The remainder is $(-1)^6 - 3 = -2.$  Thus, we can write\n\\begin{align*}\n"
        r"\frac{x^6 - 3}{x + 1} &= \frac{(x^6 - 1) - 2}{x + 1} \\"
        "\n"
        r"&= \frac{(x^3 - 1)(x^3 + 1)}{x + 1} - \frac{2}{x + 1} \\"
        "\n"
        r"&= \frac{(x^3 - 1)(x + 1)(x^2 - x + 1)}{x + 1} - \frac{2}{x + 1} \\"
        "\n"
        r"&= x^5 - x^4 + x^3 - x^2 + x - 1 - \frac{2}{x + 1}."
        "\n"
        r"\end{align*}Thus, the quotient is $\boxed{x^5 - x^4 + x^3 - x^2 + x - 1}.$"
    )
    result = mask_text("math", trace, question=q, answer=gold, level="critical")
    assert result.leak is None and result.level == "critical"
    assert r"&= [EXPR] \\" in result.text and "x + [NUMBER]" not in result.text
    # the lines before show the quotient as one that divides exactly: x^6 - 1 over x + 1 goes whole, and
    # of the product one value each, down to the x^3 + 1 that x + 1 divides
    assert r"\frac{x^6 - 3}{x + 1} &= [EXPR] \\" in result.text
    assert r"\frac{(x^3 - [NUMBER])(x^3 + [NUMBER])}{x + 1}" in result.text


def test_an_equation_written_again_factored_is_one_expression():
    from smepo_data.math._equations import read_equations

    for words in ("which factors as", "factoring gives", "which we expand as"):
        text = rf"So $z^5 - 1 = 0,$ {words} $(z - [NUMBER])(z^4 + z^3 + z^2 + z + [NUMBER]) = 0.$"
        read = [
            (text[e.left.start : e.left.end], text[e.right.start : e.right.end])
            for e in read_equations(text).equations
        ]
        assert ("z^5 - 1", "(z - [NUMBER])(z^4 + z^3 + z^2 + z + [NUMBER])") in read, words
        # and the identity fixes both blanks (a polynomial with no real root, which the solver does not
        # take for an equation in x)
        text = rf"So $x^4 + x^3 + 3x^2 + 2x + 2 = 0,$ {words} $(x^2 + [NUMBER])(x^2 + x + [NUMBER]) = 0.$"
        assert sorted(k.value for k in solve(read_equations(text)).known.values()) == [1, 2], words
    # no such words between them: two equations, no identity
    text = r"So $z^5 - 1 = 0,$ and $(z - [NUMBER])(z^4 + z^3 + z^2 + z + [NUMBER]) = 0.$"
    assert len(read_equations(text).equations) == 2


def test_the_roots_of_a_visible_equation_are_computed_components():
    q = "Find all integers $n$ such that $f(n) = n.$  Enter all such integers, separated by commas."
    end = r", so the solutions are $n = \boxed{[EXPR]}.$"
    # a quadratic with both roots the gold's components, or a factored form whose blank the line before
    # fixes by its coefficients
    for masked in (
        r"We get $n^2 + n - 2 = 0$" + end,
        r"We get $n^2 + n - [NUMBER] = 0.$  This factors as $(n - [NUMBER])(n + 2) = 0$" + end,
    ):
        assert "constraints" in {f.attack for f in attacks(q, masked, "1,-2")}, masked
    # one root only among the components, or the question's own equation: nothing
    assert attacks(q, r"We get $n^2 + n - 6 = 0$" + end, "1,-2") == []
    own = "Find all integers $n$ such that $n^2 + n - 2 = 0.$  Enter all such integers, separated by commas."
    assert attacks(own, r"We get $n^2 + n - 2 = 0$" + end, "1,-2") == []


def test_a_quotient_that_divides_exactly_is_the_gold_in_another_form():
    masked = (
        r"So $\frac{x^9 + 1}{x - 1} = \frac{x^9 - 1}{x - 1} + \frac{[NUMBER]}{x - 1}$, and $\boxed{[EXPR]}.$"
    )
    details = [f.detail for f in attacks(QUOTIENT_Q, masked, QUOTIENT_GOLD)]
    assert any("a part of" in d and "expands to the gold" in d for d in details)
    # one of its values hidden, or a question that writes such a quotient itself: no such finding
    cut = masked.replace("x^9 - 1}", "x^9 - [NUMBER]}")
    assert not [d for d in (f.detail for f in attacks(QUOTIENT_Q, cut, QUOTIENT_GOLD)) if "a part of" in d]
    own = r"Simplify $\frac{x^9 - 1}{x - 1}.$"
    assert not [d for d in (f.detail for f in attacks(own, masked, QUOTIENT_GOLD)) if "a part of" in d]


def test_what_is_no_identity_fixes_nothing():
    from smepo_data.math._equations import read_equations

    def pairs(text: str) -> list[tuple[str, str]]:
        return [
            (text[e.left.start : e.left.end], text[e.right.start : e.right.end])
            for e in read_equations(text).equations
        ]

    # an equation to solve in x with fewer coefficient equations than blanks fixes none of them
    q = r"Solve $\frac{x + 4}{3} = \frac{x}{2} + 1$."
    masked = r"We get $\frac{x + [NUMBER]}{[NUMBER]} = \frac{x}{2} + [NUMBER]$ so $x = \boxed{[NUMBER]}$."
    assert "constraints" not in {f.attack for f in attacks(q, masked, "2")}
    # expanding that moves terms across is no rewriting of one side
    moved = r"We have $(x - 1)^2 = 2x$. Expanding gives $x^2 - [NUMBER]x + 1 = 0$."
    assert ("(x - 1)^2", "x^2 - [NUMBER]x + 1") not in pairs(moved)
    # a factored expression alone between two equations: the prose does not link them
    lone = r"We need $x^2 + x - [NUMBER] = 0$, which factors as $(x - 1)(x + 2)$, so $x = [NUMBER]$."
    assert ("x^2 + x - [NUMBER]", "x") not in pairs(lone)
    # no blank: a true identity, nothing to fix, and no letter taken for a value
    true = r"So $x^4 + x^3 + 3x^2 + 2x + 2 = 0,$ which factors as $(x^2 + 1)(x^2 + x + 2) = 0.$"
    assert len(read_equations(true).equations) == 2


def test_one_expression_is_never_a_relation_or_prose_between_segments():
    from smepo_data.math.masker import _one_expression

    def one(text: str) -> bool:
        return _one_expression(text, 0, len(text))

    assert one(r"x^8 + x^7 + x + [NUMBER] + \frac{[NUMBER]}{x - 1}") and one(r"\left(x + 1\right)^2")
    for text in (
        "0$, which factors as $(z - 1)(z^4 + 1)",
        r"x \ne 1",
        r"a \lt b",
        r"x \geqslant 2",
        r"x \implies y",
        r"x + 1 \\ y",
        "x + 1\n+ y",
        r"a \le b",
    ):
        assert not one(text), text


def test_divides_is_exact_long_division_in_one_letter():
    from smepo_data.math._equations import read_equations
    from smepo_data.math._factored import divides

    def tree(latex: str) -> tuple:
        (eq,) = read_equations(f"${latex} = y$", link=False).equations
        return eq.left.tree

    assert divides(tree("x^3 + 1"), tree("x + 1"))
    assert divides(tree("x^8 - 1"), tree("x - 1")) and divides(tree("2x^2 - 2"), tree("2x + 2"))
    assert not divides(tree("x^3 + 2"), tree("x + 1"))  # a remainder of 1
    assert not divides(tree("x^2 + 1"), tree("x^3 + 1"))  # the divisor's degree is higher
    assert not divides(tree("x^2 + 1"), tree("3"))  # a number divides everything: no reading
    assert not divides(tree("x^2 - y^2"), tree("x - y"))  # two letters
    assert not divides(tree("x^2 - [NUMBER]"), tree("x - 1"))  # a blank
    assert not divides(tree("x^9 - 1"), tree("x - 1"))  # past the degree polynomial_degree reads (8)


def test_a_lone_quotient_that_divides_exactly_is_part_of_the_whole_part():
    # \frac{x^6 - 1}{x + 1} is a polynomial, no remainder over the divisor: with the x beside it, the quotient
    q = r"Find the quotient when $x^6 + x^2 + x - 3$ is divided by $x + 1.$"
    gold = "x^5 - x^4 + x^3 - x^2 + 2x - 1"
    masked = (
        r"We write $\frac{x^6 + x^2 + x - 3}{x + 1} = \frac{x^6 - 1}{x + 1} + x - \frac{[NUMBER]}{x + 1}$, "
        r"so the quotient is $\boxed{[EXPR]}$."
    )
    (f,) = attacks(q, masked, gold)
    assert "the whole part of" in f.detail
    # x^6 - 2 over x + 1 leaves a remainder: it is no polynomial, and nothing is read
    assert attacks(q, masked.replace("x^6 - 1}", "x^6 - 2}"), gold) == []
    result = mask_text(
        "math", masked.replace("[NUMBER]", "2").replace("[EXPR]", gold), question=q, answer=gold
    )
    assert result.leak is None and r"\frac{x^6 - 1}{x + 1}" not in result.text
