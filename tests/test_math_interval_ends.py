"""An interval answer whose two ends the trace writes apart (issue 11, round 47's MATH-500 2486): ``p \\le
\\frac83`` in one place and ``p > \\frac35`` in another, or two linear inequalities a reader solves at sight
(``144 \\ge 54p``, ``20p > 12``), give ``(\\frac35, \\frac83]`` by intersection. Read so by the masker's
attacks and by the independent checker alike; not for two letters, the wrong way round, or an end open
where the gold's is closed. Traces built here, shortened from the row."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks, row


def _masked(template: str) -> str:
    return row("", "", template, "")["masked_trace"]


def _original(template: str) -> str:
    return row("", "", template, "")["trace"]


QUESTION = (
    "Find all $p$ which satisfy both the inequalities $0\\ge 54p-144$ and $0>12-20p$. Express your answer "
    "in interval notation, reducing any fractions in your answer."
)
GOLD = "\\left(\\frac{3}{5},\\frac{8}{3}\\right]"
SOLVED = (
    "Adding $144$ to both sides of the first inequality, we get $$144\\ge 54p,$$implying "
    "$$⟦\\frac{144}{54}|EXPR⟧\\ge p.$$To solve the second inequality, we add $20p$ to both sides: "
    "$$20p > 12$$"
    "Dividing both sides by $20$, we get $$p>⟦\\frac{12}{20}|EXPR⟧.$$The intersection of the solutions is "
    "$\\boxed{⟦" + GOLD + "|EXPR⟧}$."
)
WRITTEN = (
    "So $p\\le\\frac{8}{3}$. The second gives $p>\\frac{3}{5}$. The intersection is "
    "$\\boxed{⟦" + GOLD + "|EXPR⟧}$."
)


def test_two_ends_written_apart_give_the_interval_away():
    found = attacks(QUESTION, _masked(WRITTEN), GOLD)
    assert [f.attack for f in found] == ["equivalent_form"]
    # the checker reads the two ends by its own route (each inequality solved by sympy): any of its names
    assert set(checker_leaks("ends_written", QUESTION, WRITTEN, GOLD)) & {"equivalent_form", "constraints"}


def test_two_linear_inequalities_solved_at_sight_give_the_interval_away():
    found = attacks(QUESTION, _masked(SOLVED), GOLD)
    assert [f.attack for f in found] == ["constraints"]
    assert "bound p on both sides" in found[0].detail
    assert masked_at(found[0]) == "20p > 12"  # the later of the two: without it the other says nothing
    assert set(checker_leaks("ends_solved", QUESTION, SOLVED, GOLD)) == {"constraints"}


def masked_at(finding) -> str:
    return _masked(SOLVED)[finding.start : finding.end]


def test_other_letters_directions_or_ends_are_no_interval():
    cases = {
        "two letters": WRITTEN.replace("p>\\frac{3}{5}", "q>\\frac{3}{5}"),
        "closed where the gold is open": WRITTEN.replace("p>\\frac{3}{5}", "p\\ge\\frac{3}{5}"),
        "the other way round": SOLVED.replace("20p > 12", "-20p > -12"),
        "a flipped relation": SOLVED.replace("144\\ge 54p", "144 < 54p"),
        "a hidden end": SOLVED.replace("20p > 12", "20p > ⟦12|NUMBER⟧"),
    }
    for name, template in cases.items():
        assert attacks(QUESTION, _masked(template), GOLD) == [], name
        assert checker_leaks(f"ends_{name.replace(' ', '_')}", QUESTION, template, GOLD) == {}, name


def test_the_questions_own_inequalities_are_the_task():
    restated = "We have $$0\\ge 54p-144$$ and $$0>12-20p.$$ So $\\boxed{⟦" + GOLD + "|EXPR⟧}$."
    assert attacks(QUESTION, _masked(restated), GOLD) == []
    assert checker_leaks("ends_restated", QUESTION, restated, GOLD) == {}


def test_the_masker_cuts_one_end():
    for template in (WRITTEN, SOLVED):
        r = mask_text("math", _original(template), question=QUESTION, answer=GOLD)
        assert r.leak is None
        assert attacks(QUESTION, r.text, GOLD) == []
        assert checker_leaks("ends_masked", QUESTION, r.text, GOLD) == {}
    # the plan's solved inequalities stay; one end loses a value (a copy of the question's, 12 or 144)
    assert "54p" in r.text and "20p >" in r.text
    assert "144\\ge 54p" not in r.text or "20p > 12" not in r.text


BOX = " So $\\boxed{⟦x|EXPR⟧}$."


def test_only_whole_affine_relations_give_an_end():
    # round 47 review: part of a longer expression is no end (`-p \le`, `\frac83 - 1`, `10+\frac35 <`,
    # `< p^2`); an inequality with a pole is two half-lines; a pole elsewhere drops no other inequality
    parts = {
        "a negated letter": "So $-p\\le\\frac{8}{3}$ and later $p>\\frac{3}{5}$." + BOX,
        "more after the end": "So $p\\le\\frac{8}{3}-1$ and later $p>\\frac{3}{5}$." + BOX,
        "a sum before the end": "So $p\\le\\frac{8}{3}$ and later $10+\\frac{3}{5}<p$." + BOX,
        "a power of the letter": "So $p\\le\\frac{8}{3}$ and later $\\frac{3}{5}<p^2$." + BOX,
        "a pole": "We get $$144\\ge 54p,$$ and $$\\frac{5p-3}{p+1} > 0.$$" + BOX,
    }
    for name, template in parts.items():
        assert attacks(QUESTION, _masked(template), GOLD) == [], name
    pole_beside = "We get $$144\\ge 54p,$$ $$\\frac{2}{p} < 2,$$ and $$20p > 12.$$" + BOX
    assert [f.attack for f in attacks(QUESTION, _masked(pole_beside), GOLD)] == ["constraints"]


def test_an_interval_s_ends_said_in_words_are_read():
    # MATH-500 183: "arbitrarily close to 2" beside "arbitrarily large" tells (2, \infty) whatever the
    # inequalities hide
    q = r"Find the set of all possible values of $S$."
    masked = (
        r"So $S > [NUMBER]$. As $b$ approaches 0, $S$ approaches [NUMBER]: we can make it arbitrarily close "
        r"to 2 as we want, and arbitrarily large. So $S$ takes all values in $\boxed{[EXPR]}.$"
    )
    found = [f for f in attacks(q, masked, r"(2,\infty)") if f.attack == "equivalent_form"]
    assert [masked[f.start : f.end] for f in found] == ["2"]
    assert "approaches 0" in masked and not attacks(
        q, masked.replace("to 2 as", "to [NUMBER] as"), r"(2,\infty)"
    )
    # other words that bound a value; both ends of a closed interval needed, not one
    for words in ("is greater than $2$", "exceeds 2", "is at least 2", "tends to 2"):
        text = masked.replace("can make it arbitrarily close to 2", f"see it {words}")
        assert [f.attack for f in attacks(q, text, r"(2,\infty)")] == ["equivalent_form"], words
    two = r"So $S$ is at least 2 and $S$ [NUMBER] at most [NUMBER]: $S \in \boxed{[EXPR]}$."
    assert not attacks(q, two, "[2,5]")
    both = attacks(q, two.replace("at most [NUMBER]", "at most 5"), "[2,5]")
    assert len([f for f in both if "an end of the gold interval" in f.detail]) == 2
    # only the whole value, and no count of things: not 2x, 2^k, 2/3, 2,000, 2 - x, "2 cases"
    for words in (
        "is greater than $2x$",
        "grows at least $2^k$",
        "approaches $2/3$",
        "took more than 2,000",
        "is at most $2 - x$",
        "has more than 2 cases",
    ):
        text = masked.replace("can make it arbitrarily close to 2", f"see it {words}")
        assert not attacks(q, text, r"(2,\infty)"), words
    # two finite ends in round brackets read as a point as well: not read
    assert not [
        f
        for f in attacks(q, "It is greater than 2 and less than 5: $\\boxed{[EXPR]}$", "(2,5)")
        if "end of the gold interval" in f.detail
    ]
    # an end the question says in those words is the question's
    asked = r"Find all $S$ greater than 2 with $f(S) > 0$."
    assert not attacks(
        asked, "We want all $S$ greater than 2 with $f(S) > 0$: $\\boxed{[EXPR]}$.", r"(2,\infty)"
    )
    # masked, the end goes and the plan's words stay
    trace = masked.replace("[NUMBER]", "2").replace("[EXPR]", r"(2,\infty)")
    result = mask_text("math", trace, question=q, answer=r"(2,\infty)")
    assert result.leak is None and "arbitrarily close to [NUMBER]" in result.text


ZACH = (
    "Zach has three bags and a bunch of pencils to be placed into the bags. He is told to place the greatest "
    "number of pencils possible into each of the three bags while also keeping the number of pencils in each "
    "bag the same. What is the greatest number of pencils he could have left over?"
)


#: bounds whose number is not a whole value of its own: the end of an expression, a sign, a fraction, a
#: power, a product, a decimal, a compound number word
NOT_THE_WHOLE_VALUE = (
    "30 or more",
    "3x or more",
    "$k+3$ or more",
    "-3 or more",
    "1/3 or more",
    "10^3 or more",
    "at least $3 k$",
    "at least 3 \\cdot 4",
    "3.5 or more",
    "2.3 or more",
    "twenty-three or more",
)
#: another value, the other side, a bound on another thing
NOT_THIS_BOUND = ("4 or more", "three or fewer", "three or more bags of")


def ruled(question: str, masked: str, gold: str) -> list[str]:
    """What the ruled-out-bound reading finds (other readings aside)."""
    return [masked[f.start : f.end] for f in attacks(question, masked, gold) if "rules out" in f.detail]


def test_a_bound_one_past_the_gold_rules_it_in():
    # MATH-500 612 (round 56): "three or more" ruled out, "at most [NUMBER]" is 2
    masked = (
        "If Zach has three or more pencils left over, then he can add another pencil to each bag.  "
        "Therefore, Zach can have at most $\\boxed{[NUMBER]}$ pencils left over."
    )
    found = [f for f in attacks(ZACH, masked, "2") if f.attack == "equivalent_form"]
    assert [masked[f.start : f.end] for f in found] == ["three"]
    for bound in ("3 or more", "$3$ or greater", "at least 3", "at least $3$", "no fewer than 3"):
        text = masked.replace("three or more", bound)
        assert [text[f.start : f.end] for f in attacks(ZACH, text, "2")] == ["3"], bound
    # the least side: "3 or fewer" / "at most 3" for a least 4
    least = "A jar holds coins of 10 cents. What is the least number of coins that pays 40 cents?"
    for bound in ("3 or fewer", "three or less", "at most 3", "no more than 3"):
        text = f"With {bound} coins we pay at most 30 cents, so we need $\\boxed{{[NUMBER]}}$."
        assert [text[f.start : f.end] for f in attacks(least, text, "4")] in (["3"], ["three"]), bound
    for bound in (*NOT_THE_WHOLE_VALUE, "$3k + 3$ or more", "2-3 or more", *NOT_THIS_BOUND, "at most 3"):
        assert not ruled(ZACH, masked.replace("three or more", bound), "2"), bound
    for bound in ("5 or more", "at least 3"):  # the wrong side for a least 4
        text = f"With {bound} coins we pay at most 30 cents, so we need $\\boxed{{[NUMBER]}}$."
        assert not ruled(least, text, "4"), bound
    # what the question asks: no extreme, both extremes, an extreme that counts nothing, a common divisor
    assert not ruled("How many pencils are left over?", masked, "2")
    told = "Each bag gets the greatest number of pencils possible. How many pencils are left over?"
    assert ruled(told.replace(" How", " What is the greatest number of pencils"), masked, "2")
    assert not ruled(told, masked, "2")  # the extreme is told, not asked
    both = "What is the difference between the greatest and the least number of pencils left over?"
    assert not ruled(both, masked, "2")
    assert not ruled("Let $\\lfloor x\\rfloor$ be the greatest integer below $x$. Find $f(7)$.", masked, "2")
    colors = "What is the smallest number of colors needed for a square's vertices?"
    assert not ruled(colors, "Adjacent vertices share at most one edge: $\\boxed{[NUMBER]}$ colors.", "2")
    for q, bound in (
        ("What is the highest common factor", "7 or more"),
        ("What is the least common multiple", "5 or fewer"),
    ):
        asked, said = f"{q} of the number of pencils and 18?", f"It is not {bound} pencils: [NUMBER]."
        assert ruled(asked.replace(" common", ""), said, "6"), q  # an extreme without "common" is read
        assert not ruled(asked, said, "6"), q
    # the question's own condition, restated, whatever the words around it
    teams = "Each team needs at least 5 players. What is the greatest number of teams from 22 players?"
    stated = "Every team has at least 5 teams in it, so $\\boxed{[NUMBER]}$."
    assert ruled(teams.replace("at least 5", "some"), stated, "4") and not attacks(teams, stated, "4")
    # masked, the bound's value goes and its words stay
    trace = masked.replace("[NUMBER]", "2")
    result = mask_text("math", trace, question=ZACH, answer="2")
    assert result.leak is None and "has [NUMBER] or more pencils" in result.text


def test_the_checker_reads_a_bound_one_past_the_gold_with_its_own_rules():
    template = (
        "If Zach has {} pencils left over, then he can add another pencil to each bag.  Therefore, Zach can "
        "have at most $\\boxed{{⟦2|NUMBER⟧}}$ pencils left over."
    )
    for bound in ("three or more", "3 or more", "$3$ or greater", "at least 3", "no fewer than 3"):
        assert set(checker_leaks("b", ZACH, template.format(bound), "2")) == {"equivalent_form"}, bound
    for bound in ("⟦three|NUMBER⟧ or more", *NOT_THE_WHOLE_VALUE, *NOT_THIS_BOUND):
        assert not checker_leaks("b", ZACH, template.format(bound), "2"), bound
    least = "A jar holds coins of 10 cents. What is the least number of coins that pays 40 cents?"
    text = "With {} coins we pay at most 30 cents, so we need $\\boxed{{⟦4|NUMBER⟧}}$."
    for bound in ("3 or fewer", "at most three", "no more than 3"):
        assert set(checker_leaks("b", least, text.format(bound), "4")) == {"equivalent_form"}, bound
    for q in (
        "What is the least common multiple of the number of coins and 3?",
        "How many coins are needed?",
        "Find the lowest.",
    ):
        assert not checker_leaks("b", q, text.format("3 or fewer"), "4"), q
    common = "What is the least multiple of the number of coins and 3?"  # read without "common"
    assert set(checker_leaks("b", common, text.format("3 or fewer"), "4")) == {"equivalent_form"}
    stated = least.replace("A jar holds", "With 3 or fewer coins we pay too little. A jar holds")
    assert not checker_leaks("b", stated, text.format("3 or fewer"), "4")
