"""The ``point`` attack (issue 11, round 31's MATH-500 158 and 1457): the question asks for an expression of
its letters, the trace gives the letters values (an equality case "x = 1, y = 2", or the expression written
with values), and the question's own equations fill the letter left blank; the expression there is the
gold. Each case is built here, in other numbers."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._point import fill, points, question_point
from smepo_data.math.attacks import attacks

#: x + y + z = 6, maximum of x y^2 z^3 at (1, 2, 3): 1 * 4 * 27 = 108
AMGM_Q = (
    "Let $x,$ $y,$ and $z$ be positive real numbers such that $x + y + z = 6.$  Find the maximum value of "
    "$xy^2 z^3.$"
)
AMGM_TRACE = (
    "By AM-GM, $x + \\frac{y}{2} + \\frac{y}{2} + \\frac{z}{3} + \\frac{z}{3} + \\frac{z}{3} \\ge "
    "6 \\sqrt[6]{\\frac{xy^2 z^3}{108}}$, so $xy^2 z^3 \\le 108.$  Equality occurs when $x = 1,$ $y = 2,$ "
    "and $z = 3,$ so the maximum value is $\\boxed{108}.$"
)
AMGM_MASKED = (
    "Equality occurs when $x = 1,$ $y = 2,$ and $z = [NUMBER],$ so the maximum value is $\\boxed{[NUMBER]}.$"
)
#: p + q = 7, q + r = 1, p + r = 4: p = 5, q = 2, r = -1, pqr = -10
PRODUCT_Q = "If $p+q=7$, $q+r=1$, and $p+r=4$, what is the value of the product $pqr$?"
PRODUCT_TRACE = (
    "Adding all three equations gives $2(p+q+r)=12$, so $p+q+r=6$. Then $r=6-7=-1$, $p=6-1=5$ and "
    "$q=6-4=2$. Thus, the product $pqr=5\\cdot2\\cdot-1=\\boxed{-10}$."
)


def test_the_question_s_target_equations_and_the_trace_s_values():
    p = question_point(AMGM_Q)
    assert p is not None and p.text == "xy^2 z^3" and p.letters == {"x", "y", "z"}
    assert [[(a.letter, a.text) for a in pt] for pt in points(p, AMGM_MASKED)] == [
        [("x", "1"), ("y", "2"), ("z", "[NUMBER]")]
    ]
    assert fill(p, {"v:x": 1, "v:y": 2}) == {"v:x": 1, "v:y": 2, "v:z": 3}  # x + y + z = 6
    q = question_point(PRODUCT_Q)
    assert q is not None and q.text == "pqr" and len(q.equations) == 3
    [written] = points(q, "so $pqr=[NUMBER]\\cdot2\\cdot-1=\\boxed{[NUMBER]}$")
    assert sorted((a.letter, a.text) for a in written) == [("p", "[NUMBER]"), ("q", "2"), ("r", "-1")]
    # a term of a left side, a letter after a command or in a product, a percent: no value given
    assert points(q, "we have $p+[NUMBER]q+r=5$ and $2 \\cdot r = 4$") == []
    assert points(q, "so $\\sin q = 2$, $s q = 3$ and $p = 2\\%$") == []
    # a full stop ends a sentence, not a value; an aligned assignment is one
    assert [
        [a.text for a in pt] for pt in points(q, "Hence $r = 3.$  Then \\begin{align*} p &= 5\\end{align*}")
    ] == [["3", "5"]]
    # the question's equations alone fix the letters one at a time: reading them is the task
    assert question_point("If $x=2$ and $y=x+3$, what is $xy$?") is None
    # one letter asked: no point to read (a value for it is the visible_value attack's)
    assert question_point("If $2x+3=7$, what is $x$?") is None


def test_an_equality_case_with_the_question_s_equation_gives_the_gold():
    found = [f for f in attacks(AMGM_Q, AMGM_MASKED, "108") if f.attack == "point"]
    assert sorted(AMGM_MASKED[f.start : f.end] for f in found) == ["1", "2"]  # every visible value used
    assert not [f for f in attacks(AMGM_Q, AMGM_MASKED, "107") if f.attack == "point"]  # not the gold
    # two letters blank: the question's one equation leaves two unknowns, nothing found
    cut = AMGM_MASKED.replace("$y = 2,$", "$y = [NUMBER],$")
    assert not [f for f in attacks(AMGM_Q, cut, "108") if f.attack == "point"]


def test_the_product_written_with_values_leaks_with_one_value_visible():
    masked = "Thus, the product $pqr=[NUMBER]\\cdot[NUMBER]\\cdot-1=\\boxed{[NUMBER]}$."
    found = [f for f in attacks(PRODUCT_Q, masked, "-10") if f.attack == "point"]
    assert [masked[f.start : f.end] for f in found] == ["1"]  # the digits: the minus is the plan's operator
    hidden = masked.replace("\\cdot-1=", "\\cdot-[NUMBER]=")
    assert not [f for f in attacks(PRODUCT_Q, hidden, "-10") if f.attack == "point"]


def test_the_masker_cuts_the_point():
    r = mask_text("math", AMGM_TRACE, question=AMGM_Q, answer="108", level="critical")
    assert r.leak is None and attacks(AMGM_Q, r.text, "108") == []
    assert "x = 1," not in r.text and "y = 2," not in r.text
    assert "\\frac{y}{" in r.text and "\\sqrt[6]" in r.text  # the plan's split and its root stay written
    p = mask_text("math", PRODUCT_TRACE, question=PRODUCT_Q, answer="-10", level="critical")
    assert p.leak is None and attacks(PRODUCT_Q, p.text, "-10") == []
    tail = p.text[p.text.index("pqr=") :]
    assert "2" not in tail.split("\\boxed")[0] and "1" not in tail.split("\\boxed")[0]


def test_the_independent_checker_reads_the_point_too():
    from .test_recover_check import as_record, checker_leaks, rc, row

    # the rule runs to the end (no attack left unchecked), also on a row with no point at all
    plain = "We get $x = 2$, so $\\boxed{⟦108|NUMBER⟧}$."
    assert rc.check_row(as_record(row("point_none", AMGM_Q, plain, "108")))["unchecked"] == []

    amgm = (
        "Equality occurs when $x = 1,$ $y = 2,$ and $z = ⟦3|NUMBER⟧,$ so the maximum value is "
        "$\\boxed{⟦108|NUMBER⟧}.$"
    )
    found = checker_leaks("point_amgm", AMGM_Q, amgm, "108").get("constraints", [])
    assert any("at the trace's values" in f["detail"] for f in found)
    assert "constraints" not in checker_leaks("point_other_gold", AMGM_Q, amgm, "107")
    cut = amgm.replace("$y = 2,$", "$y = ⟦2|NUMBER⟧,$")
    assert "constraints" not in checker_leaks("point_cut", AMGM_Q, cut, "108")
    product = "Thus, the product $pqr=⟦5|NUMBER⟧\\cdot⟦2|NUMBER⟧\\cdot-1=\\boxed{⟦-10|NUMBER⟧}$."
    found = checker_leaks("point_product", PRODUCT_Q, product, "-10").get("constraints", [])
    assert any("at the trace's values" in f["detail"] for f in found)
    term = "We have $p+⟦2|NUMBER⟧q+r=5$, so $pqr=\\boxed{⟦-10|NUMBER⟧}$."
    assert "constraints" not in checker_leaks("point_term", PRODUCT_Q, term, "-10")


#: x + 14 = A(x + 4) + B(x - 1) for every x: A = 3, B = -2, AB = -6
PARTIAL_Q = (
    "Find the product $AB$ of the constants $A$ and $B$ for which "
    "\\[\\frac{A}{x-1}+\\frac{B}{x+4}=\\frac{x+14}{x^2+3x-4}\\]for all real $x$ except $1$ and $-4$."
)
PARTIAL_MASKED = (
    "Multiplying both sides by $(x-1)(x+4)$ gives \\[A(x+4)+B(x-1)=x+14.\\]Setting $x=1$ gives "
    "$[NUMBER]A=[NUMBER]$, so $A=[NUMBER]$, and so $AB=\\boxed{[NUMBER]}$."
)


def test_a_visible_identity_fixes_the_asked_letters_by_their_coefficients():
    found = [f for f in attacks(PARTIAL_Q, PARTIAL_MASKED, "-6") if f.attack == "point"]
    assert [PARTIAL_MASKED[f.start : f.end] for f in found] == ["A(x+4)+B(x-1)=x+14"]
    assert not [f for f in attacks(PARTIAL_Q, PARTIAL_MASKED, "-5") if f.attack == "point"]  # not the gold
    # one value of the identity hidden: the coefficients no longer fix both letters
    cut = PARTIAL_MASKED.replace("B(x-1)=x+14", "B(x-1)=x+[NUMBER]")
    assert not [f for f in attacks(PARTIAL_Q, cut, "-6") if f.attack == "point"]
    # the question's own identity, written again as it stands: solving it is the task
    own = "We have \\[\\frac{A}{x-1}+\\frac{B}{x+4}=\\frac{x+14}{x^2+3x-4}\\], so $AB=\\boxed{[NUMBER]}$."
    assert not [f for f in attacks(PARTIAL_Q, own, "-6") if f.attack == "point"]
    trace = (
        "Multiplying both sides by $(x-1)(x+4)$ gives \\[A(x+4)+B(x-1)=x+14.\\]Setting $x=1$ gives $5A=15$, "
        "so $A=3$, and so $AB=\\boxed{-6}$."
    )
    r = mask_text("math", trace, question=PARTIAL_Q, answer="-6")
    assert r.leak is None and attacks(PARTIAL_Q, r.text, "-6") == []


def test_the_checker_matches_the_asked_letters_too():
    from .test_recover_check import checker_leaks

    masked = (
        "We want $\\frac{A}{x-⟦1|NUMBER⟧}+\\frac{B}{x+⟦4|NUMBER⟧}$. "
        "Multiplying both sides by $(x-1)(x+4)$ gives \\[A(x+4)+B(x-1)=x+14.\\]Setting $x=1$ gives "
        "$⟦5|NUMBER⟧A=⟦15|NUMBER⟧$, so $A=⟦3|NUMBER⟧$, and so $AB=\\boxed{⟦-6|NUMBER⟧}$."
    )
    found = checker_leaks("point_identity", PARTIAL_Q, masked, "-6").get("constraints", [])
    assert any("at the trace's values" in f["detail"] for f in found)
    cut = masked.replace("B(x-1)=x+14", "B(x-1)=x+⟦14|NUMBER⟧")
    assert "constraints" not in checker_leaks("point_identity_cut", PARTIAL_Q, cut, "-6")


def test_values_of_two_points_are_never_combined():
    # two cases (or two products) far apart: a from one and b from the other would give the gold 10
    q = "Find $ab$ where $a$ and $b$ are positive."
    cases = (
        "Case 1: $a = 2$ and $b = 4$." + " We check this case at length." * 5 + " Case 2: $a = 5$, $b = 1$."
    )
    assert not [f for f in attacks(q, cases + " So $\\boxed{[NUMBER]}$.", "10") if f.attack == "point"]
    products = "First $2 \\cdot 3 = 6$." + " Then we go on." * 10 + " Next $4 \\cdot 5 = 20$."
    assert not [f for f in attacks(q, products + " So $\\boxed{[NUMBER]}$.", "10") if f.attack == "point"]
    # one point: both values close together
    assert [
        f
        for f in attacks(q, "Case 2: $a = 5$, $b = 2$. So $\\boxed{[NUMBER]}$.", "10")
        if f.attack == "point"
    ]


def test_hostile_points_are_read_safely_and_fast():
    import time

    q = "Let $a + b = 10$. Find $ab$."
    for trace in (
        "So $a = \\frac{1}{0}$ and $b = 3$, hence $\\boxed{3}$.",  # no value, no crash
        "So $a = " + "9" * 5000 + "$ and $b = 3$, hence $\\boxed{3}$.",  # too long to read, no crash
    ):
        assert mask_text("math", trace, question=q, answer="3").level
    started = time.perf_counter()
    spaces = (
        "We take $a = 2$ and $b = 8$." + " " * 3000 + "So $2 \\cdot" + " " * 3000 + "8$ is $\\boxed{16}$."
    )
    attacks(q, spaces, "16")
    attacks(q, "$" + "a = " * 12000 + "2$", "16")
    many = "Let " + ", ".join(f"$a_{{{k}}}={k}$" for k in range(3000)) + ". Find $ab$."
    attacks(many, "So $a = 2$ and $b = 8$, so $\\boxed{[NUMBER]}$.", "16")
    assert time.perf_counter() - started < 10.0  # each is linear: well under a second on a quiet machine


def test_a_product_glued_to_a_bracket_is_read():
    # algebra/893, in other numbers: "(-2)bt" is (-2) times b times t, so the identity in t fixes b = 3, and
    # the visible a = -2 gives the asked a + b = 1 (the reader stopped at "bt" before)
    from smepo_data.math._equations import read_equations

    q = "The product of $3t^2+4t+a$ and $4t^2+bt-4$ is $12t^4+25t^3-8t^2-14t+8$. What is $a+b$?"
    masked = (
        "So $a=-2$. The linear term is $-14t=(4t\\cdot[NUMBER])+a\\cdot bt\\Longrightarrow-14t=-8t+(-2)bt"
        "\\Longrightarrow b=[NUMBER]$. Therefore our answer is $[EXPR]=\\boxed{[NUMBER]}$."
    )
    sides = [masked[e.start : e.end] for e in read_equations(masked).equations]
    assert "-14t=-8t+(-2)bt" in sides
    assert [masked[f.start : f.end] for f in attacks(q, masked, "1") if f.attack == "point"][0] == "2"
    # prose after a bracket stays prose
    assert read_equations("(see above)then we go on").equations == []
