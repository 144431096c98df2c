"""A letter the trace sets for a while ("Setting $y = 1,$ we get ...") and sets again to something else
later is no single unknown of one system: its settings are left out of the equations read."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math.attacks import attacks

Q = (
    r"The function $f$ satisfies $f(x) + f(y) = f(x + y) - xy - 1$ for all real $x$ and $y.$ If $f(1) = 1,$ "
    r"find all integers $n$ such that $f(n) = n.$"
)
GOLD = "1,-2"


def _read(text: str) -> list[str]:
    return [text[e.start : e.end] for e in read_equations(text).equations if not e.part]


def test_a_letter_set_twice_to_different_things_is_set_nowhere():
    text = (
        r"Setting $y = 1,$ we get $f(x) + 1 = f(x + 1) - x - 1.$ "
        r"Setting $x = -n$ and $y = n,$ we get $f(n) = 3.$"
    )
    read = _read(text)
    assert "y = 1" not in read and "y = n" not in read
    assert "x = -n" in read  # set once: kept
    # set twice to the same thing, or once: kept
    assert "y = 1" in _read(text.replace("$y = n,$", "$y = 1,$"))
    assert "y = 1" in _read(text.replace(" and $y = n,$", ","))


def test_only_a_sentence_that_opens_by_setting_sets_a_letter():
    # "Substituting this back into r = 6c, we get r = ..." writes two equations, no setting
    text = "We know r + c = 70 and r = 6c. Substituting this back into r = 6c, we get r = 6 * 10 = 60."
    assert {"r = 6c", "r = 6 * 10"} <= set(_read(text))
    # a setting in a sentence that opens otherwise is an equation of the system too
    text = r"So $y = 1$ here. Later $y = n$ again, and $n + 1 = 2.$"
    assert {"y = 1", "y = n"} <= set(_read(text))


def test_the_roots_a_factored_equation_shows_are_read_once_settings_are_local():
    # MATH-500 1388's shape: "y = 1" then "y = n" made n 1, and (n - 1)(n + [N]) = 0 then fixed nothing
    masked = (
        r"We know $f(0) = -1.$ Setting $y = 1,$ we get $f(x + 1) = f(x) + x + 2.$ "
        r"Setting $x = -n$ and $y = n,$ we get $f(-n) + f(n) = f(0) + n^2 - 1.$ We want "
        r"$n^2 + n - [NUMBER] = 0.$  This factors as $(n - 1)(n + [NUMBER]) = 0,$ so $n = \boxed{[EXPR]}.$"
    )
    assert "constraints" in {f.attack for f in attacks(Q, masked, GOLD)}
    # the same with other words that set a letter for a while, or right after display math
    for words in ("Let $y = 1,$", "Now set $y = 1,$", "If we set $y = 1,$", "Next, setting $y = 1,$"):
        assert "constraints" in {
            f.attack for f in attacks(Q, masked.replace("Setting $y = 1,$", words), GOLD)
        }
    displayed = masked.replace("We know $f(0) = -1.$ ", "We know \\[f(0) = -1.\\]")
    assert "constraints" in {f.attack for f in attacks(Q, displayed, GOLD)}
    trace = masked.replace("[NUMBER]", "2").replace("[EXPR]", "1,-2")
    result = mask_text("math", trace, question=Q, answer=GOLD)
    assert result.leak is None and "(n - 1)(n + 2)" not in result.text
    assert "(n - [NUMBER])(n + [NUMBER])" in result.text


def test_a_chain_or_a_value_written_twice_is_no_second_setting():
    # "a = b = 2" sets a and b to 2; 1/2 and \frac{1}{2} are one value
    text = r"Setting $a = b = 2,$ we get $f(4) = 2f(2).$ Setting $x = \frac{1}{2},$ then $x = 1/2$ again."
    assert {"a = b", "b = 2", r"x = \frac{1}{2}", "x = 1/2"} <= set(_read(text))


def test_a_setting_left_out_still_holds_in_its_own_sentence():
    # three trial values of b: none is the system's, but "If $b = 4$, then $a = 3b + 1$" is 13 there
    q = r"Let $a = 3b + 1$ where $b$ is a positive integer. What is the smallest prime $a$ with $b > 1$?"
    masked = (
        r"If $b = 2$, then $a = 3b + 1 = 7$ is prime, but we need $a$ larger. If $b = 3$, then $a$ is even. "
        r"If $b = 4$, then $a = 3b + 1$, so $a = \boxed{[NUMBER]}$."
    )
    assert "constraints" in {f.attack for f in attacks(q, masked, "13")}
    assert not attacks(q, masked.replace("If $b = 4$, then", "Then"), "13")


def test_settings_left_out_are_still_branches_a_reader_follows():
    # MATH-500 686's shape: trial values of b, each in its own sentence; with b = 2 the general equation,
    # written alike, fixes a blank to the gold (round 56t read it so once "If $b=2$" was left visible)
    q = r"The sum $\frac{4a}{a-3}$ is a perfect square $b^2$. What is the smallest positive integer $a$?"
    masked = (
        r"So we have $[NUMBER]a=b^2(a-[NUMBER])$. If $b=1$, then $[NUMBER]a=a-[NUMBER]$. If $b=2$, then "
        r"$[NUMBER]a=[NUMBER](a-[NUMBER])$. If $b=[NUMBER]$, then $a=\boxed{[NUMBER]}$."
    )
    assert "where b = 2" in " ".join(f.detail for f in attacks(q, masked, "4"))


def test_a_setting_ends_where_the_letter_is_set_again_and_let_defines():
    # "setting $x = 1$" inside the sentence is no opening, but it ends x = 0's hold: no 0 = 1 is read
    text = (
        r"Setting $x = 0$ gives $f(0) = 1$ and setting $x = 1$ gives $f(1) = 3$. "
        r"Setting $x = 2$ gives $g = 7$."
    )
    kept = [e for e in read_equations(text).equations if not e.part]
    assert all(e.left.tree[0] != "n" or e.right.tree[0] != "n" for e in kept)
    # a chain sets both its letters: a = b = 2 then a = 3 is a conflict for a
    text = r"Setting $a = b = 2$, we get $c = a + b$. Setting $a = 3$, we get $c = a + 1$."
    assert "a = 3" not in _read(text) and "a = b" not in _read(text)
    # "Let" with an expression defines a letter for the whole trace; with a number it sets it
    assert "s = a + b" in _read(r"Let $s = a + b$. If $s = 3$, then $a = 1$.")
    assert "s = 2" not in _read(r"Let $s = 2$, so $t = 1$. If $s = 3$, then $a = 1$.")
