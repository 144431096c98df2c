r"""Independent leak and damage checker for masked math traces. It does not import or read smepo_data.

A masked trace LEAKS when a reader reaches the gold answer mechanically. Attacks (each reports the row id and
the text that gave it away):

  extract          math_verify.parse(masked trace) verifies equal to the gold (a placeholder read: ignored)
  visible_value    a number / LaTeX value equal to the gold is visible as written (exponents, subscripts, root
                   indices, step labels, list markers, [asy] code and words copied from the question excepted;
                   thousands grouped by commas, or zeros by a space, `10 000`, one number)
  placeholder      the answer placeholder ([ANSWER]; indexed: the blank of the final-answer position) also
                   sits where the question has the gold in the same words, or after `=` of a visible
                   expression
  equivalent_form  another form of the gold is visible: inequality for an interval, every tuple component in
                   one sentence, number words / ordinals, shorthand, slash or decimal fractions, percent, \pm,
                   the gold's LaTeX normalised (spaces, \left/\right, \dfrac, \text{}); a decimal that rounds
                   to a numeric gold in a sentence about rounding ("we round 22.18 to"); for a gold of 1, a
                   countable noun in the singular right after a blank ("[N] more egg" where "eggs" is
                   written), not a modifier ("[N] ounce bottle"), a sum's noun ("$[N] cost"), a number word
                   ("[N] million") or the question's own 1 (a 1 between the blank's words in the question, or
                   its "1 orange" where the blank states no step's result); where the question's last sentence
                   asks for the greatest (least) number of a thing, prose that bounds that thing one past the
                   gold from the other side ("three or more pencils left over" for at most 2, "3 or fewer
                   coins" for a least 4; the number alone, not a bound the question states)
  constraints      each placeholder is an unknown (same index, or a calculator note's result and the blank
                   after it, = one unknown; a number right after a note, `<<[N]*2=[N]>>6`, not a percent or
                   a fraction, is its result); visible equations, polynomial identities and prime
                   factorisations (and a step that writes a visible computation of the line before again
                   with blanks, `4/12 + 3/12` then `[N]/12 + 3/12`: the blank is the 4; a quotient's minus
                   sign may move across the bar, `\frac{[N]}{-3}` then `\frac{[N]}{3}`) are solved (fast
                   linear path, then sympy, bounded per row); a determined blank = the gold; two blanks
                   of one equation that stand only as bases of whole powers (`\frac{5^3}{[N]^2} =
                   \frac{[N]^5}{5^4}`) read as the one pair of whole numbers 2..30 that fits, and another
                   side of the chain evaluated there; where nothing else is found, an instance of the trace's
                   own formula (`180(n-2)/n`, later `180([N]-2)/7`: the blank is 7), its value carried on to
                   later blanks as replay carries results;
                   an inequality in one variable with no blank whose boundary (a real root) is the gold;
                   a visible inequality A >= B whose bound B, written for A inside another visible
                   expression, leaves the gold (sympy subs); where the question asks a range, maximum or
                   minimum, a visible expression in one letter t whose least / greatest values on a visible
                   `lo <= t <= hi` (sampled, then narrowed) are the gold; a visible expression in letters
                   the equations solved (`2*x` once x = 5) equal to the gold; plain text is read with its
                   algebra letters (one-letter words beside an operator or a relation, or written against a
                   coefficient: `3x`, `B - 12 = 16`; not a, A, I) and a line break ends a step; where nothing
                   is found, again with blanks read as the latest result written alike (a chain's last side
                   is a new value; a side, a run of a sum's terms or a part written like it is that value:
                   `[N]*x=35` after `x+2*x+[N]*x=[N]*x`); a line that solves for a letter (`x = [N]`) is no
                   rewrite of the line before; an interval gold (`x \\in [-2,7]` too) written as an
                   inequality whose one blank bound takes a value the equations fix; the question's form
                   with declared letters ("written as $(Ax-8)(Bx+3),$ where $A$ and $B$ are integers. What
                   is $AB + B$?") written in the trace with values (a blank as the equations, or the
                   identity the instance stands in, fix it): the asked expression at those values; in plain
                   text, a sum of one quantity with visible coefficients (`n + 2n = [N]`, or a phrase used
                   as a factor, `2(number of trucks)`) followed by a line that names it and divides a
                   visible number by a blank (`60 / [N]`): that number over the coefficients' sum
  replay           visible-only computations (calculator notes, equality chains) evaluated forward, values
                   carried to later blanks; a computed value or the final blank equal to the gold, or a final
                   step whose operands are all visible; prose steps read with their unit words dropped
                   (`12 floors/building x 2 buildings = [N] floors`, `16 ounces per pound / 2 ounces/cookie`,
                   `$5/hour x 4 hours`); a step with one blank operand takes the hidden result computed
                   before it with the same unit word (else the last one, when either has none), but for a
                   blank in the question's words around one of its numbers (a copy read back from it);
                   and an lcm or gcd the trace names (the question does not) over the whole numbers shown
                   before the name in its paragraph, those a multiple or divisor is "of", or the naming
                   sentence's; and a slope or an area the trace names, of points with every coordinate
                   visible in the naming sentence (or with the one before): two points' slope, three or
                   more points' shoelace area (not the question's points, nor [asy] code's); an operation
                   of one visible value named in words ("the reciprocal of $\frac{2}{3}$", "the square root
                   of 49", "the absolute value of -7"; exact results only), not one the question names;
                   where the question asks for a sum of digits, a visible-only computation (a part of a
                   side: `4321\cdot5` of `\frac{4321\cdot5}{[N]^8}`) or a visible number of 2+ digits the
                   question does not write whose digits add up to the gold (not a value of the question's
                   own $...$ expressions)
  restated         a number a placeholder hides on its own (found by aligning the masked trace with the
                   original; a number inside a hidden expression is not compared) is, up to sign, visible
                   elsewhere as the same quantity: a number in a figure label's text, a coordinate in figure
                   code of the same numeric point the text writes with the hidden number (same tuple, same
                   slot; not on a line of figure code the question's figure also writes), a distinctive value
                   (an integer >= 13 that is no common constant, a decimal or fraction other than 1/2, 1/3,
                   3/4 ...), the same sentence with a word between (or the later number right after the result
                   of a calculator note that holds the other), an operand of another step's calculator note
                   (the hidden one an operand of a note too; by value alone), the same unit word right after
                   both, or the same characters around both (1 before, 2 after, no space, a letter, digit or
                   comma, cutting no number), the same coordinate of one named point (a slot of the tuple
                   after "B has coordinates", "B = ", or the number after "the x-coordinate of B is"), or
                   the same expression around both (same line, 2 non-space characters before and 3 after,
                   each side an operator with a letter or digit, no backslash), or the same noun and "of"
                   right before both ("a multiple of 3" beside "a multiple of [N]");
                   a number word in the same sentence or with the same unit word, and a cardinal of 3 or more
                   in any sentence (not before a plan noun, "three given equations"; not when the question
                   writes the word or its value), or an all-number tuple of [asy] code holding two hidden
                   numbers of one phrase of dimensions side by side (grid(10,8) for "[N] units by [N] units");
                   words that state a factor 2 ("round trip", "pairs") in the sentence of a hidden 2 that is a
                   factor of a step (280 x [N]); 0, 1, exponents, indices, step labels, list markers, other
                   figure coordinates and numbers inside LaTeX values (\frac{3}{4}) are never compared, except
                   an argument of a binomial or fraction hidden alone where the same one is visible written
                   alike (\binom{5}{4} beside \binom{[N]}{4}), or a coefficient of the same power of one
                   letter (4x^7 beside [N]x^7; not as the question writes it); needs the original trace
  constraints      (also) Vieta's formulas: "the sum (product) of the roots" after a formula P = 0 (or a line
                   of a display) that shows P's two highest terms (every term), not the question's; where the
                   question asks the sum (product) of a letter's values, an equation with a blank, quadratic
                   in that letter, whose roots' sum (product) does not depend on the blanks (`(5-a)^2 = [N]`:
                   10); and the ends of a two-sided bound (`l <= x <= u`, or `x < l` or `x > u`) written next
                   after a quadratic inequality in x (within 160 characters) read as its roots: P = lead
                   (x-l)(x-u) as an identity; and a side with a letter (the question's own sides too:
                   `2^3\cdot3^x` of "For what value of $x$ is $2^3\cdot3^x=72$?") beside a side written alike
                   with numbers (`\frac{[N]^n-1}{[N]^{n+1}}` and `\frac{[N]^8-1}{[N]^9}`: node for node, a
                   blank matching anything, two operators shared or more): each part of one letter against a
                   number, linear in it, fixes the letter; the letter at the gold leaks
  system           a reader who names quantities: math segments read into sympy by the checker's own LaTeX
                   reader (segment names DF and \sin D one symbol each, DB the same as BD; a function
                   p(x) = ... written once applied at p(0), an undefined f(1) a symbol, column vectors
                   with \cdot a dot product; "Setting $x = 11$, we have $A = B$" makes A that function at
                   11),
                   blanks unknowns (typed blanks in the same surroundings with a variable: one unknown);
                   equations solved by propagation and linear systems (at most 120 sympy calls a row); a
                   named quantity fixed to the gold, or a written expression the solution fixes to it;
                   so does the question's own expression ("What is $a+b$?", "find $p(1)$") over a value
                   the trace's equations fix (not the question's given) or a function the trace defines;
                   and a written expression that is the gold wherever the letters the trace sets equal
                   ("Equality occurs when $a = b = c = d$", not the question's case) are one letter;
                   and a function the question defines applied in a trace formula at an argument the
                   trace gives (f(0) under the question's f(x) = ...; not the question's own application)
  counted          a "how many" question whose gold n is the length of a list the trace writes out (numbers,
                   placeholders, short math segments; 3 or more items, an item with \pm counting two; no
                   ellipsis; or the rows of an align / gather / array display, each a case with a left side of
                   its own): counting is mechanical
  option           a multiple-choice gold (a letter, \text{(C)}): the content of its option in the question
                   ("(C) Plane", "(B) 3(1 + r/10)^x = 7") visible in the trace, not within a quote of it
  elimination      a gold that is a name the question writes (not opening a sentence) and the original trace
                   uses: the masked trace shows every other such name (two or more) but not the gold's;
                   or a number among numbers the question offers ("either 6, 8, or 10") when its closing
                   sentence asks to choose: the trace names each, the masked trace each but the gold
  figure           a figure or table of the trace read with the question's: a visible number where the
                   question's figure (same literal label position) or table (same cell, same shape) writes
                   an expression in one letter that it fixes to the gold (n+1 beside 8 for n = 7); a
                   segment, angle, triangle or ratio of two segments the text names (AB, \angle PQS,
                   triangle PQS, \frac{BC}{AB}), measured on the labelled coordinates of the trace's
                   figure, equal to the gold to 1e-3 (not when the question's figure gives the same)

In a row about complex numbers (the question says "complex" or "imaginary", or the gold is a complex number
written with a standalone i and no other letter: 1 - 12i) a standalone i is the imaginary unit, in the gold
and in every attack that reads values (the system attack's reader included); values compare by |a - b|.
Elsewhere i is a letter like any other.

Damage (original `trace` against `masked_trace`; 0 for a good masker): operators swallowed by a placeholder,
placeholders glued together, `2e+9` read as scientific notation, placeholders in [asy] code (a quoted label's
text, `label("$[NUMBER]$", ...)`, is text, not code), the render check
(trace with each span replaced by one placeholder == masked_trace), masked text that is not the trace with
substrings replaced (unaligned), lost structure (operators, step labels, list markers, variable indices,
exponents; % kept per class), a hidden 0 after a relation (% of rows); and the mean masked fraction.

    python benchmarks/recover_check.py OUT_DIR [OUT_DIR ...] [--reference FILE --format gsm8k|math ...]
        [--examples N] [--json] [--jobs N] [--row-timeout S] [--limit N]

--reference builds the public reference release's masking in memory (every `\d+(?:\.\d+)?` -> [NUMBER]).
Exit 1 when an OUT_DIR (not a reference) has any leak or any damage.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import glob
import itertools
import json
import math
import os
import random
import re
import signal
import sys
import threading
import time
from bisect import bisect_right
from collections import Counter
from fractions import Fraction

ATTACKS = [
    "extract",
    "visible_value",
    "placeholder",
    "equivalent_form",
    "constraints",
    "replay",
    "restated",
    "system",
    "figure",
    "congruence",
    "listed",
    "counted",
    "option",
    "elimination",
]
DAMAGE = [
    "swallowed_operator",
    "glued",
    "sci_notation",
    "asy_placeholder",
    "render_mismatch",
    "unaligned",
    "lost_structure",
    "hidden_zero",
    "hidden_variable",
    "split_number",
]
STRUCT = ["operators", "step_labels", "list_markers", "indices", "exponents", "triangle_names"]
SNIP = 160


# --------------------------------------------------------------------------------------------- timeouts


class RowTimeout(Exception):
    pass


def _on_alarm(signum, frame):  # noqa: ARG001
    raise RowTimeout()


class Budget:
    """A wall-clock limit: SIGALRM where possible (main thread), else only checked cooperatively."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        self.deadline = time.monotonic() + self.seconds
        if (
            self.seconds > 0
            and threading.current_thread() is threading.main_thread()
            and hasattr(signal, "setitimer")
        ):
            self.old = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        return self

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
        return False


# --------------------------------------------------------------------------------------------- numbers


class EvalError(Exception):
    pass


class Unknown(EvalError):
    pass


def _fin(x):
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        raise EvalError("non-finite")
    if isinstance(x, complex) and not (math.isfinite(x.real) and math.isfinite(x.imag)):
        raise EvalError("non-finite")
    return x


def v_div(a, b):
    if b == 0:
        raise EvalError("division by zero")
    return _fin(a / b)


def _int_root(n: int, q: int):
    if n < 0:
        return None
    try:
        r = round(n ** (1.0 / q))
    except OverflowError:
        return None
    for c in (r - 1, r, r + 1):
        if c >= 0 and c**q == n:
            return c
    return None


def v_pow(a, b):
    if isinstance(a, complex) or isinstance(b, complex):  # the imaginary unit: integer powers only
        if not (isinstance(b, Fraction) and b.denominator == 1 and abs(b) <= 64) or a == 0 and b < 0:
            raise EvalError("complex power")
        return _fin(complex(a) ** int(b))
    if isinstance(b, Fraction) and b.denominator == 1:
        e = int(b)
        if isinstance(a, Fraction):
            if a == 0 and e < 0:
                raise EvalError("0^-n")
            bits = max(a.numerator.bit_length(), a.denominator.bit_length(), 1)
            if bits * abs(e) > 20000:
                raise EvalError("huge power")
            return a**e
        try:
            return _fin(float(a) ** e)
        except (OverflowError, ZeroDivisionError) as exc:
            raise EvalError("pow") from exc
    if isinstance(a, Fraction) and isinstance(b, Fraction) and a >= 0 and b.denominator <= 12:
        rn, rd = _int_root(a.numerator, b.denominator), _int_root(a.denominator, b.denominator)
        if rn is not None and rd is not None:
            return v_pow(Fraction(rn, rd), Fraction(b.numerator))
    fa, fb = float(a), float(b)
    if fa < 0:
        if isinstance(b, Fraction) and b.denominator % 2 == 1:
            return -v_pow(-a, b)
        raise EvalError("negative base")
    try:
        return _fin(fa**fb)
    except (OverflowError, ZeroDivisionError) as exc:
        raise EvalError("pow") from exc


def eq_val(a, b) -> bool:
    if a is None or b is None:
        return False
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    if isinstance(a, complex) or isinstance(b, complex):
        try:
            ca, cb = complex(a), complex(b)
        except (OverflowError, TypeError, ValueError):
            return False
        return abs(ca - cb) <= 1e-9 * max(1.0, abs(cb))
    try:
        fa, fb = float(a), float(b)
    except (OverflowError, TypeError, ValueError):
        return False
    return abs(fa - fb) <= 1e-9 * max(1.0, abs(fb))


def fmt_val(v) -> str:
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    if isinstance(v, float):
        return f"{v:.10g}"
    if isinstance(v, complex):
        re_, im = f"{v.real:.10g}", f"{abs(v.imag):.10g}"
        return f"{re_} {'-' if v.imag < 0 else '+'} {'' if im == '1' else im}i"
    return str(v)


# --------------------------------------------------------------------------------------------- tokens

PH_RE = re.compile(r"\[([A-Z][A-Z0-9]*(?:_\d+)?)\]")
KNOWN_PH = re.compile(r"(?:NUMBER|EXPR|ANSWER|MASK|VALUE|BLANK|BLANK_\d+)$")

TEX_RE = re.compile(
    r"(\[[A-Z][A-Z0-9]*(?:_\d+)?\])|(\d{1,3}(?:\{,\}\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)|(\\[A-Za-z]+\*?|\\.)|(\s+)"
    r"|([A-Za-z])|(.)",
    re.S,
)
PLAIN_RE = re.compile(
    r"(\[[A-Z][A-Z0-9]*(?:_\d+)?\])|(\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"|([A-Za-z]+(?:'[a-z]+)?)|(<<)|(\s+)|(.)",
    re.S,
)


def _words(text: str) -> set[str]:
    return set(text.split())


def _table(text: str) -> dict[str, int]:
    return {w: int(n) for w, n in (x.split("=") for x in text.split())}


SKIP_CMDS = _words(
    r"\! \$ \, \: \; \Big \big \Bigg \bigg \biggl \biggr \Bigl \bigl \Bigr \bigr \displaystyle \left"
    r" \limits \mathstrut \middle \nonumber \notag \quad* \right \scriptstyle \strut \textstyle"
) | {"\\ "}
SEP_CMDS = _words(
    r"\angle \because \begin \blacksquare \bmod \cap \cdots \choose \cr \cup \ddots \dots \emph \end"
    r" \exists \forall \hbox \hline \iff \implies \in \item \label \land \ldots \Leftarrow \Leftrightarrow"
    r" \Longleftarrow \Longleftrightarrow \Longrightarrow \lor \mapsto \mbox \measuredangle \mid \mod"
    r" \newline \notin \overarc \overbrace \overline \parallel \perp \pmatrix \pmod \qed \qquad \quad"
    r" \Rightarrow \rightarrow \square \stackrel \subset \subseteq \tag \text \textbf \textit \textnormal"
    r" \textrm \texttt \therefore \to \triangle \underbrace \vdots \vee \wedge \widehat"
)
TEXT_CMDS = _words(
    r"\begin \emph \end \hbox \label \mbox \overarc \overbrace \overline \tag \text \textbf \textit"
    r" \textnormal \textrm \texttt \underbrace \widehat"
)
NAME_CMDS = _words(r"\mathbb \mathbf \mathcal \mathit \mathrm \mathsf \operatorname \rm")
REL_CMDS = {
    "\\le": "<=",
    "\\leq": "<=",
    "\\leqslant": "<=",
    "\\ge": ">=",
    "\\geq": ">=",
    "\\geqslant": ">=",
    "\\ne": "!=",
    "\\neq": "!=",
    "\\approx": "~",
    "\\sim": "~",
    "\\equiv": "~",
    "\\cong": "~",
    "\\propto": "~",
    "\\lt": "<",
    "\\gt": ">",
    "\\simeq": "~",
    "\\doteq": "~",
    "\\gets": "~",
}
FUNCS = _words("arccos arcsin arctan cos cosh cot csc exp gcd lcm lg ln log max min sec sin sinh tan tanh")
GREEK = _words(
    r"alpha beta chi Delta delta ell epsilon eta Gamma gamma iota kappa Lambda lambda mu nu Omega omega"
    r" Phi phi Psi psi rho Sigma sigma tau Theta theta upsilon varepsilon varphi vartheta Xi xi zeta"
)
FUNC_LETTERS = set("fghpqFGHPQ")


class Tok:
    __slots__ = ("k", "t", "s", "e", "key")

    def __init__(self, k, t, s, e, key=None):
        self.k, self.t, self.s, self.e, self.key = k, t, s, e, key

    def __repr__(self):
        return f"{self.k}:{self.t}"


def _is_op(tok, *texts):
    return tok is not None and tok.k == "op" and (not texts or tok.t in texts)


def _after_group(text: str, pos: int, end: int) -> int:
    """Where the brace group at ``pos`` (spaces before it allowed) ends; ``pos`` when none is there."""
    j = pos
    while j < end and text[j] == " ":
        j += 1
    if j >= end or text[j] != "{":
        return pos
    depth = 0
    for k in range(j, end):
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        if depth == 0:
            return k + 1
    return pos


def tokenize_tex(text: str, s0: int, e0: int, ctx) -> list[Tok]:
    out: list[Tok] = []
    pos = s0
    skip_dot = False
    while pos < e0:
        m = TEX_RE.match(text, pos, e0)
        if m is None:  # pragma: no cover - the pattern matches any character
            break
        pos = m.end()
        s, e = m.start(), m.end()
        ph, num, cmd, ws, letter, ch = m.groups()
        if ws:
            continue
        if skip_dot and ch in (".", "/"):
            skip_dot = False
            continue
        skip_dot = False
        if ph:
            key = ctx.key_at(s)
            out.append(Tok("unk", ph, s, e, key) if key is not None else Tok("var", ph, s, e))
        elif num:
            out.append(Tok("num", num.replace("{,}", ""), s, e))
        elif cmd:
            c = cmd.rstrip("*") if cmd.endswith("*") and len(cmd) > 2 else cmd
            if c in (
                "\\left",
                "\\right",
                "\\bigl",
                "\\bigr",
                "\\Bigl",
                "\\Bigr",
                "\\big",
                "\\Big",
                "\\middle",
            ):
                skip_dot = True
                continue
            if c in SKIP_CMDS or c in ("\\cancel", "\\bcancel", "\\xcancel"):
                continue  # \cancel{5}: a struck-through 5 is still the 5 of its product
            if c == "\\cancelto":  # \cancelto{2}{8}: the 8 as written; the 2 is what it cancels to
                pos = _after_group(text, pos, e0)
                continue
            if c == "\\{" or c == "\\lbrace":
                out.append(Tok("op", "{s", s, e))
            elif c == "\\}" or c == "\\rbrace":
                out.append(Tok("op", "}s", s, e))
            elif c == "\\%":
                out.append(Tok("op", "%", s, e))
            elif c in ("\\cdot", "\\times", "\\ast", "\\bullet"):
                out.append(Tok("op", "*", s, e))
            elif c == "\\div":
                out.append(Tok("op", "/", s, e))
            elif c in ("\\pm", "\\mp"):
                out.append(Tok("op", c[1:], s, e))
            elif c in REL_CMDS:
                out.append(Tok("rel", REL_CMDS[c], s, e))
            elif c in ("\\frac", "\\dfrac", "\\tfrac", "\\cfrac"):
                out.append(Tok("cmd", "frac", s, e))
            elif c in ("\\binom", "\\dbinom", "\\tbinom"):
                out.append(Tok("cmd", "binom", s, e))
            elif c == "\\sqrt":
                out.append(Tok("cmd", "sqrt", s, e))
            elif c in ("\\boxed", "\\fbox"):
                out.append(Tok("cmd", "boxed", s, e))
            elif c == "\\pi":
                out.append(Tok("const", "pi", s, e))
            elif c == "\\infty":
                out.append(Tok("const", "inf", s, e))
            elif c[1:] in FUNCS:
                out.append(Tok("func", c[1:], s, e))
            elif c in ("\\lfloor", "\\rfloor", "\\lceil", "\\rceil"):
                out.append(Tok("op", c[1:], s, e))
            elif c in ("\\lvert", "\\rvert", "\\vert", "\\|"):
                out.append(Tok("op", "|", s, e))
            elif c == "\\\\":
                out.append(Tok("soft", c, s, e))
            elif c in ("\\circ", "\\degree"):
                out.append(Tok("circ", c, s, e))
            elif c in TEXT_CMDS or c in NAME_CMDS:
                out.append(Tok("group", c, s, e))
            elif c in SEP_CMDS:
                out.append(Tok("sep", c, s, e))
            elif c[1:] in GREEK:
                out.append(Tok("var", c, s, e))
            elif c in ("\\(", "\\)", "\\[", "\\]"):
                out.append(Tok("sep", c, s, e))
            else:
                out.append(Tok("bad", c, s, e))
        elif letter:
            imag = letter == "i" and getattr(ctx, "imag", False)  # a row about complex numbers
            out.append(Tok("const", "i", s, e) if imag else Tok("var", letter, s, e))
        else:
            if ch == "=":
                out.append(Tok("rel", "=", s, e))
            elif ch in "<>":
                if pos < e0 and text[pos] == "=":
                    out.append(Tok("rel", ch + "=", s, e + 1))
                    pos += 1
                else:
                    out.append(Tok("rel", ch, s, e))
            elif ch in "+-*/^_!()[]{}|%'":
                out.append(Tok("op", ch, s, e))
            elif ch == ",":
                out.append(Tok("comma", ch, s, e))
            elif ch in "&~$":
                continue
            elif ch in ';:.?"':
                out.append(Tok("sep", ch, s, e))
            elif ch == "\u2212":
                out.append(Tok("op", "-", s, e))
            else:
                out.append(Tok("bad", ch, s, e))
    return _post_tex(out, text)


def _match_brace(toks, i, open_t="{", close_t="}"):
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.k == "op" and t.t == open_t:
            depth += 1
        elif t.k == "op" and t.t == close_t:
            depth -= 1
            if depth == 0:
                return j
    return None


def _post_tex(toks: list[Tok], text: str) -> list[Tok]:
    out: list[Tok] = []
    i, n = 0, len(toks)
    drop: set[int] = set()
    while i < n:
        if i in drop:
            i += 1
            continue
        t = toks[i]
        # degrees: ^\circ, ^{\circ}
        if t.k == "op" and t.t == "^" and i + 1 < n:
            nx = toks[i + 1]
            if nx.k == "circ":
                i += 2
                continue
            if _is_op(nx, "{") and i + 3 < n and toks[i + 2].k == "circ" and _is_op(toks[i + 3], "}"):
                i += 4
                continue
        if t.k == "circ":
            i += 1
            continue
        if t.k == "group":
            j = i + 1
            if j < n and _is_op(toks[j], "{"):
                k = _match_brace(toks, j)
                if k is None:
                    out.append(Tok("sep", t.t, t.s, t.e))
                    i = n
                    continue
                inner = text[toks[j].e : toks[k].s].strip()
                if t.t in NAME_CMDS:
                    if inner in FUNCS:
                        out.append(Tok("func", inner, t.s, toks[k].e))
                    elif re.fullmatch(r"[A-Za-z]", inner):
                        out.append(Tok("var", inner, t.s, toks[k].e))
                    # units and other names vanish
                elif t.t in ("\\begin", "\\end") and re.fullmatch(
                    r"[pbv]?matrix|array|cases|aligned|split", inner
                ):
                    out.append(Tok("sep", t.t, t.s, toks[k].e))
                else:
                    out.append(Tok("sep", t.t, t.s, toks[k].e))
                i = k + 1
                continue
            out.append(Tok("sep", t.t, t.s, t.e))
            i += 1
            continue
        if t.k == "cmd" and t.t == "boxed" and i + 1 < n and _is_op(toks[i + 1], "{"):
            k = _match_brace(toks, i + 1)
            if k is not None:
                drop.add(k)
                i += 2
                continue
        if t.k == "var" and not t.t.startswith("["):
            name, e = t.t, t.e
            j = i + 1
            if j < n and _is_op(toks[j], "_"):
                if j + 1 < n and (toks[j + 1].k in ("num", "var") or toks[j + 1].t == "i"):
                    sub = toks[j + 1]  # x_i stays an index where i is the imaginary unit
                    name += "_" + (sub.t[0] if sub.k == "num" else sub.t)
                    if sub.k == "num" and len(sub.t) > 1:  # x_12 is x_1 then 2 in TeX; keep it as an index
                        name += sub.t[1:]
                    e = sub.e
                    j += 2
                elif j + 1 < n and _is_op(toks[j + 1], "{"):
                    k = _match_brace(toks, j + 1)
                    if k is None:
                        out.append(Tok("bad", "_", toks[j].s, toks[j].e))
                        i = n
                        continue
                    name += "_{" + re.sub(r"\s+", "", text[toks[j + 1].e : toks[k].s]) + "}"
                    e = toks[k].e
                    j = k + 1
            while j < n and _is_op(toks[j], "'"):
                name += "'"
                e = toks[j].e
                j += 1
            out.append(Tok("var", name, t.s, e))
            i = j
            continue
        out.append(t)
        i += 1
    return out


def tokenize_plain(text: str, s0: int, e0: int, ctx) -> list[Tok]:
    out: list[Tok] = []
    pos = s0
    while pos < e0:
        m = PLAIN_RE.match(text, pos, e0)
        if m is None:  # pragma: no cover
            break
        s, e = m.start(), m.end()
        pos = e
        ph, num, word, notes, ws, ch = m.groups()
        if ws:
            if (
                "\n" in ws
                and out
                and out[-1].k not in ("sep", "op", "rel")
                and text[e : e + 1] not in ("+", "-", "*", "/", "=", "\u00d7", "\u00b7", "\u2212")
            ):
                # a line break ends a step (no product across it), unless an operator ends the line or
                # starts the next
                out.append(Tok("sep", "\n", s, s))
            continue
        if notes:
            end = ctx.note_end.get(s)
            if end is not None:
                pos = end
                continue
            out.append(Tok("sep", notes, s, e))
            continue
        if ph:
            key = ctx.key_at(s)
            out.append(Tok("unk", ph, s, e, key) if key is not None else Tok("sep", ph, s, e))
        elif num:
            out.append(Tok("num", num.replace(",", ""), s, e))
        elif word:
            if word in ("x", "X", "times") and out and _value_end(out[-1]):
                nxt = re.match(r"\s*(\$\s*)?[\d.(\[]", text[pos:e0])
                if nxt:
                    out.append(Tok("op", "*", s, e))
                    continue
            if _plain_letter(word, out, text, pos, e0):
                out.append(Tok("var", word, s, e))
                continue
            out.append(Tok("sep", word, s, e))
        else:
            if ch in "=":
                out.append(Tok("rel", "=", s, e))
            elif ch in "<>":
                out.append(Tok("rel", ch, s, e))
            elif ch in "+-*/^()%[]":
                out.append(Tok("op", ch, s, e))
            elif ch in "\u00d7\u00b7\u2219":
                out.append(Tok("op", "*", s, e))
            elif ch == "\u00f7":
                out.append(Tok("op", "/", s, e))
            elif ch == "\u2212":
                out.append(Tok("op", "-", s, e))
            elif ch in "$\u20ac\u00a3":
                continue
            else:
                out.append(Tok("sep", ch, s, e))
    return out


#: after a one-letter word: an operator or relation that makes it a quantity (``3*x``, ``B - 12 = 16``)
PLAIN_LETTER_NEXT_RE = re.compile(r"[ \t]*(?:[-+*/=^)]|<<)")


def _plain_letter(word: str, out: list[Tok], text: str, pos: int, end: int) -> bool:
    """A one-letter word of plain text that is an algebra letter ("Let x be ...", then ``x+3*x=380``):
    an operator or relation right before or after it. "a", "A" and "I" stay words."""
    if len(word) != 1 or word in "aAI":
        return False
    if out and out[-1].k in ("num", "unk") and out[-1].e == pos - 1:
        return True  # `3x`, `[NUMBER]x`: a coefficient written against its letter
    if out and out[-1].k in ("op", "rel") and out[-1].t not in ("%", ")", "]") and out[-1].e >= pos - 3:
        return True
    if out and out[-1].k == "num":
        return False  # `40 s = [N] s`: a unit after its number
    return PLAIN_LETTER_NEXT_RE.match(text, pos, end) is not None


def _value_end(t: Tok) -> bool:
    return t.k in ("num", "unk", "var", "const") or _is_op(t, ")", "]", "}", "%", "!", "|", "}s")


# --------------------------------------------------------------------------------------------- parser


class PErr(Exception):
    pass


class Parser:
    """Recursive descent over one side's tokens. Nodes are tuples; explicit operations are marked so that a
    literal value (`\\frac{14}{3}`, `3\\sqrt2`, `-5`) can be told from a computation (`6 \\cdot 7`)."""

    def __init__(self, toks: list[Tok], record: list | None = None):
        self.t = list(toks)
        self.i = 0
        self.abs_depth = 0
        self.in_exp = 0
        self.record = record

    def peek(self, k=0):
        j = self.i + k
        return self.t[j] if j < len(self.t) else None

    def next(self):
        t = self.peek()
        if t is None:
            raise PErr("end")
        self.i += 1
        return t

    def expect_op(self, *texts):
        t = self.next()
        if not (t.k == "op" and t.t in texts):
            raise PErr(f"expected {texts}, got {t}")
        return t

    def _rec(self, node, i0, i1):
        if self.record is not None and self.in_exp == 0 and i1 > i0:
            self.record.append((node, self.t[i0].s, self.t[i1 - 1].e))

    def side(self):
        i0 = self.i
        node = self.expr_list()
        if self.i != len(self.t):
            raise PErr(f"trailing {self.peek()}")
        self._rec(node, i0, self.i)
        return node

    def expr_list(self, closers=()):
        first = self.expr()
        if self.peek() is not None and self.peek().k == "comma":
            items = [first]
            while self.peek() is not None and self.peek().k == "comma":
                self.next()
                items.append(self.expr())
            return ("tuple", items, "list")
        return first

    def expr(self):
        i0 = self.i
        t = self.peek()
        if _is_op(t, "pm", "mp"):
            self.next()
            right = self.expr()
            return ("pm", None, right)
        left = self.signed_term()
        terms = [(1, left)]
        self._rec(left, i0, self.i)
        while True:
            t = self.peek()
            if _is_op(t, "+", "-"):
                self.next()
                j0 = self.i
                term = self.term()
                self._rec(term, j0, self.i)
                terms.append((1 if t.t == "+" else -1, term))
            elif _is_op(t, "pm", "mp"):
                self.next()
                right = self.expr()
                base = terms[0][1] if len(terms) == 1 else ("add", terms)
                return ("pm", base, right)
            else:
                break
        return terms[0][1] if len(terms) == 1 else ("add", terms)

    def signed_term(self):
        t = self.peek()
        if _is_op(t, "-"):
            self.next()
            return ("neg", self.signed_term())
        if _is_op(t, "+"):
            self.next()
            return self.signed_term()
        return self.term()

    def starts_atom(self, t, prev):
        if t is None:
            return False
        if t.k in ("unk", "var", "const", "func"):
            return True
        if t.k == "num":
            return False
        if t.k == "cmd":
            return True
        if t.k == "op":
            if t.t in ("(", "[", "{", "{s", "lfloor", "lceil"):
                return True
            if t.t == "|" and self.abs_depth == 0:
                return True
        return False

    def term(self):
        node = self.factor()
        while True:
            t = self.peek()
            if _is_op(t, "*", "/"):
                self.next()
                j0 = self.i
                if _is_op(self.peek(), "-"):
                    self.next()
                    nxt = ("neg", self.factor())
                else:
                    nxt = self.factor()
                self._rec(nxt, j0, self.i)
                node = ("mul", node, nxt, True) if t.t == "*" else ("div", node, nxt, True)
            elif self.starts_atom(t, node):
                j0 = self.i
                nxt = self.factor()
                self._rec(nxt, j0, self.i)
                if (
                    node[0] == "num"
                    and node[1].denominator == 1
                    and nxt[0] == "div"
                    and not nxt[3]
                    and nxt[1][0] == "num"
                    and nxt[2][0] == "num"
                    and 0 < nxt[1][1] < nxt[2][1]
                ):
                    node = ("mixed", node, nxt)
                else:
                    node = ("mul", node, nxt, False)
            else:
                break
        return node

    def factor(self):
        base = self.postfix(self.atom())
        if _is_op(self.peek(), "^"):
            self.next()
            self.in_exp += 1
            try:
                ex = self.small_arg(exp=True)
            finally:
                self.in_exp -= 1
            base = self.postfix(("pow", base, ex))
        return base

    def postfix(self, node):
        while True:
            t = self.peek()
            if _is_op(t, "!"):
                self.next()
                node = ("fact", node)
            elif _is_op(t, "%"):
                self.next()
                node = ("pct", node)
            else:
                return node

    def split_num(self):
        """TeX reads one digit after \\frac, \\sqrt and ^ without braces: split the number token."""
        t = self.peek()
        if t is not None and t.k == "num" and len(t.t) > 1 and t.t[0].isdigit():
            first = Tok("num", t.t[0], t.s, t.s + 1)
            rest = Tok("num", t.t[1:], t.s + 1, t.e)
            self.t[self.i : self.i + 1] = [first, rest]

    def small_arg(self, exp=False):
        t = self.peek()
        if _is_op(t, "{"):
            self.next()
            node = self.expr_list()
            self.expect_op("}")
            return node
        if t is not None and t.k == "num":
            self.split_num()
            t = self.next()
            return ("num", Fraction(t.t))
        if exp and _is_op(t, "-"):
            self.next()
            return ("neg", self.small_arg(exp=True))
        if t is not None and t.k in ("var", "unk", "const"):
            return self.atom()
        return self.atom()

    def group(self, close):
        node = self.expr_list()
        t = self.next()
        if not (t.k == "op" and t.t in close):
            raise PErr("unclosed group")
        return node, t.t

    def atom(self):
        t = self.next()
        k = t.k
        if k == "num":
            return ("num", Fraction(t.t))
        if k == "unk":
            return ("unk", t.key)
        if k == "var":
            if len(t.t) == 1 and t.t in FUNC_LETTERS and _is_op(self.peek(), "("):
                self.next()
                arg, _ = self.group((")",))
                return ("var", f"{t.t}({node_str(arg)})")
            return ("var", t.t)
        if k == "const":
            return ("const", t.t)
        if k == "op":
            if t.t in ("(", "["):
                node, close = self.group((")", "]"))
                if node[0] == "tuple":
                    return ("tuple", node[1], t.t + close)
                return node
            if t.t == "{":
                node, _ = self.group(("}",))
                return node
            if t.t == "{s":
                node, _ = self.group(("}s",))
                return ("tuple", node[1] if node[0] == "tuple" else [node], "set")
            if t.t == "lfloor":
                node, _ = self.group(("rfloor",))
                return ("floor", node)
            if t.t == "lceil":
                node, _ = self.group(("rceil",))
                return ("ceil", node)
            if t.t == "|":
                self.abs_depth += 1
                try:
                    node = self.expr()
                    self.expect_op("|")
                finally:
                    self.abs_depth -= 1
                return ("abs", node)
            raise PErr(f"op {t.t}")
        if k == "cmd":
            if t.t == "frac":
                a = self.small_arg()
                b = self.small_arg()
                return ("div", a, b, False)
            if t.t == "sqrt":
                idx = None
                if _is_op(self.peek(), "["):
                    self.next()
                    self.in_exp += 1
                    try:
                        idx, _ = self.group(("]",))
                    finally:
                        self.in_exp -= 1
                return ("sqrt", self.small_arg(), idx)
            if t.t == "binom":
                a = self.small_arg()
                b = self.small_arg()
                return ("binom", a, b)
            if t.t == "boxed":
                return self.small_arg()
        if k == "func":
            base = None
            if _is_op(self.peek(), "_"):
                self.next()
                self.in_exp += 1
                try:
                    base = self.small_arg()
                finally:
                    self.in_exp -= 1
            if _is_op(self.peek(), "^"):
                raise PErr("func power")
            arg = self.factor()
            return ("func", t.t, arg, base)
        raise PErr(f"token {t}")


def node_str(n) -> str:
    if n is None:
        return ""
    if n[0] in ("num",):
        return fmt_val(n[1])
    if n[0] in ("var", "unk", "const"):
        return str(n[1])
    return n[0] + "(" + ",".join(node_str(c) if isinstance(c, tuple) else str(c) for c in n[1:]) + ")"


def walk(n):
    yield n
    for c in n[1:]:
        if isinstance(c, tuple) and c and isinstance(c[0], str):
            yield from walk(c)
        elif isinstance(c, list):
            for x in c:
                if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int):
                    yield from walk(x[1])
                elif isinstance(x, tuple):
                    yield from walk(x)


def free_syms(n) -> tuple[set, set]:
    unk, var = set(), set()
    for x in walk(n):
        if x[0] == "unk":
            unk.add(x[1])
        elif x[0] == "var":
            var.add(x[1])
    return unk, var


EXPLICIT_KINDS = {"add", "pow", "fact", "binom", "func", "abs", "floor", "ceil"}


def is_literal(n) -> bool:
    """A value written out, with no operation a reader would have to carry out."""
    k = n[0]
    if k == "num" or (k == "const" and n[1] == "pi"):
        return True
    if k in ("neg", "pct"):
        return is_literal(n[1])
    if k == "mixed":
        return True
    if k == "div":
        if not n[3]:
            return is_literal(n[1]) and is_literal(n[2])
        a, b = n[1], n[2]  # slash fraction: reduced a/b with integer literals only
        return (
            a[0] == "num"
            and b[0] == "num"
            and a[1].denominator == 1
            and b[1].denominator == 1
            and b[1] > 1
            and math.gcd(int(a[1]), int(b[1])) == 1
        )
    if k == "mul":
        return not n[3] and is_literal(n[1]) and _is_unit(n[2]) and n[1][0] != "mul"
    if k == "sqrt":
        return n[2] is None and n[1][0] == "num"
    return False


def _is_unit(n) -> bool:
    """The irrational factor of a written value: \\sqrt{3}, \\pi, \\sqrt{3}\\pi."""
    if n[0] == "const" and n[1] == "pi":
        return True
    if n[0] == "sqrt":
        return n[2] is None and n[1][0] == "num"
    if n[0] == "mul" and not n[3]:
        return _is_unit(n[1]) and _is_unit(n[2])
    return False


def is_computation(n) -> bool:
    return n is not None and n[0] not in ("num", "var", "unk", "const") and not is_literal(n)


def has_explicit(n) -> bool:
    for x in walk(n):
        k = x[0]
        if k in EXPLICIT_KINDS or (k in ("mul", "div") and x[3]):
            if k == "div" and is_literal(x):
                continue
            return True
    return False


def ev(n, env: dict):
    k = n[0]
    if k == "num" or k == "val":
        return n[1]
    if k in ("unk", "var"):
        v = env.get(n[1])
        if v is None:
            raise Unknown(n[1])
        return v
    if k == "const":
        if n[1] == "pi":
            return math.pi
        if n[1] == "i":
            return 1j
        raise EvalError("infinity")
    if k == "add":
        tot = Fraction(0)
        for sign, t in n[1]:
            v = ev(t, env)
            tot = tot + v if sign > 0 else tot - v
        return _fin(tot)
    if k == "neg":
        return -ev(n[1], env)
    if k == "mul":
        return _fin(ev(n[1], env) * ev(n[2], env))
    if k == "div":
        return v_div(ev(n[1], env), ev(n[2], env))
    if k == "mixed":
        w, f = ev(n[1], env), ev(n[2], env)
        return w + f
    if k == "pow":
        return v_pow(ev(n[1], env), ev(n[2], env))
    if k == "sqrt":
        idx = ev(n[2], env) if n[2] is not None else Fraction(2)
        if not isinstance(idx, Fraction) or idx.denominator != 1 or idx <= 0:
            raise EvalError("root index")
        return v_pow(ev(n[1], env), Fraction(1, int(idx)))
    if k == "pct":
        return v_div(ev(n[1], env), Fraction(100))
    if k == "fact":
        v = ev(n[1], env)
        if not isinstance(v, Fraction) or v.denominator != 1 or not 0 <= v <= 300:
            raise EvalError("factorial")
        return Fraction(math.factorial(int(v)))
    if k == "binom":
        a, b = ev(n[1], env), ev(n[2], env)
        if not all(isinstance(x, Fraction) and x.denominator == 1 for x in (a, b)) or not 0 <= a <= 100000:
            raise EvalError("binom")
        return Fraction(math.comb(int(a), int(b))) if b >= 0 else Fraction(0)
    if k == "abs":
        return abs(ev(n[1], env))
    if k == "floor":
        return Fraction(math.floor(ev(n[1], env)))
    if k == "ceil":
        return Fraction(math.ceil(ev(n[1], env)))
    if k == "func":
        name, arg = n[1], ev(n[2], env)
        base = ev(n[3], env) if n[3] is not None else None
        try:
            x = float(arg)
            if name in ("log", "lg") and base is not None:
                r = math.log(x) / math.log(float(base))
            elif name == "lg" or (name == "log" and base is None):
                r = math.log10(x)
            elif name == "ln":
                r = math.log(x)
            elif name == "exp":
                r = math.exp(x)
            elif name in ("sin", "cos", "tan"):
                r = getattr(math, name)(x)
            elif name == "sec":
                r = 1 / math.cos(x)
            elif name == "csc":
                r = 1 / math.sin(x)
            elif name == "cot":
                r = 1 / math.tan(x)
            elif name in ("arcsin", "arccos", "arctan"):
                r = getattr(math, "a" + name[3:])(x)
            else:
                raise EvalError(name)
        except (ValueError, ZeroDivisionError, OverflowError) as exc:
            raise EvalError(name) from exc
        if name in ("log", "lg") and base is not None:
            rr = round(r)
            exact = isinstance(base, Fraction) and isinstance(arg, Fraction) and abs(rr) < 200
            if abs(r - rr) < 1e-12 and exact and base**rr == arg:
                return Fraction(rr)
        return _fin(r)
    raise EvalError(f"not scalar: {k}")


def try_ev(n, env=None):
    if n is None:
        return None
    try:
        return ev(n, env or {})
    except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError, RecursionError):
        return None


def pm_values(n, env=None) -> list | None:
    if n[0] != "pm":
        return None
    a = Fraction(0) if n[1] is None else try_ev(n[1], env)
    b = try_ev(n[2], env)
    if a is None or b is None:
        return None
    return [a + b, a - b]


def const_value(node, names):
    """The value of an expression whose variables cancel (`\\frac{-z^2}{z^2}`, `2(n+7)-(2n+1)`), else None."""
    rng = random.Random(7)
    vals = []
    for _ in range(3):
        env = {nm: Fraction(rng.randint(2, 97), rng.randint(2, 13)) for nm in names}
        v = try_ev(node, env)
        if v is None or (vals and not eq_val(v, vals[0])):
            return None
        vals.append(v)
    return vals[0]


def sym_equal(a, b, names) -> bool:
    """Two ASTs with free variables compared at random points."""
    rng = random.Random(12345)
    for _ in range(2):
        env = {nm: Fraction(rng.randint(2, 97), rng.randint(2, 13)) for nm in names}
        va, vb = try_ev(a, env), try_ev(b, env)
        if va is None or vb is None or not eq_val(va, vb):
            return False
    return True


def parse_tokens(toks: list[Tok], record=None):
    if not toks:
        return None
    try:
        return Parser(toks, record).side()
    except (PErr, ValueError, ZeroDivisionError, RecursionError):
        return None


# --------------------------------------------------------------------------------------------- gold


WORD_NUMS = _table(
    "zero=0 one=1 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 twelve=12"
    " thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 nineteen=19 twenty=20"
    " thirty=30 forty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90 hundred=100 thousand=1000"
    " million=1000000 dozen=12"
)
ORDINALS = _table(
    "first=1 second=2 third=3 fourth=4 fifth=5 sixth=6 seventh=7 eighth=8 ninth=9 tenth=10 eleventh=11"
    " twelfth=12 thirteenth=13 fourteenth=14 fifteenth=15 sixteenth=16 seventeenth=17 eighteenth=18"
    " nineteenth=19 twentieth=20 thirtieth=30 fortieth=40 fiftieth=50 sixtieth=60 seventieth=70"
    " eightieth=80 ninetieth=90 hundredth=100 thousandth=1000"
)
FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourths": 4}

NUMBER_WORD_RE = re.compile(
    r"\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]+)?"
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]+)?"
    r"(?:"
    + "|".join(
        sorted(
            list(WORD_NUMS) + list(ORDINALS) + [w + "s" for w in ORDINALS] + list(FRACTION_WORDS),
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.I,
)


def word_values(phrase: str) -> list:
    """Values a number-word phrase can stand for: 'six' 6, 'sixth' 6 and 1/6, 'two thirds' 2/3, 'half' 1/2."""
    words = re.split(r"[\s-]+", phrase.lower().strip())
    vals: list = []
    last = words[-1]
    head = words[:-1]
    mult = Fraction(1)
    if head and head[0] in ("a", "one"):
        mult = Fraction(1)
        head = head[1:]
    tens = 0
    for w in head:
        if w in WORD_NUMS:
            tens += WORD_NUMS[w]
    if last in WORD_NUMS:
        base = WORD_NUMS[last]
        if base in (100, 1000, 1000000, 12) and tens:
            vals.append(Fraction(tens * base))
        else:
            vals.append(Fraction(tens + base))
        if words[0] == "a" and base in (100, 1000, 12):
            vals.append(Fraction(base))
    stem = last[:-1] if last.endswith("s") and last[:-1] in ORDINALS else last
    if stem in ORDINALS or last in FRACTION_WORDS:
        d = ORDINALS.get(stem) or FRACTION_WORDS.get(last)
        if d is not None:
            num = tens if tens else 1
            if stem in ORDINALS and not last.endswith("s") and last not in FRACTION_WORDS:
                vals.append(Fraction(tens + ORDINALS[stem]) if not head or tens else Fraction(ORDINALS[stem]))
            if d > 2 or last in FRACTION_WORDS:
                vals.append(Fraction(num, d) * mult)
    return vals


def norm_tex(s: str) -> str:
    s = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg|bigl|bigr|Bigl|Bigr)(?![A-Za-z])\.?", "", s)
    s = re.sub(r"\\[dtc]frac", r"\\frac", s)
    s = re.sub(r"\\[dt]binom", r"\\binom", s)
    for _ in range(3):
        s = re.sub(
            r"\\(?:text|textbf|textit|textrm|mathrm|mbox|textnormal|mathbf|operatorname)\s*\{([^{}]*)\}",
            r"\1",
            s,
        )
    s = re.sub(r"\^\s*\{?\\circ\}?|\\degree", "", s)
    s = re.sub(r"\\[,;:! ]|~|\\displaystyle|\\\$|\$", "", s)
    s = s.replace("\\%", "%").replace("\\cdot", "*").replace("\\times", "*").replace("\\le ", "\\le")
    s = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac\s*(\d)\s*\{", r"\\frac{\1}{", s)
    s = re.sub(r"\\sqrt\s*(\d)", r"\\sqrt{\1}", s)
    s = re.sub(r"\s+", "", s)
    return s.rstrip(".").lower()


class Gold:
    def __init__(self, raw: str, imag: bool = False):
        """imag: a row about complex numbers, where `i` is the imaginary unit (1 - 12i a complex value)."""
        self.raw = (raw or "").strip()
        self.compact = re.sub(r"\s+", "", self.raw.strip("$ "))
        self.norm = norm_tex(self.raw)
        core = re.sub(
            r"\\text\{\s*[a-zA-Z ]*\}|\\mbox\{[^{}]*\}|\^\s*\{?\\circ\}?|\\\$|\\%|%|\$|\\!|\s", "", self.raw
        )
        core = core.replace("{,}", ",")
        self.plain_number = bool(re.fullmatch(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+", core))
        self.value = None
        self.sym = None
        self.sym_names: set = set()
        self.comps: list | None = None
        self.ordered = True
        self.interval = None
        self.hull = None  # (0,9) \cup (9,36): the interval (0,36) it fills but for points
        self.textual = False
        if self.plain_number:
            self.value = Fraction(core.replace(",", ""))
            return
        letters = re.sub(r"\\[A-Za-z]+|\{|\}", " ", self.raw)
        if re.search(r"[A-Za-z]{3,}", letters) and not re.search(r"\\(frac|sqrt|pi|infty)", self.raw):
            self.textual = True
        # "x \in [-2,7]": the interval after its variable
        body = re.sub(r"^\s*\$?\s*[A-Za-z]\s*\\in(?![A-Za-z])", "", self.raw).strip().strip("$")
        self.interval = parse_interval_text(body)
        self.hull = union_hull(body)
        toks = tokenize_tex(self.raw, 0, len(self.raw), IMAG_NOCTX if imag else NOCTX)
        rels = [t for t in toks if t.k == "rel"]
        if rels and all(t.t == "=" for t in rels) and len(rels) == 1:  # x=5: the value is the right side
            i = toks.index(rels[0])
            lhs = parse_tokens(toks[:i])
            if lhs is not None and lhs[0] == "var":
                toks = toks[i + 1 :]
        elif rels:
            iv = interval_of_chain(toks)
            if iv is not None:
                self.interval = iv
            return
        if any(t.k == "comma" for t in toks) and not any(_is_op(t, "(", "[", "{s") for t in toks):
            parts, cur = [], []
            for t in toks:
                if t.k == "comma":
                    parts.append(cur)
                    cur = []
                else:
                    cur.append(t)
            parts.append(cur)
            vals = [try_ev(parse_tokens(p)) for p in parts]
            if all(v is not None for v in vals):
                self.comps, self.ordered = vals, False
            return
        try:
            node = Parser(toks).expr_list()
        except (PErr, ValueError, ZeroDivisionError, RecursionError):
            return
        if node[0] == "tuple":
            # an element written with a plus-minus (`\\{1\\pm\\sqrt{5},-2\\}`) is two elements
            unordered = node[2] in ("set", "list")  # (2, \\pm 3) is a point, no four elements
            vals = [
                v
                for c in node[1]
                for v in (pm_values(c) or [None] if c[0] == "pm" and unordered else [try_ev(c)])
            ]
            if all(v is not None for v in vals):
                self.comps = vals
                self.ordered = node[2] not in ("set", "list")
            return
        if node[0] == "pm":
            vals = pm_values(node)
            if vals is not None:
                self.comps, self.ordered = vals, False
            return
        self.value = try_ev(node)
        if self.value is None:
            unk, var = free_syms(node)
            if var and not unk:
                self.sym, self.sym_names = node, var

    def matches(self, v) -> bool:
        return self.value is not None and eq_val(v, self.value)

    def matches_node(self, node) -> bool:
        if self.sym is not None:
            unk, var = free_syms(node)
            return (
                not unk and var <= self.sym_names and bool(var) and sym_equal(node, self.sym, self.sym_names)
            )
        return self.matches(try_ev(node))

    @property
    def checkable(self) -> bool:
        return (
            self.value is not None
            or self.sym is not None
            or self.comps is not None
            or self.interval is not None
            or self.textual
            or len(self.norm) >= 2
        )


class _NoCtx:
    note_end: dict = {}
    imag = False

    def key_at(self, s):  # noqa: ARG002
        return None


class _ImagCtx(_NoCtx):
    imag = True


NOCTX = _NoCtx()
IMAG_NOCTX = _ImagCtx()

COMPLEX_WORDS_RE = re.compile(r"(?i)\bcomplex|\bimaginary")
#: a gold written as a complex number: a standalone i (1 - 12i, 6+9i, \frac{1}{2} - \frac{3}{2}i, -i) and no
#: other letter (commands such as \frac, \sqrt, \pi aside)
COMPLEX_GOLD_RE = re.compile(r"(?<![A-Za-z\\_])i(?![A-Za-z])")


def is_complex_row(question: str, gold: str) -> bool:
    """A row about complex numbers, where a standalone `i` is the imaginary unit: the question speaks of
    complex or imaginary numbers, or the gold is a complex number written with `i` and no other letter."""
    if COMPLEX_WORDS_RE.search(question or ""):
        return True
    g = re.sub(r"\\(?:frac|dfrac|tfrac|sqrt|pi|left|right|cdot)(?![A-Za-z])|\\[,;!]", " ", gold or "")
    g = re.sub(r"\\text\{\s*\}", " ", g)
    letters = re.findall(r"\\[A-Za-z]+|[A-Za-z]", g)
    return bool(COMPLEX_GOLD_RE.search(g)) and set(letters) == {"i"} and "_" not in g


#: an interval; an end may be a braced expression (``\\frac{3}{5}``), never a bracket or a comma
INTERVAL_RE = re.compile(
    r"([(\[])\s*(-?\\infty|[^,()\[\]]+?)\s*,\s*(-?\\infty|\+?\\infty|[^,()\[\]]+?)\s*([)\]])"
)


def _endpoint(txt: str):
    t = txt.replace(" ", "")
    if t in ("\\infty", "+\\infty", "\\infty"):
        return math.inf
    if t == "-\\infty":
        return -math.inf
    toks = tokenize_tex(txt, 0, len(txt), NOCTX)
    return try_ev(parse_tokens(toks))


def parse_interval_text(raw: str):
    s = re.sub(r"\\left|\\right|\s", "", raw)
    m = INTERVAL_RE.fullmatch(s)
    if not m:
        return None
    lo, hi = _endpoint(m.group(2)), _endpoint(m.group(3))
    if lo is None or hi is None:
        return None
    if lo == math.inf or hi == -math.inf:
        return None
    if lo != -math.inf and hi != math.inf and not (float(lo) < float(hi)):
        return None
    return (lo, m.group(1) == "[", hi, m.group(4) == "]")


def union_hull(body: str):
    """A union of intervals (the gold less a leading ``x \\in``) that leaves out only single points between
    its pieces, as the interval it fills (``(0,9) \\cup (9,36)`` -> (0, open, 36, open)); None for anything
    else or an unbounded hull."""
    parts = [parse_interval_text(x) for x in body.split("\\cup")]
    if len(parts) < 2 or any(x is None for x in parts):
        return None
    for left, right in zip(parts, parts[1:], strict=False):
        if left[3] or right[1] or not eq_val(left[2], right[0]):
            return None
    lo, hi = parts[0][0], parts[-1][2]
    if lo == -math.inf and hi == math.inf:
        return None
    return (lo, parts[0][1], hi, parts[-1][3])


def interval_of_chain(toks: list[Tok]):
    """`x < -3`, `-2 \\le x < 5`, `3 > x` as an interval (lo, lo_closed, hi, hi_closed)."""
    sides, rels, cur = [], [], []
    for t in toks:
        if t.k == "rel":
            sides.append(cur)
            rels.append(t.t)
            cur = []
        else:
            cur.append(t)
    sides.append(cur)
    if not 1 <= len(rels) <= 2 or any(r not in ("<", ">", "<=", ">=") for r in rels):
        return None
    nodes = [parse_tokens(s) for s in sides]
    if any(n is None for n in nodes):
        return None
    var_idx = [i for i, n in enumerate(nodes) if n[0] == "var"]
    if len(var_idx) != 1:
        return None
    vi = var_idx[0]
    vals = [None if i == vi else try_ev(n) for i, n in enumerate(nodes)]
    if any(v is None for i, v in enumerate(vals) if i != vi):
        return None
    lo, lo_c, hi, hi_c = -math.inf, False, math.inf, False
    for i, r in enumerate(rels):
        a, b = i, i + 1
        less = r in ("<", "<=")
        closed = r.endswith("=")
        if a == vi:  # x < b
            if less:
                hi, hi_c = vals[b], closed
            else:
                lo, lo_c = vals[b], closed
        elif b == vi:  # a < x
            if less:
                lo, lo_c = vals[a], closed
            else:
                hi, hi_c = vals[a], closed
        else:
            return None
    return (lo, lo_c, hi, hi_c)


def same_interval(a, b) -> bool:
    def endeq(x, y):
        if isinstance(x, float) and math.isinf(x) or isinstance(y, float) and math.isinf(y):
            return x == y
        return eq_val(x, y)

    return (
        endeq(a[0], b[0])
        and endeq(a[2], b[2])
        and (a[1] == b[1] or math.isinf(a[0]))
        and (a[3] == b[3] or math.isinf(a[2]))
    )


# --------------------------------------------------------------------------------------------- row context

MATH_OPEN_RE = re.compile(
    r"(?<!\\)\$\$|(?<!\\)\$|\\\[|\\\(|\\begin\{(align|equation|eqnarray|gather|multline|flalign|displaymath)\*?\}|\[asy\]"
)
WORDTOK_RE = re.compile(r"\[[A-Z][A-Z0-9]*(?:_\d+)?\]|[A-Za-z]+|\d+(?:\.\d+)?")
NOTE_RE = re.compile(r"<<([^<>\n]*)>>")
STEP_RE = re.compile(
    r"(?i)\b(?:step|case|part|stage|phase|method|solution|lemma|claim|subcase|round|equation|figure|line|row)s?\s*\(?$"
)
LIST_MARK_RE = re.compile(r"(?m)^[ \t]*(?:[-*][ \t]+)?\(?(\d+)[.)](?=[ \t]|$)")


class Side:
    __slots__ = ("node", "s", "e", "unk", "var", "explicit", "lone", "copied")

    def __init__(self, node, s, e):
        self.node, self.s, self.e = node, s, e
        self.copied = False
        if node is not None:
            self.unk, self.var = free_syms(node)
            self.explicit = is_computation(node)
            self.lone = node[1] if node[0] == "unk" else None
        else:
            self.unk, self.var, self.explicit, self.lone = set(), set(), False, None


#: a number written right after a calculator note (its result, as GSM8K writes "<<2*3=6>>6")
#: (not a percent, a fraction or a number going on: "<<5/100=[N]>>5%", "<<1/2=[N]>>1/2")
SHOWN_AFTER_NOTE_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\d|[,.]\d|\s*(?:%|/|\\%))")


class RowCtx:
    def __init__(self, rec: dict):
        self.id = rec["id"]
        self.question = rec.get("question") or ""
        self.trace = rec.get("trace") or ""
        self.masked = rec.get("masked") or ""
        self.imag = is_complex_row(self.question, rec.get("gold") or "")
        self.gold = Gold(rec.get("gold") or "", self.imag)
        m = self.masked
        trace_names = set(PH_RE.findall(self.trace)) | set(PH_RE.findall(self.question))
        self.ph: list[tuple[int, int, str]] = []
        for x in PH_RE.finditer(m):
            name = x.group(1)
            if KNOWN_PH.match(name) or name not in trace_names:
                self.ph.append((x.start(), x.end(), name))
        style = rec.get("style")
        if style not in ("typed", "indexed"):
            style = "indexed" if any(n.startswith("BLANK_") for _, _, n in self.ph) else "typed"
        self.style = style
        self.ph_at = {s: (e, n) for s, e, n in self.ph}
        self.parent: dict = {}
        self.gsm = "####" in self.trace or "<<" in m
        self.note_end: dict[int, int] = {}
        self.notes: list = []
        for x in NOTE_RE.finditer(m) if self.gsm else ():
            self.note_end[x.start()] = x.end()
        self._link_notes()
        self.asy = [(x.start(), x.end()) for x in re.finditer(r"\[asy\].*?(?:\[/asy\]|$)", m, re.S)]
        self.final_starts = self._final_positions()
        self.segments = self._segments()

    # keys ------------------------------------------------------------------------------------------
    def base_key(self, s):
        name = self.ph_at[s][1]
        if self.style == "indexed" and name.startswith("BLANK_"):
            return "B" + name[6:]
        return f"U{s}"

    def find(self, k):
        while self.parent.get(k, k) != k:
            k = self.parent[k]
        return k

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def key_at(self, s):
        if s not in self.ph_at:
            return None
        return self.find(self.base_key(s))

    def _link_notes(self):
        m = self.masked
        for x in NOTE_RE.finditer(m) if self.gsm else ():
            inner_s = x.start(1)
            body = x.group(1)
            eq = body.rfind("=")
            res_s = inner_s + eq + 1 if eq >= 0 else None
            follow = x.end() if x.end() in self.ph_at else None
            if res_s is not None:
                r = m[res_s : x.end(1)]
                lead = len(r) - len(r.lstrip())
                rs = res_s + lead
                if rs in self.ph_at and self.ph_at[rs][0] == x.end(1) - (len(r) - len(r.rstrip())) and follow:
                    self.union(self.base_key(rs), self.base_key(follow))
            # "<<8-2=[N]>>6": the number the text writes right after the note is its result
            shown = None if follow is not None else SHOWN_AFTER_NOTE_RE.match(m, x.end())
            shown_at = (shown.start(), shown.end()) if shown is not None else None
            self.notes.append(
                (inner_s, inner_s + eq if eq >= 0 else x.end(1), res_s, x.end(1), follow, shown_at)
            )

    def _final_positions(self) -> set[int]:
        m = self.masked
        out: set[int] = set()
        for x in re.finditer(r"\\(?:boxed|fbox)\s*\{", m):
            depth, j = 1, x.end()
            while j < len(m) and depth:
                depth += {"{": 1, "}": -1}.get(m[j], 0)
                j += 1
            for s, _, _ in self.ph:
                if x.end() <= s < j:
                    out.add(s)
        pat = r"(?:####\s*\$?\s*|(?i:answer\s*(?:is|:|=)\s*:?\s*)\$?\\?\(?\s*)(\[[A-Z][A-Z0-9]*(?:_\d+)?\])"
        for x in re.finditer(pat, m):
            if x.start(1) in self.ph_at:
                out.add(x.start(1))
        return out

    def _segments(self):
        m = self.masked
        n = len(m)
        segs: list[tuple[int, int, str]] = []
        if self.gsm:
            return [(0, n, "plain")]
        pos = 0
        while pos < n:
            x = MATH_OPEN_RE.search(m, pos)
            if x is None:
                segs.append((pos, n, "plain"))
                break
            if x.start() > pos:
                segs.append((pos, x.start(), "plain"))
            op = x.group(0)
            if op == "[asy]":
                end = m.find("[/asy]", x.end())
                end = n if end < 0 else end + 6
                for lab in re.finditer(r'label\s*\(\s*"([^"]*)"', m[x.end() : end]):
                    ls = x.end() + lab.start(1)
                    for dm in re.finditer(r"\$([^$]*)\$", lab.group(1)):
                        segs.append((ls + dm.start(1), ls + dm.end(1), "tex"))
                pos = end
                continue
            if op == "$$":
                close = "$$"
            elif op == "$":
                close = "$"
            elif op == "\\[":
                close = "\\]"
            elif op == "\\(":
                close = "\\)"
            else:
                close = "\\end{" + x.group(1)
            if close == "$":
                y = re.compile(r"(?<!\\)\$").search(m, x.end())
                end = y.start() if y else n
            else:
                end = m.find(close, x.end())
                end = n if end < 0 else end
            segs.append((x.end(), end, "tex"))
            if end >= n:
                break
            pos = end + len(close)
            if close.startswith("\\end{"):
                y = m.find("}", end)
                pos = y + 1 if y >= 0 else n
        return segs

    # analysis ----------------------------------------------------------------------------------------
    def build(self):
        """Chains of relations, runs of equal sides, literal pieces, notes."""
        m = self.masked
        self.chains: list[tuple[list[Side], list[str]]] = []
        self.pieces: list[tuple] = []  # (node, s, e) parsed pieces outside exponents
        self.unparsed = 0
        self.n_sides = 0
        seg_toks = [
            (
                mode,
                s0,
                e0,
                tokenize_tex(m, s0, e0, self)
                if mode == "tex"
                else _prose_units(tokenize_plain(m, s0, e0, self)),
            )
            for s0, e0, mode in self.segments
        ]
        for toks in _across_units(m, seg_toks):
            for sides_toks, rels in split_chains(toks):
                sides = []
                for st in sides_toks:
                    self.n_sides += bool(st)
                    if not st:
                        sides.append(Side(None, 0, 0))
                        continue
                    rec: list = []
                    node = parse_tokens(st, rec)
                    if node is None:
                        self.unparsed += 1
                    else:
                        self.pieces.extend(rec)
                    sides.append(Side(node, st[0].s, st[-1].e))
                self.chains.append((sides, rels))
        self.note_eqs: list[tuple[Side, Side, str]] = []  # (expr, result, text)
        for es, ee, rs, re_, follow, shown_at in self.notes:
            expr = Side(parse_tokens(tokenize_plain(m, es, ee, self)), es, ee)
            res = Side(parse_tokens(tokenize_plain(m, rs, re_, self)), rs, re_) if rs is not None else None
            text = m[es - 2 : (follow_end(self, follow) if follow is not None else re_ + 2)]
            if res is not None and res.node is not None and expr.node is not None:
                self.note_eqs.append((expr, res, text))
            if follow is not None and res is not None and res.node is not None and res.lone is None:
                fk = self.key_at(follow)
                self.note_eqs.append((Side(("unk", fk), follow, follow_end(self, follow)), res, text))
            if shown_at is not None and res is not None and res.lone is not None:
                # after the note's own equation: where the note computes its result, that value stands
                shown = Side(parse_tokens(tokenize_plain(m, *shown_at, self)), *shown_at)
                if shown.node is not None:
                    self.note_eqs.append((res, shown, m[es - 2 : shown_at[1]]))
        qn = self.qnorm = _norm_map(self.question)[0]
        for sides, _ in self.chains:
            for sd in sides:
                if sd.node is not None and sd.e > sd.s:
                    t = _norm_map(m[sd.s : sd.e])[0]
                    sd.copied = len(t) >= 3 and not re.fullmatch(r"-?[\d.,]+", t) and t in qn
        self.runs: list[list[Side]] = []
        for sides, rels in self.chains:
            cur = [sides[0]]
            for r, sd in zip(rels, sides[1:], strict=False):
                if r == "=":
                    cur.append(sd)
                else:
                    self.runs.append(cur)
                    cur = [sd]
            self.runs.append(cur)
        self.final_keys = {self.key_at(s) for s in self.final_starts}
        if self.style == "typed":
            self.answer_starts = {s for s, _, n in self.ph if n == "ANSWER"}
        else:
            self.answer_starts = {
                s for s, _, n in self.ph if self.key_at(s) in self.final_keys or n == "ANSWER"
            }
        return self

    def snippet(self, s, e, pad=50) -> str:
        a, b = max(0, s - pad), min(len(self.masked), e + pad)
        t = self.masked[a:b].replace("\n", " ")
        if len(t) > SNIP + 40:
            t = t[: SNIP + 40] + "..."
        return ("..." if a > 0 else "") + t + ("..." if b < len(self.masked) else "")

    def in_asy(self, s) -> bool:
        return any(a <= s < b for a, b in self.asy)

    def in_placeholder(self, s, e) -> bool:
        return any(ps < e and s < pe for ps, pe, _ in self.ph)


UNIT_GAP_RE = re.compile(r"\s*([A-Za-z]{1,12})(?:\s+([A-Za-z]{1,12}))?\s*")
PROSE_WORDS = {
    "and", "or", "is", "are", "was", "so", "then", "which", "that", "we", "to", "of", "the", "an", "if",
    "for", "by", "at", "in", "on", "from", "but", "with", "gives", "get", "plus", "minus", "times", "as",
}  # fmt: skip


def _across_units(m: str, seg_toks: list) -> list[list[Tok]]:
    """Token lists to read chains from, one per segment, except that a step written across math segments
    with unit words between (`$50$ mph $\\times 2$ hours $= [N]$`) is one list: a tex segment ending in a
    value, one or two words that are no prose connective, and a tex segment opening with *, /, + or =."""
    out: list[list[Tok]] = []
    prev_tex = False
    i = 0
    while i < len(seg_toks):
        mode, s0, e0, toks = seg_toks[i]
        if (
            mode == "plain"
            and prev_tex
            and out
            and out[-1]
            and i + 1 < len(seg_toks)
            and seg_toks[i + 1][0] == "tex"
            and seg_toks[i + 1][3]
        ):
            gap = UNIT_GAP_RE.fullmatch(m, s0, e0)
            last, first = out[-1][-1], seg_toks[i + 1][3][0]
            if (
                gap is not None
                and not {w.lower() for w in gap.groups() if w} & PROSE_WORDS
                and (last.k in ("num", "unk") or _is_op(last, ")", "}"))
                and (
                    (first.k == "op" and first.t in ("*", "/", "+")) or (first.k == "rel" and first.t == "=")
                )
            ):
                out[-1] = out[-1] + seg_toks[i + 1][3]
                i += 2
                continue
        out.append(list(toks))
        prev_tex = mode == "tex"
        i += 1
    return out


#: words that join a unit (`ounces per pound`, `$5 an hour`) and count as none
UNIT_JOINERS = {"per", "a", "an", "each"}
#: at most this many unit words after a number (`3 Jack trips`, `2 buckets per Jack trip`)
UNIT_MAX_WORDS = 3
#: words that start a clause after a number (`1 he swallowed`), no unit
UNIT_NOT = _words(
    "he she it they we you i his her him them their its my our your me us who this these those there"
)


def _unit_word(t: Tok) -> bool:
    """A word that can be a unit: two letters at least (a single letter is a variable, `2S`), no prose."""
    return (
        t.k == "sep"
        and t.t.isalpha()
        and 2 <= len(t.t) <= 15
        and t.t.lower() not in PROSE_WORDS
        and t.t.lower() not in UNIT_NOT
    )


def _value_start(toks: list[Tok], j: int) -> bool:
    return j < len(toks) and (toks[j].k in ("num", "unk") or _is_op(toks[j], "("))


def _prose_units(toks: list[Tok]) -> list[Tok]:
    """A prose step whose numbers carry unit words read as the computation it writes: `12 floors/building x
    2 buildings = [N] floors` is 12 * 2 = [N], `16 ounces per pound / 2 ounces/cookie`, `$5/hour x 4 hours`,
    `1.5 km/0.75 hour`, `3 Jack trips * 2 buckets per Jack trip`. After a number or blank, one to three
    unit words (no prose connective), each maybe after `/` or `per` (a rate), are dropped when an operator
    with a value after it (`x` or `times` read as *, an en dash as -) follows them, or `=` when the side
    before them computes (an operator since the last word kept)."""
    out: list[Tok] = []
    n = len(toks)
    i = 0
    computes = False  # an operator since the last separator or relation kept
    while i < n:
        t = toks[i]
        out.append(t)
        i += 1
        if t.k in ("sep", "rel", "comma", "soft"):
            computes = False
        elif t.k == "op" and t.t in ("*", "/", "+", "-"):
            computes = True
        if t.k not in ("num", "unk"):
            continue
        if i < n and toks[i].k == "sep" and toks[i].t == "\u2013" and _value_start(toks, i + 1):
            out.append(Tok("op", "-", toks[i].s, toks[i].e))  # "[N] – 2 = 9": an en dash between values
            computes = True
            i += 1
            continue
        j, words = i, 0
        while j < n and words <= UNIT_MAX_WORDS:
            u = toks[j]
            if _unit_word(u):
                words += u.t.lower() not in UNIT_JOINERS
                j += 1
            elif _is_op(u, "/") and j + 1 < n and _unit_word(toks[j + 1]):
                words += toks[j + 1].t.lower() not in UNIT_JOINERS
                j += 2
            else:
                break
        if not words or words > UNIT_MAX_WORDS or j >= n:
            continue
        nxt = toks[j]
        if (nxt.k == "op" and nxt.t in ("*", "/", "+", "-") and _value_start(toks, j + 1)) or (
            nxt.k == "rel" and nxt.t == "=" and computes
        ):
            i = j
        elif nxt.k == "sep" and nxt.t in ("x", "X", "times", "\u2013") and _value_start(toks, j + 1):
            out.append(Tok("op", "-" if nxt.t == "\u2013" else "*", nxt.s, nxt.e))
            computes = True
            i = j + 1
    return out


def follow_end(ctx, s):
    return ctx.ph_at[s][0]


def split_chains(toks: list[Tok]):
    """Split a segment's tokens into relation chains: ([side tokens...], [relations...])."""
    chains = []
    sides: list[list[Tok]] = [[]]
    rels: list[str] = []
    depth = 0

    def flush():
        nonlocal sides, rels
        if rels or any(sides):
            chains.append((sides, rels))
        sides, rels = [[]], []

    n = len(toks)
    for i, t in enumerate(toks):
        if t.k == "op" and t.t in ("(", "[", "{", "{s", "lfloor", "lceil"):
            depth += 1
        elif t.k == "op" and t.t in (")", "]", "}", "}s", "rfloor", "rceil"):
            depth = max(0, depth - 1)
        if depth == 0 and t.k == "rel":
            rels.append(t.t)
            sides.append([])
            continue
        if t.k in ("sep",) or (depth == 0 and t.k == "comma"):
            flush()
            depth = 0
            continue
        if t.k == "soft":
            j = i + 1
            if j < n and toks[j].k == "rel":
                continue
            flush()
            depth = 0
            continue
        sides[-1].append(t)
    flush()
    return chains


# --------------------------------------------------------------------------------------------- helpers


def ctx_words(text: str, s: int, e: int, k=3):
    left = WORDTOK_RE.findall(text[max(0, s - 80) : s])
    right = WORDTOK_RE.findall(text[e : e + 80])
    if s - 80 > 0 and left:
        left = left[1:]
    if e + 80 < len(text) and right:
        right = right[:-1]
    left = [w.lower() for w in left[-k:]]
    right = [w.lower() for w in right[:k]]
    # stop at placeholders: the question never has them
    while left and left[0].startswith("["):
        left = left[1:]
    for i, w in enumerate(left):
        if w.startswith("["):
            left = left[i + 1 :]
            break
    for i, w in enumerate(right):
        if w.startswith("["):
            right = right[:i]
            break
    return left, right


class QIndex:
    def __init__(self, question: str):
        self.toks = [w.lower() for w in WORDTOK_RE.findall(question)]
        self.joined = " " + " ".join(self.toks) + " "

    def has(self, seq: list[str]) -> bool:
        return len(seq) > 0 and (" " + " ".join(seq) + " ") in self.joined

    def copied(self, text: str, s: int, e: int) -> bool:
        """The value at text[s:e] sits in words copied from the question (two context words on a side)."""
        val = [w.lower() for w in WORDTOK_RE.findall(text[s:e])]
        if not val:
            return False
        left, right = ctx_words(text, s, e)
        for lw, rw in ((2, 0), (0, 2), (1, 1)):
            if len(left) >= lw and len(right) >= rw:
                seq = (left[len(left) - lw :] if lw else []) + val + right[:rw]
                if self.has(seq):
                    return True
        return False

    def values_at(self, left: list[str], right: list[str]) -> list[tuple]:
        """Numbers the question has between these words (two context words at least)."""
        out = []
        for i, w in enumerate(self.toks):
            num = None
            if re.fullmatch(r"\d+(?:\.\d+)?", w):
                num = Fraction(w)
            elif w in WORD_NUMS:
                num = Fraction(WORD_NUMS[w])
            if num is None:
                continue
            for lw, rw in ((2, 0), (0, 2), (1, 1), (3, 0), (0, 3)):
                if len(left) < lw or len(right) < rw:
                    continue
                lseq = left[len(left) - lw :] if lw else []
                rseq = right[:rw]
                if (
                    self.toks[max(0, i - lw) : i] == lseq
                    and i - lw >= 0
                    and self.toks[i + 1 : i + 1 + rw] == rseq
                ):
                    out.append((num, " ".join(self.toks[max(0, i - 3) : i + 4])))
                    break
        return out


def enclosing_script(text: str, s: int) -> bool:
    """The position is in an exponent or a subscript: right after ^ / _ or inside a ^{...} / _{...} group."""
    j = s - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    if j >= 0 and text[j] in "^_":
        return True
    depth = 0
    j = s - 1
    lo = max(0, s - 300)
    levels = 0
    while j >= lo and levels < 4:
        c = text[j]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                k = j - 1
                while k >= 0 and text[k] == " ":
                    k -= 1
                if k >= 0 and text[k] in "^_":
                    return True
                levels += 1
            else:
                depth -= 1
        j -= 1
    return False


VALUE_CMD_RE = re.compile(
    r"(?:\\[dtc]?frac|\\[dt]?binom|\\sqrt(?:\s*\[[^\]]*\])?)\s*$|\\[dtc]?frac\s*\{[^{}]*\}\s*$"
)


def in_value_construct(text: str, s: int, e: int) -> bool:
    """The number is part of a larger LaTeX value or operand (`\\frac{3}{4}`, `\\sqrt{2}`, `2\\sqrt{2}`,
    `\\binom52`); the literal scan compares those whole."""
    if re.match(r"\s*\\(?:sqrt|pi)(?![A-Za-z])", text[e : e + 8]):
        return True
    if VALUE_CMD_RE.search(text[max(0, s - 60) : s]):
        return True
    depth, j = 0, s - 1
    while j >= max(0, s - 300):
        c = text[j]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                return bool(VALUE_CMD_RE.search(text[max(0, j - 80) : j]))
            depth -= 1
        j -= 1
    return False


def prev_char(text: str, s: int) -> tuple[str, int]:
    j = s - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return (text[j], j) if j >= 0 else ("", -1)


#: the name of an environment right before its closing brace: ``\\begin{pmatrix``
BEGIN_END_RE = re.compile(r"\\begin\s*\{[A-Za-z*]+$")


def is_value_end_at(text: str, j: int) -> bool:
    """text[j] ends an operand: a digit, a closing bracket, a placeholder, or a one-letter variable; not the
    brace of an environment's name (``\\begin{pmatrix} -1``: the minus starts the first entry)."""
    if j < 0:
        return False
    c = text[j]
    if c == "}" and BEGIN_END_RE.search(text, max(0, j - 24), j):
        return False
    if c == "|":  # a closing bar ends an operand, an opening one does not
        line = text.rfind("$", 0, j) + 1
        return text.count("|", max(line, text.rfind("\n", 0, j) + 1), j) % 2 == 1
    if c.isdigit() or c in ")}!":
        return True
    if c == "]":
        return True
    if c.isalpha():
        k = j - 1
        return k < 0 or not text[k].isalpha()
    return False


# --------------------------------------------------------------------------------------------- attacks


def add(findings, attack, ctx, s, e, detail):
    findings.setdefault(attack, [])
    if len(findings[attack]) < 5:
        findings[attack].append({"text": ctx.snippet(s, e), "detail": detail})


def attack_extract(ctx: RowCtx, findings, unchecked, budget):
    try:
        from math_verify import parse, verify
    except ImportError:  # pragma: no cover
        unchecked.append("extract")
        return
    g = ctx.gold.raw
    try:
        gp = parse("\\boxed{" + g + "}", parsing_timeout=2) or parse("$" + g + "$", parsing_timeout=2)
        if not gp:
            unchecked.append("extract")
            return
        pred = parse(ctx.masked, parsing_timeout=3)
        if not pred:
            return
        got = str(pred[-1])
        if PH_RE.search(got) or re.search(
            r"UMBER|NSWER|LANK|EXPR|MASK|\[[A-Z]", got.replace("{", "").replace("}", "")
        ):
            return  # the extractor read a placeholder
        if verify(gp, pred, timeout_seconds=3):
            pos = ctx.masked.rfind(got) if got in ctx.masked else len(ctx.masked) - 1
            add(
                findings,
                "extract",
                ctx,
                max(0, pos),
                max(0, pos) + len(got),
                f"math_verify extracted {got!r}",
            )
    except RowTimeout:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the extractor makes the row unchecked
        unchecked.append("extract")
        findings.setdefault("_errors", []).append(f"extract: {type(exc).__name__}")


#: a number as a reader reads it: thousands grouped by commas ("13,500", "10{,}000") or thousands of
#: zeros grouped by a space ("10 000 kg": no count is "000"; "5 500 ml" stays two numbers), else digits
VISIBLE_NUMBER_RE = re.compile(
    r"(?<![\d.])(\d{1,3}(?:(?:,|\{,\})\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u2009\u202f]000)+(?![\d.,])"
    r"|\d+(?:\.\d+)?|\.\d+)(?![\d])"
)


def attack_visible(ctx: RowCtx, q: QIndex, findings):
    g = ctx.gold
    m = ctx.masked
    # 1. numbers anywhere
    if g.value is not None or g.comps is not None:
        for x in VISIBLE_NUMBER_RE.finditer(m):
            s, e = x.start(), x.end()
            if ctx.in_placeholder(s, e) or (
                ctx.in_asy(s) and not any(a <= s < b for a, b, md in ctx.segments if md == "tex")
            ):
                continue
            if enclosing_script(m, s) or in_value_construct(m, s, e):
                continue
            before = m[max(0, s - 8) : s]
            if re.search(r"\\sqrt\s*\[\s*$", before):
                continue  # a root index
            if re.search(r"\\[dt]?frac\s*$|\\sqrt\s*$", before) or (
                s > 0 and m[s - 1].isalpha() and (s < 2 or not m[s - 2].isalpha())
            ):
                continue  # \frac12 (read by the literal scan) / a variable index like y2
            if STEP_RE.search(m[max(0, s - 25) : s]):
                continue
            line_start = m.rfind("\n", 0, s) + 1
            if LIST_MARK_RE.match(m, line_start) and LIST_MARK_RE.match(m, line_start).start(1) == s:
                continue
            if q.copied(m, s, e):
                continue
            txt = re.sub(r"\{,\}|[, \u00a0\u2009\u202f]", "", x.group(1))
            v = Fraction(txt)
            c, j = prev_char(m, s)
            if c == "-" and not is_value_end_at(m, prev_char(m, j)[1]):
                v = -v
            cands = [(v, "visible_value" if g.plain_number else "equivalent_form")]
            tail = m[e : e + 10]
            if re.match(r"\s*(?:\\?%|\s*percent)", tail):
                cands.append((v / 100, "equivalent_form"))
            for val, attack in cands:
                if g.matches(val):
                    add(findings, attack, ctx, s, e, f"visible number {x.group(1)} = gold")
                    break
    # 2. LaTeX literal values (fractions, roots, mixed numbers, \pm) among parsed pieces
    seen = set()
    for node, s, e in ctx.pieces:
        if (s, e) in seen or node[0] == "num" or (node[0] == "neg" and node[1][0] == "num"):
            continue
        seen.add((s, e))
        if ctx.in_placeholder(s, e) or q.copied(m, s, e):
            continue
        t = _norm_map(m[s:e])[0]
        if len(t) >= 3 and t in ctx.qnorm:
            continue  # the question's own expression (`Simplify \sqrt{242}`)
        if node[0] == "pm":
            vals = pm_values(node)
            if vals and (
                (g.value is not None and any(g.matches(v) for v in vals))
                or (g.comps and multiset_eq(vals, g.comps))
            ):
                add(findings, "equivalent_form", ctx, s, e, "\\pm form gives the gold")
            continue
        if not is_literal(node):
            continue
        if g.value is None:
            continue
        v = try_ev(node)
        if v is not None and g.matches(v):
            same = re.sub(r"\s+", "", m[s:e]) == g.compact
            add(
                findings,
                "visible_value" if same else "equivalent_form",
                ctx,
                s,
                e,
                f"literal {m[s:e]!r} = gold",
            )
    # 3. the gold's text
    if not g.plain_number and g.compact:
        text_hits(ctx, q, findings)


def multiset_eq(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    rest = list(b)
    for x in a:
        for i, y in enumerate(rest):
            if eq_val(x, y):
                del rest[i]
                break
        else:
            return False
    return True


def _compact_map(text: str, fn=None):
    """Text without whitespace (or normalised by fn) with a map back to original positions."""
    chars, pos = [], []
    for i, c in enumerate(text):
        if not c.isspace():
            chars.append(c)
            pos.append(i)
    return "".join(chars), pos


def _norm_map(text: str):
    """norm_tex with a position map (applied to the compact text piece by piece)."""
    out, pos = [], []
    i, n = 0, len(text)
    rules = [
        (re.compile(r"\\(?:left|right|big|Big|bigg|Bigg|bigl|bigr|Bigl|Bigr)(?![A-Za-z])\.?"), ""),
        (re.compile(r"\\[dtc]frac"), "\\frac"),
        (re.compile(r"\\[dt]binom"), "\\binom"),
        (re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|mbox|textnormal|mathbf|operatorname)\s*\{"), "{"),
        (re.compile(r"\^\s*\{?\\circ\}?|\\degree"), ""),
        (re.compile(r"\\[,;:! ]|~|\\displaystyle|\\\$|\$|\s+"), ""),
        (re.compile(r"\\%"), "%"),
        (re.compile(r"\\cdot|\\times"), "*"),
        (re.compile(r"\\frac\s*(\d)\s*(\d)"), None),
        (re.compile(r"\\sqrt\s*(\d)"), None),
    ]
    while i < n:
        for rx, rep in rules:
            mm = rx.match(text, i)
            if mm and mm.end() > i:
                if rep is None:
                    if rx.pattern.startswith("\\\\frac"):
                        rep_s = "\\frac{" + mm.group(1) + "}{" + mm.group(2) + "}"
                    else:
                        rep_s = "\\sqrt{" + mm.group(1) + "}"
                else:
                    rep_s = rep
                for c in rep_s:
                    out.append(c)
                    pos.append(i)
                i = mm.end()
                break
        else:
            out.append(text[i].lower())
            pos.append(i)
            i += 1
    return "".join(out), pos


def _gold_norm_for_search(raw: str) -> str:
    s, _ = _norm_map(raw.strip().strip("$"))
    s = re.sub(r"\{([^{}]*)\}", lambda mm: "{" + mm.group(1) + "}", s)
    return s.rstrip(".")


def text_hits(ctx: RowCtx, q: QIndex, findings):
    g = ctx.gold
    m = ctx.masked
    short = len(g.compact) < 4 or (g.sym is not None and len(g.compact) < 6)
    if short:  # short golds (`x`, `\pi`, `p-q`) count only as a whole side or a whole box
        gn = _gold_norm_for_search(g.raw)
        for sides, _ in ctx.chains:
            for sd in sides:
                if sd.node is None and sd.e <= sd.s:
                    continue
                t = m[sd.s : sd.e]
                if q.copied(m, sd.s, sd.e):
                    continue
                if re.sub(r"\s+", "", t) == g.compact:
                    add(findings, "visible_value", ctx, sd.s, sd.e, f"side {t!r} is the gold")
                elif gn and _norm_map(t)[0] == gn:
                    add(findings, "equivalent_form", ctx, sd.s, sd.e, f"side {t!r} normalises to the gold")
        return
    comp, cpos = _compact_map(m)
    for hit in _find_bounded(comp, g.compact):
        s, e = cpos[hit], cpos[hit + len(g.compact) - 1] + 1
        if not ctx.in_placeholder(s, e) and not q.copied(m, s, e) and not enclosing_script(m, s):
            add(findings, "visible_value", ctx, s, e, "the gold's text is visible")
            return
    gn = _gold_norm_for_search(g.raw)
    if len(gn) < 3:
        return
    nm, npos = _norm_map(m)
    for hit in _find_bounded(nm, gn):
        s, e = npos[hit], npos[min(len(npos) - 1, hit + len(gn) - 1)] + 1
        if not ctx.in_placeholder(s, e) and not q.copied(m, s, e) and not enclosing_script(m, s):
            add(findings, "equivalent_form", ctx, s, e, f"normalised gold {gn!r} is visible")
            return


def _find_bounded(hay: str, needle: str):
    if not needle:
        return
    start = 0
    alnum_start = needle[0].isalnum()
    alnum_end = needle[-1].isalnum()
    while True:
        i = hay.find(needle, start)
        if i < 0:
            return
        j = i + len(needle)
        ok = True
        if (
            alnum_start
            and i > 0
            and (hay[i - 1].isalnum() or hay[i - 1] in "._^" or (needle[0].isdigit() and hay[i - 1] == "-"))
        ):
            ok = False
        if (
            alnum_end
            and j < len(hay)
            and (
                hay[j].isalnum()
                or (needle[-1].isdigit() and hay[j] == ".")
                and j + 1 < len(hay)
                and hay[j + 1].isdigit()
            )
        ):
            ok = False
        if ok:
            yield i
        start = i + 1


#: a count, the few words it takes before its noun, and the noun (no compound: `[N]-hour`, `[N] hour's`)
SINGULAR_RE = re.compile(
    r"\[[A-Z][A-Z0-9]*(?:_\d+)?\][}$]{0,2}\s+(?:(?:more|extra|additional|whole|full|single|other|"
    r"remaining|new|left|such|possible|distinct|real|positive|negative|valid|different|odd|even|nonzero|"
    r"unique)\s+)?([a-z]{3,})\b(?![-'’])(?:[ \t]+([a-z]+))?"
)
#: nouns of counting in math, countable with no plural written (`only [N] number between 1 and 100`)
SINGULAR_MATH_NOUNS = set(
    [
        "number",
        "integer",
        "solution",
        "root",
        "value",
        "way",
        "element",
        "point",
        "term",
        "digit",
        "factor",
        "divisor",
        "multiple",
        "pair",
        "triangle",
        "square",
        "case",
        "choice",
        "outcome",
        "arrangement",
    ]
)
#: number words after a count are multipliers, no counted noun (`[N] million`, `[N] dozen`, `[N] times`)
SINGULAR_NUMBER_WORDS = set(WORD_NUMS) | {
    "hundred",
    "thousand",
    "million",
    "billion",
    "trillion",
    "dozen",
    "score",
}
#: verbs a trace writes in their -s form ("1 cookie remains"): that form is no plural
SINGULAR_VERBS = set(
    re.findall(
        r"[a-z]+",
        "remain leave stay join win lose earn spend save grow walk read play fit go do have get make take"
        " give come need use eat sell buy pay last mean hold contain weigh equal run work cost",
    )
)
#: a count and the word after it (`3 eggs`, `[N] more eggs`, `five buses`, `many pears`)
SINGULAR_COUNTED_RE = re.compile(
    r"(?:\d+|\[(?!ENTITY|FIGURE)[A-Z]+(?:_\d+)?\]|\b(?:"
    + "|".join(sorted(WORD_NUMS, key=len, reverse=True))
    + r"|many|several|few|both))[ \t]+(?:(?:more|extra|additional|whole|full|single|other|remaining|new"
    r"|left)[ \t]+)?([A-Za-z]+)",
    re.I,
)
#: plurals no suffix rule makes
IRREGULAR_PLURALS = {
    "person": "people",
    "man": "men",
    "woman": "women",
    "child": "children",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "goose": "geese",
}
#: what a counted noun may have after it: prepositions, conjunctions, comparatives, verbs; any other word
#: makes it a modifier of that word (`[N] ounce bottle`, `[N] fruit types`), singular whatever its count
AFTER_COUNTED = set(
    re.split(
        r"\s+",
        "of to from on in at for per with than by after before each a an the and or because so but "
        "since which that then while when if as more less long left ago remaining total extra apart "
        "away back later earlier is was are were has had does did will would can could should must "
        "costs weighs takes needs makes holds contains gets uses lasts equals remains comes pays "
        "sells eats runs works means leaves gives stays buys between among into within under over below "
        "above divisible satisfying whose where who",
    )
)


def attack_singular(ctx: RowCtx, q: QIndex, findings):
    """A gold of 1 told by grammar: a blank, then a countable noun in the singular (`[N] more egg` where the
    question or the trace writes "eggs"). Not a noun modifying another (`[N] ounce bottle`), a sum's noun
    (`$[N] cost`) or a number word (`[N] million`), and not a copy of the question's count, read back from
    it: the question has a 1 between the blank's words, or it writes "1 orange" ("one orange") and the
    blank states no step's result (after `=`, a note, "equals" or "is", or on the last line)."""
    g = ctx.gold
    if not g.matches(Fraction(1)):
        return
    m = ctx.masked
    # words written after a count (`3 eggs`, `[N] more eggs`, `five buses`): the plurals that make a noun
    # countable; a verb ("6 remain", "1 cookie remains") has no count right before its -s form
    seen = {w.lower() for w in SINGULAR_COUNTED_RE.findall(ctx.question + "\n" + m)}
    anywhere = {w.lower() for w in re.findall(r"[A-Za-z]+", ctx.question + " " + m)}
    for x in SINGULAR_RE.finditer(m):
        noun, after = x.group(1), x.group(2) or ""
        lead = m[max(0, x.start() - 12) : x.start()]
        if re.search(
            r"(?:[\^_]\{?|(?<![A-Za-z\\])[A-Za-z]\s*=|\\(?:le|ge|leq|geq|ne|neq|lt|gt)|\}\{)\s*$", lead
        ):
            continue  # an exponent, an index, a letter's value, a denominator: no count of the noun
        if "}" in m[x.start() : x.start(1)] and not re.search(r"\\boxed\s*\{\s*$", lead):
            continue  # a brace closed after the blank: only a box's lets the blank count the noun
        if noun in SINGULAR_NUMBER_WORDS or (noun.endswith("s") and noun + "es" not in seen):
            continue
        forms = {noun + "s", noun + "es", IRREGULAR_PLURALS.get(noun, "")}
        if noun.endswith("y"):
            forms.add(noun[:-1] + "ies")
        if noun.endswith("f") or noun.endswith("fe"):
            forms.add(noun.rstrip("e")[:-1] + "ves")
        countable = noun in SINGULAR_MATH_NOUNS or forms & seen
        if not countable and (noun in SINGULAR_VERBS or not forms & anywhere):
            continue  # a plural after a count, or anywhere for a word that is no common verb ("remains")
        if after and after not in AFTER_COUNTED and not after.endswith(("ing", "ed", "er", "ly")):
            continue  # a modifier
        if m[max(0, x.start() - 1) : x.start()] in ("$", "€", "£"):
            continue  # `the $[N] cost`: a sum of money
        blank = PH_RE.match(m, x.start())
        if any(v == 1 for v, _ in q.values_at(*ctx_words(m, x.start(), blank.end()))):
            continue
        said_once = re.search(rf"(?i)\b(?:1|one)\s+(?:\w+\s+)?{noun}\b", ctx.question)
        stated = re.search(r"(?:=|>>|\bequals|\bis)[\s$]*$", m[max(0, x.start() - 12) : x.start()])
        last_line = not [
            ln for ln in m[x.end() :].split("\n")[1:] if ln.strip() and not ln.startswith("####")
        ]
        if said_once and not stated and not last_line:
            continue  # the question's "1 orange", read back from it (not where a step states its result)
        add(
            findings,
            "equivalent_form",
            ctx,
            x.start(1),
            x.end(1),
            f"{noun!r} after a blank is singular: 1 = gold",
        )


ROUND_WORD_RE = re.compile(
    r"(?i)\bround(?:s|ed|ing)\b|\bround\s+(?:up|down|off|to|it|this|that|the|[-\d$\\])|\bnearest\b|\\l(?:floor|ceil)"
)


def attack_rounded(ctx: RowCtx, q: QIndex, findings):  # noqa: ARG001
    """A visible decimal that rounds to a numeric gold (to the gold's own decimal places: half up, or down
    or up where the sentence says so), in a sentence that speaks of rounding ("we round 22.18 to the final
    answer of [N]", "to the nearest", a floor); not a number the question writes."""
    g, m = ctx.gold, ctx.masked
    gm = re.fullmatch(r"-?\d+(?:\.(\d+))?", g.raw.strip().replace(",", ""))
    if gm is None or not ROUND_WORD_RE.search(m):
        return
    scale = 10 ** len(gm.group(1) or "")
    cuts = [0] + [c.end() for c in re.finditer(r"[.!?]\s|\n", m)] + [len(m)]
    for x in re.finditer(r"(?<![\d.,])(-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+)(?!\d|\.\d)", m):
        num = x.group(1)
        if len(num) > 40 or re.search(rf"(?<![\d.]){re.escape(num)}(?!\d)", ctx.question):
            continue  # (a number the question writes is the question's)
        k = bisect_right(cuts, x.start())
        sentence = m[cuts[k - 1] : cuts[k]] if k < len(cuts) else m[cuts[-1] :]
        if not ROUND_WORD_RE.search(sentence):
            continue
        v = Fraction(num.replace(",", "")) * scale
        ns = [math.floor(v + Fraction(1, 2))]
        if re.search(r"(?i)round\w*\s+down|\\lfloor", sentence):
            ns.append(math.floor(v))
        elif re.search(r"(?i)round\w*\s+up|\\lceil", sentence):
            ns.append(math.ceil(v))
        if any(n != v and g.matches(Fraction(n, scale)) for n in ns):
            add(findings, "equivalent_form", ctx, x.start(), x.end(), f"{num} rounds to the gold")
            return


#: what a question's asked sentence counts at an extreme: +1 greatest, -1 least (a common divisor or
#: multiple is no extreme)
EXTREME_WORDS = {
    +1: ("maximum", "maximal", "maximize", "largest", "greatest", "biggest", "highest", "most"),
    -1: ("minimum", "minimal", "minimize", "smallest", "least", "fewest", "lowest"),
}
#: a bound's words, then the number; or the number, then its words: +1 bounds from below, -1 from above
BOUND_BEFORE = {
    +1: ("at least", "no fewer than", "no less than", "not less than"),
    -1: ("at most", "no more than", "not more than"),
}
BOUND_AFTER = {
    +1: ("or more", "or greater", "or larger", "or higher", "or above"),
    -1: ("or fewer", "or less", "or smaller", "or lower", "or below"),
}
SMALL_WORDS = {w: v for w, v in WORD_NUMS.items() if v <= 20 and w != "dozen"}


def _noun_key(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 5:
        return w[:-3] + "y"
    if re.search(r"(?:ch|sh|x|s)es$", w) and len(w) > 5:
        return w[:-2]
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def _bounds_in(text: str, side: int) -> list[tuple[int, int, int, int]]:
    """(value, value start, value end, phrase end) of each bound of ``side`` in ``text`` whose number
    stands alone: in its own ``$...$`` or in prose between spaces, no operator, sign or digit touching."""
    alone = r"(?:\$\s*(\d+)\s*\$|(?<![^\s(])(\d+|[A-Za-z]+)(?![-\w^/%.,(])(?!\s*[-+*/^=\\]))"
    out = []
    gap = r"[ \t]+"
    for words in BOUND_BEFORE[side]:
        for x in re.finditer(rf"(?i)\b{words.replace(' ', gap)}{gap}{alone}", text):
            k = 1 if x.group(1) is not None else 2
            out.append((x.group(k), x.start(k), x.end(k), x.end()))
    for words in BOUND_AFTER[side]:
        for x in re.finditer(rf"(?i){alone}{gap}{words.replace(' ', gap)}\b", text):
            k = 1 if x.group(1) is not None else 2
            out.append((x.group(k), x.start(k), x.end(k), x.end()))
    found = []
    for word, s, e, end in out:
        value = int(word) if word.isdigit() else SMALL_WORDS.get(word.lower())
        if value is not None:
            found.append((value, s, e, end))
    return found


def attack_ruled_out(ctx: RowCtx, q: QIndex, findings):  # noqa: ARG001
    """The question's last sentence asks for the greatest (least) number of some thing, and the trace
    bounds that thing from the other side one past the gold ("three or more pencils left over" for at most
    2, "3 or fewer coins" for a least 4): the bound says the gold. Only a number that stands alone, a
    bound whose next words (up to an "of") name the thing, and not a bound the question itself states."""
    g, m = ctx.gold, ctx.masked
    if not (isinstance(g.value, Fraction) and g.value.denominator == 1 and 0 <= g.value < 1000):
        return
    sentences = [x for x in re.split(r"(?<=[.?!])\s+", ctx.question.strip()) if x.strip()]
    last = sentences[-1].lower() if sentences else ""
    sides = [
        side
        for side, words in EXTREME_WORDS.items()
        if any(re.search(rf"\b{w}\b(?!\s+(?:positive\s+)?common)", last) for w in words)
    ]
    thing = re.search(r"\bnumber\s+of\s+([a-z]{3,})(?:\s+([a-z]{3,}))?", last)
    if len(sides) != 1 or thing is None:
        return
    side = sides[0]
    keys = {_noun_key(w) for w in thing.groups() if w}
    want = int(g.value) + side
    if any(v == want for v, *_ in _bounds_in(ctx.question, side)):
        return  # the question states this bound itself
    for value, s, e, end in _bounds_in(m, side):
        nxt = re.findall(r"[A-Za-z]+", m[end : end + 40])[:2]
        if "of" in nxt:
            nxt = nxt[: nxt.index("of")]
        if value == want and keys & {_noun_key(w) for w in nxt}:
            add(findings, "equivalent_form", ctx, s, e, f"{m[s:end]!r} rules out {want}")


def _eq_product_roots(ctx: RowCtx, findings) -> None:
    """A visible product of two factors or more in one letter, no blank (`(x+2)(x^2-2x-4)`, `x(x+1)(x-2)`,
    `(x-1)^2(x+2)`), each of degree one or two, whose real roots (each factor set to 0, by sympy) are the
    elements of a set gold (`\\{1\\pm\\sqrt{5},-2\\}`): a reader reads them all off. Not where a
    product of the question's math has the same roots (its own factored form, in any order)."""
    m = ctx.masked
    comps = _distinct(list(ctx.gold.comps))
    for node, s, e in ctx.pieces:
        if ctx.in_placeholder(s, e):
            continue
        roots = _product_zeros(node)
        if (
            roots
            and multiset_eq(roots, comps)
            and not any(multiset_eq(roots, other) for other in _question_products(ctx))
        ):
            add(findings, "equivalent_form", ctx, s, e, f"the roots of {m[s:e]!r} are the gold's elements")
            return


#: the powers a factor of a product may be raised to and keep its roots
WHOLE_POWERS = frozenset(Fraction(k) for k in range(1, 65))


def _product_zeros(node) -> list:
    """The distinct real roots of a product of 2 to 6 factors in one letter with no blank, each of degree
    one or two in it (a power by a whole number counts as its base); [] for anything else."""
    import sympy

    unk, var = free_syms(node)
    if node[0] != "mul" or unk or len(var) != 1:
        return []
    factors, stack = [], [node]
    while stack:
        n = stack.pop()
        if n[0] == "mul":
            stack.extend(c for c in n[1:] if isinstance(c, tuple))
        elif n[0] == "neg" or (n[0] == "pow" and n[2][0] == "num" and n[2][1] in WHOLE_POWERS):
            stack.append(n[1])  # -f, f^2: the roots of f
        elif free_syms(n)[1]:
            factors.append(n)
    if not 2 <= len(factors) <= 6:
        return []
    roots: list = []
    try:
        for f in factors:
            expr = to_sympy(f, {}, {})
            (sym,) = expr.free_symbols
            if sympy.degree(expr, sym) not in (1, 2):
                return []
            for r in sympy.solve(expr, sym):
                c = complex(r.evalf())
                if abs(c.imag) < 1e-12:
                    roots.append(Fraction(int(r.p), int(r.q)) if r.is_Rational else c.real)
    except RowTimeout:
        raise
    except Exception:  # noqa: BLE001 - sympy may fail; the product is then skipped
        return []
    return _distinct(roots)


def _distinct(values: list) -> list:
    out: list = []
    for v in values:
        if not any(eq_val(v, o) for o in out):
            out.append(v)
    return out


def _question_products(ctx: RowCtx) -> list[list]:
    """The root sets of the products the question's math writes (read once per row)."""
    if getattr(ctx, "_asked_products", None) is None:
        text = ctx.question
        qctx = RowCtx({"id": ctx.id, "question": "", "trace": text, "masked": text, "gold": ""})
        qctx.build()
        ctx._asked_products = [r for node, _, _ in qctx.pieces if (r := _product_zeros(node))]
    return ctx._asked_products


def attack_equivalent(ctx: RowCtx, q: QIndex, findings):
    g = ctx.gold
    m = ctx.masked
    # number words and ordinals (prose only)
    if g.value is not None:
        tex_spans = [(a, b) for a, b, md in ctx.segments if md == "tex"]
        for x in NUMBER_WORD_RE.finditer(m):
            s, e = x.start(), x.end()
            if any(a <= s < b for a, b in tex_spans) or ctx.in_asy(s):
                continue
            phrase = x.group(0)
            low = phrase.lower()
            if low in ("one", "a") or low.startswith("a "):
                # "one" is a pronoun too: count it only in a value position
                before = m[max(0, s - 20) : s].lower()
                after = m[e : e + 2]
                if not (
                    re.search(r"(?:\bis|\bare|\bequals|\bbe|=|answer:?)\s*$", before)
                    or re.match(r"\s*[.,;]?\s*$", after)
                ):
                    continue
            if low in ("first", "second", "seconds"):
                continue  # discourse words and a time unit far more often than the values 1 and 2
            if re.match(r"-[A-Za-z]", m[e : e + 2]):
                continue  # a compound adjective: "three-pointers", "two-digit"
            if low in WORD_NUMS and re.match(
                rf"(?i)\s+{RS_PLAN_ADJECTIVE}?(?:equations|inequalities)\b", m[e : e + 30]
            ):
                continue  # "the three given equations": the count of the system's equations, the plan
            if low.rstrip("s") in ORDINALS and (
                re.match(
                    rf"\s+{RS_PLAN_ADJECTIVE}?(?:case|step|part|stage|method|way|approach|equation|condition"
                    r"|subcase|scenario|attempt|time|place|try|option|possibility|row|column|line|digit|term|one"
                    r"|of)\b",
                    m[e : e + 30],
                    re.I,
                )
                or re.search(r"(?:^|[.!?:]\s+|\n\s*)$", m[max(0, s - 4) : s])
                or phrase[:1].isupper()
            ):
                continue  # a label or a discourse marker ("First, ...", "in the second case")
            if low in ("dozen", "hundred", "thousand", "million") and re.search(
                r"(?:\d|\]|\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many))\s*$",
                m[max(0, s - 8) : s],
            ):
                continue  # "[NUMBER] dozen": a multiplier
            if q.copied(m, s, e):
                continue
            for v in word_values(phrase):
                if g.matches(v):
                    add(findings, "equivalent_form", ctx, s, e, f"number word {phrase!r} = gold")
                    break
    # intervals vs inequalities
    if g.interval is not None:
        for sides, rels in ctx.chains:
            if rels and all(r in ("<", ">", "<=", ">=") for r in rels) and len(rels) <= 2:
                iv = _interval_from_sides(sides, rels)
                if iv is not None and same_interval(iv, g.interval):
                    add(
                        findings,
                        "equivalent_form",
                        ctx,
                        sides[0].s,
                        sides[-1].e,
                        "inequality equals the gold interval",
                    )
        for a, b, md in ctx.segments:
            if md != "tex":
                continue
            seg = ctx.masked[a:b]
            for x in INTERVAL_RE.finditer(re.sub(r"\\left|\\right", lambda mm: " " * len(mm.group(0)), seg)):
                iv = parse_interval_text(x.group(0))
                if iv is not None and same_interval(iv, g.interval):
                    same = re.sub(r"\s+", "", x.group(0)) == g.compact
                    add(
                        findings,
                        "visible_value" if same else "equivalent_form",
                        ctx,
                        a + x.start(),
                        a + x.end(),
                        "interval = gold",
                    )
        # an interval said in words ("all non-positive numbers" for (-inf, 0])
        for x in re.finditer(
            r"(?i)\b(?:all|every|any)\s+(?:the\s+)?(non-?\s?positive|non-?\s?negative|negative|positive|real)"
            r"(?:\s+real)?\s+(?:numbers?|reals|values?)\b",
            ctx.masked,
        ):
            word = re.sub(r"[\s-]", "", x.group(1).lower())
            iv = {
                "nonpositive": (-math.inf, False, 0, True),
                "nonnegative": (0, True, math.inf, False),
                "negative": (-math.inf, False, 0, False),
                "positive": (0, False, math.inf, False),
                "real": (-math.inf, False, math.inf, False),
            }[word]
            if same_interval(iv, g.interval) and not q.copied(ctx.masked, x.start(), x.end()):
                add(findings, "equivalent_form", ctx, x.start(), x.end(), "interval in words = gold")
    if g.hull is not None:  # the gold's pieces less the points between them: the reader adds the points
        for sides, rels in ctx.chains:
            if rels and all(r in ("<", ">", "<=", ">=") for r in rels) and len(rels) <= 2:
                iv = _interval_from_sides(sides, rels)
                if (
                    iv is not None
                    and same_interval(iv, g.hull)
                    # the question's own domain ("For $0 < x < 25$"), restated: no leak
                    and re.sub(r"\s+", "", ctx.masked[sides[0].s : sides[-1].e])
                    not in re.sub(r"\s+", "", ctx.question)
                ):
                    what = "inequality = the gold's hull"
                    add(findings, "equivalent_form", ctx, sides[0].s, sides[-1].e, what)
    if g.comps is not None and len(g.comps) >= 2 and not g.ordered:
        _eq_product_roots(ctx, findings)
    # tuple / set / list components visible together
    if g.comps is not None and len(g.comps) >= 2:
        for node, s, e in ctx.pieces:
            if node[0] == "tuple":
                vals = [try_ev(c) for c in node[1]]
                if (
                    all(v is not None for v in vals)
                    and (
                        (
                            g.ordered
                            and len(vals) == len(g.comps)
                            and all(eq_val(a, b) for a, b in zip(vals, g.comps, strict=False))
                        )
                        or (not g.ordered and multiset_eq(vals, g.comps))
                    )
                    and not ctx.in_placeholder(s, e)
                ):
                    t = _norm_map(m[s:e])[0]
                    if len(t) >= 3 and t in ctx.qnorm:
                        continue
                    same = re.sub(r"\s+", "", m[s:e]) == g.compact
                    if not all(is_literal(c) for c in node[1]):
                        add(
                            findings,
                            "replay",
                            ctx,
                            s,
                            e,
                            f"visible computation of every component {m[s:e]!r}",
                        )
                    else:
                        add(
                            findings,
                            "visible_value" if same else "equivalent_form",
                            ctx,
                            s,
                            e,
                            "all components of the gold together",
                        )
        # per sentence: standalone literal values (sides) holding every component
        bounds = [0] + [x.end() for x in re.finditer(r"\n|(?<=[.!?])\s+(?=[A-Z])", m)] + [len(m) + 1]
        groups: dict[int, list] = {}
        for sides, _ in ctx.chains:
            for sd in sides:
                if sd.node is None or sd.unk or sd.var or not (is_literal(sd.node) or sd.node[0] == "pm"):
                    continue
                vals = pm_values(sd.node) if sd.node[0] == "pm" else [try_ev(sd.node)]
                if not vals or any(v is None for v in vals) or q.copied(m, sd.s, sd.e):
                    continue
                b = bisect_right(bounds, sd.s) - 1
                groups.setdefault(b, []).append((vals, sd))
        for items in groups.values():
            pool = [v for vals, _ in items for v in vals]
            rest = list(pool)
            ok = True
            for c in g.comps:
                for i, v in enumerate(rest):
                    if eq_val(v, c):
                        del rest[i]
                        break
                else:
                    ok = False
                    break
            if ok:
                add(
                    findings,
                    "equivalent_form",
                    ctx,
                    items[0][1].s,
                    items[-1][1].e,
                    "every component of the gold in one sentence",
                )
                break


def _interval_from_sides(sides, rels, env=None):
    nodes = [sd.node for sd in sides]
    if any(n is None for n in nodes):
        return None
    var_idx = [i for i, n in enumerate(nodes) if n[0] == "var"]
    if len(var_idx) != 1:
        return None
    vi = var_idx[0]
    vals = {}
    for i, n in enumerate(nodes):
        if i != vi:
            v = try_ev(n, env)
            if v is None:
                if n[0] == "const" and n[1] == "inf":
                    v = math.inf
                elif n[0] == "neg" and n[1][0] == "const" and n[1][1] == "inf":
                    v = -math.inf
                else:
                    return None
            vals[i] = v
    lo, lo_c, hi, hi_c = -math.inf, False, math.inf, False
    for i, r in enumerate(rels):
        a, b = i, i + 1
        less = r in ("<", "<=")
        closed = r.endswith("=")
        if a == vi:
            if less:
                hi, hi_c = vals[b], closed
            else:
                lo, lo_c = vals[b], closed
        elif b == vi:
            if less:
                lo, lo_c = vals[a], closed
            else:
                hi, hi_c = vals[a], closed
        else:
            return None
    return (lo, lo_c, hi, hi_c)


def side_value(sd: Side, known: dict, gold: Gold):
    """Numeric value of a side from visible numbers and known unknowns; None when something is missing."""
    if sd.node is None:
        return None
    if sd.var:
        if sd.unk or not sd.explicit:
            return None
        return const_value(sd.node, sd.var)
    if sd.unk and not sd.unk <= known.keys():
        return None
    return try_ev(sd.node, known)


def attack_placeholder(ctx: RowCtx, q: QIndex, findings):
    g = ctx.gold
    m = ctx.masked
    starts = [s for s in sorted(ctx.answer_starts) if s not in ctx.final_starts]
    if not starts:
        return
    lone_runs: dict[int, list[Side]] = {}
    for run in ctx.runs:
        for sd in run:
            if sd.lone is not None and sd.s in ctx.ph_at:
                lone_runs[sd.s] = run
    for s in starts:
        e = ctx.ph_at[s][0]
        left, right = ctx_words(m, s, e)
        for val, qtext in q.values_at(left, right):
            if g.matches(val):
                add(findings, "placeholder", ctx, s, e, f"the question reads '...{qtext}...' here")
                break
        run = lone_runs.get(s)
        if run is None:
            continue
        for sd in run:
            if sd.node is None or sd.s == s or sd.unk or sd.copied:
                continue
            if sd.var:
                if g.sym is not None and g.matches_node(sd.node):
                    add(
                        findings,
                        "placeholder",
                        ctx,
                        sd.s,
                        e,
                        f"answer blank after the visible {m[sd.s : sd.e]!r}",
                    )
                    break
                continue
            v = try_ev(sd.node)
            if v is not None and g.matches(v):
                add(
                    findings,
                    "placeholder",
                    ctx,
                    sd.s,
                    e,
                    f"answer blank = visible {m[sd.s : sd.e]!r} = {fmt_val(v)}",
                )
                break


def attack_replay(ctx: RowCtx, findings, seed: dict | None = None):
    g = ctx.gold
    m = ctx.masked
    known: dict = {}
    why: dict = {}
    for k, (v, s0, e0) in (seed or {}).items():  # blanks another reading fixed: a formula's instance
        known[k], why[k] = v, (s0, e0, f"{m[s0:e0]!r}, an instance of a formula")
    computed: set = set()  # blanks whose value a step computed (no copy)
    carry = _Carry(ctx)
    computed_hit = False
    final_keys = ctx.final_keys
    for _ in range(6 + len(carry.steps)):
        progress = False
        for expr, res, _ in ctx.note_eqs:
            v = side_value(expr, known, g)
            if v is None:
                v2 = side_value(res, known, g)
                if v2 is not None and expr.lone is not None and expr.lone not in known:
                    known[expr.lone] = v2
                    why[expr.lone] = (expr.s, res.e, "note result copied to the blank after it")
                    progress = True
                continue
            if expr.explicit and g.matches(v) and not computed_hit:
                add(
                    findings,
                    "replay",
                    ctx,
                    expr.s,
                    res.e,
                    f"calculator note {m[expr.s : expr.e]!r} = {fmt_val(v)}",
                )
                computed_hit = True
            if res.lone is not None and res.lone not in known:
                known[res.lone] = v
                why[res.lone] = (expr.s, res.e, f"note {m[expr.s : expr.e]!r}")
                computed.add(res.lone)
                progress = True
        for run in ctx.runs:
            if len(run) < 2:
                continue
            val, src = None, None
            for sd in run:
                v = None if sd.copied else side_value(sd, known, g)
                if v is not None:
                    val, src = v, sd
                    if sd.explicit and g.matches(v) and not computed_hit:
                        what = "computation over replayed blanks" if sd.unk else "visible computation"
                        add(findings, "replay", ctx, sd.s, sd.e, f"{what} {m[sd.s : sd.e]!r} = {fmt_val(v)}")
                        computed_hit = True
                    break
            if val is None:
                continue
            for sd in run:
                if sd.lone is not None and sd.lone not in known:
                    known[sd.lone] = val
                    why[sd.lone] = (src.s, sd.e, f"{m[src.s : src.e]!r} = blank")
                    if src is not None and src.explicit:
                        computed.add(sd.lone)
                    progress = True
                    if sd.lone in final_keys and not src.unk and not g.matches(val):
                        add(
                            findings,
                            "replay",
                            ctx,
                            src.s,
                            sd.e,
                            f"final step with visible operands {m[src.s : src.e]!r} = {fmt_val(val)}"
                            f" (gold {g.raw})",
                        )
        if not progress and not carry.next(known, why, computed):
            break
    for run in ctx.runs:  # an expression alone, in no equation: "$1+2+3-(4+5+6)$. This simplifies to ..."
        sd = run[0]
        if len(run) != 1 or computed_hit or sd.copied or not sd.explicit or sd.unk or sd.var:
            continue
        v = side_value(sd, known, g)
        if v is not None and g.matches(v):
            what = f"visible computation alone {m[sd.s : sd.e]!r} = {fmt_val(v)}"
            add(findings, "replay", ctx, sd.s, sd.e, what)
            computed_hit = True
    if g.sym is not None:
        for run in ctx.runs:
            for sd in run:
                if (
                    sd.node is not None
                    and sd.explicit
                    and not sd.unk
                    and sd.var
                    and not sd.copied
                    and g.matches_node(sd.node)
                    and re.sub(r"\s+", "", m[sd.s : sd.e]) != g.compact
                ):
                    add(
                        findings,
                        "replay",
                        ctx,
                        sd.s,
                        sd.e,
                        f"visible expression {m[sd.s : sd.e]!r} = the gold",
                    )
                    return
        if _symbolic_part(ctx, findings):
            return
    for k, v in known.items():
        if g.matches(v):
            s, e, txt = why[k]
            where = "final answer blank" if k in final_keys else "blank"
            add(findings, "replay", ctx, s, e, f"{where} replayed: {txt} -> {fmt_val(v)}")
            break
    else:
        _carried_final(ctx, known, why, findings)


UNIT_AFTER_RE = re.compile(r"[ \t]*([A-Za-z]+)")


def _unit_of(m: str, s: int, e: int) -> str | None:
    """The unit a blank's value carries: `$` before it, else the word after it (no prose connective),
    singular."""
    if m[max(0, s - 3) : s].rstrip().endswith("$"):
        return "$"
    x = UNIT_AFTER_RE.match(m, e)
    if x is None:
        return None
    w = x.group(1).lower()
    if w in PROSE_WORDS or w in UNIT_JOINERS or w == "x":
        return None
    return w[:-1] if len(w) > 3 and w.endswith("s") else w


class _Carry:
    """A computed hidden result carried into a later step's blank, as a reader fills it: a step (a side
    of a relation or a calculator note) with one blank operand takes the value of a blank computed before
    it (a step's hidden result, not a copy), the last one with the same unit word (`= [N] floors` then
    `6 apartments/floor x [N] floors`), else the last one when either has no unit word. A blank whose
    words are the question's around one of its numbers is a copy of that number, read back from the
    question: nothing is carried into it."""

    def __init__(self, ctx: RowCtx):
        self.ctx = ctx
        m = ctx.masked
        q = QIndex(ctx.question)
        self.units = {s: _unit_of(m, s, e) for s, e, _ in ctx.ph}
        self.steps: list[tuple[Side, int]] = []  # (side, position of the first blank in it)
        sides = [sd for run in ctx.runs if len(run) > 1 for sd in run] + [e for e, _, _ in ctx.note_eqs]
        for sd in sides:
            if sd.node is None or sd.lone is not None or not sd.explicit or not sd.unk or sd.copied:
                continue
            inside = [a for a, b, _ in ctx.ph if sd.s <= a and b <= sd.e]
            if inside and not any(q.values_at(*ctx_words(m, a, ctx.ph_at[a][0])) for a in inside):
                self.steps.append((sd, inside[0]))
        self.steps.sort(key=lambda x: x[1])

    def next(self, known: dict, why: dict, computed: set) -> bool:
        """Carry into the first step with one blank operand left; False when none takes a value."""
        ctx = self.ctx
        for sd, _ in self.steps:
            left = sd.unk - known.keys()
            if len(left) != 1:
                continue
            k = next(iter(left))
            at = min(a for a, _, _ in ctx.ph if sd.s <= a < sd.e and ctx.key_at(a) == k)
            last: dict = {}  # computed blank -> its last occurrence before the step
            for a, _, _ in ctx.ph:
                c = ctx.key_at(a)
                if a < sd.s and c in computed:
                    last[c] = a
            if not last:
                continue
            order = sorted(last, key=last.__getitem__)
            unit = self.units.get(at)
            same = [c for c in order if unit is not None and self.units.get(last[c]) == unit]
            if same:
                src = same[-1]
            elif unit is None or self.units.get(last[order[-1]]) is None:
                src = order[-1]
            else:
                continue
            known[k] = known[src]
            why[k] = (
                last[src],
                ctx.ph_at[at][0],
                f"{fmt_val(known[src])} carried into {ctx.masked[sd.s : sd.e]!r}",
            )
            return True
        return False


#: how many of the values computed last a reader tries in the final step's blank operands
CARRY_RECENT = 3


def _carried_final(ctx: RowCtx, known: dict, why: dict, findings) -> None:
    """The final step written over blanks a reader has just computed: `\\sqrt{[N] - 8^2} = \\boxed{[E]}`
    after `3^2 + 11^2 = [N]^2 + 9^2 = [N]` (130), `[N] + [E] = \\boxed{[E]}` after 100 and 37.5. The blank
    operands (one or two) take the values computed last before the step (each once, in the order computed);
    a result equal to the gold leaks."""
    g, m = ctx.gold, ctx.masked
    done = sorted(((why[k][1], k) for k in known), key=lambda x: x[0])
    for run in ctx.runs:
        if not any(sd.lone is not None and sd.lone in ctx.final_keys and sd.lone not in known for sd in run):
            continue
        for sd in run:
            if sd.node is None or sd.lone is not None or sd.var or not sd.unk:
                continue
            blanks = sorted(
                sd.unk - known.keys(), key=lambda k: min(a for a, _, _ in ctx.ph if ctx.key_at(a) == k)
            )
            if not blanks or len(blanks) > 2:
                continue
            recent: list = []
            for pos, k in done:
                if pos <= sd.s and not any(eq_val(known[k], v) for v in recent):
                    recent.append(known[k])
            for combo in itertools.combinations(recent[-CARRY_RECENT:], len(blanks)):
                v = try_ev(sd.node, {**known, **dict(zip(blanks, combo, strict=True))})
                if v is not None and g.matches(v):
                    what = f"final step {m[sd.s : sd.e]!r} over the computed {', '.join(map(fmt_val, combo))}"
                    add(findings, "replay", ctx, sd.s, sd.e, what)
                    return


def _applies(node) -> bool:
    return any(x[0] in ("func", "floor", "ceil", "abs") for x in walk(node))


def _symbolic_part(ctx: RowCtx, findings) -> bool:
    """A symbolic gold that a visible part of a written side expands to: `(x^3 - 1)(x^2 - x + 1)` inside
    `(x^3 - 1)(x^2 - x + 1) - \\frac{[N]}{x + 1}` is the quotient x^5 - x^4 + ... - 1 once multiplied out.
    Every product and power inside a side (multiplied out: no quotient, no function applied), with no blank
    and only the gold's letters, is compared with the gold at random points. A side copied from the
    question is the question's."""
    g, m = ctx.gold, ctx.masked
    seen = set()
    for run in ctx.runs:
        for sd in run:
            if sd.node is None or sd.copied or (sd.s, sd.e) in seen or not sd.var:
                continue
            seen.add((sd.s, sd.e))
            if re.sub(r"\s+", "", m[sd.s : sd.e]) in re.sub(r"\s+", "", ctx.question):
                continue
            for part in walk(sd.node):
                if part[0] not in ("mul", "pow") or part is sd.node and not sd.unk or _applies(part):
                    continue  # the whole side without blanks: the visible-expression check's
                if g.matches_node(part):
                    what = f"a part of {m[sd.s : sd.e]!r} expands to the gold"
                    add(findings, "replay", ctx, sd.s, sd.e, what)
                    return True
    return False


# --- constraints ----------------------------------------------------------------------------------


def _diff(a, b):
    return ("add", [(1, a), (-1, b)])


def solve_one(expr, sym, env):
    """Unique root of expr(sym) = 0 with everything else in env: an exact linear fast path (checked on five
    spread points), else "nonlinear" for sympy. Piecewise functions (|x|, floor, ceil) go to sympy."""
    if any(x[0] in ("abs", "floor", "ceil") for x in walk(expr)):
        return None, "nonlinear"
    pts = []
    for t in (0, 1, 2, -5, 11, 3, 7, -13, 29):
        env[sym] = Fraction(t)
        with contextlib.suppress(EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
            pts.append((Fraction(t), ev(expr, env)))
        if len(pts) == 5:
            break
    env.pop(sym, None)
    if len(pts) < 5:
        return None, "nonlinear"
    (x0, y0), (x1, y1) = pts[0], pts[1]
    slope = (y1 - y0) / (x1 - x0)
    if not all(eq_val((y - y0) / (x - x0), slope) for x, y in pts[2:]):
        return None, "nonlinear"
    if eq_val(slope, 0):
        return None, None  # constant in sym: an identity or a contradiction
    root = x0 - y0 / slope
    env[sym] = root
    try:
        ok = eq_val(ev(expr, env) + 1, 1)
    except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
        ok = False
    env.pop(sym, None)
    return (root, None) if ok else (None, "nonlinear")


def _sym_solve(expr, sym, env, budget):
    import sympy

    if budget.left() < 0.3:
        return None, "budget"
    try:
        names: dict = {}
        imag = is_imag(expr, env)
        se = to_sympy(expr, names, env, imag)
        target = names.get(sym)
        if target is None:
            return None, None
        if se.count_ops() > 150:
            return None, "large"
        poly_ok = True
        try:
            if sympy.Poly(se, target).degree() > 4:
                return None, "large"
        except sympy.PolynomialError:
            poly_ok = False
        if not poly_ok and se.count_ops() > 60:
            return None, "large"
        sols = sympy.solve(se, target, dict=False)
        if any(getattr(s, "free_symbols", None) for s in sols):
            return None, None
        vals = [v for v in (from_sympy(s, imag) for s in sols) if v is not None]  # complex: imag rows only
        return (vals[0], None) if len(vals) == 1 else (None, None)
    except RowTimeout:
        raise
    except Exception:  # noqa: BLE001 - sympy may fail in many ways; the equation is then skipped
        return None, "sympy"


def _sp_value(v):
    import sympy

    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, complex):
        return sympy.Float(v.real) + sympy.I * sympy.Float(v.imag)
    return sympy.Float(v)


def is_imag(n, env: dict) -> bool:
    """An expression over the imaginary unit (a row about complex numbers) or over a complex value."""
    for x in walk(n):
        if x == ("const", "i") or x[0] == "val" and isinstance(x[1], complex):
            return True
        if x[0] in ("unk", "var") and isinstance(env.get(x[1]), complex):
            return True
    return False


def from_sympy(val, imag: bool = False):
    """A sympy number as a checker value: Fraction, float, or (imag: a complex solution allowed) complex;
    None when it is no number, or complex where only real values count."""
    if getattr(val, "free_symbols", None) or not val.is_number:
        return None
    c = complex(val.evalf())
    if abs(c.imag) > 1e-12:
        return c if imag else None
    return Fraction(int(val.p), int(val.q)) if val.is_Rational else float(val)


def to_sympy(n, names: dict, env: dict, imag: bool = False):
    """imag: unknowns are complex (an expression over the imaginary unit), else real."""
    import sympy

    k = n[0]
    if k == "num":
        return sympy.Rational(n[1].numerator, n[1].denominator)
    if k == "val":
        return _sp_value(n[1])
    if k in ("unk", "var"):
        if n[1] in env:
            return _sp_value(env[n[1]])
        if n[1] not in names:
            kw = {} if imag else {"real": True}  # a complex unknown where the expression is complex
            names[n[1]] = sympy.Symbol(f"s{len(names)}", **kw)
        return names[n[1]]
    if k == "const":
        if n[1] == "pi":
            return sympy.pi
        if n[1] == "i":
            return sympy.I
        raise EvalError("inf")
    if k == "add":
        return sympy.Add(*[to_sympy(t, names, env, imag) * s for s, t in n[1]])
    if k == "neg":
        return -to_sympy(n[1], names, env, imag)
    if k == "mul":
        return to_sympy(n[1], names, env, imag) * to_sympy(n[2], names, env, imag)
    if k == "div":
        return to_sympy(n[1], names, env, imag) / to_sympy(n[2], names, env, imag)
    if k == "mixed":
        return to_sympy(n[1], names, env, imag) + to_sympy(n[2], names, env, imag)
    if k == "pow":
        b, e = to_sympy(n[1], names, env, imag), to_sympy(n[2], names, env, imag)
        if e.is_Number and abs(e) > 50:
            raise EvalError("large power")
        return b**e
    if k == "sqrt":
        x = to_sympy(n[1], names, env, imag)
        return sympy.sqrt(x) if n[2] is None else sympy.root(x, to_sympy(n[2], names, env, imag))
    if k == "pct":
        return to_sympy(n[1], names, env, imag) / 100
    if k == "fact":
        return sympy.factorial(to_sympy(n[1], names, env, imag))
    if k == "binom":
        return sympy.binomial(to_sympy(n[1], names, env, imag), to_sympy(n[2], names, env, imag))
    if k == "abs":
        return sympy.Abs(to_sympy(n[1], names, env, imag))
    if k == "floor":
        return sympy.floor(to_sympy(n[1], names, env, imag))
    if k == "ceil":
        return sympy.ceiling(to_sympy(n[1], names, env, imag))
    if k == "func":
        fn = {
            "sin": sympy.sin,
            "cos": sympy.cos,
            "tan": sympy.tan,
            "ln": sympy.log,
            "exp": sympy.exp,
            "sec": sympy.sec,
            "csc": sympy.csc,
            "cot": sympy.cot,
        }.get(n[1])
        arg = to_sympy(n[2], names, env, imag)
        if n[1] in ("log", "lg"):
            base = to_sympy(n[3], names, env, imag) if n[3] is not None else 10
            return sympy.log(arg, base)
        if fn is None:
            raise EvalError(n[1])
        return fn(arg)
    raise EvalError(k)


INEQ_RELS = ("<", ">", "<=", ">=")


def attack_boundary(ctx: RowCtx, findings, unchecked, budget):
    """An inequality in one variable with no blank (`20000(1+r)^2 + 20000(1+r) + 20000 \\ge 66200`): a
    reader solves it at its boundary; a real boundary root equal to the gold (or, where the trace speaks of a
    percent, to the gold's hundredth: r = 1/10 for 10%) leaks. sympy, every real root."""
    import sympy

    g = ctx.gold
    if g.value is None:
        if g.interval is not None and not math.isinf(g.interval[0]) and not math.isinf(g.interval[2]):
            _bd_interval_ends(ctx, findings, budget)
        return
    percent = "%" in ctx.masked or "percent" in ctx.masked
    for sides, rels in ctx.chains:
        for r, a, b in zip(rels, sides, sides[1:], strict=False):
            if r not in INEQ_RELS or a.node is None or b.node is None or a.unk or b.unk:
                continue
            free = a.var | b.var
            if len(free) != 1 or budget.left() < 0.3:
                continue
            names: dict = {}
            try:
                expr = to_sympy(_diff(a.node, b.node), names, {})
                if expr.count_ops() > 150:
                    continue
                roots = sympy.solve(expr, names[next(iter(free))], dict=False)
            except RowTimeout:
                raise
            except Exception:  # noqa: BLE001 - sympy may fail in many ways; the inequality is then skipped
                continue
            for root in roots:
                if getattr(root, "free_symbols", None):
                    continue
                c = complex(root.evalf())
                if abs(c.imag) > 1e-12:
                    continue
                v = Fraction(int(root.p), int(root.q)) if root.is_Rational else c.real
                if g.matches(v) or (percent and g.matches(v * 100)):
                    what = f"the boundary of the inequality is {fmt_val(v)}"
                    add(findings, "constraints", ctx, a.s, b.e, what)
                    return
    if COUNTS_INTEGERS.search(ctx.question):
        _bd_integer_count(ctx, findings, budget)
    _bd_integer_part(ctx, findings)
    _bd_integer_values(ctx, findings)


def _bd_interval_ends(ctx: RowCtx, findings, budget):
    """A bounded interval gold that two blank-free inequalities in one letter give together: each solved
    by sympy as the set of its letter's values (`144 \\ge 54p`: p <= 8/3; `20p > 12`: p > 3/5); a lower
    and an upper half-line of one letter whose intersection is the gold leak. Not an inequality copied
    from the question."""
    import sympy

    q = re.sub(r"\s+", "", ctx.question)
    lows: dict = {}
    highs: dict = {}
    for sides, rels in ctx.chains:
        for r, a, b in zip(rels, sides, sides[1:], strict=False):
            if r not in INEQ_RELS or a.node is None or b.node is None or a.unk or b.unk:
                continue
            free = a.var | b.var
            if len(free) != 1 or budget.left() < 0.3 or re.sub(r"\s+", "", ctx.masked[a.s : b.e]) in q:
                continue
            names: dict = {}
            try:
                left, right = to_sympy(a.node, names, {}), to_sympy(b.node, names, {})
                letter = next(iter(free))
                x = names[letter]
                if (left - right).count_ops() > 150:
                    continue
                rel = {"<": sympy.Lt, ">": sympy.Gt, "<=": sympy.Le, ">=": sympy.Ge}[r](left, right)
                got = sympy.solve_univariate_inequality(rel, x, relational=False)
            except RowTimeout:
                raise
            except Exception:  # noqa: BLE001 - sympy may fail in many ways; the inequality is then skipped
                continue
            if not isinstance(got, sympy.Interval):
                continue
            if got.start == -sympy.oo and got.end.is_finite:
                highs.setdefault(letter, []).append((got.end, not got.right_open, a.s, b.e))
            elif got.end == sympy.oo and got.start.is_finite:
                lows.setdefault(letter, []).append((got.start, not got.left_open, a.s, b.e))
    lo, lo_closed, hi, hi_closed = ctx.gold.interval
    pairs = [(x, y) for name in lows.keys() & highs.keys() for x in lows[name] for y in highs[name]]
    for (start, start_closed, s1, e1), (end, end_closed, s2, e2) in pairs:
        if start_closed != lo_closed or end_closed != hi_closed:
            continue
        if eq_val(_bd_real(start), lo) and eq_val(_bd_real(end), hi):
            s, e = (s1, e1) if s1 > s2 else (s2, e2)
            add(findings, "constraints", ctx, s, e, "two inequalities bound the letter on both sides")
            return


def _bd_real(v):
    """A sympy number as a Fraction (rational) or a float."""
    return Fraction(int(v.p), int(v.q)) if v.is_Rational else complex(v.evalf()).real


#: an inequality as written, as a test on two values
INEQ_HOLDS = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def _two_sided(ctx: RowCtx):
    """Each ``A < B < C`` of the masked text's chains (both relations inequalities, the same way round),
    every side parsed and blank-free: (first relation, second relation, A, B, C)."""
    for sides, rels in ctx.chains:
        for k in range(len(rels) - 1):
            r1, r2 = rels[k], rels[k + 1]
            if r1 not in INEQ_HOLDS or r2 not in INEQ_HOLDS or (r1[0] == "<") != (r2[0] == "<"):
                continue
            trio = sides[k], sides[k + 1], sides[k + 2]
            if not any(x.node is None or x.unk for x in trio):
                yield (r1, r2, *trio)


#: a question that asks for a count; the trace saying a quantity is whole ("must be an integer")
ASKS_HOW_MANY = re.compile(r"(?i)\bhow many\b|\bnumber of\b|\bcount\b")
SAYS_INTEGER = re.compile(
    r"(?i)\b(?:must be|has to be|is|are|be)\s+(?:an? |all )?integers?\b|\binteger[- ]valued\b"
)


def _bd_integer_values(ctx: RowCtx, findings) -> None:
    """A chain ``lo <= E <= hi`` (numbers outside, letters in the middle, no blank, one way round) the
    trace says right after is an integer ("Since $f(x)$ must be an integer"), where the question asks how
    many: the integers from lo to hi, counted with the chain's strictness, are the values E takes; a count
    equal to the gold leaks (`-1 \\le f(x) \\le 1`: 3)."""
    g = ctx.gold
    if g.value is None or not ASKS_HOW_MANY.search(ctx.question):
        return
    for r1, r2, lo_side, mid, hi_side in _two_sided(ctx):
        if lo_side.var or hi_side.var or not mid.var:
            continue
        said = SAYS_INTEGER.search(ctx.masked, hi_side.e, hi_side.e + 160)
        subject = (
            re.sub(r"\s+|\$", "", ctx.masked[max(hi_side.e, said.start() - 40) : said.start()])
            if said
            else ""
        )
        if not said or not subject.endswith(re.sub(r"\s+|\$", "", ctx.masked[mid.s : mid.e])):
            continue  # "where $k$ is an integer" says nothing of the chain's x
        if re.sub(r"\s+", "", ctx.masked[lo_side.s : hi_side.e]) in re.sub(r"\s+", "", ctx.question):
            continue  # the question's own range
        try:
            a, b = (ev(x.node, {}) for x in (lo_side, hi_side))
            if isinstance(a, complex) or isinstance(b, complex):
                continue
            a, b = float(a), float(b)
        except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
            continue
        if not (math.isfinite(a) and math.isfinite(b)) or a == b:
            continue
        (a, strict_a), (b, strict_b) = sorted(((a, r1 in "<>"), (b, r2 in "<>")), key=lambda e: e[0])
        first, last = math.ceil(a), math.floor(b)
        n = last - first + 1 - int(strict_a and a == first) - int(strict_b and b == last)
        if 0 < n <= 2000 and g.matches(Fraction(n)):
            what = f"the chain, an integer by the text, takes the {n} integers from {first} to {last}"
            add(findings, "constraints", ctx, lo_side.s, hi_side.e, what)
            return


def _bd_integer_part(ctx: RowCtx, findings) -> None:
    """A chain ``b < E < b + 1``: the outer sides in one variable only, the middle blank-free: the integers
    ``b`` it allows, tried one by one around E (the checker's own evaluator); exactly one, equal to the
    gold, leaks (a calculator reads the integer part of E)."""
    holds = INEQ_HOLDS
    for r1, r2, lo_side, mid, hi_side in _two_sided(ctx):
        if mid.var or len(lo_side.var) != 1 or lo_side.var != hi_side.var:
            continue
        (name,) = lo_side.var
        try:
            e = ev(mid.node, {})
            if isinstance(e, complex) or not math.isfinite(float(e)) or abs(float(e)) > 1e9:
                continue
            e = float(e)
        except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
            continue
        found = []
        for n in range(math.floor(e) - 25, math.floor(e) + 26):
            try:
                a, b = ev(lo_side.node, {name: Fraction(n)}), ev(hi_side.node, {name: Fraction(n)})
                if isinstance(a, complex) or isinstance(b, complex):
                    continue
                if holds[r1](float(a), e) and holds[r2](e, float(b)):
                    found.append(n)
            except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
                continue
        if len(found) == 1 and ctx.gold.matches(Fraction(found[0])):
            what = f"the chain allows one integer {name} = {found[0]} (the integer part of its middle)"
            add(findings, "constraints", ctx, lo_side.s, hi_side.e, what)
            return


def _bd_chain_counts(lo_side, mid, hi_side, r1: str, r2: str, first: int, last: int, n: int) -> bool:
    """Checked integer by integer (the checker's own evaluator): the chain holds at ``n`` integers from
    ``first`` to ``last`` and at neither one step beyond: a middle that turns back (1/t) counts nothing."""
    if last - first > 2000:
        return False
    ops = INEQ_HOLDS
    try:
        lo_v, hi_v = float(ev(lo_side.node, {})), float(ev(hi_side.node, {}))
    except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
        return False
    (name,) = mid.var
    seen = []
    for k in range(first - 1, last + 2):
        try:
            f = ev(mid.node, {name: Fraction(k)})
            holds = not isinstance(f, complex) and ops[r1](lo_v, float(f)) and ops[r2](float(f), hi_v)
        except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
            holds = False
        seen.append(holds)
    return not seen[0] and not seen[-1] and sum(seen) == n


#: a question that counts integers: "How many integer values of $t$ ...", "the number of integers"
COUNTS_INTEGERS = re.compile(r"(?i)how many[^.?]*?integer|number of integers")


def _bd_integer_count(ctx: RowCtx, findings, budget):
    """A two-sided chain ``lo < f(t) < hi`` (no blank, one variable in the middle only, both relations the
    same way round): t lies between the roots of f(t) = lo and f(t) = hi (one real root each), and the
    integers there, counted with the chain's strictness, are the gold (2 < sqrt(t) < 7/2: t = 5..12, 8)."""
    import sympy

    g = ctx.gold
    for r1, r2, lo_side, mid, hi_side in _two_sided(ctx):
        if lo_side.var or hi_side.var or len(mid.var) != 1 or budget.left() < 0.3:
            continue
        ends = []
        for outer in (lo_side, hi_side):
            names: dict = {}
            try:
                expr = to_sympy(_diff(mid.node, outer.node), names, {})
                roots = [r for r in sympy.solve(expr, names[next(iter(mid.var))]) if r.is_real]
            except RowTimeout:
                raise
            except Exception:  # noqa: BLE001 - sympy may fail; the chain is then skipped
                roots = []
            if len(roots) != 1:
                break
            ends.append(roots[0])
        if len(ends) != 2 or ends[0] == ends[1]:
            continue
        (a, strict_a), (b, strict_b) = sorted(
            ((ends[0], r1 in "<>"), (ends[1], r2 in "<>")), key=lambda e: e[0]
        )
        first, last = sympy.ceiling(a), sympy.floor(b)
        n = int(last - first + 1) - int(strict_a and a == first) - int(strict_b and b == last)
        if g.matches(Fraction(n)) and _bd_chain_counts(
            lo_side, mid, hi_side, r1, r2, int(first), int(last), n
        ):
            what = f"the chain bounds its variable between {a} and {b}: {n} integers"
            add(findings, "constraints", ctx, lo_side.s, hi_side.e, what)
            return


ASKS_EXTREME = re.compile(r"\b(?:range|maximum|minimum|largest|smallest|greatest|least|max|min)\b", re.I)


def _bd_number(expr):
    """A sympy expression with no symbol left as a checker value (Fraction when rational), else None."""
    if expr.free_symbols:
        return None
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    c = complex(expr.evalf())
    if abs(c.imag) > 1e-12 or not math.isfinite(c.real):
        return None
    return c.real


def _bd_extremes(node, name: str, a: float, b: float):
    """The least and greatest values of ``node`` (one variable) on [a, b], numerically: 1201 evenly spaced
    points (the checker's own evaluator), then each grid extremum narrowed by ternary search (100 steps).
    (None, None) when the expression is undefined at a point."""

    def at(x):
        try:
            v = ev(node, {name: x})
        except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
            return None
        if isinstance(v, complex):
            return None
        return float(v)

    n = 1200
    xs = [a + (b - a) * k / n for k in range(n + 1)]
    ys = [at(x) for x in xs]
    if any(y is None for y in ys):
        return None, None
    least, most = min(ys), max(ys)
    for k in range(1, n):
        for sign in (1, -1):
            if sign * ys[k] <= sign * ys[k - 1] and sign * ys[k] <= sign * ys[k + 1]:
                lo, hi = xs[k - 1], xs[k + 1]
                for _ in range(100):
                    m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
                    f1, f2 = at(m1), at(m2)
                    if f1 is None or f2 is None:
                        break
                    if sign * f1 < sign * f2:
                        hi = m2
                    else:
                        lo = m1
                y = at((lo + hi) / 2)
                if y is not None:
                    least, most = min(least, y), max(most, y)
    return least, most


def _bd_bounded(sides: list, rels: list) -> list:
    """Pairs (A, B) of blank-free sides of one chain with A >= B or A <= B through it: relations of one
    direction and = between them, the sides between may hold blanks (`A \\ge [N] \\sqrt{..} = 4`: A, 4)."""
    out = []
    for i, a in enumerate(sides):
        if a.node is None or a.unk:
            continue
        way = 0
        for j in range(i + 1, min(len(sides), i + 9)):
            r = rels[j - 1]
            w = 0 if r == "=" else 1 if r in (">", ">=") else -1 if r in ("<", "<=") else None
            if w is None or (w and way and w != way):
                break
            way = way or w
            b = sides[j]
            if way and b.node is not None and not b.unk:
                out.append((a, b))
    return out


def attack_bound(ctx: RowCtx, findings, unchecked, budget):
    """The key step of an inequality or optimisation proof left visible, the rest routine (sympy):
    - a visible inequality A >= B (no blank) whose side A (not a lone letter) stands inside another visible
      expression E (no blank): E with A replaced by B (E.subs(A, B), simplified) is a number equal to the
      gold (`x^4+z^4+6 \\ge 4(x+z)` beside `\\frac{x+z}{x^4+z^4+6}` gives 1/4);
    - where the question asks for a range, maximum or minimum (or the gold is a closed interval): a chain
      `lo <= t <= hi` with lo, hi numbers and a visible expression in t alone (no blank): its least and
      greatest values on [lo, hi] (sampled, then narrowed numerically) are the gold's ends, or one is it."""
    g = ctx.gold
    ineqs, exprs, spans = [], [], []
    for sides, rels in ctx.chains:
        for sd in sides:
            if sd.node is not None and not sd.unk and sd.var and sd.lone is None and sd.node[0] != "var":
                exprs.append(sd)
        ineqs.extend(_bd_bounded(sides, rels))
        if len(sides) == 3 and len(rels) == 2 and all(r in INEQ_RELS for r in rels):
            lo, mid, hi = sides
            same_way = (rels[0] in ("<", "<=")) == (rels[1] in ("<", "<="))
            if same_way and mid.node is not None and mid.node[0] == "var" and not mid.unk:
                spans.append((mid.node[1], lo, hi))
    if g.value is not None and ineqs:
        import sympy

        for a, b in ineqs[:40]:
            if not (a.var | b.var) or budget.left() < 0.3:
                continue
            names: dict = {}
            try:
                sa, sb = to_sympy(a.node, names, {}), to_sympy(b.node, names, {})
            except RowTimeout:
                raise
            except Exception:  # noqa: BLE001 - a side sympy cannot build is skipped
                continue
            for src, dst, blame in ((sa, sb, b), (sb, sa, a)):
                if src.is_Atom or not src.free_symbols:
                    continue
                for sd in exprs[:200]:
                    if sd is a or sd is b or budget.left() < 0.3:
                        continue
                    try:
                        e = to_sympy(sd.node, names, {})
                        if e == src or not e.has(src):
                            continue
                        v = _bd_number(sympy.simplify(e.subs(src, dst)))
                    except RowTimeout:
                        raise
                    except Exception:  # noqa: BLE001
                        continue
                    if v is not None and g.matches(v):
                        add(
                            findings,
                            "constraints",
                            ctx,
                            blame.s,
                            blame.e,
                            f"{ctx.masked[sd.s : sd.e]} with the inequality "
                            f"{ctx.masked[a.s : b.e]} written in is {fmt_val(v)}",
                        )
                        return
    pair = g.comps is not None and len(g.comps) == 2
    asks = ASKS_EXTREME.search(ctx.question) or "[" in g.raw
    if not spans or not (pair or g.value is not None) or not asks:
        return
    asked = re.sub(r"\s+|\\left|\\right", "", ctx.question)
    for name, lo, hi in spans[:10]:
        if lo.node is None or hi.node is None or lo.var or hi.var or lo.unk or hi.unk:
            continue
        for sd in exprs[:200]:
            if sd.var != {name} or budget.left() < 0.5:
                continue
            if re.sub(r"\s+|\\left|\\right", "", ctx.masked[sd.s : sd.e]) in asked:
                continue  # the question's own function: its range is the task
            try:
                a, b = float(ev(lo.node, {})), float(ev(hi.node, {}))
            except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
                continue
            if not (math.isfinite(a) and math.isfinite(b)) or b - a < 1e-9:
                continue
            least, most = _bd_extremes(sd.node, name, a, b)
            if least is None or most is None:
                continue
            hit = (
                eq_val(least, g.comps[0]) and eq_val(most, g.comps[1])
                if pair
                else g.matches(least) or g.matches(most)
            )
            if hit:
                add(
                    findings,
                    "constraints",
                    ctx,
                    sd.s,
                    sd.e,
                    f"{ctx.masked[sd.s : sd.e]} ranges over [{fmt_val(least)}, {fmt_val(most)}] on the "
                    f"visible interval of {name}",
                )
                return


def _flatten_product(x) -> list:
    if x[0] == "mul":
        return _flatten_product(x[1]) + _flatten_product(x[2])
    return [x]


def factor_rule(lhs, rhs, env):
    """`196 = [A]^2 \\cdot [B]^2`: prime bases / exponents a prime factorisation fixes (maybe up to order)."""
    for a, b in ((lhs, rhs), (rhs, lhs)):
        n = try_ev(a, env)
        if n is None or not isinstance(n, Fraction) or n.denominator != 1 or not 1 < n < 10**12:
            continue
        factors = _flatten_product(b)
        if len(factors) < 2 and not (factors and factors[0][0] == "pow"):
            continue
        import sympy

        fac = dict(sympy.factorint(int(n)))
        unk_bases = []  # (key, exponent)
        unk_exps = []  # (key, prime)
        ok = True
        for f in factors:
            base, ex = (f[1], f[2]) if f[0] == "pow" else (f, ("num", Fraction(1)))
            bv, xv = try_ev(base, env), try_ev(ex, env)
            if bv is not None and xv is not None:
                if not (
                    isinstance(bv, Fraction)
                    and bv.denominator == 1
                    and int(bv) in fac
                    and xv.denominator == 1
                ):
                    ok = False
                    break
                fac[int(bv)] -= int(xv)
            elif bv is None and xv is not None and base[0] == "unk":
                unk_bases.append((base[1], int(xv)))
            elif (
                bv is not None
                and xv is None
                and ex[0] == "unk"
                and isinstance(bv, Fraction)
                and int(bv) in fac
            ):
                unk_exps.append((ex[1], int(bv)))
            else:
                ok = False
                break
        if not ok or not (unk_bases or unk_exps):
            continue
        out = {}
        for key, p in unk_exps:
            out[key] = [Fraction(fac.get(p, 0))]
            fac[p] = 0
        remaining = {p: k for p, k in fac.items() if k > 0}
        if any(k < 0 for k in fac.values()):
            continue
        for key, x in unk_bases:
            out[key] = [Fraction(p) for p, k in remaining.items() if k == x]
        if len(unk_bases) == len(remaining):
            return out
    return None


FACTOR_CUE_RE = re.compile(r"factor", re.I)
#: the words right before a statement that say it writes the one before again: "This reduces to",
#: "which simplifies to", "Expanding, we get", "or equivalently" (at the end of the text between the two)
REWRITE_CUE_RE = re.compile(
    r"\b(?:reduc|simplif|expand|equivalent|rewrit)\w*(?:\s*,?\s*(?:to|as|we\s+(?:get|have|obtain|find)|gives"
    r"|yields|becomes|this\s+becomes))?[\s,:$\\\[\]]*$",
    re.I,
)
NEGATION_RE = re.compile(r"\b(?:not|without|never|cannot)\b", re.I)


def _sum_factors(node) -> int:
    """How many factors that are sums ``node`` is: ``(x-3)`` one, ``(x-3)^2`` two."""
    if node[0] == "pow":
        n = try_ev(node[2])
        ok = isinstance(n, Fraction) and n.denominator == 1 and 1 < n <= 8
        return int(n) if ok and _sum_factors(node[1]) else 0
    return int(node[0] == "add")


def _is_factored(node) -> bool:
    """A product of two or more factors that are sums: ``(a+1)(a-[N])``, ``2(x-3)^2``; not ``3(x-2)``."""
    if node[0] == "neg":
        return _is_factored(node[1])
    return node[0] == "mul" and sum(_sum_factors(f) for f in _flatten_product(node)) >= 2


def _own_var(node):
    """``node`` with every letter renamed: an identity's letter is no value another equation fixes."""
    if node[0] == "var":
        return ("var", node[1] + "~")

    def child(c):
        if isinstance(c, tuple) and c and isinstance(c[0], str):
            return _own_var(c)
        if isinstance(c, list):
            return [
                (x[0], _own_var(x[1]))
                if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int)
                else _own_var(x)
                if isinstance(x, tuple)
                else x
                for x in c
            ]
        return c

    return (node[0], *map(child, node[1:]))


def factored_pairs(ctx: RowCtx) -> list[tuple]:
    """``a^2 - 2a - [N] \\ge 0``, then "which factors as" ``(a + 1)(a - [N]) \\ge 0``: two one-relation
    chains in a row in one letter, one left side a product with a sum among its factors and the other
    not, the prose between them saying "factor" or both against the same visible value. A reader takes
    the two left sides for one polynomial: (lhs, rhs, start, end) equations, each letter a name of its own
    (an identity holds for every value of it)."""
    stmts = [
        (sides[0], rels[0], sides[1])
        for sides, rels in ctx.chains
        if len(rels) == 1 and len(sides) == 2 and sides[0].node is not None and sides[1].node is not None
    ]
    out = []
    for (a, ra, ca), (b, rb, cb) in itertools.pairwise(stmts):
        gap = ctx.masked[ca.e : b.s]
        if b.s < ca.e or len(gap) > 160:
            continue
        if len(a.var) != 1 or a.var != b.var or not (a.unk | b.unk):
            continue
        bound = (
            ra == rb and not (ca.unk | ca.var | cb.unk | cb.var) and eq_val(try_ev(ca.node), try_ev(cb.node))
        )
        if _is_factored(a.node) == _is_factored(b.node):
            # two forms of one kind: the same polynomial only where the prose says it is rewritten and both
            # stand against one visible value ("$(a-1)^2 - [N] \\ge 0$. This reduces to $a^2 - [N]a - [N]
            # \\ge 0$")
            cue = REWRITE_CUE_RE.search(gap)
            if bound and cue and not NEGATION_RE.search(gap[max(0, cue.start() - 20) : cue.end()]):
                out.append((_own_var(a.node), _own_var(b.node), a.s, b.e))
            continue
        if bound or FACTOR_CUE_RE.search(gap):
            out.append((_own_var(a.node), _own_var(b.node), a.s, b.e))
    return out


DISCRIMINANT_RE = re.compile(r"\bdiscriminant", re.I)


def discriminant_pairs(ctx: RowCtx) -> list[tuple]:
    """The discriminant of a visible quadratic beside the statement written for it: "$(x + 1)(x^2 + (a -
    1)x + 1) = 0.$ ... its discriminant is nonnegative: $(a - [N])^2 - [N] \\ge 0$": a reader computes
    b^2 - 4ac of the visible quadratic (sympy here, the letter the one of degree two) and
    takes the next statement's left side for it. The quadratic: the one blank-free factor (or side) of the
    last one-relation chain ending before the word; the statement: the first chain starting after it.
    (lhs, rhs, start, end) identities in the letters, for the constraints attack."""
    import sympy

    stmts = [
        (sides[0], sides[1])
        for sides, rels in ctx.chains
        if len(rels) == 1 and len(sides) == 2 and sides[0].node is not None and sides[1].node is not None
    ]
    out = []
    for word in DISCRIMINANT_RE.finditer(ctx.masked):
        before = [st for st in stmts if st[1].e <= word.start() <= st[1].e + 320]
        after = [st for st in stmts if word.end() <= st[0].s <= word.end() + 160]
        if not before or not after or not after[0][0].unk:
            continue
        found = []
        for sd in before[-1]:
            factors = _flatten_product(sd.node)
            for factor in factors if len(factors) > 1 else [sd.node]:
                unk, var = free_syms(factor)
                if unk or not var:
                    continue
                names: dict = {}
                try:
                    expr = sympy.expand(to_sympy(factor, names, {}))
                except Exception:  # noqa: BLE001 - not an expression sympy reads
                    continue
                for v in var:
                    sym = names.get(v)
                    if sym is None:
                        continue
                    try:
                        poly = sympy.Poly(expr, sym)
                    except sympy.PolynomialError:
                        continue
                    if poly.degree() == 2 and all(not c.has(sym) for c in poly.all_coeffs()):
                        found.append((factor, v, sd))
        if len(found) != 1:
            continue
        factor, v, sd = found[0]
        at = {k: _put_var(factor, v, ("num", Fraction(k))) for k in (-1, 0, 1)}
        two = ("num", Fraction(2))
        a = ("div", ("add", [(1, at[1]), (-1, ("mul", two, at[0], False)), (1, at[-1])]), two, False)
        b = ("div", ("add", [(1, at[1]), (-1, at[-1])]), two, False)
        disc = (
            "add",
            [(1, ("pow", b, two)), (-1, ("mul", ("num", Fraction(4)), ("mul", a, at[0], False), False))],
        )
        out.append((_own_var(after[0][0].node), _own_var(disc), sd.s, after[0][0].e))
    return out


BELOW_RELS = ("<", "<=")
ABOVE_RELS = (">", ">=")
#: what joins two one-sided bounds of one solution set ("$x < 2$ or $x > 5$")
OR_GAP_RE = re.compile(
    r"(?:[\s$,{}]|\\text\s*\{|\\q?quad\b)*(?:or|\\cup)\b(?:[\s$,{}]|\\text\s*\{|\\q?quad\b)*\Z"
)


def _with_value(node, name, num):
    """``node`` with the letter ``name`` written as the number ``num``."""
    return _put_var(node, name, ("num", Fraction(num)))


def _put_var(node, name, value):
    """``node`` with each ``("var", name)`` written as the node ``value`` (the children ``walk`` reads)."""
    if node[0] == "var":
        return value if node[1] == name else node

    def child(c):
        if isinstance(c, tuple) and c and isinstance(c[0], str):
            return _put_var(c, name, value)
        if isinstance(c, list):
            return [
                (x[0], _put_var(x[1], name, value))
                if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int)
                else _put_var(x, name, value)
                if isinstance(x, tuple)
                else x
                for x in c
            ]
        return c

    return (node[0], *map(child, node[1:]))


#: where a quadratic is evaluated: five points 2/3 apart, off the integers (floor(x)^2 is x^2 at integers)
QUAD_POINTS = [Fraction(2 * t + 1, 3) for t in range(5)]


def quadratic_abc(d, letter, env):
    """(a, b, c) of ``d = a x^2 + b x + c`` in ``letter`` at ``env`` (the other unknowns' values), when ``d``
    is exactly quadratic there (its third differences at QUAD_POINTS vanish, its second does not); else
    None."""
    ys = [try_ev(d, {**env, letter: x}) for x in QUAD_POINTS]
    if not all(isinstance(y, Fraction) for y in ys):
        return None
    h, x0 = QUAD_POINTS[1] - QUAD_POINTS[0], QUAD_POINTS[0]
    a = (ys[2] - 2 * ys[1] + ys[0]) / (2 * h * h)
    if a == 0 or any(ys[k + 3] - 3 * ys[k + 2] + 3 * ys[k + 1] - ys[k] for k in (0, 1)):
        return None
    b = (ys[1] - ys[0]) / h - a * (2 * x0 + h)
    return a, b, ys[0] - a * x0 * x0 - b * x0


def _degree_two(d, letter) -> bool:
    """Is ``d`` of degree exactly 2 in ``letter``, its blanks at arbitrary values?"""
    unk, _ = free_syms(d)
    return (
        quadratic_abc(d, letter, {k: Fraction(29 + 4 * j, 13) for j, k in enumerate(sorted(unk, key=str))})
        is not None
    )


def interval_root_pairs(ctx: RowCtx) -> list[tuple]:
    """A quadratic inequality in one letter, then (the next inequality, within 160 characters) a bound of
    that letter on both sides (``-1 \\le a \\le [N]``, or ``x < l`` or ``x > u``): a reader takes the two
    ends for the quadratic's roots, so the quadratic is its leading coefficient times ``(x - l)(x - u)``
    (the Vieta sum and product). (lhs, rhs, start, end) identities, the letter renamed."""
    ineq = [
        (sides, rels)
        for sides, rels in ctx.chains
        if any(r in INEQ_RELS for r in rels) and all(sd.node is not None for sd in sides)
    ]
    out = []
    for n, (sides, rels) in enumerate(ineq):
        if sum(r in INEQ_RELS for r in rels) != 1:
            continue  # `-1 <= P <= 1`: its solution set is no pair of roots of one side
        for r, a, b in zip(rels, sides, sides[1:], strict=False):
            if r not in INEQ_RELS or len(a.var | b.var) != 1:
                continue
            (letter,) = a.var | b.var
            d = _diff(a.node, b.node)
            if not _degree_two(d, letter):
                continue
            ends = _bound_ends(ctx, ineq, n, letter, sides[-1].e)
            if ends is None or not (a.unk | b.unk | ends[0].unk | ends[1].unk):
                continue  # no bound, or nothing hidden
            lo, hi = ends
            x = ("var", letter)
            lead = (
                "div",
                ("add", [(1, _with_value(d, letter, 1)), (1, _with_value(d, letter, -1)),
                         (-1, _with_value(d, letter, 0)), (-1, _with_value(d, letter, 0))]),
                ("num", Fraction(2)),
                False,
            )  # fmt: skip
            roots = ("mul", ("add", [(1, x), (-1, lo.node)]), ("add", [(1, x), (-1, hi.node)]), False)
            out.append((_own_var(d), _own_var(("mul", lead, roots, False)), a.s, hi.e))
    return out


def _bound_ends(ctx: RowCtx, ineq, n, letter, after):
    """The ends (lo, hi) of the first inequality chain after ``ineq[n]``, when it bounds ``letter`` on both
    sides by expressions without letters; else None."""
    for k in range(n + 1, len(ineq)):
        sides, rels = ineq[k]
        if sides[0].s < after:
            continue
        if len(ctx.masked[after : sides[0].s]) > 160:
            return None
        x = ("var", letter)
        ends = None
        if (
            len(rels) == 2
            and sides[1].node == x
            and (set(rels) <= set(BELOW_RELS) or set(rels) <= set(ABOVE_RELS))
        ):
            ends = (sides[0], sides[2])
        elif len(rels) == 1 and sides[0].node == x and k + 1 < len(ineq):
            sides2, rels2 = ineq[k + 1]
            opposite = {rels[0] in BELOW_RELS, rels2[0] in BELOW_RELS} == {True, False}
            if (
                len(rels2) == 1
                and sides2[0].node == x
                and opposite
                and OR_GAP_RE.match(ctx.masked[sides[1].e : sides2[0].s])
            ):
                ends = (sides[1], sides2[1])
        if ends is None or ends[0].var or ends[1].var:
            return None
        return ends
    return None


INVERSES = {"sin": math.asin, "cos": math.acos, "tan": math.atan, "cot": lambda y: math.atan2(1, y)}
#: an angle in degrees: ``30^\\circ`` (not ``f \\circ g``), "in degrees" (not "the degree of a polynomial")
DEGREES_RE = re.compile(r"\^\s*\{?\s*\\circ|\bdegrees\b", re.I)


def attack_inverse_trig(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """``\\sin\\theta = \\frac{1}{2}`` with the value visible: a reader takes the principal angle
    (arcsin), in degrees where the gold or the question is in degrees. Equal to the gold, it leaks."""
    degrees = bool(DEGREES_RE.search(ctx.gold.raw) or DEGREES_RE.search(ctx.question))
    for sides, rels in ctx.chains:
        for r, a, b in zip(rels, sides, sides[1:], strict=False):
            if r != "=" or a.node is None or b.node is None:
                continue
            for f, other in ((a, b), (b, a)):
                node = f.node
                if node[0] != "func" or node[1] not in INVERSES or node[2][0] != "var" or node[3] is not None:
                    continue
                if other.unk or other.var:
                    continue
                v = try_ev(other.node)
                if v is None or isinstance(v, complex):
                    continue
                try:
                    angle = INVERSES[node[1]](float(v))
                except (ValueError, OverflowError):
                    continue
                if ctx.gold.matches(angle) or (degrees and ctx.gold.matches(angle * 180 / math.pi)):
                    what = f"the principal angle of {ctx.masked[a.s : b.e]!r} is the gold"
                    add(findings, "constraints", ctx, a.s, b.e, what)
                    return


def _quotient_walk(n, leaves: Counter, pairs: Counter) -> None:
    if isinstance(n, list):
        for c in n:
            _quotient_walk(c, leaves, pairs)
        return
    if not (isinstance(n, tuple) and n and isinstance(n[0], str)):
        return
    if n[0] == "unk":
        leaves[n[1]] += 1
        return
    if n[0] == "div" and n[1][0] == "unk" and n[2][0] == "unk" and n[1][1] != n[2][1]:
        pairs[n[1][1], n[2][1]] += 1
    for c in n[1:]:
        _quotient_walk(c, leaves, pairs)


def _quotient_keys(nodes: list) -> dict:
    """(numerator key, denominator key) -> a key for their quotient, for each fraction of two blanks whose
    blanks every node holds only as that fraction (`42/60 = [N]/[N]`, then `50*([N]/[N])`)."""
    leaves: Counter = Counter()
    pairs: Counter = Counter()
    for n in nodes:
        _quotient_walk(n, leaves, pairs)
    owners = Counter(k for pair in pairs for k in pair)
    return {
        (a, b): ("quotient", a, b)
        for (a, b), c in pairs.items()
        if leaves[a] == c and leaves[b] == c and owners[a] == 1 and owners[b] == 1
    }


def _quotients_in(n, quotients: dict):
    """``n`` with each fraction of two blanks in ``quotients`` read as the one blank of their quotient."""
    if isinstance(n, list):
        return [_quotients_in(c, quotients) for c in n]
    if not (isinstance(n, tuple) and n and isinstance(n[0], str)) or n[0] in ("unk", "num", "var", "const"):
        return n
    if n[0] == "div" and n[1][0] == "unk" and n[2][0] == "unk" and (n[1][1], n[2][1]) in quotients:
        return ("unk", quotients[n[1][1], n[2][1]])
    return (n[0], *(_quotients_in(c, quotients) for c in n[1:]))


def attack_constraints(ctx: RowCtx, findings, unchecked, budget, extra=()):
    g = ctx.gold
    m = ctx.masked
    eqs = []  # (lhs node, rhs node, s, e)
    aligned = []  # the same, read term by term: propagated, never in the joint systems (sympy's cost)
    for run in ctx.runs:
        parsed = [
            sd for sd in run if sd.node is not None and sd.node[0] not in ("tuple", "pm") and not sd.copied
        ]
        nodes = []
        for sd in parsed:
            cv = const_value(sd.node, sd.var) if sd.var and not sd.unk and sd.explicit else None
            nodes.append(("val", cv) if cv is not None else sd.node)
        for (a, na), (b, nb) in zip(
            zip(parsed, nodes, strict=False), list(zip(parsed, nodes, strict=False))[1:], strict=False
        ):
            if a.unk or b.unk or a.var or b.var:
                eqs.append((na, nb, a.s, b.e))
                aligned.extend((x, y, a.s, b.e) for x, y in termwise(a.node, b.node))
    for expr, res, _ in ctx.note_eqs:
        eqs.append((expr.node, res.node, expr.s, res.e))
    eqs.extend(factored_pairs(ctx))
    eqs.extend(discriminant_pairs(ctx))
    eqs.extend(interval_root_pairs(ctx))
    # "x - 2 = \pm 16^{3/2}": a side beside a visible plus-or-minus value is one of two equations
    pm_sides = [
        (a.node, vals, a.s, b.e)
        for run in ctx.runs
        for a, b in itertools.pairwise([sd for sd in run if sd.node is not None and not sd.copied])
        if b.node[0] == "pm" and not b.unk and a.node[0] not in ("tuple", "pm") and (a.unk or a.var)
        if (vals := pm_values(b.node)) and None not in vals
    ]
    if not eqs and not pm_sides and not extra:
        if g.value is not None:  # "It factors as $(2x-1)(x+3)$": a form needs no equation
            _question_form(ctx, {}, findings, budget) or _question_point(ctx, {}, findings, budget)
        return
    aligned.extend(_copied_steps(ctx))
    rewrites = _rewritten_lines(ctx)
    put_in, carried = _substituted_lines(ctx, budget)
    rewrites.extend(put_in)
    aligned.extend(carried)
    if len(eqs) + len(aligned) > 400:
        unchecked.append("constraints")
        return
    placeholder_keys = {ctx.key_at(s) for s, _, _ in ctx.ph}
    quotients = _quotient_keys([n for q in eqs + aligned for n in q[:2]] + [r[0] for r in rewrites])
    if quotients:  # a fraction of two blanks written nowhere else apart is one value to a reader
        eqs = [(_quotients_in(a, quotients), _quotients_in(b, quotients), s, e) for a, b, s, e in eqs]
        aligned = [(_quotients_in(a, quotients), _quotients_in(b, quotients), s, e) for a, b, s, e in aligned]
        placeholder_keys |= set(quotients.values())
    qc = re.sub(r"\s+|\\[,;!]|\\left|\\right", "", ctx.question)
    copied = set()
    for _, _, s, e in eqs:
        t = re.sub(r"\s+|\\[,;!]|\\left|\\right", "", m[s:e])
        if len(t) >= 5 and t in qc:
            copied.add((s, e))
    tried_identity: set = set()
    defs: Counter = Counter()
    for lhs, rhs, _, _ in eqs:
        for side, other in ((lhs, rhs), (rhs, lhs)):
            if side[0] == "var" and other[0] != "var":
                defs[side[1]] += 1
    ambiguous = {v for v, c in defs.items() if c > 1}  # x = 2 in one case, x = [N] in another
    eqs = [*extra, *eqs]  # (an operation's result defines no letter a second time: it is the same line)
    env: dict = {}
    why: dict = {}
    candidates: dict = {}
    roots_of: dict = {}  # (variable, equation) -> the two roots of a quadratic the variable solves
    skipped = False
    for _round in range(4):
        progress = False
        for d, letters, s, e in list(rewrites):
            # the same equation moved around holds for every value of its letters: its blanks match
            # coefficients (no visible term on both sides needed)
            free = (free_syms(d)[0] - env.keys()) & placeholder_keys
            if not free:
                continue
            got, err = identity_rule(d, free, letters, env, budget)
            skipped = skipped or err == "budget"
            if not got:
                continue
            for key, v in got.items():
                env[key], why[key] = v, (s, e)
            rewrites.remove((d, letters, s, e))
            progress = True
        for lhs, rhs, s, e in eqs + aligned:
            if budget.left() < 0.2:
                skipped = True
                break
            ul, vl = free_syms(lhs)
            ur, vr = free_syms(rhs)
            free = (ul | vl | ur | vr) - env.keys()
            if not free:
                continue
            d = _diff(lhs, rhs)
            if len(free) == 1:
                sym = next(iter(free))
                if sym not in placeholder_keys and (s, e) not in copied and (sym, s, e) not in roots_of:
                    got_roots = quadratic_roots(d, sym, env)
                    if got_roots:  # x^2 + 3x - 4 = 0 once a blank is matched: -4 or 1
                        roots_of[sym, s, e] = (got_roots, s, e)
                if sym not in placeholder_keys and ((s, e) in copied or sym in ambiguous):
                    continue  # the question's own equation, or a variable that takes several values
                root, err = solve_one(d, sym, env)
                if root is None and err == "nonlinear" and sym in placeholder_keys:
                    root, err = _sym_solve(d, sym, env, budget)
                    if err in ("budget", "large"):
                        skipped = True
                if root is not None:
                    env[sym] = root
                    why[sym] = (s, e)
                    progress = True
                continue
            # tried again once another equation fixed one of its unknowns (a chain of identities)
            if (
                (free & placeholder_keys)
                and (free - placeholder_keys)
                and (s, e, frozenset(free)) not in tried_identity
            ):
                tried_identity.add((s, e, frozenset(free)))
                got, err = identity_rule(
                    d, free & placeholder_keys, free - placeholder_keys, env, budget, lhs, rhs
                )
                if err in ("budget",):
                    skipped = True
                for key, v in (got or {}).items():
                    env[key] = v
                    why[key] = (s, e)
                    progress = True
                if got:
                    continue
            fr = factor_rule(lhs, rhs, env)
            if fr:
                for key, vals in fr.items():
                    if len(vals) == 1 and key not in env:
                        env[key] = vals[0]
                        why[key] = (s, e)
                        progress = True
                    elif key in placeholder_keys:
                        candidates.setdefault(key, (vals, s, e))
        if not progress:
            # small joint systems of placeholders only
            got = _joint(eqs, env, placeholder_keys, budget)
            if got == "skipped":
                skipped = True
            elif got:
                for key, (v, s, e) in got.items():
                    env[key] = v
                    why[key] = (s, e)
                progress = True
        if not progress or skipped:
            break
    hit = False
    for key in placeholder_keys:
        if key in env and g.matches(env[key]):
            s, e = why[key]
            add(findings, "constraints", ctx, s, e, f"solving gives a blank = {fmt_val(env[key])}")
            hit = True
            break
    if not hit:
        for vals, s, e in candidates.values():
            if any(g.matches(v) for v in vals):
                add(
                    findings,
                    "constraints",
                    ctx,
                    s,
                    e,
                    f"prime factorisation fixes a blank to one of {[fmt_val(v) for v in vals]}",
                )
                hit = True
                break
    if not hit:
        for vals, s, e in roots_of.values():
            if any(g.matches(v) for v in vals):
                what = f"a variable is one of {[fmt_val(v) for v in vals]}, the roots of a visible quadratic"
                add(findings, "constraints", ctx, s, e, what)
                hit = True
                break
    if not hit:
        for node, vals, s, e in pm_sides:
            ul, vl = free_syms(node)
            free = (ul | vl) - env.keys()
            if len(free) != 1:
                continue
            sym = next(iter(free))
            roots = [solve_one(_diff(node, ("val", v)), sym, dict(env))[0] for v in vals]
            if any(r is not None and g.matches(r) for r in roots):
                got = [fmt_val(r) for r in roots if r is not None]
                what = f"a side equal to plus or minus a visible value gives {got}"
                add(findings, "constraints", ctx, s, e, what)
                hit = True
                break
    if not hit:
        hit = _solved_expression(ctx, env, why, findings, roots_of)
    if not hit:
        hit = _values_combined(ctx, placeholder_keys, findings)
    if not hit and g.interval is not None and env:
        hit = _interval_bound_filled(ctx, env, findings)
    if not hit and g.value is not None:
        hit = _question_form(ctx, env, findings, budget) or _question_point(ctx, env, findings, budget)
    if not hit and g.value is not None and ctx.gsm:
        hit = _division_solves_line(ctx, findings)
    if skipped and not hit:
        unchecked.append("constraints")


def _interval_bound_filled(ctx: RowCtx, env: dict, findings) -> bool:
    """`-2 \\le x \\le [NUMBER]` beside `x^2 - 5x - [NUMBER] = (x - [NUMBER])(x + 2)`, for the gold [-2, 7]: a
    reader writes a value the equations fixed (7) into the inequality's one blank bound, and the inequality is
    the gold interval."""
    values: list = []
    for v in env.values():
        if not any(eq_val(v, w) for w in values):
            values.append(v)
    for sides, rels in ctx.chains:
        if not rels or len(rels) > 2 or not all(r in ("<", ">", "<=", ">=") for r in rels):
            continue
        blank = [sd for sd in sides if sd.node is not None and sd.unk]
        if len(blank) != 1 or len(blank[0].unk) != 1 or blank[0].var:
            continue
        key = next(iter(blank[0].unk))
        for v in values[:64]:
            iv = _interval_from_sides(sides, rels, {key: v})
            if iv is not None and same_interval(iv, ctx.gold.interval):
                what = f"the blank bound read as {fmt_val(v)}, a value the equations fix: the gold interval"
                add(findings, "constraints", ctx, sides[0].s, sides[-1].e, what)
                return True
    return False


#: "where $A$ and $B$ are integers": the letters a question's form declares
_DECLARED = re.compile(r"\bwhere\b(.{1,200}?)\b(?:are|is)\b", re.S)
_TEX_SEGMENT = re.compile(
    r"\$\$(.{1,400}?)\$\$|(?<!\\)\$([^$]{1,400}?)(?<!\\)\$|\\\[(.{1,400}?)\\\]|\\\((.{1,400}?)\\\)", re.S
)
_MATH_LETTER = re.compile(r"\\[A-Za-z]+|([A-Za-z])")


def _letters_expression(tex: str, rest_allowed: str):
    """`tex` read as an expression of its letters alone (numbers, operators, products besides): the tree and
    the letters, or None."""
    used = {x.group(1) for x in _MATH_LETTER.finditer(tex) if x.group(1)}
    rest = re.sub(r"\\cdot|\\times", "", _MATH_LETTER.sub(lambda x: "" if x.group(1) else x.group(), tex))
    if not used or not re.fullmatch(rest_allowed, rest):
        return None
    node = parse_tokens(tokenize_tex(tex, 0, len(tex), NOCTX))
    return (node, used) if node is not None and free_syms(node)[1] == used else None


def _question_form(ctx: RowCtx, env: dict, findings, budget) -> bool:
    """The question names a form with letters ("written as $(Ax-8)(Bx+3),$ where $A$ and $B$ are integers")
    and asks for an expression of them ("What is $AB + B$?"): where the masked trace writes the form with a
    number or a blank in each letter's place (a blank read as the equations fix it), the asked expression
    at those values is the gold. Read here with the checker's own parser."""
    q = ctx.question
    declared: set = set()
    for d in _DECLARED.finditer(q):
        for seg in _TEX_SEGMENT.finditer(d.group(1)):
            tex = next(x for x in seg.groups() if x is not None)
            declared.update(x.group(1) for x in _MATH_LETTER.finditer(tex) if x.group(1))
    if not declared:
        return False
    segs = [
        (next(x for x in m.groups() if x is not None).strip().rstrip(".,;:?").strip(), m.start())
        for m in _TEX_SEGMENT.finditer(q)
    ]
    target = None
    for tex, at in reversed(segs):
        read = _letters_expression(tex, r"[\d\s+\-*/()^.{}|]*")
        if read is not None and read[1] <= declared and len(tex) > 1:
            target = (read[0], at, tex)
            break
    if target is None:
        return False
    node, target_at, target_tex = target
    forms = [
        (sum(1 for x in _MATH_LETTER.finditer(t) if x.group(1) in declared), t)
        for t, at in segs
        if at < target_at and t != target_tex and len(t) <= 120
    ]
    count, form = max(forms, default=(0, ""), key=lambda c: c[0])
    if count < 2:
        return False
    pattern: list[str] = []
    order: list[str] = []
    last = ""  # "letter", "digit" or "": two values side by side ("AB", "10a") read as one number
    for x in re.finditer(r"\\[A-Za-z]+|\\.|\s+|.", form, re.S):
        t = x.group()
        if t.isspace() or t in ("\\left", "\\right"):
            continue
        if t in declared:
            if last:
                return False
            last = "letter"
            if t in order:
                k = order.index(t)
                pattern.append(f"(?P=f{k}s)(?P=f{k}v)")
            else:
                k = len(order)
                value = r"\d++(?:\.\d++)?(?![\d.])|\[[A-Z][A-Z0-9]*(?:_\d+)?\]"
                pattern.append(f"(?P<f{k}s>(?:-\\s*)?)(?P<f{k}v>{value})")
                order.append(t)
            continue
        if t.isdigit() and last == "letter":
            return False
        last = "digit" if t.isdigit() else ""
        if t == "(":
            pattern.append(r"(?:\\left)?\(")
        elif t == ")":
            pattern.append(r"(?:\\right)?\)")
        else:
            pattern.append(re.escape(t) + (r"(?![A-Za-z])" if t[-1].isalpha() and t.startswith("\\") else ""))
    rx = re.compile(r"(?<![\w.\\])" + r"\s*".join(pattern) + r"(?!\w)")
    m = ctx.masked
    for x in rx.finditer(m):
        here = _identity_around(ctx, x.start(), x.end(), env, budget)
        vals = {}
        for k, letter in enumerate(order):
            text, at = x.group(f"f{k}v"), x.start(f"f{k}v")
            if text.startswith("["):
                key = ctx.key_at(at)
                v = here.get(key) if key is not None else None
            else:
                v = Fraction(text)
            if v is None:
                break
            vals[letter] = -v if x.group(f"f{k}s") else v
        else:
            got = try_ev(node, vals)
            if got is not None and ctx.gold.matches(got):
                what = f"the question's form {form!r} written with values: {target_tex!r} = {fmt_val(got)}"
                add(findings, "constraints", ctx, x.start(), x.end(), what)
                return True
    return False


_PT_RELATION = re.compile(r"=|<|>|\\[lg]eq?\b|\\neq?\b|\\approx|\\equiv|\\in\b|\\sim")
# possessive throughout: a run of spaces or of `a = a = ...` costs no backtracking
_PT_VALUE = r"-?+\s*+(?:\d++(?:\.\d++)?+|\\[dt]?frac\{\d++\}\{\d++\}|\[[A-Z][A-Z0-9]*+(?:_\d++)?+\])"
_PT_ASSIGN = re.compile(
    r"(?<![\w\\{^_])((?:[A-Za-z]\s*+&?=\s*+)++)(" + _PT_VALUE + r")"
    r"(?!\w|\.\d|\s*+[-+*/^(\[{_\d%]|\s*+\\(?:cdot|times|frac|dfrac|tfrac|sqrt|%))"
)


def _pt_value(t: str):
    """A written value's number, or None (`\\frac{1}{0}`, thousands of digits)."""
    t = t.replace(" ", "")
    sign = -1 if t.startswith("-") else 1
    f = re.fullmatch(r"\\[dt]?frac\{(\d+)\}\{(\d+)\}", t.lstrip("-"))
    try:
        return sign * (Fraction(int(f.group(1)), int(f.group(2))) if f else Fraction(t.lstrip("-")))
    except (ZeroDivisionError, ValueError):
        return None


def _pt_side_start(m: str, at: int) -> bool:
    """Is the letter at `at` the first thing of its side (not a term after an operator or a value)?"""
    j = at - 1
    while j >= 0 and m[j] in " \t":
        j -= 1
    if (
        j < 0
        or m[j] in "$,;({[:&\n"
        or m[max(0, j - 1) : j + 1] == "\\\\"
        or re.search(r"\\begin\{[a-z*]+\}$", m[max(0, j - 30) : j + 1])
    ):
        return m[max(0, j - 1) : j + 1] not in ("^{", "_{")
    word = re.search(r"\\?[A-Za-z]+$", m[max(0, j - 20) : j + 1])
    # a word of prose ("when a = 1"), not a command (`\sin b`) or a letter of math (`c b`, a product)
    return word is not None and not word.group().startswith("\\") and len(word.group()) > 1 and j < at - 1


def _question_point(ctx: RowCtx, env: dict, findings, budget) -> bool:
    """The question asks for an expression of two letters or more (`ab^2 c^3 d^4`, `abc`); the masked trace
    gives the letters values: `a = 1,` `b = 2,` ..., or the expression written with a value in each letter's
    place (`[N]\\cdot5\\cdot-8`). A blank takes its value from `env`; the question's own equations then
    fill the rest, one letter at a time. If that evaluates to the gold, the trace leaks (round 31's 158,
    "Equality occurs when a = 1, b = 2, c = 3", and 1457). Questions whose equations alone fill every
    letter are skipped: reading them is the task."""
    q = ctx.question
    segs = [
        next(x for x in t.groups() if x is not None).strip().rstrip(".,;:?").strip()
        for t in _TEX_SEGMENT.finditer(q)
    ]
    target = None
    for tex in reversed(segs):
        if len(tex) > 80 or _PT_RELATION.search(tex):
            continue
        read = _letters_expression(tex, r"[\d\s+\-*/()^.{}]*")
        if read is not None and len(read[1]) >= 2:
            target = (read[0], tex, read[1])
            break
    if target is None:
        return False
    node, ttex, letters = target
    eqs = []
    for tex in segs:
        parts = tex.split("=")
        if len(parts) == 2 and not any(_PT_RELATION.search(x) for x in parts):
            a = parse_tokens(tokenize_tex(parts[0], 0, len(parts[0]), NOCTX))
            b = parse_tokens(tokenize_tex(parts[1], 0, len(parts[1]), NOCTX))
            if a is not None and b is not None:
                eqs.append(_diff(a, b))
    eqs = eqs[:40]  # a question with thousands of equations is hostile: filling is quadratic in them

    def filled(known: dict) -> dict:
        known = dict(known)
        for _ in range(len(eqs)):
            moved = False
            for d in eqs:
                unk, var = free_syms(d)
                free = (unk | var) - known.keys()
                if len(free) == 1:
                    root, _ = solve_one(d, next(iter(free)), dict(known))
                    if root is not None:
                        known[next(iter(free))] = root
                        moved = True
            if not moved:
                break
        return known

    if letters <= filled({}).keys():
        return False
    m = ctx.masked
    # the points: assignments close together (120 characters, no blank line between) are one, each written
    # form another; values of two points (two cases, two products) are never mixed
    points: list[list[tuple[str, str, int]]] = []  # each: (letter, value text, where the text starts)
    prev = -1
    for x in _PT_ASSIGN.finditer(m):
        if _pt_side_start(m, x.start()):
            here = [(v, x.group(2), x.start(2)) for v in re.findall(r"[A-Za-z]", x.group(1)) if v in letters]
            if not here:
                continue
            if points and x.start() - prev <= 120 and "\n\n" not in m[prev : x.start()]:
                points[-1].extend(here)
            else:
                points.append(here)
            prev = x.end()
    # the asked expression written with values: a letter becomes a value, two values side by side need a sign
    pat, order, last = [], [], ""
    for t in re.findall(r"\\[A-Za-z]+|\\.|\s+|.", ttex):
        if t.isspace() or t in ("\\left", "\\right"):
            continue
        if t in letters:
            if last == "v":
                pat.append(r"(?:\\cdot|\\times|\*)")
            if t in order:
                pat.append(f"(?P=p{order.index(t)})")
            else:
                pat.append(f"\\(?+\\s*+(?P<p{len(order)}>{_PT_VALUE})\\s*+\\)?+")
                order.append(t)
            last = "v"
        elif t in ("\\cdot", "\\times", "*"):
            pat.append(r"(?:\\cdot|\\times|\*)")
            last = ""
        else:
            last = "v" if t.isdigit() or t in ")}" else ""
            pat.append(re.escape(t))
    for x in re.finditer(r"(?<![\w.\\])" + r"\s*+".join(pat) + r"(?!\w|\.\d)", m):
        points.append([(v, x.group(f"p{k}"), x.start(f"p{k}")) for k, v in enumerate(order)])
    matched: dict = {}
    # a visible identity in other letters that fixes asked letters by their coefficients (`C(x + 8) + D(x -
    # 3) = 4x - 23` for every x), unless the question writes it as it stands
    qs = re.sub(r"\s+", "", q)
    for run in ctx.runs:
        for a, b in itertools.pairwise(run):
            if a.node is None or b.node is None or (a.unk | b.unk) - env.keys():
                continue
            mine = (a.var | b.var) & letters
            rest = (a.var | b.var) - letters
            if not mine or not rest or re.sub(r"\s+", "", m[a.s : b.e]) in qs:
                continue
            blanks = {k: env[k] for k in a.unk | b.unk}  # the other letters stay free: an identity in them
            got, _ = identity_rule(_diff(a.node, b.node), mine, rest, blanks, budget)
            for letter, v in (got or {}).items():
                if letter in mine and letter not in matched:
                    matched[letter] = [(v, (a.s, b.e))]
    for point in [*points, []]:  # the last: the identity's letters alone
        options: dict = dict(matched)
        for letter, text, at in point:
            if "[" in text:
                key = ctx.key_at(at + text.index("["))
                v = env.get(key) if key is not None else None
                if v is None:
                    continue
                v, shown = (-v if text.startswith("-") else v), None
            else:
                v, shown = _pt_value(text), (at, at + len(text))
                if v is None:
                    continue
            opts = options[letter] = list(options.get(letter, []))
            same = [i for i, (w, _) in enumerate(opts) if eq_val(w, v)]
            if not same:
                opts.append((v, shown))
            elif shown is not None:
                opts[same[0]] = (v, shown)
        combos = itertools.product(*([*o, (None, None)] for o in options.values()))
        for combo in itertools.islice(combos, 64):
            if all(sh is None for _, sh in combo):
                continue
            known = filled({k: v for k, (v, _) in zip(options, combo, strict=True) if v is not None})
            got = try_ev(node, known) if letters <= known.keys() else None
            if got is not None and ctx.gold.matches(got):
                s, e = next(sh for _, sh in combo if sh is not None)
                what = f"the question's {ttex!r} at the trace's values {fmt_val(got)}"
                add(findings, "constraints", ctx, s, e, what)
                return True
    return False


def _identity_around(ctx: RowCtx, s: int, e: int, env: dict, budget) -> dict:
    """``env``, with the blanks of the equation whose side holds ``[s, e)`` matched coefficient by coefficient
    when it holds for every value of its letters (``6x^2+x-15=([NUMBER]x+5)(2x-3)``)."""
    for run in ctx.runs:
        for a, b in itertools.pairwise(run):
            if a.node is None or b.node is None or not (a.s <= s and e <= a.e or b.s <= s and e <= b.e):
                continue
            free = (a.unk | b.unk) - env.keys()
            letters = a.var | b.var
            if not free or not letters:
                continue
            got, _ = identity_rule(_diff(a.node, b.node), free, letters, env, budget)
            if got:
                return {**env, **got}
    return env


#: a phrase in brackets after a coefficient or a blank, "2(number of trucks)": a quantity, where written twice
_BRACKET_PHRASE = re.compile(r"(?:\d|\])\s*\(([A-Za-z]+(?: [A-Za-z]+){0,4})\)")
_TERM = re.compile(r"\s*(\d+(?:\.\d+)?)?\s*\*?\s*V\s*")
_VISIBLE_DIVISION = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*/\s*\[[A-Z][A-Z0-9]*(?:_\d+)?\]")


def _division_solves_line(ctx: RowCtx, findings) -> bool:
    """A plain-text line sums one quantity with visible coefficients (`n + 2n = [N]`, `The number of trucks +
    2(number of trucks) = [N]`), and a later line that names the quantity divides a visible number by a
    blank (`Number of trucks = [N] because 60 / [N]`): a reader takes the blank for the coefficients' sum
    (3) and the division for the quantity; the visible number over that sum is the gold."""
    m = ctx.masked
    names: list[str] = []
    seen: Counter = Counter(x.group(1).lower() for x in _BRACKET_PHRASE.finditer(m))
    names += [p for p, c in seen.items() if c >= 1 and len(re.findall(re.escape(p), m, re.I)) >= 2]
    names += sorted({x.group(1) for x in re.finditer(r"(?<![A-Za-z\d])\d+([a-z])(?![A-Za-z])", m)})
    lines = m.split("\n")
    starts = list(itertools.accumulate((len(x) + 1 for x in lines), initial=0))
    for name in names:
        said = re.compile(rf"(?i)(?<![A-Za-z])(?:the )?{re.escape(name)}(?![A-Za-z])")
        bracketed = re.compile(rf"(?i)\(\s*(?:the )?{re.escape(name)}\s*\)")
        for i, line in enumerate(lines):
            if "=" not in line or "<<" in line:
                continue
            left = line.split("=")[0]
            left = said.sub("V", bracketed.sub("V", left))
            left = re.sub(r"^.*?(?=\d*\.?\d*\s*V)", "", left, count=1)  # words before the sum
            terms = left.split("+")
            if len(terms) < 2 or not all(_TERM.fullmatch(t) for t in terms):
                continue
            total = sum(Fraction(_TERM.fullmatch(t).group(1) or 1) for t in terms)  # type: ignore[union-attr]
            for j in range(i + 1, min(i + 4, len(lines))):
                later = lines[j]
                if not said.search(later.split("<<")[0]):
                    continue
                x = _VISIBLE_DIVISION.search(later)
                if x is not None and total and ctx.gold.matches(Fraction(x.group(1)) / total):
                    s = starts[j]
                    what = f"{x.group()!r} read as {name!r}: the divisor is the sum of its coefficients"
                    add(findings, "constraints", ctx, s + x.start(), s + x.end(), what)
                    return True
    return False


def _solved_expression(ctx: RowCtx, env: dict, why: dict, findings, roots_of: dict | None = None) -> bool:
    """A visible expression in letters the equations solved ("Celine collected 2*x erasers", x = 5) whose
    value is the gold: a reader puts the value in. A letter a visible quadratic gives two roots (`roots_of`:
    "$(n-1)(n+1)=24$", n = 5 or -5) is tried at each ("$n+1$" is 6 at 5). Not a side set equal to a visible
    value in its chain (`W^2 = 25`)."""
    choices = {sym: [v] for sym, v in env.items()}
    where = dict(why)
    for (sym, _, _), (vals, s, e) in (roots_of or {}).items():
        if sym not in choices:
            choices[sym] = list(vals)
            where[sym] = (s, e)
    for run in ctx.runs:
        for sd in run:
            if sd.node is None or sd.node[0] == "var" or sd.unk or not sd.var or not sd.var <= choices.keys():
                continue
            if any(o is not sd and o.node is not None and not o.unk and not o.var for o in run):
                continue  # "W^2 = 25": the reader reads the visible value the side equals, computes nothing
            letters = sorted(sd.var)
            for combo in itertools.islice(itertools.product(*(choices[x] for x in letters)), 8):
                here = {**env, **dict(zip(letters, combo, strict=True))}
                if not _chains_hold(ctx, here):
                    continue  # x = y = 3 beside a visible xy = -9: no reading a reader takes
                try:
                    value = ev(sd.node, here)
                except Exception:  # noqa: BLE001  (no value: a division by zero, a function off its domain)
                    continue
                if value is not None and ctx.gold.matches(value):
                    s, e = where.get(min(sd.var), (sd.s, sd.e))
                    what = f"{ctx.masked[sd.s : sd.e]!r} with the solved letters"
                    add(findings, "constraints", ctx, s, e, what)
                    return True
    return False


def _chains_hold(ctx: RowCtx, env: dict) -> bool:
    """Every visible step (two sides in a row, no blank) whose letters `env` all assigns holds there."""
    for run in ctx.runs:
        for a, b in itertools.pairwise([sd for sd in run if sd.node is not None]):
            if a.unk or b.unk or not (a.var or b.var) or not (a.var | b.var) <= env.keys():
                continue
            try:
                va, vb = ev(a.node, env), ev(b.node, env)
            except Exception:  # noqa: BLE001  (no value there: the step says nothing against the reading)
                continue
            if va is not None and vb is not None and not eq_val(va, vb):
                return False
    return True


def _values_combined(ctx: RowCtx, placeholder_keys, findings) -> bool:
    """A variable that visible equations (no blank, not the question's own) give several values ("5-a=3 OR
    5-a=-3", a quadratic's two roots): where the question asks for their sum or product, a reader adds or
    multiplies them. Reported when that is the gold. Sides the question also writes count here (``5-a``)."""
    asks = ctx.question.lower()
    words = [w for w in ("sum", "product") if re.search(rf"\b{w}\b", asks)]
    if not words:
        return False
    squeeze = re.compile(r"\s+|\\[,;!]|\\left|\\right")  # as the question's own equations are found above
    qc = squeeze.sub("", ctx.question)
    values: dict = {}
    where: dict = {}
    for run in ctx.runs:
        sides = [sd for sd in run if sd.node is not None and sd.node[0] not in ("tuple", "pm")]
        for a, b in itertools.pairwise(sides):
            text = ctx.masked[a.s : b.e]
            ua, va = free_syms(a.node)
            ub, vb = free_syms(b.node)
            if ua or ub or len(va | vb) != 1 or PH_RE.search(text) or squeeze.sub("", text) in qc:
                continue
            sym = next(iter(va | vb))
            if sym in placeholder_keys:
                continue
            d = _diff(a.node, b.node)
            roots = quadratic_roots(d, sym, {})
            if roots is None:
                root, _ = solve_one(d, sym, {})
                roots = [] if root is None else [root]
            for r in roots:
                if not any(eq_val(r, v) for v in values.get(sym, [])):
                    values.setdefault(sym, []).append(r)
                    where.setdefault(sym, (a.s, b.e))
    for sym, vals in values.items():
        if not 2 <= len(vals) <= 4:
            continue
        for word in words:
            total = vals[0]
            for v in vals[1:]:
                total = total + v if word == "sum" else total * v
            if ctx.gold.matches(total):
                s, e = where[sym]
                shown = [fmt_val(v) for v in vals]
                what = f"the {word} of the values visible equations give a variable, {shown}"
                add(findings, "constraints", ctx, s, e, what)
                return True
    return False


def quadratic_roots(d, sym, env) -> list | None:
    """The two real roots of d(sym) = 0 when d is a quadratic in sym (exact fractions: fitted at 0, 1, 2 and
    checked at two more points), else None."""
    pts = {}
    for t in (0, 1, 2, 5, -7):
        env[sym] = Fraction(t)
        try:
            pts[t] = ev(d, env)
        except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
            env.pop(sym, None)
            return None
    env.pop(sym, None)
    if not all(isinstance(v, Fraction) for v in pts.values()):
        return None
    c = pts[0]
    a = (pts[2] - 2 * pts[1] + c) / 2
    b = pts[1] - c - a
    if a == 0 or any(a * t * t + b * t + c != pts[t] for t in (5, -7)):
        return None
    disc = b * b - 4 * a * c
    if disc <= 0:
        return None
    num, den = _int_root(disc.numerator, 2), _int_root(disc.denominator, 2)
    r = Fraction(num, den) if num is not None and den is not None else math.sqrt(disc)
    return [(-b - r) / (2 * a), (-b + r) / (2 * a)]


LEAF_KINDS = ("num", "val", "var", "unk", "const")


def termwise(a, b) -> list[tuple]:
    """Two sides written alike, read term by term as a reader reads them: under the same operation with as
    many operands (and the same signs) the operands pair up, and a pair that differs and holds a blank is an
    equation (`\\sqrt{([N] + 4)^2 + (5 + 4)^2} = \\sqrt{6^2 + [N]^2}`: [N] + 4 = 6 and 5 + 4 = [N];
    `\\sqrt{6^2 + 9^2} = \\sqrt{[N] + [N]}`: 36 and 81), but for a bare blank beside a bare number (a log's
    base), which shows nothing new. Nothing when a pair without a blank differs (`2 + 3 = 1 + 4`, `c/[N] =
    d/4`: no term-by-term reading)."""
    pairs: list[tuple] = []

    def same(x, y) -> bool:
        if x == y:
            return True
        x, y = _log_quotient(x), _log_quotient(y)
        if x[0] == y[0] and len(x) == len(y) and x[0] not in LEAF_KINDS:
            for p, q in zip(x[1:], y[1:], strict=True):
                if isinstance(p, tuple) and isinstance(q, tuple):
                    if not same(p, q):
                        return False
                elif isinstance(p, list) and isinstance(q, list):
                    if len(p) != len(q) or any(sp_ != sq for (sp_, _), (sq, _) in zip(p, q, strict=True)):
                        return False
                    if not all(same(tp, tq) for (_, tp), (_, tq) in zip(p, q, strict=True)):
                        return False
                elif not isinstance(p, bool) and p != q:
                    return False  # a different function, a root's index given on one side only
            return True
        unk = free_syms(x)[0] | free_syms(y)[0]
        if not unk:
            if free_syms(x)[1] or free_syms(y)[1]:
                return False
            return eq_val(try_ev(x), try_ev(y))
        if {x[0], y[0]} != {"unk", "num"}:
            pairs.append((x, y))
        return True

    def alike(x, y) -> bool:
        return x[0] == y[0] and x[0] not in LEAF_KINDS and same(x, y)

    if a is None or b is None:
        return []
    if not alike(a, b):  # as written, else once more with every quotient's minus signs in front of it
        pairs.clear()
        moved = _minus_out_all(a), _minus_out_all(b)
        if moved == (a, b) or not alike(*moved):
            return []
    return pairs


def _minus_out_all(n):
    """`_minus_out` on every quotient of the tree, innermost first."""
    if not isinstance(n, tuple) or not n or n[0] in LEAF_KINDS:
        return n
    parts = []
    for p in n:
        if isinstance(p, tuple):
            parts.append(_minus_out_all(p))
        elif isinstance(p, list):
            parts.append([(s, _minus_out_all(t)) for s, t in p])
        else:
            parts.append(p)
    return _minus_out(tuple(parts))


def _copy_pairs(a, b) -> list[tuple] | None:
    """`b` written like the visible `a` with blanks where `a` has numbers: the (blank, number) pairs; None
    when the two differ anywhere else. `(pairs, equal numbers)` counted by the caller through `_leaves`."""
    if b[0] == "unk" and a[0] == "num":
        return [(b, a)]
    if a == b:
        return []
    if a[0] != b[0] or len(a) != len(b) or a[0] in LEAF_KINDS:
        return None
    pairs: list[tuple] = []
    for p, q in zip(a[1:], b[1:], strict=True):
        if isinstance(p, tuple) and isinstance(q, tuple):
            got = _copy_pairs(p, q)
        elif isinstance(p, list) and isinstance(q, list):
            if len(p) != len(q) or any(sp_ != sq for (sp_, _), (sq, _) in zip(p, q, strict=True)):
                return None
            got = []
            for (_, tp), (_, tq) in zip(p, q, strict=True):
                sub = _copy_pairs(tp, tq)
                if sub is None:
                    return None
                got.extend(sub)
        else:
            got = [] if p == q else None
        if got is None:
            return None
        pairs.extend(got)
    return pairs


def _copied_steps(ctx: RowCtx) -> list[tuple]:
    """A step that writes again, with blanks, a visible computation of the line before or its own line:
    `1/3 + 1/4 = 4/12 + 3/12` then `[N]/12 + 3/12 = [N]/12`: the blank is the 4 beside it. Same tree,
    every other number equal, as many numbers kept as blanked (one at least): (blank, number, s, e)."""
    m = ctx.masked
    visible = [
        sd
        for run in ctx.runs
        for sd in run
        if sd.node is not None and not sd.unk and not sd.var and sd.explicit and not sd.copied
    ]
    out: list[tuple] = []
    if not visible:
        return out
    for run in ctx.runs:
        if len(run) < 2:
            continue
        for sd in run:
            if sd.node is None or not sd.unk or sd.var or not sd.explicit:
                continue
            nl = m.rfind("\n", 0, sd.s)
            line0 = m.rfind("\n", 0, nl) + 1 if nl > 0 else 0
            for a in reversed([v for v in visible if line0 <= v.s and v.e <= sd.s]):
                pairs = _copy_pairs(a.node, sd.node)
                if not pairs:
                    continue
                kept = sum(1 for x in walk(sd.node) if x[0] == "num")
                if kept >= len(pairs):
                    out.extend((x, y, a.s, sd.e) for x, y in pairs)
                    break
    return out


#: where a statement ends: a line, or a sentence (a full stop before a space)
STATEMENT_END_RE = re.compile(r"\.?[ \t]*\n|\.(?=\s)")


def _rewritten_lines(ctx: RowCtx) -> list[tuple]:
    """A statement that writes the equation of the statement before it again, moved around, in the same
    letters (`d + 7d - 3 = [N]`, then `[N]d - 3 = 45` after combining like terms; `x^2 + x - [N] = 0`. `(x +
    [N])(x - 1) = 0`): left minus right is one polynomial in the letters for both, so coefficients match.
    Each statement one equation, the two next to each other, one to three blanks in all: (difference of
    the two equations' left-minus-right, letters, s, e) per pair. A line divided through (`12 + 2y = 12`,
    then `y = [N]`) is no identity and fixes nothing; a line that solves for a letter (`x = [N]`) is no
    rewrite of the one before at all."""
    ends = [x.start() for x in STATEMENT_END_RE.finditer(ctx.masked)]
    statements: dict[int, list] = {}
    for run in ctx.runs:
        sides = [sd for sd in run if sd.node is not None and sd.node[0] not in ("tuple", "pm")]
        if len(sides) > 1:  # an equation (`$d$` alone names a letter)
            statements.setdefault(bisect_right(ends, sides[0].s), []).append(sides)
    out: list[tuple] = []
    for k, runs in sorted(statements.items()):
        nxt = statements.get(k + 1)
        if len(runs) != 1 or nxt is None or len(nxt) != 1 or len(runs[0]) != 2 or len(nxt[0]) != 2:
            continue
        (l1, r1), (l2, r2) = runs[0], nxt[0]
        letters = l1.var | r1.var
        if not letters or letters != l2.var | r2.var or any(sd.copied for sd in (l1, r1, l2, r2)):
            continue
        if not 1 <= len(l1.unk | r1.unk | l2.unk | r2.unk) <= 3:
            continue
        if any(a.node[0] == "var" and not b.var for a, b in ((l2, r2), (r2, l2))):
            continue  # `[N]x = 35`, then `x = [N]`: solving for a letter divides as often as it moves
        out.append((_diff(_diff(l1.node, r1.node), _diff(l2.node, r2.node)), letters, l1.s, r2.e))
    return out


def _minus_out(n):
    """A quotient's minus signs in front of it: `\\frac{[N]}{-3}` is `-\\frac{[N]}{3}` (a sign the next side
    moves across the bar, `\\frac{[N]}{3}`, still pairs the terms), `\\frac{-2}{-2}` is `\\frac{2}{2}`."""
    if n[0] != "div":
        return n

    def minus(t):
        if t[0] == "neg":
            return True, t[1]
        if t[0] == "num" and t[1] < 0:
            return True, ("num", -t[1], *t[2:])
        return False, t

    (top_neg, top), (bottom_neg, bottom) = minus(n[1]), minus(n[2])
    quotient = ("div", top, bottom, *n[3:])
    return ("neg", quotient) if top_neg != bottom_neg else quotient


def _log_quotient(n):
    """`\\log_3 4` as the quotient `\\log 4 / \\log 3` a change of base writes: its base is a term too."""
    if n[0] == "func" and n[1] == "log" and n[3] is not None:
        return ("div", ("func", "log", n[2], None), ("func", "log", n[3], None), False)
    return n


#: a statement that says it puts one equation into another ("Substituting the first equation into the
#: second produces", "Replacing c gives", "Plugging this in, we get")
SUBSTITUTING_RE = re.compile(r"(?i)\b(?:substitut|replac|plug)\w*")
#: the equations read before the word (the nearest) and after it
SUBSTITUTION_SOURCES, SUBSTITUTION_TARGETS = 6, 3


def _substituted_lines(ctx: RowCtx, budget) -> tuple[list[tuple], list[tuple]]:
    """A statement that says it substitutes, and an equation after the word: the equation is an earlier one
    (of the statement before, or of this one before the word) with a letter another of them defines
    (`s = [N]f`: the letter alone on one side, not on the other) written as its definition. Where each side
    with letters is that side of the earlier one (the same letters, an identity in them: `[N]f + f` and
    `3f + f`), side by side as written or else swapped (`[N] = 3f + f`), those are identities (in
    `_rewritten_lines`' shape) and a side without letters on both is carried over (`s + f = 60` -> `3f + f =
    [N]`: the [N] is 60). A line that moved the terms around is not read. (Identities, carried equations)
    of every such pair; the 6 equations nearest the word before it, the 3 after."""
    m = ctx.masked
    cuts = list(STATEMENT_END_RE.finditer(m))
    ends = [x.start() for x in cuts]
    starts = [0, *(x.end() for x in cuts)]
    statements: dict[int, list] = {}
    for run in ctx.runs:
        sides = [sd for sd in run if sd.node is not None and sd.node[0] not in ("tuple", "pm")]
        if len(sides) == 2 and not any(sd.copied for sd in sides):
            statements.setdefault(bisect_right(ends, sides[0].s), []).append(sides)
    identities: list[tuple] = []
    carried: list[tuple] = []
    for k, runs in sorted(statements.items()):
        word = SUBSTITUTING_RE.search(m, starts[k], runs[-1][0].s)
        if word is None:
            continue
        prev = k - 1  # the statement before, past empty ones (a blank line)
        while prev >= 0 and not m[starts[prev] : ends[prev] if prev < len(ends) else len(m)].strip():
            prev -= 1
        sources = [*statements.get(prev, []), *(r for r in runs if r[1].e <= word.start())]
        sources = sources[-SUBSTITUTION_SOURCES:]  # the equations nearest the word
        for l2, r2 in [r for r in runs if r[0].s >= word.end()][:SUBSTITUTION_TARGETS]:
            for (l1, r1), definition in itertools.permutations(sources, 2):
                put = _put_definition(l1, r1, definition)
                if put is None:
                    continue
                (a, b), s, e = put, l1.s, r2.e
                for pairs in (((a, l2), (b, r2)), ((a, r2), (b, l2))):  # as written, else sides swapped
                    sides = [(x, y, free_syms(x)[1], y.var) for x, y in pairs]
                    lettered = [(x, y, xv) for x, y, xv, yv in sides if xv or yv]
                    if lettered and all(
                        xv == yv and _agrees(_diff(x, y.node), xv, budget)
                        for x, y, xv, yv in sides
                        if xv or yv
                    ):
                        identities.extend((_diff(x, y.node), xv, s, e) for x, y, xv in lettered)
                        carried.extend((x, y.node, s, e) for x, y, xv, yv in sides if not xv and not yv)
                        break
    return identities, carried


def _agrees(d, letters, budget) -> bool:
    """Whether `d` (one side minus the other) vanishes for every value of `letters`, for some values of its
    blanks (coefficient matching) or, with none, as it stands."""
    import sympy

    blanks = free_syms(d)[0]
    if blanks:
        got, _ = identity_rule(d, blanks, letters, {}, budget)
        return bool(got)
    try:
        return sympy.expand(to_sympy(d, {}, {})) == 0
    except RowTimeout:
        raise
    except Exception:  # noqa: BLE001 - not a polynomial: no agreement read
        return False


def _put_definition(left: Side, right: Side, definition: list) -> tuple | None:
    """The two sides (nodes) with the letter `definition` defines written as its definition, or None."""
    for lone, other in (definition, definition[::-1]):
        name = lone.node[1] if lone.node[0] == "var" else None
        if name is not None and name in left.var | right.var and name not in other.var:
            return _put_var(left.node, name, other.node), _put_var(right.node, name, other.node)
    return None


def identity_rule(d, unknowns, variables, env, budget, lhs=None, rhs=None):
    """`2(x+3) = 2x + [N]` holds for every x: match the coefficients of the variables (polynomial sides only).
    A conditional equation (`3x + [N] = 12`) gives inconsistent coefficients and is skipped."""
    import sympy

    if budget.left() < 0.5:
        return None, "budget"
    try:
        names: dict = {}
        imag = is_imag(d, env)
        se = sympy.expand(to_sympy(d, names, env, imag))
        if se.count_ops() > 200:
            return None, None
        vs = [names[v] for v in variables if v in names]
        us = [names[u] for u in unknowns if u in names]
        if not vs or not us:
            return None, None
        if lhs is not None:
            pl = sympy.Poly(sympy.expand(to_sympy(lhs, names, env, imag)), *vs)
            pr = sympy.Poly(sympy.expand(to_sympy(rhs, names, env, imag)), *vs)
            cl, cr = dict(pl.terms()), dict(pr.terms())
            # `2*x*2 = [N]*x`: one term on each side, the same power of the letters: a product written
            # out, then simplified
            one_term = len(cl) == len(cr) == 1 and cl.keys() == cr.keys() and any(next(iter(cl)))
            if not one_term and not any(
                c.is_number
                and c != 0
                and mono in cr
                and cr[mono].is_number
                and (cr[mono] != 0 if any(mono) else cr[mono] == c)  # `20 + 2(3x) = 20 + [N]x`: the same 20
                for mono, c in cl.items()
            ):
                return None, None  # no visible term on both sides: a conditional equation
        poly = sympy.Poly(se, *vs)
        coeffs = [c for c in poly.coeffs() if c != 0]
        if len(coeffs) < 1 or any(c.free_symbols - set(us) for c in coeffs):
            return None, None
        if any(not c.free_symbols for c in coeffs):
            return None, None  # a coefficient that cannot vanish: a conditional equation, not an identity
        if len(us) > 4 or len(coeffs) > 8:
            return None, None
        try:
            if all(sympy.Poly(c, *us).total_degree() <= 1 for c in coeffs):
                lin = sympy.linsolve(coeffs, us)
                sols = [dict(zip(us, t, strict=False)) for t in lin]
            else:
                sols = sympy.solve(coeffs, us, dict=True)
        except sympy.PolynomialError:
            return None, None
        if len(sols) != 1:
            return None, None
        inv = {v: k for k, v in names.items()}
        out = {}
        for sym, val in sols[0].items():
            v = from_sympy(val, imag)
            if v is not None:
                out[inv[sym]] = v
        return out, None
    except RowTimeout:
        raise
    except Exception:  # noqa: BLE001 - not a polynomial identity
        return None, None


def _joint(eqs, env, placeholder_keys, budget):
    import sympy

    pending = []
    for lhs, rhs, s, e in eqs:
        ul, vl = free_syms(lhs)
        ur, vr = free_syms(rhs)
        free = (ul | ur | vl | vr) - env.keys()
        if len(free) >= 2 and not ((vl | vr) - env.keys()):
            pending.append((lhs, rhs, s, e, free))
    if not pending:
        return None
    # connected components by shared unknowns
    comps: list[tuple[set, list]] = []
    for item in pending:
        free = item[4]
        merged = [c for c in comps if c[0] & free]
        keys, items = set(free), [item]
        for c in merged:
            keys |= c[0]
            items += c[1]
            comps.remove(c)
        comps.append((keys, items))
    out = {}
    skipped = False
    for keys, items in comps:
        if len(items) < len(keys) or len(keys) > 8 or len(items) > 12:
            if len(items) >= len(keys):
                skipped = True
            continue
        if budget.left() < 0.5:
            return "skipped"
        try:
            names: dict = {}
            imag = any(is_imag(_diff(lhs, rhs), env) for lhs, rhs, *_ in items)
            exprs = [to_sympy(_diff(lhs, rhs), names, env, imag) for lhs, rhs, *_ in items]
            syms = [names[k] for k in keys if k in names]
            sols = sympy.solve(exprs, syms, dict=True)
        except RowTimeout:
            raise
        except Exception:  # noqa: BLE001
            continue
        if len(sols) != 1:
            continue
        inv = {v: k for k, v in names.items()}
        for sym, val in sols[0].items():
            try:
                v = from_sympy(val, imag)
            except (TypeError, ValueError):
                continue
            if v is not None:
                out[inv[sym]] = (v, items[0][2], items[-1][3])
    if not out and skipped:
        return "skipped"
    return out


# --------------------------------------------------------------------------------------------- system
#
SYS_FIGURE_RE = re.compile(
    r"\\(?:triangle|overline|angle|overarc|parallel|perp)(?![A-Za-z])|\[asy\]|\b(?:triangles?|segments?"
    r"|altitudes?|medians?|hypotenuse|perpendicular|parallel|circles?|rectangles?|quadrilaterals?|polygons?"
    r"|trapezoids?|rhombus|parallelograms?)\b",
    re.I,
)


def _either_way(name):
    """About a figure, DB and BD are one segment, ACB and BCA one angle: the name is read in its first
    spelling by order."""
    return name if name <= name[::-1] else name[::-1]


# The `system` attack: a reader who names quantities. Each math segment is turned into sympy by its own
# small LaTeX reader (segment names such as DF and `\sin D` are one symbol each, `p(x) = ...` written
# once is applied where `p(0)` is written, an undefined `f(1)` is a symbol, a column vector is a vector and
# `u \cdot v` a dot product); blanks are unknowns (a typed blank in the same surrounding text as another,
# with a variable in it, is the same unknown). The equations are solved by propagation (one unknown left)
# and linear systems, at most SYS_SOLVES sympy calls per row. A named quantity fixed to the gold, or any
# written expression whose value the solution fixes to the gold, leaks.

SYS_VECTOR_RE = re.compile(r"\\begin\{([pb]matrix)\}(.*?)\\end\{\1\}", re.S)


def _sys_alike_vectors(m: str, ph) -> dict[int, int]:
    """Blank start -> the start of the blank in the same place of the first column vector written alike (the
    same text once each blank is read as a blank): a reader takes both for one vector."""
    first: dict[str, list[int]] = {}
    out: dict[int, int] = {}
    for x in SYS_VECTOR_RE.finditer(m):
        inside = [a for a, _, _ in ph if x.start() <= a < x.end()]
        if not inside:
            continue
        shape = re.sub(r"\s+", "", re.sub(r"\[[A-Z]+\]", "[]", x.group()))
        if shape in first and len(first[shape]) == len(inside):
            out.update(zip(inside, first[shape], strict=True))
        else:
            first.setdefault(shape, inside)
    return out


def _sys_ratios(values: list, sp) -> dict:
    """A fraction of two blanks is one value to a reader (`-\\frac{[N]}{[N]}` beside a visible 9/10): each
    pair of blanks that every expression holding either holds only as their quotient -> the numerator
    written as a new blank times the denominator (which then cancels)."""
    pairs = []
    for v in values:
        for t in sp.preorder_traversal(v):
            if not isinstance(t, sp.Mul):
                continue
            num = [f for f in t.args if f.is_Symbol and str(f).startswith("B_")]
            den = [
                f.base
                for f in t.args
                if f.is_Pow and f.exp == -1 and f.base.is_Symbol and str(f.base).startswith("B_")
            ]
            if len(num) == 1 and len(den) == 1 and num[0] != den[0]:
                pairs.append((num[0], den[0]))
    out: dict = {}
    for x, y in list(dict.fromkeys(pairs))[:8]:
        if x in out or y in out or any(x in r.free_symbols or y in r.free_symbols for r in out.values()):
            continue
        r = sp.Symbol(f"{x}_over_{str(y)[2:]}")
        holding = [v for v in values if x in v.free_symbols or y in v.free_symbols]
        if all(v.count_ops() <= 200 for v in holding) and all(
            y not in sp.cancel(v.xreplace({x: r * y})).free_symbols for v in holding
        ):
            out[x] = r * y
    return out


SYS_HINT = re.compile(r"\\[a-zA-Z]|\$[^$\n]*?\b[A-Z]{2,3}\b|\b[a-zA-Z]\([a-z]\)")
SYS_SOLVES = 120
SYS_MAX_EQS = 80
# "Setting $x = 11$, we have ...": a value put into the trace's function, and the equation it gives
SYS_SETTING_RE = re.compile(
    r"(?i)\b(?:setting|set|plugging(?: in)?|substituting|letting|putting|taking|when)\s+"
    r"\$\s*([a-z])\s*=\s*(-?\d+(?:\.\d+)?)\s*\$"
    r"(?:[^$.\n]|\$[^$.\n]{1,40}\$){0,60}?"  # the words between, short formulas among them ("into $f(x)$")
    r"\b(?:we (?:have|get|find|obtain)(?: that)?|(?:this )?(?:gives|yields)(?: us)?)\b\s*:?\s*"
    r"(?=\$|\\\[)"
)


def _sys_is_instance(side, value, sp) -> bool:
    """Is `side` the function's value at the setting (`1 + [N]k` against `1 + 100k`) for every value of the
    letters, once its blanks are numbers: coefficient matching in the letters, solved for the blanks."""
    blanks = sorted((s for s in side.free_symbols if str(s).startswith("B_")), key=str)
    letters = sorted(value.free_symbols, key=str)
    own = side.free_symbols - set(blanks)
    if not own or not own <= set(letters):
        return False
    try:
        coeffs = sp.Poly(sp.expand(side - value), *letters).coeffs()
        if not blanks:
            return all(c == 0 for c in coeffs)
        return bool(sp.solve(coeffs, blanks, dict=True))
    except (sp.PolynomialError, sp.SympifyError, TypeError, ValueError, NotImplementedError):
        return False


SYS_FUNCS = {"sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp"}
_SYS_DROP = re.compile(r"\\left|\\right|\\displaystyle|(?<!\\)\\[,;:! ]|\\q?quad|\\big|\\Big|&|\$")
_SYS_CMD = re.compile(r"\\([a-zA-Z]+)")


def _sys_brace(s: str, i: int) -> int:
    """Index just past the group opening at s[i] ('{' ... '}')."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced")


def _sys_arg(s: str, i: int) -> tuple[str, int]:
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] == "{":
        j = _sys_brace(s, i)
        return s[i + 1 : j - 1], j
    if i < len(s):
        return s[i], i + 1
    raise ValueError("missing argument")


def _sys_py(s: str, funcs: set) -> str:
    """LaTeX (one expression) -> a Python expression for sympy; ValueError when it is not one."""
    out: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            m = _SYS_CMD.match(s, i)
            if not m:
                raise ValueError("command")
            name, i = m.group(1), m.end()
            if name in ("frac", "dfrac", "tfrac"):
                a, i = _sys_arg(s, i)
                b, i = _sys_arg(s, i)
                out.append(f"(({_sys_py(a, funcs)})/({_sys_py(b, funcs)}))")
            elif name == "sqrt":
                deg = "2"
                if i < len(s) and s[i] == "[":
                    j = s.index("]", i)
                    deg, i = _sys_py(s[i + 1 : j], funcs), j + 1
                a, i = _sys_arg(s, i)
                out.append(f"(({_sys_py(a, funcs)})**(1/({deg})))")
            elif name in ("cdot", "times"):
                out.append("*")
            elif name == "pi":
                out.append(" pi ")
            elif name == "angle":  # \angle ADC: one named quantity
                m2 = re.match(r"\s*\{?\s*([A-Z]{1,3})\s*\}?(?![A-Za-z])", s[i:])
                if not m2:
                    raise ValueError("angle")
                out.append(f" A_{m2.group(1)} ")
                i += m2.end()
            elif name in ("binom", "dbinom", "tbinom"):
                a, i = _sys_arg(s, i)
                b, i = _sys_arg(s, i)
                out.append(f"binomial({_sys_py(a, funcs)},{_sys_py(b, funcs)})")
            elif name in SYS_FUNCS:
                m2 = re.match(r"\s*([A-Za-z])(?![A-Za-z(])", s[i:])
                if m2 and name != "log":  # \sin D: one named quantity
                    out.append(f" T_{name}_{m2.group(1)} ")
                    i += m2.end()
                else:
                    out.append(f" {name}")
            elif name == "begin":
                m2 = re.match(r"\{([pb]matrix)\}", s[i:])
                if not m2:
                    raise ValueError("environment")
                end = s.find("\\end{" + m2.group(1) + "}", i)
                body = s[i + m2.end() : end]
                if end < 0 or "&" in body:
                    raise ValueError("matrix")
                parts = [_sys_py(p, funcs) for p in body.split("\\\\")]
                out.append("Vec(" + ",".join(f"({p})" for p in parts) + ")")
                i = end + len(m2.group(1)) + 6
            else:
                raise ValueError(name)
            continue
        degrees = re.match(r"\^\s*(?:\\circ|\{\s*\\circ\s*\})", s[i:]) if c == "^" else None
        if degrees:  # 40^\circ: a unit, no power
            i += degrees.end()
            continue
        if c == "^":
            a, i = _sys_arg(s, i + 1)
            out.append(f"**({_sys_py(a, funcs)})")
            continue
        if c in "{}":
            out.append("(" if c == "{" else ")")
            i += 1
            continue
        if c.isalpha():
            j = i
            while j < len(s) and s[j].isalpha():
                j += 1
            word = s[i:j]
            if word.startswith("B") and word[1:2] == "_":
                raise ValueError("reserved")
            if word.isupper() and len(word) in (2, 3):
                out.append(f" S_{word} ")
            elif len(word) == 1 and word in funcs and s[j : j + 1] == "(":
                out.append(f" F_{word}")
            else:
                out.append(" " + "*".join(f"v_{ch}" for ch in word) + " ")
            i = j
            continue
        if c == "_":  # an index: part of the name (x_1, r_{2})
            a, i = _sys_arg(s, i + 1)
            if not re.fullmatch(r"[A-Za-z0-9]+", a) or not out or not out[-1].strip().startswith("v_"):
                raise ValueError("index")
            out[-1] = out[-1].rstrip() + "_" + a + " "
            continue
        if c == "@":  # a blank (placed by the caller)
            j = s.index("@", i + 1)
            out.append(f" B_{s[i + 1 : j]} ")
            i = j + 1
            continue
        num = re.match(r"\d*\.?\d+|\d+", s[i:]) if c.isdigit() or c == "." else None
        if num:
            out.append(" " + num.group(0) + " ")
            i += num.end()
            continue
        if c == ".":  # a full stop
            i += 1
            continue
        if c in "+-*/()[],| &" or c == "\n":
            out.append({"[": "(", "]": ")", "\n": " ", "&": " "}.get(c, c))
            i += 1
            continue
        raise ValueError(f"char {c!r}")
    return "".join(out)


class _Vec:
    """A column vector: + and - by components, * with a vector the dot product, with a number a scaling."""

    def __init__(self, *comps):
        self.c = list(comps)

    def __add__(self, o):
        if not isinstance(o, _Vec) or len(o.c) != len(self.c):
            raise ValueError("vector sum")
        return _Vec(*[a + b for a, b in zip(self.c, o.c, strict=True)])

    def __sub__(self, o):
        return self + (-1) * o

    def __neg__(self):
        return (-1) * self

    def __mul__(self, o):
        if isinstance(o, _Vec):
            if len(o.c) != len(self.c):
                raise ValueError("dot")
            return sum((a * b for a, b in zip(self.c, o.c, strict=True)), 0)
        return _Vec(*[a * o for a in self.c])

    __rmul__ = __mul__

    def __truediv__(self, o):
        if isinstance(o, _Vec):
            raise ValueError("vector division")
        return _Vec(*[a / o for a in self.c])


def _sys_expr(text: str, funcs: dict, sp, imag: bool = False):
    """sympy value of one LaTeX expression (a _Vec for a vector), or None. imag: a row about complex
    numbers, where the letter i is the imaginary unit."""
    try:
        py = _sys_py(_SYS_DROP.sub(" ", text), set(funcs))
    except (ValueError, IndexError, RecursionError):
        return None
    if not py.strip() or len(py) > 1500:
        return None
    from sympy.parsing.sympy_parser import implicit_multiplication, parse_expr, standard_transformations

    local = {"Vec": _Vec, "pi": sp.pi, "binomial": sp.binomial, "sqrt": sp.sqrt}
    local.update({f"F_{k}": v for k, v in funcs.items()})
    if imag:
        local["v_i"] = sp.I
    try:
        v = parse_expr(
            py, local_dict=local, transformations=(*standard_transformations, implicit_multiplication)
        )
    except RowTimeout:
        raise
    except Exception:  # noqa: BLE001 - not an expression
        return None
    if isinstance(v, _Vec):
        return v
    if not isinstance(v, sp.Basic):
        try:
            v = sp.sympify(v)
        except Exception:  # noqa: BLE001
            return None
    undefined = v.atoms(sp.core.function.AppliedUndef)
    if undefined:
        v = v.xreplace({a: sp.Symbol("A_" + re.sub(r"\W", "_", str(a))) for a in undefined})
    return v


_SYS_SPLIT = re.compile(
    r"\\(?:le|ge|leq|geq|lt|gt|ne|neq|approx|equiv|implies|Rightarrow|Longrightarrow|iff|to|quad|qquad"
    r"|text|mathrm|mbox|textbf|boxed|pmod|mod|pm|mp|in|cup|cap|dots|ldots|cdots)(?![a-zA-Z])|[<>,;:]|\\\\"
    r"|\\end\{[a-z]+\*?\}"
)
#: display environments whose lines (``&=`` continuing the chain) the system reader reads
SYS_ALIGN_ENVS = ("align", "align*", "aligned", "eqnarray", "eqnarray*", "gather", "gather*", "split")


def _sys_chains(seg: str) -> list[list[tuple[str, int]]]:
    """A segment's chains of sides split at '=' (depth 0): (text, offset in seg). A break (relation, prose,
    line end) ends a chain; an align line that starts with '=' goes on with the previous one."""
    chains: list[list[tuple[str, int]]] = []
    cur: list[tuple[str, int]] = []
    depth, start, i = 0, 0, 0

    def side(a: int, b: int) -> None:
        cur.append((seg[a:b], a))

    while i < len(seg):
        c = seg[i]
        env = re.match(r"\\begin\{([a-z]+\*?)\}", seg[i:])
        if env and env.group(1) in SYS_ALIGN_ENVS:  # align*: its lines are the chain's lines
            start = i = i + env.end()
            continue
        if env:  # a matrix's rows are no lines of the chain
            close = seg.find("\\end{" + env.group(1) + "}", i)
            if close > 0:
                i = close + len(env.group(1)) + 6
                continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        if depth == 0 and c == "=":
            side(start, i)
            start = i + 1
        elif depth <= 0:
            m = _SYS_SPLIT.match(seg, i)
            if m:
                cont = m.group(0) == "\\\\" and re.match(r"\s*&?\s*=", seg[m.end() :])
                if cont:
                    side(start, i)
                    nxt = seg.index("=", m.end())
                    start, i = nxt + 1, nxt + 1
                    continue
                side(start, i)
                if len(cur) > 0:
                    chains.append(cur)
                cur = []
                j = m.end()
                if (
                    m.group(0) in ("\\text", "\\mathrm", "\\mbox", "\\textbf", "\\boxed")
                    and seg[j : j + 1] == "{"
                ):
                    try:
                        j = _sys_brace(seg, j)
                    except ValueError:
                        j = len(seg)
                start, i, depth = j, j, 0
                continue
        i += 1
    side(start, len(seg))
    chains.append(cur)
    return [[(t, o) for t, o in ch if t.strip()] for ch in chains]


_SYS_Q_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\[(.+?)\\\]|\\\((.+?)\\\)", re.S)


def _sys_question_known(question: str, sp) -> dict:
    """Named quantities the question's own equations fix (solving them is the task, not a leak): one
    unknown at a time, at most 20 equations and 3 rounds."""
    eqs = []
    for mm in _SYS_Q_MATH.finditer(question):
        seg = next(x for x in mm.groups() if x is not None)
        for ch in _sys_chains(seg):
            vals = [_sys_expr(t, {}, sp) for t, _ in ch]
            eqs.extend(
                a - b
                for a, b in itertools.pairwise(vals)
                if isinstance(a, sp.Expr) and isinstance(b, sp.Expr)
            )
    out: dict = {}
    for _ in range(3):
        for q in eqs[:20]:
            r = q.xreplace(out)
            if len(r.free_symbols) != 1 or r.count_ops() > 120:
                continue
            (sym,) = r.free_symbols
            try:
                roots = [x for x in sp.solve(r, sym) if x.is_number and abs(sp.im(sp.N(x))) < 1e-12]
            except RowTimeout:
                raise
            except Exception:  # noqa: BLE001
                continue
            if len(roots) == 1:
                out[sym] = roots[0]
    return out


def attack_system(ctx: RowCtx, findings, unchecked, budget):
    import sympy as sp

    g = ctx.gold
    m = ctx.masked
    point = _fg_gold_point(g) if g.value is None and g.sym is None and "matrix}" in m else None
    if (g.value is None and g.sym is None and point is None) or "=" not in m or not SYS_HINT.search(m):
        return
    # blanks -> "@name@" markers (typed: one per occurrence, the same for the same surrounding text; in a
    # column vector written alike before, the same as there)
    keys: dict[str, str] = {}
    short: dict[str, str] = {}
    alike = _sys_alike_vectors(m, ctx.ph)
    given_key: dict[int, str] = {}
    marked = []
    last = 0
    for s, e, _name in ctx.ph:
        k = short.setdefault(str(ctx.key_at(s)), str(len(short)))
        if s in alike and alike[s] in given_key:
            k = given_key[alike[s]]
        elif ctx.style == "typed":
            a = max(m.rfind(ch, 0, s) for ch in "{}$=,;&\n")
            b = min([x for x in (m.find(ch, e) for ch in "{}$=,;&\n") if x >= 0] or [len(m)])
            around = re.sub(r"\s+|\[[A-Z]+\]", "", m[a + 1 : s]) + "#" + re.sub(r"\s+|\[[A-Z]+\]", "", m[e:b])
            if (
                re.search(r"(?<![A-Za-z])[a-zA-Z](?![A-Za-z])", re.sub(r"\\[a-zA-Z]+", "", around))
                and len(around) >= 4
            ):
                k = keys.setdefault(around, k)
        given_key[s] = k
        marked.append(m[last:s] + f"@{k}@" + " " * (e - s - len(k) - 2))
        last = e
    marked.append(m[last:])
    text = "".join(marked)
    if len(text) != len(m):  # a blank shorter than its marker: offsets would drift; read without them
        return
    segs = [(s, e) for s, e, mode in ctx.segments if mode == "tex" and not ctx.in_asy(s)]
    chains: list[list[tuple[str, int]]] = []
    for s, e in segs:
        chains.extend([(t, s + o) for t, o in ch] for ch in _sys_chains(text[s:e]))
    # functions: a letter applied to a variable somewhere; defined where "p(x) = body" (body with no blank)
    names = {
        x.group(1)
        for x in re.finditer(r"(?<![A-Za-z\\])([A-Za-z])\(\s*([a-z])\s*\)", text)
        if x.group(1) != x.group(2)
    }
    funcs: dict = {f: sp.Function(f"F_{f}") for f in names}
    bodies: dict[str, set] = {}
    def_at: dict[str, tuple[int, int]] = {}  # where a function is defined (head and body)
    def_text: dict[str, str] = {}
    for ch in chains:
        for (ta, oa), (tb, ob) in itertools.pairwise(ch):
            for head, body in ((ta, tb), (tb, ta)):
                hm = re.fullmatch(r"\s*([A-Za-z])\(\s*([a-z])\s*\)\s*", head)
                if hm and hm.group(1) in names and "@" not in body and hm.group(1) + "(" not in body:
                    bodies.setdefault(hm.group(1), set()).add((hm.group(2), re.sub(r"\s+", "", body)))
                    def_at[hm.group(1)] = (oa, ob + len(tb))
                    def_text[hm.group(1)] = m[oa : ob + len(tb)]
    defined = {}
    for f, bs in bodies.items():
        if len(bs) == 1:
            var, body = next(iter(bs))
            val = _sys_expr(body, {k: v for k, v in funcs.items() if k != f}, sp, ctx.imag)
            if val is not None and not isinstance(val, _Vec):
                defined[f] = sp.Lambda(sp.Symbol(f"v_{var}"), val)
    funcs.update({f: F for f, F in defined.items()})
    uses_def = (
        re.compile(r"(?<![A-Za-z\\])(" + "|".join(map(re.escape, defined)) + r")\((?!\s*[a-z]\s*\))")
        if defined
        else None
    )
    # equations and expressions
    qtext = re.sub(r"\s+|\\[,;!]|\\left|\\right", "", ctx.question)
    copied: set = set()
    eqs: list = []  # (expr, s, e)
    exprs: list = []  # (expr, s, e, uses a definition)
    vectors: list = []  # (_Vec, s, e)
    for ch in chains:
        vals = []
        for t, o in ch:
            v = _sys_expr(t, funcs, sp, ctx.imag)
            vals.append((v, o, o + len(t)))
            if isinstance(v, sp.Expr):
                exprs.append((v, o, o + len(t), bool(uses_def and uses_def.search(t))))
            elif isinstance(v, _Vec) and all(isinstance(c, sp.Expr) for c in v.c):
                vectors.append((v, o, o + len(t)))
        for (va, sa, _), (vb, _, eb) in itertools.pairwise(vals):
            if va is None or vb is None:
                continue
            said = re.sub(r"\s+|\\[,;!]|\\left|\\right|&", "", text[sa:eb])
            if len(said) >= 5 and said in qtext:
                copied.add((sa, eb))  # the question's own equation: alone, solving it is the task
            if isinstance(va, _Vec) and isinstance(vb, _Vec) and len(va.c) == len(vb.c):
                eqs.extend((sp.sympify(a - b), sa, eb) for a, b in zip(va.c, vb.c, strict=True))
            elif isinstance(va, sp.Expr) and isinstance(vb, sp.Expr):
                eqs.append((va - vb, sa, eb))
        # a chain of named quantities (a letter on every side: `a = b = c/[N] = d/4`) is its first side equal
        # to every later one: the links a reader takes past a middle side that is not linear (a = d/4)
        if len(vals) >= 3 and all(
            isinstance(v, sp.Expr) and any(not str(x).startswith("B_") for x in v.free_symbols)
            for v, _, _ in vals
        ):
            v0, s0, _ = vals[0]
            eqs.extend((v0 - v, s0, e) for v, _, e in vals[2:])
    # "Setting $x = 5$, we have $36 = 4 + [N]a$": the equation right after a setting is the one function of x
    # the trace defined before it, taken at 5 (a reader writes f(5) for its first side and solves for a)
    for x in SYS_SETTING_RE.finditer(m):
        var, at = x.group(1), sp.Rational(x.group(2))
        fs = [f for f in defined if def_at[f][0] < x.start() and {v for v, _ in bodies[f]} == {var}]
        after = [ch for ch in chains if ch and x.end() <= ch[0][1] < x.end() + 400]
        if len(fs) != 1 or not after:
            continue
        ch = min(after, key=lambda c: c[0][1])
        said = text[ch[0][1] : ch[-1][1] + len(ch[-1][0])]
        if len(ch) != 2 or re.search(rf"(?<![A-Za-z\\]){fs[0]}\(", said):
            continue  # a chain, or an equation that applies the function itself: read as written
        value = defined[fs[0]](at)
        sides = [_sys_expr(t, funcs, sp, ctx.imag) for t, _ in ch]
        if not all(isinstance(v, sp.Expr) for v in sides):
            continue
        if any(_sys_is_instance(v, value, sp) for v in sides):  # not a simplified equation, nor another one
            for v, (t, o) in zip(sides, ch, strict=True):
                eqs.append((v - value, x.start(2), o + len(t)))
    if SYS_FIGURE_RE.search(m):  # about a figure: DB is the segment BD (in a digit puzzle AB and BA differ)
        names = {x for q, _, _ in eqs for x in q.free_symbols} | {
            x for v, *_ in exprs for x in v.free_symbols
        }
        one_way = {
            x: sp.Symbol(str(x)[:2] + _either_way(str(x)[2:]))
            for x in names
            if re.fullmatch(r"[SA]_[A-Z]{2,3}", str(x)) and _either_way(str(x)[2:]) != str(x)[2:]
        }
        if one_way:
            eqs = [(q.xreplace(one_way), a, b) for q, a, b in eqs]
            exprs = [(v.xreplace(one_way), a, b, d) for v, a, b, d in exprs]
    eqs = [q for q in eqs if q[0] != 0 and q[0].free_symbols][:SYS_MAX_EQS]
    ratio = _sys_ratios(
        [q for q, _, _ in eqs] + [v for v, *_ in exprs] + [c for v, _, _ in vectors for c in v.c], sp
    )
    if ratio:

        def by_ratio(v):
            """``v`` with each fraction of two blanks one symbol, only where it holds one (and is small)."""
            if not (v.free_symbols & ratio.keys()) or v.count_ops() > 200:
                return v
            return sp.cancel(v.xreplace(ratio))

        eqs = [(by_ratio(q), a, b) for q, a, b in eqs]
        exprs = [(by_ratio(v), a, b, d) for v, a, b, d in exprs]
        vectors = [(_Vec(*(by_ratio(c) for c in v.c)), a, b) for v, a, b in vectors]
    if not eqs and not defined:  # a definition alone may still be applied where the question asks
        return
    # a name given two values (x = -1 and x = 1: cases) is no unknown to solve for
    given: dict = {}
    for q, _, _ in eqs:
        if len(q.free_symbols) == 1 and q.is_polynomial() and sp.degree(q, *q.free_symbols) == 1:
            (sym,) = q.free_symbols
            if not str(sym).startswith("B_"):
                given.setdefault(sym, set()).add(sp.solve(q, sym)[0] if q.count_ops() < 40 else None)
    several = {s for s, v in given.items() if len(v) > 1}
    known: dict = {}
    why: dict = {}
    prov: dict = {}  # symbol -> the equations (s, e) it was computed from
    solves = 0
    for _round in range(6):
        progress = False
        for q, s, e in eqs:
            if budget.left() < 0.2 or solves >= SYS_SOLVES:
                unchecked.append("system")
                break
            r = q.xreplace(known)
            free = r.free_symbols
            if len(free) != 1 or r.count_ops() > 250:
                continue
            (sym,) = free
            if sym in several:
                continue
            solves += 1
            try:
                roots = [x for x in sp.solve(r, sym) if x.is_number and (ctx.imag or x.is_real is not False)]
            except RowTimeout:
                raise
            except Exception:  # noqa: BLE001
                continue
            real = roots if ctx.imag else [x for x in roots if abs(sp.im(sp.N(x))) < 1e-12]
            if len(real) == 1:
                known[sym] = real[0]
                why[sym] = (s, e)
                prov[sym] = {(s, e)}.union(*(prov[x] for x in q.free_symbols if x in prov))
                progress = True
        if not progress and solves < SYS_SOLVES:
            lin = []
            for q, s, e in eqs:
                r = sp.expand(q.xreplace(known))
                free = sorted(r.free_symbols - several, key=str)
                if len(free) >= 2 and r.free_symbols == set(free):
                    try:
                        if sp.Poly(r, *free).total_degree() == 1:
                            lin.append((r, free, s, e))
                    except sp.PolynomialError:
                        continue
            if len(lin) >= 2:
                syms = sorted({x for _, f, _, _ in lin for x in f}, key=str)
                solves += 1
                sol = sp.linsolve([r for r, *_ in lin], syms)
                used = {(s, e) for _, _, s, e in lin}.union(*(prov[x] for x in known if x in prov))
                for tup in sol:
                    for sym, val in zip(syms, tup, strict=True):
                        if not val.free_symbols and sym not in known:
                            known[sym] = val
                            why[sym] = (lin[0][2], lin[-1][3])
                            prov[sym] = used
                            progress = True
        if not progress:
            break

    def as_value(v):
        v = sp.nsimplify(v) if v.is_Float else v
        if v.is_Rational:
            return Fraction(int(v.p), int(v.q))
        c = complex(sp.N(v))
        if abs(c.imag) >= 1e-12:
            return c if ctx.imag else None
        return c.real

    given = _sys_question_known(ctx.question, sp) if known else {}
    named = {
        x
        for x in known
        if not str(x).startswith("B_")
        and prov.get(x, set()) - copied
        and not (x in given and sp.simplify(given[x] - known[x]) == 0)  # the question's own answer to solve
    }
    for sym, val in known.items():
        if sym in named and g.value is not None and g.matches(as_value(val)):
            s, e = why[sym]
            add(findings, "system", ctx, s, e, f"the equations fix {str(sym)[2:]} = {val}, the gold")
            return
    if point is not None:  # a column vector gold: a vector the trace works out, by components
        for v, s, e in vectors:
            comps = [c.xreplace(known) for c in v.c]
            if len(comps) != len(point) or any(c.free_symbols for c in comps):
                continue
            try:
                hit = all(eq_val(as_value(c), x) for c, x in zip(comps, point, strict=True))
            except (TypeError, ValueError):
                hit = False
            if hit:
                used = [x for x in known if any(x in c.free_symbols for c in v.c)]
                s0, e0 = why[used[-1]] if used else (s, e)
                add(findings, "system", ctx, s0, e0, f"{m[s:e].strip()[:60]!r} is the gold vector, solved")
                return
        return
    gold_sym = _sys_expr(g.raw.strip("$ "), {}, sp) if g.value is None else None
    for v, s, e, by_def in exprs:
        if not (v.free_symbols & named) and not by_def:
            continue  # blanks alone are the constraints attack's
        r = v.xreplace(known)
        if any(str(x).startswith("B_") for x in r.free_symbols):
            continue
        if not r.free_symbols and g.value is not None:
            try:
                hit = g.matches(as_value(r))
            except (TypeError, ValueError):
                hit = False
        elif gold_sym is not None and not isinstance(gold_sym, _Vec) and r.free_symbols:
            hit = r.count_ops() < 200 and sp.expand(r - gold_sym) == 0
        else:
            hit = False
        if hit:
            add(
                findings,
                "system",
                ctx,
                s,
                e,
                f"{m[s:e].strip()[:60]!r} is the gold once the equations are solved",
            )
            return
    # at equality: letters the trace's own equations set equal ("Equality occurs when $a = b = c = d$") put
    # into an expression of those letters the trace shows; one that simplifies to a number is read off
    same: dict = {}  # a letter's symbol -> the symbol standing for its group
    where: list = []
    for q, s, e in eqs:
        pair = sorted(q.free_symbols, key=str)
        if (
            re.sub(r"\s+", "", text[s:e]) in qtext
            or len(pair) != 2
            or any(str(x).startswith("B_") for x in pair)
        ):
            continue
        if sp.expand(q - (pair[0] - pair[1])) == 0 or sp.expand(q + (pair[0] - pair[1])) == 0:
            a, b = (same.get(x, x) for x in pair)
            for x in list(same):
                if same[x] == b:
                    same[x] = a
            same[pair[0]], same[pair[1]] = a, a
            where.append((s, e))
    for v, s, e, _ in exprs if same and g.value is not None else ():
        if len(v.free_symbols) < 2 or not v.free_symbols <= same.keys() or v.count_ops() > 200:
            continue
        r = sp.cancel(v.xreplace(same))
        if r.free_symbols:
            continue
        try:
            hit = g.matches(as_value(r))
        except (TypeError, ValueError):
            hit = False
        if hit:
            s0, e0 = min(where)[0], max(b for _, b in where)
            add(findings, "system", ctx, s0, e0, f"{m[s:e].strip()[:60]!r} is the gold where {m[s0:e0]!r}")
            return
    # the question's asked expression ("What is $a+b$?", "find $p(1)$") over what the trace fixed: the last
    # step is the question's, its operands the trace's (a quantity fixed by the trace's own equations, not
    # the question's given, or a function the trace defines, not a copy of the question's)
    if g.value is None:
        return
    for mm in _SYS_Q_MATH.finditer(ctx.question):
        seg = next(x for x in mm.groups() if x is not None)
        if re.search(r"[=<>]|\\(?:le|ge|leq|geq|ne|neq|equiv)(?![a-zA-Z])", seg):
            continue
        v = _sys_expr(seg, funcs, sp, ctx.imag)
        if not isinstance(v, sp.Expr):
            continue
        ops = sorted((x for x in v.free_symbols if x in named), key=lambda x: why[x])
        applied = [f for f in defined if re.search(rf"(?<![A-Za-z\\]){f}\((?!\s*[a-z]\s*\))", seg)]
        applied = [f for f in applied if re.sub(r"\s+|\\[,;!]|\\left|\\right", "", def_text[f]) not in qtext]
        if not ops and not applied:
            continue
        r = v.xreplace(known)
        try:
            hit = not r.free_symbols and g.matches(as_value(r))
        except (TypeError, ValueError):
            hit = False
        if hit:
            s, e = why[ops[-1]] if ops else def_at[applied[0]]
            add(
                findings,
                "system",
                ctx,
                s,
                e,
                f"the question's {seg.strip()[:60]!r} is the gold over the trace's values",
            )
            return


def attack_question_function(ctx: RowCtx, findings, unchecked, budget):
    """A function the question defines (`f(x)=3x^4+5x^2-9x-2`) applied in a trace formula at an argument the
    trace gives (`f(0)`, or `f(1-1)` under "g(x) = f(x-1)", asked for g(1): the trace computes the 0) is the
    gold. Not a formula the question writes ("Find $f(2)$"), nor one whose numbers are all the question's
    and whose arguments compute nothing (`f(3)` under "If $x = 3$"): evaluating the question's own
    expression is the task."""
    import sympy as sp

    g = ctx.gold
    if g.value is None or "system" in findings:
        return
    defs = {}
    for mm in _SYS_Q_MATH.finditer(ctx.question):
        seg = next(x for x in mm.groups() if x is not None)
        parts = [p.strip().rstrip(".,;") for p in seg.split("=")]
        for head, body in itertools.pairwise(parts):
            hm = re.fullmatch(r"([A-Za-z])\(\s*([a-z])\s*\)", head)
            if hm and body and hm.group(1) + "(" not in body:
                val = _sys_expr(body, {}, sp)
                if isinstance(val, sp.Expr):
                    defs.setdefault(hm.group(1), []).append(sp.Lambda(sp.Symbol(f"v_{hm.group(2)}"), val))
    funcs = {f: ls[0] for f, ls in defs.items() if len(ls) == 1}
    if not funcs:
        return
    called = re.compile(r"(?<![A-Za-z\\])(" + "|".join(funcs) + r")\(")
    qtext = re.sub(r"\s+|\\[,;!]|\\left|\\right", "", ctx.question)
    qnums = set(re.findall(r"\d+(?:\.\d+)?", re.sub(r"[\^_]\{?\d+\}?", " ", ctx.question)))  # no exponent
    m = ctx.masked
    for s0, e0, mode in ctx.segments:
        if mode != "tex" or ctx.in_asy(s0):
            continue
        for side, off in (x for ch in _sys_chains(m[s0:e0]) for x in ch):
            if "[" in side or not called.search(side):
                continue
            if re.sub(r"\s+|\\[,;!]|\\left|\\right", "", side) in qtext:
                continue  # the question's own application
            args = _call_args(side, funcs)
            if args and all(
                not re.fullmatch(r"-?\d+(?:\.\d+)?", a.strip())
                and re.sub(r"\s+|\\[,;!]|\\left|\\right", "", a) in qtext
                for a in args
            ):
                continue  # every argument a computation the question writes so (`x = 2^3`)
            if set(re.findall(r"\d+(?:\.\d+)?", side)) <= qnums and not _computed_argument(
                side, funcs, ctx.question, sp
            ):
                continue  # the question's function at the question's values (not at `1-1`, the trace's 0)
            v = _sys_expr(side, funcs, sp)
            if not isinstance(v, sp.Expr) or v.free_symbols:
                continue
            try:
                hit = g.matches(Fraction(int(v.p), int(v.q)) if v.is_Rational else complex(sp.N(v)).real)
            except (TypeError, ValueError):
                hit = False
            if hit:
                a = s0 + off
                add(
                    findings,
                    "system",
                    ctx,
                    a,
                    a + len(side),
                    f"{side.strip()!r} is the gold by the question's f",
                )
                return


# a step of arithmetic in words: the verb, then (read by `_worded_step`) its operands and its result
WORDED_VERB_RE = re.compile(
    r"(?i)\b(?:(add)(?:s|ed|ing)?|(subtract)(?:s|ed|ing)?|(multipl)(?:y|ies|ied|ying)|(divid)(?:e|es|ed|ing)"
    r"|(doubl|tripl|halv|squar)(?:e|es|ed|ing))\b"
)
WORDED_CUE_RE = re.compile(
    r"(?i)\s*(?:,\s*)?(?:to (?:make|get|obtain|give|reach)|(?:which |this |that )?(?:gives|makes|yields)"
    r"|giving|yielding|making|(?:and |we |to )get|for)\s+(?:us\s+)?"
)
# a blank, a numeral (thousands commas; not a fraction's numerator, a power's base), a word (read apart)
WORDED_VALUE_RE = re.compile(
    r"\[[A-Z]+\]|\$?-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d^\w]|[,./]\d)\$?|[a-z]+(?:-[a-z]+)?", re.I
)
WORDED_PRONOUNS = ("that number", "this number", "the result", "it", "that", "this")  # longest first
WORDED_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n")


def _worded_value(tok: str):
    """A numeral or a number word ("four", "twenty-five") as a Fraction; "blank" for a placeholder; None."""
    t = tok.strip("$").lower()
    if t.startswith("["):
        return "blank"
    if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", t):
        return Fraction(t.replace(",", "")) if len(t) <= 30 else None  # a numeral of 30 characters at most
    head, _, unit = t.partition("-")
    if (
        unit
        and head in WORD_NUMS
        and unit in WORD_NUMS
        and 20 <= WORD_NUMS[head] <= 90
        and WORD_NUMS[unit] < 10
    ):
        return Fraction(WORD_NUMS[head] + WORD_NUMS[unit])
    if not unit and t in WORD_NUMS and WORD_NUMS[t] < 100 and t != "dozen":
        return Fraction(WORD_NUMS[t])
    return None


def _worded_step(m: str, at: int, verb: str):
    """The step whose verb ends at `at`: (target, operand, result, end), operand and result as
    `_worded_value` gives them, target "latest" for none, a pronoun or a blank; None where it is no step."""

    def value_at(i):
        x = WORDED_VALUE_RE.match(m, i)
        return (x.group(), x.end()) if x else (None, i)

    def spaces(i):
        while i < len(m) and m[i].isspace():
            i += 1
        return i

    def pronoun(i):
        return next((p for p in WORDED_PRONOUNS if re.match(rf"(?i){p}\b", m[i : i + len(p) + 1])), None)

    def by_at(i):
        x = re.match(r"(?i)by\s+", m[i : i + 12])
        return i + x.end() if x else None

    i = spaces(at)
    target, operand = "latest", None
    if verb in ("add", "subtract"):
        tok, i = value_at(i)
        operand = _worded_value(tok) if tok else None
        if operand is None:
            return None
        prep = re.match(r"(?i)\s+(?:to|from)\s+", m[i : i + 12])
        if prep and not WORDED_CUE_RE.match(m, i):
            j = i + prep.end()
            pron = pronoun(j)
            if pron:
                i = j + len(pron)
            else:
                tok, k = value_at(j)
                v = _worded_value(tok) if tok else None
                if v is None:
                    return None  # "to both sides": no step a reader follows
                target, i = (v if v != "blank" else "latest"), k
    elif verb in ("multipl", "divid"):
        if by_at(i) is None:
            pron = pronoun(i)
            if pron:
                i = spaces(i + len(pron))
            else:
                tok, k = value_at(i)
                v = _worded_value(tok) if tok else None
                if v is None:
                    return None
                target, i = (v if v != "blank" else "latest"), spaces(k)
        after = by_at(i)
        if after is None:
            return None
        tok, i = value_at(after)
        operand = _worded_value(tok) if tok else None
        if operand is None:
            return None
    else:
        pron = pronoun(i)
        if pron:
            i += len(pron)
        else:
            tok, k = value_at(i)
            v = _worded_value(tok) if tok else None
            if v is not None:
                target, i = (v if v != "blank" else "latest"), k
    cue = WORDED_CUE_RE.match(m, i)
    if not cue:
        return None
    tok, end = value_at(cue.end())
    result = _worded_value(tok) if tok else None
    if result is None:
        return None
    return target, operand, result, end


def _worded_asked(question: str, steps: list, start) -> bool:
    """The question spells the chain: its start value (compared as a value: "36.", "1,000", "thirty-six"),
    then each step's verb and operand in order ("multiply 4 by 3": the operand is 3)."""
    if start is None or start == "blank":
        return False
    written = {_worded_value(x.group().strip(".,;")) for x in WORDED_VALUE_RE.finditer(question)}
    if start not in written:
        return False
    asked = []
    for x in WORDED_VERB_RE.finditer(question):
        stem = next(g for g in x.groups() if g).lower()
        after = question[x.end() : x.end() + 60]
        nxt = re.match(r"(?i)(?:\s+\S+){0,2}?\s+by\s+(\S+)", after) or re.match(r"\s+(\S+)", after)
        asked.append((stem, _worded_value(nxt.group(1).strip(".,;?")) if nxt else None))
    k = 0
    for stem, operand in steps:
        while k < len(asked) and not (asked[k][0] == stem and (operand is None or asked[k][1] == operand)):
            k += 1
        if k == len(asked):
            return False
        k += 1
    return True


def attack_worded(ctx: RowCtx, findings):
    """Arithmetic spelled in words, step after step ("from the 27, we add four to make [NUMBER], then
    multiply [NUMBER] by four to make [NUMBER], then add five to [NUMBER] to make [NUMBER]"): each step with
    its result written after "to make", "giving", "for"...; a step without a target works on the result
    just made (the first on the last value of its sentence before it: unknown when a blank), a blank target
    too. A blank result is what the reader computes; a computed result equal to the gold is a replay. Steps
    chain within 60 characters of each other in one paragraph, a new sentence with a value of its own before
    its step starting a new chain; a chain the question spells (start, verbs, operands) is its own."""
    g = ctx.gold.value
    m = ctx.masked
    if not isinstance(g, Fraction) or not WORDED_VERB_RE.search(m):
        return
    latest, begin, last, start, steps = None, -1, -1, None, []
    for x in WORDED_VERB_RE.finditer(m):
        verb = next(v for v in x.groups() if v).lower()
        step = _worded_step(m, x.end(), verb)
        if step is None:
            continue
        lo = max(0, x.start() - 400)
        head = max((e.end() for e in WORDED_SENTENCE_END_RE.finditer(m, lo, x.start())), default=lo)
        values = list(
            re.finditer(
                r"(?<![\w.])(?:\$?(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d^\w]|[,./]\d)|\[[A-Z]+\])",
                m[head : x.start()],
            )
        )
        fresh = head > last and any(
            v.group(1) for v in values
        )  # a numeral of the new sentence; a blank goes on
        if last < 0 or x.start() - last > 60 or "\n\n" in m[last : x.start()] or fresh:
            steps = []
            latest = _worded_value(values[-1].group(1)) if values and values[-1].group(1) else None
            begin = head + values[-1].start() if values else x.start()
        target, operand, result, last = step
        base = latest if target == "latest" else target
        if not steps:
            start = base
        steps.append((verb, operand))
        value = None
        if base is not None and operand != "blank":
            if verb == "add":
                value = base + operand
            elif verb == "subtract":
                value = base - operand
            elif verb == "multipl":
                value = base * operand
            elif verb == "divid":
                value = base / operand if operand else None
            else:
                value = {"doubl": base * 2, "tripl": base * 3, "halv": base / 2, "squar": base * base}[verb]
        if value is not None and max(value.numerator.bit_length(), value.denominator.bit_length()) > 400:
            value = None  # "square it" twenty times: no value a reader works with
        latest = value if result == "blank" else result
        if result == "blank" and value is not None and ctx.gold.matches(value):
            if _worded_asked(ctx.question, steps, start):
                continue
            add(
                findings,
                "replay",
                ctx,
                begin,
                last,
                f"arithmetic in words from {m[begin : x.start()][:20]!r} gives {value}",
            )
            return


def _call_args(text: str, names) -> list[str]:
    """The arguments `text` applies the letters `names` at (balanced parentheses)."""
    out = []
    for hm in re.finditer(r"(?<![A-Za-z\\])([A-Za-z])\(", text):
        if hm.group(1) not in names:
            continue
        depth, j = 1, hm.end()
        while j < len(text) and depth:
            depth += 1 if text[j] == "(" else -1 if text[j] == ")" else 0
            j += 1
        out.append(text[hm.end() : j - 1].strip())
    return out


def _computed_argument(side: str, funcs: dict, question: str, sp) -> bool:
    """Whether `side` applies one of `funcs` at an argument that operates on two numbers or more (`f(1-1)`,
    `f(2\\cdot 3)`) and is the trace's: not written so in the question (`x = 1/2`), not of a value the
    question writes (`f(1+2)` beside `x = 3`), not the question's own definition at an argument it asks
    about (`f(-3+3)` for "If $h(x)=f(x+3)$, what is $h(-3)$?")."""
    squeeze = re.compile(r"\s+|\\[,;!]|\\left|\\right")
    qtext = squeeze.sub("", question)
    for arg in _call_args(side, funcs):
        if len(re.findall(r"\d+(?:\.\d+)?", arg)) < 2 or not re.search(
            r"[-+*/^]|\\(?:cdot|times|div)(?![A-Za-z])", arg.lstrip("-")
        ):
            continue
        if squeeze.sub("", arg) in qtext:
            continue
        v = _sys_expr(arg, {}, sp)
        if isinstance(v, sp.Expr) and not v.free_symbols and v.is_Rational:
            value = Fraction(int(v.p), int(v.q))
            written = {Fraction(x) for x in re.findall(r"\d+(?:\.\d+)?", question)}
            if value in written or value in _question_call_values(question, sp):
                continue
        return True
    return False


def _question_call_values(question: str, sp) -> set:
    """The values the question's definitions (`h(x)=f(x+3)`) apply a function at, for the arguments the
    question applies the defined letter at (`h(-3)`): {0}."""
    at: dict = {}
    for x in re.finditer(r"(?<![A-Za-z\\])([A-Za-z])\(\s*(-?\d{1,30}(?:\.\d{1,30})?)\s*\)", question):
        at.setdefault(x.group(1), []).append(Fraction(x.group(2)))
    out = set()
    for d in re.finditer(r"(?<![A-Za-z\\])([A-Za-z])\(\s*([a-z])\s*\)\s*=\s*([^$=,;]{1,120})", question):
        name, var, body = d.groups()
        for a in at.get(name, ()):
            if abs(a) > 10**6:
                continue  # no argument a reader works the definition at
            for inner in _call_args(body, set(re.findall(r"[A-Za-z]", body)) - {var}):
                if re.search(r"\^\s*\{?\s*-?(?:\d{3,}|[A-Za-z])", inner):
                    continue  # a large or a letter's power (sympy would compute it whole)
                v = _sys_expr(inner, {}, sp)
                if isinstance(v, sp.Expr) and v.free_symbols <= {sp.Symbol(f"v_{var}")}:
                    r = v.subs(sp.Symbol(f"v_{var}"), sp.Rational(str(a)))
                    if r.is_Rational:
                        out.add(Fraction(int(r.p), int(r.q)))
    return out


NAMED_OP_RE = re.compile(
    r"(?P<lcm>(?:least|lowest) common multiple|(?<![a-z])lcm(?![a-z]))"
    r"|(?P<gcd>(?:greatest|highest) common (?:divisor|factor)|(?<![a-z])(?:gcd|gcf|hcf)(?![a-z]))",
    re.I,
)
OF_RE = re.compile(r"(?:(?:multiple|factor|divisor)s? of|divisible by)\s*\$?\s*$", re.I)
WHOLE_RE = re.compile(r"(?<![\w.^_{])(?<!\^\{)(\d{1,9})(?![\w.]|,\d{3})")


def attack_named_operation(ctx: RowCtx, findings):
    """The trace names the step's operation where the question does not ("the least common multiple of
    the set") and its operands are visible: every whole number above 1 shown before the name in its
    paragraph when the name says what it is "of", those of them a multiple or divisor is "of", or those
    after the name in its sentence ("the lcm of 4 and 6"); every name is read. Their lcm (gcd), above 1,
    equal to the gold leaks."""
    g, m = ctx.gold, ctx.masked
    if g.value is None or NAMED_OP_RE.search(ctx.question):
        return
    for x in NAMED_OP_RE.finditer(m):
        op = math.lcm if x.group("lcm") else math.gcd
        para = m.rfind("\n\n", 0, x.start()) + 1
        stop = min([i for i in (m.find(". ", x.end()), m.find("\n", x.end())) if i >= 0] or [len(m)])
        shown = [n for n in _whole_numbers_in(m, para, x.start()) if not ctx.in_asy(n.start())]
        sets = [
            shown if re.match(r"\s+of\b", m[x.end() :]) else [],  # "the lcm of the set": all shown before
            [n for n in shown if OF_RE.search(m[max(0, n.start() - 20) : n.start()])],  # "(multiples of 3)"
            _whole_numbers_in(m, x.end(), stop),  # after the name: "the lcm of 4 and 6"
        ]
        for found in sets:
            nums = sorted({int(n.group(1)) for n in found} - {0, 1})
            if 2 <= len(nums) <= 12 and op(*nums) > 1 and g.matches(Fraction(op(*nums))):
                add(findings, "replay", ctx, para, stop, f"the {x.group().lower()} of {nums} is the gold")
                return


#: a point of two visible coordinates: integers, decimals, `\frac{a}{b}` (`\left( \frac{1}{2}, 1 \right)`)
PT_NUM = r"\s*(-?\s*(?:\\[dt]?frac\s*\{-?\d+\}\s*\{\d+\}|\\[dt]?frac\d\d|\d+(?:\.\d+)?))\s*"
PT_RE = re.compile(rf"(?:\\left\s*)?\({PT_NUM},{PT_NUM}(?:\\right\s*)?\)")
PT_NAME_RE = re.compile(r"(?i)\b(slopes?|area)\b")


def _pt_value(t: str):
    t = re.sub(r"\s+", "", t)
    neg = t.startswith("-")
    t = t.lstrip("-")
    f = re.fullmatch(r"\\[dt]?frac(?:\{(-?\d+)\}\{(\d+)\}|(\d)(\d))", t)
    if f:
        a, b = (f.group(1), f.group(2)) if f.group(1) is not None else (f.group(3), f.group(4))
        v = Fraction(int(a), int(b)) if int(b) else None
    else:
        v = Fraction(t)
    return None if v is None else (-v if neg else v)


def attack_point_operation(ctx: RowCtx, findings):
    """The trace names a slope or an area, and the points it is of stand with every coordinate visible in
    the name's sentence (else with the sentence before): the slope of two points, the shoelace area of
    three or more (in the order written) equal to the gold leaks. Points the question writes, and points in
    [asy] code, are not the trace's."""
    g, m = ctx.gold, ctx.masked
    if g.value is None or "(" not in m:
        return
    q = re.sub(r"\s+", "", ctx.question)
    cuts = [0] + [c.end() for c in re.finditer(r"[.!?]\s|\n\s*\n", m)]
    ends = [c.start() for c in re.finditer(r"[.!?]\s|\n", m)] + [len(m)]
    for x in PT_NAME_RE.finditer(m):
        k = bisect_right(cuts, x.start()) - 1
        stop = ends[bisect_right(ends, x.end() - 1)]  # the naming sentence's end (len(m) closes the list)
        for lo in dict.fromkeys((cuts[k], cuts[max(0, k - 1)])):
            pts = []
            for p in itertools.islice(PT_RE.finditer(m, lo, stop), 13):
                if ctx.in_asy(p.start()) or re.sub(r"\s+", "", p.group()) in q:
                    continue
                if re.search(
                    r"(?i)(?:\bon|\binterval|\\in|\bin|\bover|\bbetween|\bfrom)\s*\$?\s*(?:\\left\s*)?$",
                    m[max(0, p.start() - 16) : p.start()],
                ):
                    continue  # an interval's ends ("positive on $(0,1)$"), no point
                pts.append((_pt_value(p.group(1)), _pt_value(p.group(2))))
            if len(pts) > 12 or any(None in p for p in pts):
                continue
            val = None
            if x.group(1).lower().startswith("slope") and len(pts) == 2 and pts[0][0] != pts[1][0]:
                val = (pts[1][1] - pts[0][1]) / (pts[1][0] - pts[0][0])
            elif x.group(1).lower() == "area" and len(pts) >= 3 and len(set(pts)) == len(pts):
                twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(pts, pts[1:] + pts[:1], strict=True))
                val = abs(twice) / 2 if twice else None
            if val is not None and g.matches(val):
                shown = ", ".join(f"({a}, {b})" for a, b in pts)
                add(findings, "replay", ctx, lo, stop, f"the {x.group(1).lower()} of the points {shown}")
                return


UNARY_RE = re.compile(
    r"(?i)\bthe\s+(reciprocal|inverse|multiplicative\s+inverse|square\s+root|cube\s+root|square|cube"
    r"|absolute\s+value)\s+of\s+(?:\$\s*)?"  # one blank run at a time: a long run is read one way
    r"((?:-\s*)?(?:\\[dt]?frac\s*(?:\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\d\d)|\d+/\d+|\d+\.\d+|\d+))"
    r"(?![\w^_/{\\]|\.\d)"
)


def _exact_root(v: Fraction, n: int):
    """The rational n-th root of v (v >= 0 for n = 2), or None."""
    if v < 0:
        r = None if n == 2 else _exact_root(-v, n)
        return None if r is None else -r
    parts = []
    for k in (v.numerator, v.denominator):
        if n == 2:
            r = math.isqrt(k)
        else:  # Newton's step on integers from above, down to the floor of the cube root
            r = 1 << (k.bit_length() // 3 + 1) if k else 0
            while r and (nxt := (2 * r + k // (r * r)) // 3) < r:
                r = nxt
        parts.append(r if r**n == k else None)
    return Fraction(parts[0], parts[1]) if None not in parts else None


def attack_unary_operation(ctx: RowCtx, findings):
    """The trace names an operation of one visible value in words ("the reciprocal of $\\frac{2}{3}$", "the
    square root of 49") and its exact result is the gold; not where the question names the same operation
    (then computing it is the task)."""
    g, m = ctx.gold, ctx.masked
    if g.value is None or " of " not in m:
        return
    asked = {" ".join(x.group(1).lower().split()) for x in UNARY_RE.finditer(ctx.question)}
    for x in UNARY_RE.finditer(m):
        op = " ".join(x.group(1).lower().split())
        v = _pt_value(x.group(2))
        if op in asked or v is None:
            continue
        if op in ("reciprocal", "inverse", "multiplicative inverse"):
            val = 1 / v if v else None
        elif op in ("square", "cube"):
            val = v ** (2 if op == "square" else 3)
        elif op == "absolute value":
            val = abs(v)
        else:
            val = _exact_root(v, 2 if op == "square root" else 3)
        if val is not None and g.matches(val):
            add(findings, "replay", ctx, x.start(), x.end(), f"the {op} of {x.group(2)} is {val}")
            return


# "a divisor of 24", "the factors of $24$"; not a coefficient or a factorial ("factors of $6x^2+5x+1$", "10!")
DIVISORS_OF_RE = re.compile(r"\b(?:divisors?|factors?)\s+of\s+\$?\s*(\d+)(?![\d^_{\\A-Za-z!]|[.,/]\d)", re.I)


def attack_divisor_count(ctx: RowCtx, findings):
    """A "how many" question, and the trace names the divisors (factors) of a visible whole number: how many
    it has, or that less the divisor 1, is the gold (counting them is a calculator's job); not where the
    question speaks of divisors and writes that number (its own count is the task)."""
    g = ctx.gold.value
    if not isinstance(g, Fraction) or g.denominator != 1 or g < 1 or not COUNT_Q_RE.search(ctx.question):
        return
    asked = (
        set(re.findall(r"\d+", ctx.question))
        if re.search(r"(?i)\b(?:divisor|factor)s?\b", ctx.question)
        else set()
    )
    for x in DIVISORS_OF_RE.finditer(ctx.masked):
        n = int(x.group(1))
        if x.group(1) in asked or not 2 <= n <= 10**7:
            continue
        d = sum(2 if k * k != n else 1 for k in range(1, math.isqrt(n) + 1) if n % k == 0)
        if g in (d, d - 1):
            add(findings, "replay", ctx, x.start(1), x.end(1), f"{n} has {d} divisors ({d - 1} above 1)")
            return


DIGIT_SUM_Q_RE = re.compile(r"\bsum\s+of\s+(?:all\s+)?(?:(?:the|its|their)\s+)?(?:[a-z]+\s+)?digits\b", re.I)
DIGITS_NUM_RE = re.compile(
    r"(?<![\w.,^_])(?<!\^\{)(?<!_\{)(\d{1,3}(?:(?:,|\{,\})\d{3}){1,9}|\d{1,30})(\.\d{1,30})?(?![\w]|[.,]\d)"
)
DIGIT_TERMS_RE = re.compile(r"(?<![\w.])(?:(?:\d|\[[A-Z]+\])[ \t]*\+[ \t]*){2,}(?:\d|\[[A-Z]+\])(?![\w.\[])")
Q_MATH_RE = re.compile(r"\$([^$]+)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def _digit_list(v) -> list | None:
    """Digits of |v| as a terminating decimal (leading zeros out); None past 10^30 or if it never ends."""
    if isinstance(v, int):
        v = Fraction(v)
    if not isinstance(v, Fraction) or abs(v) >= 10**30 or v.denominator >= 10**30:
        return None
    v = abs(v)
    for _ in range(41):
        if v.denominator == 1:
            return [int(c) for c in str(v.numerator)]
        v *= 10
    return None


def _sum_of_digits(v) -> int | None:
    d = _digit_list(v)
    return None if d is None else sum(d)


def _digits_fit(digits: list, terms: list) -> bool:
    """The digits fill the terms of a visible step that adds digits (a blank any digit), zeros kept or not."""
    for ds in (digits, [d for d in digits if d != 0]):
        if len(ds) == len(terms) and all(t is None or t == d for t, d in zip(terms, ds, strict=True)):
            return True
    return False


def attack_digit_sum(ctx: RowCtx, findings):
    """The question's closing sentence asks for a sum of digits: a computation of visible values alone in
    the masked trace (4321*5 inside a fraction with a blank; `replay`) or a visible number of 2+ digits the
    question does not write (by value; `equivalent_form`), whose digits add up to the gold; not a value one of
    the question's own math segments has. Where the masked trace shows a step adding digits one by one
    (`2+1+[N]+0+5`), the digits must fit it; where it shows none, a number counts only right after `=`."""
    g = ctx.gold.value
    if not isinstance(g, Fraction) or g.denominator != 1 or g < 1:
        return
    q, m = ctx.question, ctx.masked
    if not DIGIT_SUM_Q_RE.search(re.split(r"(?<=[.!?])\s+", q.strip())[-1]):
        return
    own = set()
    for x in Q_MATH_RE.finditer(q):
        k = next(i for i in (1, 2, 3) if x.group(i) is not None)
        v = try_ev(parse_tokens(tokenize_tex(q, x.start(k), x.end(k), ctx)))
        if isinstance(v, (int, Fraction)):
            own.add(Fraction(v))
    steps = []
    for x in DIGIT_TERMS_RE.finditer(m):
        terms = [int(t) if t.isdigit() else None for t in re.split(r"[ \t]*\+[ \t]*", x.group())]
        if any(t is not None for t in terms) and terms not in steps:  # blanks alone fit any number
            steps.append(terms)
            if len(steps) == 20:
                break
    memo: dict = {}

    def fits(v) -> bool:
        if not isinstance(v, (int, Fraction)) or v == 0:
            return False
        v = Fraction(v)
        if v not in memo:
            d = _digit_list(v)
            memo[v] = d is not None and sum(d) == g and (not steps or any(_digits_fit(d, t) for t in steps))
        return memo[v]

    for sides, _ in ctx.chains:
        for sd in sides:
            if sd.node is None:
                continue
            for sub in walk(sd.node):
                v = try_ev(sub) if is_computation(sub) and not any(free_syms(sub)) else None
                if isinstance(v, (int, Fraction)) and Fraction(v) not in own and fits(v):
                    add(findings, "replay", ctx, sd.s, sd.e, f"digits of {fmt_val(v)} add up to the gold")
                    return

    def value(x) -> Fraction:
        return Fraction(x.group(1).replace("{,}", "").replace(",", "") + (x.group(2) or ""))

    in_q = {value(x) for x in DIGITS_NUM_RE.finditer(q)}
    for x in DIGITS_NUM_RE.finditer(m):
        v = value(x)
        if (
            len(_digit_list(v) or ()) < 2
            or v in in_q
            or ctx.in_placeholder(x.start(), x.end())
            or not fits(v)
        ):
            continue
        if not steps and not re.search(r"=\s*-?\s*$", m[max(0, x.start() - 8) : x.start()]):
            continue
        add(
            findings,
            "equivalent_form",
            ctx,
            x.start(),
            x.end(),
            f"the digits of {x.group()} add up to the gold",
        )
        return


def _whole_numbers_in(m: str, a: int, b: int) -> list:
    """Whole numbers in m[a:b], a comma's operand included (`lcm(4,6)`), not a thousands group (`1,000`)."""
    return [
        n
        for n in WHOLE_RE.finditer(m, a, b)
        if not (
            n.start() >= 2 and m[n.start() - 1] == "," and m[n.start() - 2].isdigit() and len(n.group(1)) == 3
        )
    ]


VIETA_NAME_RE = re.compile(
    r"\b(sum|product) of (?:all )?(?:the )?(?:\w+ ){0,2}?(?:roots|solutions|zeroe?s)\b", re.I
)
VIETA_FORMULA_RE = re.compile(
    r"\\\[(.{1,800}?)\\\]|\$\$(.{1,800}?)\$\$|(?<![\\$])\$([^$]{1,400})\$"
    r"|\\begin\{(?:align|aligned|gather|eqnarray)\*?\}(.{1,800}?)\\end\{(?:align|aligned|gather|eqnarray)\*?\}",
    re.S,
)
VIETA_DOTS_RE = re.compile(r"[+-]?\s*\\(?:dotsb|cdots|dots|ldots)\s*$")


#: the question asks for the sum or the product of the values a letter takes
ASKS_ROOT_SUM_RE = re.compile(
    r"\b(sum|product)\s+of\s+(?:all\s+)?(?:the\s+)?(?:[\w$]+\s+){0,3}?(?:values|solutions|roots|zeros)\b",
    re.I,
)


def _vieta_of(d, letter, word):
    """Sum (word "sum") or product of the roots of d = 0, quadratic in ``letter``, if it is one value at two
    unrelated settings of the blanks (it does not depend on them); else None."""
    unk, _ = free_syms(d)
    got = []
    for base in (Fraction(31, 9), Fraction(-17, 4)):
        abc = quadratic_abc(d, letter, {k: base + 2 * j for j, k in enumerate(sorted(unk, key=str))})
        if abc is None:
            return None
        a, b, c = abc
        got.append(-b / a if word == "sum" else c / a)
    return got[0] if got[0] == got[1] else None


# ------------------------------------------------------------------------------------------------ matched
# A side with a letter and a side written alike with numbers: "\frac{[N]^n-1}{[N]^{n+1}}" then
# "\frac{[N]^8-1}{[N]^9}" (n = 8, and n + 1 = 9 agrees). Node for node the same operators and numbers, a
# blank matching anything; where the form has a part in one letter and the instance a number, the part
# (linear in the letter) fixes it. Two operators shared at least, every part agreeing.

MATCH_MIN_OPS = 2


def _match_nodes(form, inst, parts: list, ops: list) -> bool:
    if form[0] == "unk" or inst[0] == "unk":
        return True
    unk, var = free_syms(form)
    if inst[0] == "num" and form[0] != "num" and var:
        if unk or len(var) != 1:
            return False
        parts.append((form, next(iter(var)), inst[1]))
        return True
    if form[0] != inst[0] or len(form) != len(inst):
        return False
    if form[0] in ("num", "var", "const", "val"):
        return form == inst
    ops.append(form[0])
    for f, i in zip(form[1:], inst[1:], strict=True):
        if isinstance(f, list) and isinstance(i, list):
            if len(f) != len(i):
                return False
            for x, y in zip(f, i, strict=True):
                if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int):
                    if x[0] != y[0] or not _match_nodes(x[1], y[1], parts, ops):
                        return False
                elif not (isinstance(x, tuple) and isinstance(y, tuple) and _match_nodes(x, y, parts, ops)):
                    return False
        elif isinstance(f, tuple) and f and isinstance(f[0], str) and isinstance(i, tuple):
            if not _match_nodes(f, i, parts, ops):
                return False
        elif f != i:
            return False
    return True


def match_letters(form, inst) -> dict | None:
    """The letters' values that make ``form`` read as ``inst`` (see above), or None."""
    parts: list = []
    ops: list = []
    if not _match_nodes(form, inst, parts, ops) or not parts or len(ops) < MATCH_MIN_OPS:
        return None
    out: dict = {}
    for node, letter, value in parts:
        try:
            y0, y1, y2 = (ev(node, {letter: Fraction(k)}) for k in (0, 1, 2))
            if not all(isinstance(y, Fraction) for y in (y0, y1, y2)) or y0 == y1 or y2 - y1 != y1 - y0:
                return None  # not linear in the letter
            x = (value - y0) / (y1 - y0)
            if ev(node, {letter: x}) != value:
                return None
        except (EvalError, ArithmeticError, ValueError, OverflowError, TypeError):
            return None
        if out.setdefault(letter, x) != x:
            return None
    return out


@functools.lru_cache(maxsize=64)
def question_forms(question: str) -> tuple:
    """The question's own sides with a letter ("For what value of $x$ is $2^3\\cdot3^x=72$?": 2^3 3^x), read
    as the trace is read: (node, text) each."""
    if "=" not in question:
        return ()
    q = RowCtx({"id": "question", "trace": question, "masked": question})
    q.build()
    return tuple(
        (sd.node, question[sd.s : sd.e]) for run in q.runs for sd in run if sd.node is not None and sd.var
    )


def attack_matched(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    g = ctx.gold
    if g.value is None:
        return
    sides = [sd for run in ctx.runs for sd in run if sd.node is not None and not sd.copied]
    forms = [(sd.node, ctx.masked[sd.s : sd.e]) for sd in sides if sd.var]
    forms += question_forms(ctx.question)  # the question's form, written with a value for its letter
    qc = re.sub(r"\s+", "", ctx.question)
    for inst in sides:
        if inst.var or not any(x[0] == "num" for x in walk(inst.node)):
            continue
        text = ctx.masked[inst.s : inst.e]
        if re.sub(r"\s+", "", text) in qc:
            continue  # the question's own expression
        for node, form_text in forms:
            got = match_letters(node, inst.node)
            hit = next((k for k, v in (got or {}).items() if g.matches(v)), None)
            if hit is not None:
                what = f"{form_text[:40]!r} written with numbers: {hit} is the gold"
                add(findings, "constraints", ctx, inst.s, inst.e, what)
                break


def attack_equal_powers(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """`[N]^{2x} = ([N]^4)`, `([N]^2)^x = [N]^3`, `[N]^{2x} &= [N]^{1/2} \\\\ &= ([N]^8)^{1/2}`: two
    powers among the sides of one chain of `=` (every pair on its own), with a blank base on both (a reader
    takes them for one number), one letter twice or the same visible base but 0, 1 and -1, a power of a power
    multiplying its exponents; the exponents, one letter between them and no blank, linear in it, are equal,
    and the letter's value there is the gold. Not a chain the question writes."""
    import sympy

    g = ctx.gold
    if g.value is None or "^" not in ctx.masked:
        return
    asked = re.sub(r"\s+", "", ctx.question)
    for sides, rels in ctx.chains:
        run: list = []  # the sides of each stretch of the chain joined by `=`
        for k, side in enumerate(sides):
            if k and rels[k - 1] != "=":
                _equal_exponents(ctx, run, asked, findings, sympy)
                run = []
            run.append(side)
        _equal_exponents(ctx, run, asked, findings, sympy)
        if findings.get("constraints"):
            return


WHOLE_BASE_MAX = 30
#: what the question writes where the trace has a blank: a number, a letter, x_1, \alpha (bounded: linear)
QUESTION_SLOT = r"\{?(?:\\[A-Za-z]{1,12}|[A-Za-z0-9.]{1,12})(?:_\{?[A-Za-z0-9]{1,4}\}?)?\}?"


def _bases_only(node, keys: set) -> bool:
    """Every blank of `keys` in `node` stands as a power's base with a whole exponent of 2 or more."""
    blanks = bases = 0
    for x in walk(node):
        if x[0] == "unk" and x[1] in keys:
            blanks += 1
        elif x[0] == "pow" and x[1][0] == "unk" and x[1][1] in keys:
            e = x[2]
            bases += e[0] == "num" and isinstance(e[1], Fraction) and e[1].denominator == 1 and e[1] >= 2
    return blanks == bases


def attack_whole_bases(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """`\\frac{5^3}{[N]^2}\\cdot\\frac{3^7}{5^7} = \\frac{[N]^5}{5^4} = \\boxed{[E]}`: two blanks in one
    equation, each only a power's base (whole exponent >= 2): the one pair of whole numbers 2..30 that
    satisfies it is what a reader writes in; another side of that chain with a blank, evaluated there, is
    the gold. Not an equation the question writes (letters or numbers where the trace has blanks); at most 8
    equations a row. Narrower than the masker, which solves the chain on from the pair (a later side's own
    blank, `= \\frac{[N]}{625}`, too)."""
    g = ctx.gold
    if g.value is None or "^" not in ctx.masked:
        return
    asked = re.sub(r"\s+", "", ctx.question)
    tried = 0
    for sides, rels in ctx.chains:
        for k in range(len(sides) - 1):
            a, b = sides[k], sides[k + 1]
            if rels[k] != "=" or a.node is None or b.node is None or a.var or b.var:
                continue
            keys = a.unk | b.unk
            if len(keys) != 2 or not (_bases_only(a.node, keys) and _bases_only(b.node, keys)):
                continue
            # the question's own equation, letters or numbers where the trace has blanks
            flat = re.sub(r"(?:\[[A-Z][A-Z0-9_]*\]){2,}", "[N]", re.sub(r"\s+", "", ctx.masked[a.s : b.e]))
            shape = re.split(r"\[[A-Z][A-Z0-9_]*\]", flat)
            if re.search(QUESTION_SLOT.join(map(re.escape, shape)), asked):
                continue
            tried += 1
            if tried > 8:  # as many equations as the masker tries
                return
            names = sorted(keys)
            fits = []
            for x, y in itertools.product(range(2, WHOLE_BASE_MAX + 1), repeat=2):
                env = {names[0]: Fraction(x), names[1]: Fraction(y)}
                va, vb = try_ev(a.node, env), try_ev(b.node, env)
                if isinstance(va, Fraction) and isinstance(vb, Fraction) and va == vb:
                    fits.append(env)
                    if len(fits) > 1:
                        break
            if len(fits) != 1:
                continue
            for sd in sides:
                v = try_ev(sd.node, fits[0]) if sd.node is not None and sd.unk and sd.unk <= keys else None
                if v is not None and g.matches(v):
                    what = f"blank bases {', '.join(map(str, fits[0].values()))}: the only whole numbers"
                    add(findings, "constraints", ctx, sd.s, sd.e, what)
                    return


def _equal_exponents(ctx: RowCtx, run: list, asked: str, findings, sympy) -> None:
    """The pairs of powers of one base among `run` (sides joined by `=`) whose exponents fix the gold."""
    powers = [(sd, p) for sd in run if sd.node is not None and (p := _pow_parts(sd.node)) is not None]
    for (a, pa), (b, pb) in itertools.combinations(powers, 2):
        if not _one_base(pa[0], pb[0]) or re.sub(r"\s+", "", ctx.masked[a.s : b.e]) in asked:
            continue
        unk, var = free_syms(("add", [(1, pa[1]), (-1, pb[1])]))
        if unk or len(var) != 1:
            continue
        try:
            expr = sympy.expand(to_sympy(_diff(pa[1], pb[1]), {}, {}))
            (sym,) = expr.free_symbols
            if sympy.degree(expr, sym) != 1:
                continue
            (root,) = sympy.solve(expr, sym)
        except RowTimeout:
            raise
        except Exception:  # noqa: BLE001 - not linear in one letter: skipped
            continue
        if root.is_Rational and ctx.gold.matches(Fraction(int(root.p), int(root.q))):
            what = f"two powers of one base are equal, so their exponents are: {next(iter(var))} = {root}"
            add(findings, "constraints", ctx, a.s, b.e, what)
            return


def _pow_parts(n):
    """(base, exponent) of a power node, a power of a power multiplying its exponents; else None."""
    if n[0] != "pow":
        return None
    inner = _pow_parts(n[1])
    return (n[1], n[2]) if inner is None else (inner[0], ("mul", inner[1], n[2], False))


def _one_base(a, b) -> bool:
    """Two blanks, one letter twice, or one visible value twice but 0, 1 and -1 (their powers agree)."""
    if a[0] == b[0] and a[0] in ("unk", "var"):
        return a[0] == "unk" or a[1] == b[1]
    if free_syms(a) != (set(), set()) or free_syms(b) != (set(), set()):
        return False
    x = try_ev(a)
    return eq_val(x, try_ev(b)) and not any(eq_val(x, Fraction(v)) for v in (0, 1, -1))


def attack_root_sum(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """Where the question asks for the sum (product) of a letter's values: an equation the trace writes with
    a blank, quadratic in its one letter, whose roots' sum (product) is the same whatever the blanks hide
    (``(5-a)^2 = [N]``: 10, by Vieta). Not a side the question writes."""
    asked = {m.group(1).lower() for m in ASKS_ROOT_SUM_RE.finditer(ctx.question)}
    if not asked:
        return
    for run in ctx.runs:
        sides = [sd for sd in run if sd.node is not None]
        for a, b in itertools.pairwise(sides):
            var = a.var | b.var
            if len(var) != 1 or not (a.unk | b.unk):
                continue
            if _norm_map(ctx.masked[a.s : b.e])[0] in ctx.qnorm:
                continue  # the question's own equation: solving it is the task
            (letter,) = var
            for word in sorted(asked):
                v = _vieta_of(_diff(a.node, b.node), letter, word)
                if v is not None and ctx.gold.matches(v):
                    what = (
                        f"the {word} of the roots of {ctx.masked[a.s : b.e]!r} does not depend on its blanks"
                    )
                    add(findings, "constraints", ctx, a.s, b.e, what)
                    return


def attack_vieta(ctx: RowCtx, findings, unchecked, budget):
    """Vieta's formulas: the trace names the sum (product) of the roots, and a formula `P = 0` before it in
    its paragraph (or a line of a display there), no blank in it and not the question's, shows P's two
    highest terms (all of P, for the product; `+ \\dotsb` at its end hides only lower terms): -a_{n-1}/a_n
    (or (-1)^n a_0/a_n) is the gold."""
    import sympy as sp

    g, m = ctx.gold, ctx.masked
    if g.value is None:
        return
    qtext = re.sub(r"\s+", "", ctx.question)
    for x in VIETA_NAME_RE.finditer(m):
        lo = max(m.rfind("\n\n", 0, x.start()), x.start() - 600, 0)
        for f in VIETA_FORMULA_RE.finditer(m, lo, x.start()):
            whole = next(b for b in f.groups() if b is not None)
            whole = re.sub(r"\\(?:begin|end)\{[^{}]*\}", " ", whole).replace("&", " ")
            for line in whole.split("\\\\"):  # a display's lines (`\begin{aligned} ... \\ P &= 0`)
                if _vieta_line(ctx, findings, x, f, line.strip().rstrip(".,;"), qtext, sp):
                    return


def _vieta_line(ctx: RowCtx, findings, x, f, body: str, qtext: str, sp) -> bool:
    """One formula line `P = 0` of attack_vieta: True when its sum (product) of roots is the gold."""
    g = ctx.gold
    if body.count("=") != 1 or "[" in body:
        return False
    left, right = (t.strip() for t in body.split("="))
    if right != "0" or re.sub(r"\s+", "", left) in qtext:
        return False
    dots = VIETA_DOTS_RE.search(left)
    shown = left[: dots.start()] if dots else left
    if "\\dots" in shown or "\\cdots" in shown:
        return False
    v = _sys_expr(shown, {}, sp)
    if not isinstance(v, sp.Expr) or len(v.free_symbols) != 1:
        return False
    try:
        poly = sp.Poly(v, *v.free_symbols)
    except sp.PolynomialError:
        return False
    cs, n = poly.all_coeffs(), poly.degree()
    if n < 2 or not all(c.is_Rational for c in cs):
        return False
    if x.group(1).lower() == "sum":
        value = -cs[1] / cs[0]
    elif dots:
        return False
    else:
        value = (-1) ** n * cs[-1] / cs[0]
    if g.matches(Fraction(int(value.p), int(value.q))):
        a = f.start() + max(0, f.group().find(left))
        add(findings, "constraints", ctx, a, a + len(left), f"Vieta on {left[:40]!r} gives the gold")
        return True
    return False


# --------------------------------------------------------------------------------------------- congruence
# A chain of `\equiv` (and `=`) under one visible modulus (`\pmod{7}`, `\bmod 7`, `(\text{mod } 7)`) is a
# chain of relations mod m: every side has one residue. A side whose every operand is visible gives it (not
# a side copied whole from the question: computing the question's own expression is the task). So do sides
# written alike term by term (`4 \cdot 6 \cdot [N] \equiv [N] \cdot 6 \cdot 1`): each position's visible
# entries, reduced mod m, fill the blanks of the same position elsewhere, when every entry visible at a
# position agrees mod m. A residue equal to the gold (an integer in [0, m)) leaks.

CONG_MOD_RE = re.compile(
    r"\\[pb]?mod\s*(?:\{\s*(\d+)\s*\}|(\d+))"
    r"|\(\s*\\(?:text|mathrm|operatorname)\s*\{\s*mod\s*\}\s*\\?[ ,;]?\s*\{?\s*(\d+)\s*\}?\s*\)"
)
CONG_BREAK_RE = re.compile(
    r"\\(?:implies|Rightarrow|Longrightarrow|iff|Leftrightarrow|quad|qquad|text|mathrm|mbox|textbf|le|ge|leq|geq"
    r"|lt|gt|ne|neq|approx|pm|mp|in|dots|ldots|cdots|end|begin)(?![a-zA-Z])|[<>,;:]"
)
CONG_REL_RE = re.compile(r"\\equiv(?![a-zA-Z])|=")
CONG_SPACE = r"\s+|\\[,;!]|\\left|\\right|&|\\\\|\\q?quad(?![a-zA-Z])|\\displaystyle"
CONG_BLANK_RE = re.compile(r"\s*\(?\s*@\d+@\s*\)?\s*")


def _cong_top(text: str, pattern: str) -> list[tuple[int, int]]:
    """Spans of ``pattern`` matches at brace/bracket depth 0 in ``text``."""
    level, depth = [], 0
    for c in text:
        level.append(depth)
        depth += (c in "{([") - (c in "})]")
    return [x.span() for x in re.finditer(pattern, text) if x.end() > x.start() and level[x.start()] == 0]


def _cong_pieces(text: str, pattern: str) -> list[tuple[str, int]]:
    cuts = _cong_top(text, pattern)
    out, prev = [], 0
    for a, b in cuts:
        out.append((text[prev:a], prev))
        prev = b
    out.append((text[prev:], prev))
    return out


def _cong_int(text: str, sp):
    v = _sys_expr(text, {}, sp)
    if isinstance(v, sp.Basic) and v.is_Integer:
        return int(v)
    return None


def _cong_terms(text: str, sp):
    """('*' or '+', [residue-free entries: int, or None for a lone blank]) of a side written as a product or
    a sum of plain entries; None when some entry is neither."""
    kind, parts = "*", [(t, 1) for t, _ in _cong_pieces(text, r"\\cdot(?![a-zA-Z])|\\times(?![a-zA-Z])|\*")]
    if len(parts) < 2:
        kind, parts = "+", []
        for t, o in _cong_pieces(text, r"[-+]"):
            sign = -1 if o > 0 and text[o - 1] == "-" else 1
            parts.append((t, sign))
        if parts and not parts[0][0].strip():  # a leading sign
            parts = parts[1:]
    if len(parts) < 2:
        return None
    entries: list = []
    for t, sign in parts:
        if CONG_BLANK_RE.fullmatch(t):
            entries.append(None)
            continue
        if "@" in t:
            return None
        v = _cong_int(t, sp)
        if v is None:
            return None
        entries.append(sign * v)
    return kind, entries


def _cong_chains(text: str, s: int, e: int):
    """(modulus, [(side text, start)]) for each congruence chain of text[s:e] (a tex segment)."""
    seg = text[s:e]
    # align rows going on with a relation or an operator are one chain; other row ends break it
    seg = re.sub(r"\\\\(?=\s*&?\s*(?:\\q?quad\s*)*(?:\\equiv|=|[-+]|\\cdot))", "  ", seg)
    seg = re.sub(r"&|\\q?quad(?![a-zA-Z])", lambda x: " " * len(x.group(0)), seg)
    seg = re.sub(r"\\boxed\s*\{", lambda x: " " * (len(x.group(0)) - 1) + "{", seg)
    seg = seg.replace("\\\\", ";;")
    out = []
    for piece, off in _cong_pieces(seg, CONG_BREAK_RE.pattern):
        if "\\equiv" not in piece:
            continue
        mods = {next(g for g in x.groups() if g) for x in CONG_MOD_RE.finditer(piece)}
        if len(mods) != 1:
            continue
        (mod,) = mods
        body = CONG_MOD_RE.sub(lambda x: " " * len(x.group(0)), piece)
        sides = [(t, s + off + o) for t, o in _cong_pieces(body, CONG_REL_RE.pattern) if t.strip()]
        if len(sides) >= 2:
            out.append((int(mod), sides))
    return out


def _cong_copied(side: str, question: str) -> bool:
    said = re.sub(CONG_SPACE, "", side)
    q = re.sub(CONG_SPACE, "", question)
    for x in re.finditer(re.escape(said), q):
        before, after = q[x.start() - 1 : x.start()], q[x.end() : x.end() + 1]
        if not re.match(r"[-+*\d.^]|\\c", before or " ") and not re.match(r"[-+*\d.^]|\\c", after or " "):
            return True
    return False


def attack_congruence(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    import sympy as sp

    g = ctx.gold
    m = ctx.masked
    if "\\equiv" not in m or not isinstance(g.value, Fraction) or g.value.denominator != 1 or not ctx.ph:
        return
    gold = int(g.value)
    marked: list[str] = []
    last = 0
    for s, e, _name in ctx.ph:  # blanks -> "@k@" markers, padded to keep offsets
        k = str(len(marked))
        if e - s < len(k) + 2:
            return
        marked.append(m[last:s] + f"@{k}@" + " " * (e - s - len(k) - 2))
        last = e
    text = "".join(marked) + m[last:]
    for s, e, mode in ctx.segments:
        if mode != "tex" or "\\equiv" not in text[s:e]:
            continue
        for mod, sides in _cong_chains(text, s, e):
            if not 0 <= gold < mod or mod < 2 or not any("@" in t for t, _ in sides):
                continue
            for t, o in sides:  # a side of visible values alone
                if "@" in t or _cong_copied(m[o : o + len(t)], ctx.question):
                    continue
                v = _cong_int(t, sp)
                if v is not None and v % mod == gold:
                    add(
                        findings,
                        "congruence",
                        ctx,
                        o,
                        o + len(t),
                        f"{t.strip()[:50]!r} is {v % mod} mod {mod}",
                    )
                    return
            shaped: dict = {}
            for t, o in sides:
                if _cong_copied(m[o : o + len(t)], ctx.question):
                    continue  # the question's own expression: its entries are the task's
                terms = _cong_terms(t, sp)
                if terms is not None:
                    shaped.setdefault((terms[0], len(terms[1])), []).append((terms[1], o, o + len(t)))
            for (kind, _n), group in shaped.items():
                if len(group) < 2 or not any(None in ents for ents, _, _ in group):
                    continue
                cols = [
                    {x % mod for x in col if x is not None}
                    for col in zip(*(g_[0] for g_ in group), strict=True)
                ]
                if any(len(c) != 1 for c in cols):
                    continue  # a position with no visible entry, or entries that disagree: no term-by-term
                r = 1 if kind == "*" else 0
                for c in cols:
                    r = r * next(iter(c)) if kind == "*" else r + next(iter(c))
                if r % mod == gold:
                    a, b = min(x for _, x, _ in group), max(y for _, _, y in group)
                    add(findings, "congruence", ctx, a, b, f"term by term the sides give {gold} mod {mod}")
                    return


# --------------------------------------------------------------------------------------------- listed
# A list of expressions in named quantities (`$a - 5,$ $b - 5,$ and $c - 5$`, `$x+1, y+1$`) next to a visible
# relation among those quantities (`a + b + c = 49`, `abc = 12`): the sum or the product of the list, with
# the relation solved for one of its quantities and substituted, may be a number. The gold leaks when it is
# (Vieta's sum of shifted roots: the last step's operands are the listed items and the visible sum).

LIST_GAP_RE = re.compile(r"\s*,?\s*(?:(?:and|or)\s+)?")
LIST_INLINE_RE = re.compile(r"(?<![$\\])\$([^$]+)\$(?!\$)")
LIST_MAX_ITEMS = 6


def _listed_items(m: str) -> list[list[tuple[str, int, int]]]:
    """Lists of two or more math items: consecutive inline formulas with only commas and "and" between them,
    or one formula's comma-separated items. (text, start, end) of each item."""
    segs = [(x.group(1), x.start(1), x.end(1)) for x in LIST_INLINE_RE.finditer(m)]
    lists: list[list[tuple[str, int, int]]] = []
    run: list[tuple[str, int, int]] = []
    for k, (t, s, e) in enumerate(segs):
        item = t.strip().rstrip(",.").strip()
        gap_ok = k > 0 and run and LIST_GAP_RE.fullmatch(m[segs[k - 1][2] + 1 : s - 1]) is not None
        if not gap_ok:
            if len(run) >= 2:
                lists.append(run)
            run = []
        run.append((item, s, e))
        inner = [(p, s + o) for p, o in _cong_pieces(t, r",")]
        if len(inner) >= 2 and all(p.strip() for p, _ in inner[:-1]):
            lists.append([(p.strip(), o, o + len(p)) for p, o in inner if p.strip()])
    if len(run) >= 2:
        lists.append(run)
    return [ls[:LIST_MAX_ITEMS] for ls in lists]


def attack_listed(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    import sympy as sp

    g = ctx.gold
    m = ctx.masked
    if g.value is None or "=" not in m or not ctx.ph:
        return
    lists = []  # first the lists (cheap), then the relations: most rows have no list
    for items in _listed_items(m):
        if any("[" in t or "=" in t or "\\equiv" in t or not re.search(r"[A-Za-z]", t) for t, _, _ in items):
            continue
        vals = [_sys_expr(t, {}, sp) for t, _, _ in items]
        if not all(isinstance(v, sp.Expr) and v.free_symbols for v in vals):
            continue
        if all(v.is_Symbol for v in vals):
            continue  # the quantities themselves ("$a,$ $b,$ $c$"): their sum is the relation itself
        if any(len(v.free_symbols) != 1 for v in vals):
            continue  # one named quantity per item: a list of shifted roots, not of unrelated formulas
        lists.append((items, vals))
    if not lists:
        return
    relations = []  # visible equations among named quantities: (lhs - rhs, start, end)
    for x in LIST_INLINE_RE.finditer(m):
        t = x.group(1)
        if "[" in t or t.count("=") != 1 or re.search(r"\\(?:le|ge|neq?|lt|gt)(?![a-zA-Z])|[<>]", t):
            continue
        lhs, rhs = t.split("=")
        a, b = _sys_expr(lhs.strip(" ,."), {}, sp), _sys_expr(rhs.strip(" ,."), {}, sp)
        if isinstance(a, sp.Expr) and isinstance(b, sp.Expr) and (a - b).free_symbols:
            relations.append((sp.expand(a - b), x.start(1), x.end(1)))
    for items, vals in lists:
        for combined in (sp.Add(*vals), sp.Mul(*vals)):
            syms = combined.free_symbols
            for rel, rs, re_ in relations:
                if not syms <= rel.free_symbols:
                    continue
                for x in sorted(rel.free_symbols & syms, key=str):
                    # the relation solved for x when it is linear in x: x = -c0 / c1
                    c1 = rel.coeff(x, 1)
                    c0 = rel.coeff(x, 0)
                    if c1 == 0 or x in c1.free_symbols or sp.expand(c1 * x + c0 - rel) != 0:
                        continue
                    r = sp.expand(combined.xreplace({x: -c0 / c1}))
                    if r.free_symbols or not r.is_number:
                        continue
                    try:
                        hit = g.matches(Fraction(int(r.p), int(r.q)) if r.is_Rational else complex(r).real)
                    except (TypeError, ValueError, AttributeError):
                        hit = False
                    if hit:
                        s, e = min(items[0][1], rs), max(items[-1][2], re_)
                        add(findings, "listed", ctx, s, e, f"the listed items with {m[rs:re_]!r} give {r}")
                        return
                    break


#: a value in a list, maybe given to a letter (`x=1`); what may stand between two of them
_STEP_ITEM = re.compile(
    r"(?<![\w.\\^_{}\]])(?:([A-Za-z])\s*+=\s*+)?(-?+(?:\d++(?:\.\d++)?+|\s*+\[[A-Z][A-Z0-9]*+(?:_\d++)?+\]))"
    r"(?![\w\[^_(]|\.\d|\s*+[-+*/=])"
)
_STEP_GAP = re.compile(r"[\s$]*+(?:,|\band\b|\bor\b)(?:[\s$]*+(?:and|or)\b)?+[\s$]*+")
#: before a list's first item: an operator or relation (the item is an operand) or a bracket (a tuple, a set)
_STEP_OPERAND = re.compile(r"(?:[-+*/=<>^(\[]|\\\{|\\(?:cdot|times|div|le|ge|leq|geq|pm))[\s$]*$")


def attack_even_steps(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """A list of three values or more with one blank (`Trying $x=1$, $x=[N]$, and $x=3$`, `3, 6, 9, [N]`)
    whose visible values step evenly: a reader fills the blank with the step. If that is the gold, the
    placeholder singles it out (round 31's 2046). Two visible values always step evenly: with two, only a
    blank between them counts. Not a tuple or a set, an operand's list, or the question's own list."""
    g = ctx.gold
    m = ctx.masked
    if g.value is None or not ctx.ph:
        return
    qs = re.sub(r"\s+", "", ctx.question)
    groups: list[list] = []
    for it in _STEP_ITEM.finditer(m):
        if groups and groups[-1] and _STEP_GAP.fullmatch(m[groups[-1][-1].end() : it.start()]):
            groups[-1].append(it)
        elif not _STEP_OPERAND.search(m[max(0, it.start() - 12) : it.start()]):
            groups.append([it])
        else:
            groups.append([])  # an operand: no list starts here
    for grp in groups:
        if len(grp) < 3 or len({x.group(1) for x in grp}) != 1:
            continue
        if re.match(r"[\s$]*(?:[)\]]|\\\})", m[grp[-1].end() :]):
            continue  # a tuple or a set closes here
        texts = [x.group(2) for x in grp]
        holes = [k for k, t in enumerate(texts) if "[" in t]
        shown = [(k, t) for k, t in enumerate(texts) if "[" not in t]
        if len(shown) < 2 or len(holes) != 1 or any(len(t) > 30 for _, t in shown):
            continue  # blanks among blanks (`2, 4, [N], [N], [N]`) single none of them out
        if ",".join(t for _, t in shown) in qs:
            continue  # the question's own list (the sequence it asks to continue)
        hole = holes[0]
        if len(shown) == 2 and not shown[0][0] < hole < shown[1][0]:
            continue
        vis = [(k, Fraction(t)) for k, t in shown]
        (k0, a), (k1, b) = vis[0], vis[1]
        d = (b - a) / (k1 - k0)
        if any(v != a + (k - k0) * d for k, v in vis):
            continue
        if g.matches(a + (hole - k0) * d):
            s, e = grp[0].start(), grp[-1].end()
            add(
                findings,
                "listed",
                ctx,
                s,
                e,
                f"the list {m[s:e]!r} steps by {fmt_val(d)}: a blank is the gold",
            )
            return


# --------------------------------------------------------------------------------------------- damage


COUNT_Q_RE = re.compile(r"(?i)\bhow many\b|\bnumber of\b|\bcount\b")
LIST_ITEM = r"(?:\[[A-Z][A-Z_]*\d*\]|-?\d+(?:\.\d+)?|\$[^$\n]{1,30}\$)"
LIST_RE = re.compile(
    rf"(?<![\w(\[{{,.\\]){LIST_ITEM}(?:(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+){LIST_ITEM}){{2,}}"
    r"(?!\s*,?\s*(?:\\[lcd]?dots|\.\.\.|…|\\ldots))(?![\w)\]}])"
)
LIST_ITEM_RE = re.compile(LIST_ITEM)
# a display whose rows may be cases: its opening (array's column spec with it); a row's end (`\\`, `\\*`, with
# an optional spacing `\\[2pt]` or `\\[\jot]`, never a placeholder that starts the next row); rules
DISPLAY_OPEN_RE = re.compile(
    r"\\begin\{(align|aligned|alignat|eqnarray|gather|gathered|array)(\*?)\}(\{[^{}]*\})?"
)
ROW_END_RE = re.compile(r"\\\\\*?(?:\[(?![A-Z][A-Z_]*\d*\])[^\]\n]{0,40}\])?")
ROW_RULE_RE = re.compile(r"\\(?:hline|midrule|toprule|bottomrule)")
# the commands a case's left side may use that name no quantity
CASE_CMD_RE = re.compile(r"\\(?:cdot|times|div|[dt]?frac|sqrt|left|right|q?quad|hphantom\{[^{}]*\}|[,;:! ])")


def _display_bodies(m: str) -> list[tuple[int, int]]:
    """(start, end) of each row display's body; an environment never closed is searched for once."""
    bodies, missing = [], set()
    for x in DISPLAY_OPEN_RE.finditer(m):
        end_tag = "\\end{" + x.group(1) + x.group(2) + "}"
        if end_tag in missing or (bodies and x.start() < bodies[-1][1]):
            continue
        e = m.find(end_tag, x.end())
        if e < 0:
            missing.add(end_tag)
        else:
            bodies.append((x.end(), e))
    return bodies


def _rows(body: str) -> list[str]:
    """The rows of a display body, split at row ends outside braces (`\\substack{i \\ j}` is one row)."""
    out, last, depth = [], 0, 0
    cut_at = {}
    for x in ROW_END_RE.finditer(body):
        cut_at[x.start()] = x.end()
    i = 0
    while i < len(body):
        c = body[i]
        if depth == 0 and i in cut_at:
            out.append(body[last:i])
            last = i = cut_at[i]
            continue
        depth += (c == "{") - (c == "}")
        i += 1
    out.append(body[last:])
    return [r for r in (ROW_RULE_RE.sub(" ", r).strip() for r in out) if r]


def _case_letters(row: str):
    r"""The letters of a row's left side (before `&`, else before its first relation) when that side holds a
    number or a blank (a case: `2 \cdot (4 \cdot 6 + 1)`, `(a, b) = (1, 2)`); None for a row that goes on
    (`&= 6`, `{} &= 6`) or states an equation of letters (`a + b &= 7`)."""
    cut = row.find("&")
    if cut < 0:
        rel = re.search(r"=|<|>|\\(?:le|ge|leq|geq|neq|approx)(?![A-Za-z])", row)
        cut = rel.start() if rel else len(row)
    side = re.sub(r"\[[A-Z][A-Z_]*\d*\]", "0", CASE_CMD_RE.sub(" ", row[:cut]))
    if not re.search(r"\d", side):
        return None
    return re.sub(r"[^A-Za-z]", "", side)


SEG_RE = re.compile(r"\$\$(.+?)\$\$|(?<!\\)\$([^$]+?)(?<!\\)\$|\\\[(.+?)\\\]", re.S)
# three or more math segments in a row, the list's commas inside them: "$2,$ $3,$ and $5.$"
SEG_RUN_RE = re.compile(r"(?:\$[^$\n]{1,200},\$\s+(?:(?:and|or)\s+)?){2,}\$[^$\n]{1,200}\$")
SEG_INNER_RE = re.compile(r"\$([^$\n]{1,200})\$")
SEG_SEP_RE = re.compile(r",?\s*\\text\{\s*,?\s*(?:and|or)\s*\}|,|\\q?quad\b")
SEG_NOT_ITEM = re.compile(r"[=<>]|[A-Za-z]{4,}|\.\.\.")  # read after commands and blanks became 0
SEG_BAD_CMD = re.compile(r"\\(?:[lcd]?dots|le|ge|leq|geq|neq|lt|gt)(?![A-Za-z])")


def _top_level_parts(body: str) -> list[str]:
    """body cut at separators outside brackets (commas, \\text{ or }, \\quad), empty parts dropped."""
    cuts, depth, last = [], 0, 0
    i = 0
    while i < len(body):
        c = body[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if depth == 0:
            x = SEG_SEP_RE.match(body, i)
            if x is not None and x.end() > i:
                cuts.append(body[last:i])
                last = i = x.end()
                continue
        i += 1
    cuts.append(body[last:])
    return [p.strip() for p in cuts if p.strip()]


def attack_counted(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """A "how many" question whose answer n is the length of a list the trace writes out: "the factors of
    24 greater than 1 are 2, [N], [N], [N], [N], [N], and 24": counting the items is mechanical, whatever
    they hide. Items: numbers, placeholders, short math segments; three or more; no ellipsis after."""
    g = ctx.gold.value
    if not isinstance(g, Fraction) or g.denominator != 1 or not 3 <= g <= 60:
        return
    if not COUNT_Q_RE.search(ctx.question):
        return
    m = ctx.masked
    for x in SEG_RE.finditer(m):  # a list inside one math segment: "$1, 2^1, 2^2, 3,\text{ or }2^2\cdot 3$"
        body = next(b for b in x.groups() if b is not None)
        parts = _top_level_parts(body)
        values = sum(2 if re.search(r"\\(?:pm|mp)(?![A-Za-z])", p) else 1 for p in parts)  # "\pm 1": two
        plain = [re.sub(r"\\[A-Za-z]+|\[[A-Z][A-Z_]*\d*\]", "0", p) for p in parts]  # commands, blanks
        ok = all(
            len(p) <= 30 and re.search(r"\d", q) and not SEG_NOT_ITEM.search(q) and not SEG_BAD_CMD.search(p)
            for p, q in zip(parts, plain, strict=True)
        )
        if len(parts) >= 2 and values >= 3 and values == g and ok:
            add(findings, "counted", ctx, x.start(), x.end(), f"a list of {values} values in one formula")
            return
    for x in SEG_RUN_RE.finditer(m):  # "namely $x^2 - 4,$ $x^2 + 2x + 1,$ ... and $x^2 - 1.$"
        if re.search(r"(?:\\[lcd]?dots|\.\.\.|…)\W{0,8}$", m[max(0, x.start() - 16) : x.start()]) or re.match(
            r"\s*(?:(?:and|or)\s+)?\$\s*(?:\\[lcd]?dots|\.\.\.|…)", m[x.end() : x.end() + 24]
        ):
            continue  # a list that goes on counts nothing
        inner = [
            re.sub(r"\\[A-Za-z]+|\[[A-Z][A-Z_]*\d*\]", "0", y.strip(",. "))
            for y in SEG_INNER_RE.findall(x.group())
        ]
        if len(inner) == g and all(
            len(q) <= 30 and re.search(r"\d", q) and not SEG_NOT_ITEM.search(q) for q in inner
        ):
            add(
                findings,
                "counted",
                ctx,
                x.start(),
                x.end(),
                f"a list of {len(inner)} formulas, the gold count",
            )
            return
    for bs, be in _display_bodies(
        m
    ):  # a display's rows, each a case of its own ("... &= [N], \\" four times)
        body = m[bs:be]
        rows = _rows(body) if "\\begin{" not in body else []
        shapes = {_case_letters(r) for r in rows}
        if len(rows) == g and len(shapes) == 1 and None not in shapes:
            what = f"a display of {len(rows)} rows, the gold count"
            add(findings, "counted", ctx, bs, be, what)
            return
    for x in LIST_RE.finditer(m):
        if (
            m[max(0, x.start() - 8) : x.start()]
            .rstrip()
            .endswith(("\\dots", "...", "\\ldots", "…", "\\cdots"))
        ):
            continue
        n = len(LIST_ITEM_RE.findall(x.group()))
        if n == g:
            add(findings, "counted", ctx, x.start(), x.end(), f"a list of {n} items, the gold count")
            return


OPT_MARK_RE = re.compile(r"(?:\\textbf\{)?\s*\(([A-J])\)\s*\}?")
OPT_GOLD_RE = re.compile(r"[\s$]*(?:\\text(?:bf)?\{)?\s*\(?\s*([A-J])\s*\)?\s*\}?[\s$]*")


def _options(question: str) -> dict[str, str]:
    """letter -> content of a multiple-choice question's options (A, B, C ... in order), layout out."""
    marks = list(OPT_MARK_RE.finditer(question))
    if len(marks) < 2 or [x.group(1) for x in marks] != [chr(65 + k) for k in range(len(marks))]:
        return {}
    out = {}
    for k, x in enumerate(marks):
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(question)
        body = question[x.end() : stop].split("\n\n")[0]
        body = re.sub(r"\\q?quad\b|\$|\\ |\\,", " ", body).strip().strip(".,;").strip()
        out[x.group(1)] = body
    return out


def attack_option(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """A multiple-choice gold (a letter): the content of its option visible in the masked trace (words as
    whole words, any case, plural s; math with spaces ignored), outside a quote of the question."""
    x = OPT_GOLD_RE.fullmatch(ctx.gold.raw)
    if x is None:
        return
    body = _options(ctx.question).get(x.group(1))
    if not body:
        return
    compact = re.sub(r"\s+", "", body)
    if len(compact) < 2:
        return
    m = ctx.masked
    flat, where = _compact_map(m)
    q = re.sub(r"\s+", "", ctx.question).lower()
    low = flat.lower()
    i = low.find(compact.lower())
    while i >= 0:
        j = i + len(compact)
        s, e = where[i], where[j - 1] + 1
        word = compact[0].isalnum() and compact[-1].isalnum()
        before_ok = not word or s == 0 or not (m[s - 1].isalnum() or m[s - 1] == ".")
        tail = re.match(r"(?:e?s)?(?![\w])", m[e : e + 3]) if word else True
        around = re.sub(r"\s+", "", m[max(0, s - 30) : min(len(m), e + 30)]).lower()
        if before_ok and tail and around not in q:
            add(findings, "option", ctx, s, e, f"{m[s:e]!r} is option ({x.group(1)})'s content, the gold")
            return
        i = low.find(compact.lower(), i + 1)


NAME_RE = re.compile(r"\b[A-Z][a-z]{2,}\b")


def attack_elimination(ctx: RowCtx, findings, unchecked, budget):  # noqa: ARG001
    """A gold that is a name the question writes (not at a sentence start) and the original trace uses:
    when the masked trace shows every other such name and not the gold's, the missing one is the answer."""
    gold = re.sub(r"\\text\{([^{}]*)\}", r"\1", ctx.gold.raw).strip("$ ")
    q, t, m = ctx.question, ctx.trace, ctx.masked
    if re.fullmatch(r"[\d,]*\d(?:\.\d+)?", gold):
        _number_choice(ctx, gold.replace(",", ""), findings)
        return
    if not re.fullmatch(r"[A-Z][a-z]{2,}", gold) or gold not in q or gold not in t:
        return
    names = set()
    for x in NAME_RE.finditer(q):
        head = q[: x.start()].rstrip()
        if head and head[-1] not in ".?!:" and re.search(rf"\b{x.group()}\b", t):
            names.add(x.group())
    others = sorted(names - {gold})
    if len(others) < 2 or re.search(rf"\b{gold}\b", m):
        return
    if all(re.search(rf"\b{n}\b", m) for n in others):
        x = re.search(rf"\b{others[0]}\b", m)
        what = f"every other name visible: {', '.join(others)}"
        add(findings, "elimination", ctx, x.start(), x.end(), what)


CHOICE_ASK_RE = re.compile(r"\b(?:choose|chose|pick|select|decide)\b", re.I)
CHOICE_OR_RE = re.compile(r"\bor\s+(?:\\?\$)?(\d{1,30}(?:\.\d{1,30})?)\$?(?![\w]|[.,]\d)")
CHOICE_NUM_RE = re.compile(r"(?<![\w.,])\d{1,30}(?:\.\d{1,30})?(?![\w]|[.,]\d)")
RELATIVE_WORDS = {
    "in",
    "for",
    "on",
    "at",
    "by",
    "to",
    "with",
    "from",
    "of",
    "into",
    "during",
    "under",
    "over",
    "through",
}


def _asks_choice(q: str) -> bool:
    """The question's closing sentence asks to choose: choose / pick / select / decide, or "which" that opens
    no relative clause ("in which", "for which" do)."""
    closing = re.split(r"(?<=[.!?])\s+", q.strip())[-1]
    for x in CHOICE_ASK_RE.finditer(closing):
        if not re.match(r"\s+\$?\d", closing[x.end() :]):  # "pick 30 apples": a quantity, no choice
            return True
    for x in re.finditer(r"\bwhich\b", closing, re.I):
        before = closing[max(0, x.start() - 24) : x.start()]
        words = re.findall(r"[A-Za-z]+", before)
        if before.rstrip().endswith(",") or (words and words[-1].lower() in RELATIVE_WORDS):
            continue  # ", which has", "(in which": a relative clause
        return True
    return False


def _number_choice(ctx: RowCtx, gold: str, findings) -> None:
    """A numeric gold among numbers the question offers as choices ("either 6, 8, or 10 slices", "$6$, $8$,
    or $10$") where the question's closing sentence asks to choose: the original trace names every option,
    the masked one every option but the gold."""
    q, t, m = ctx.question, ctx.trace, ctx.masked
    if len(gold) > 61 or not _asks_choice(q):
        return
    g = Fraction(gold)
    in_t = {Fraction(x.group()) for x in CHOICE_NUM_RE.finditer(t)}
    in_m: dict = {}
    for x in CHOICE_NUM_RE.finditer(m):
        in_m.setdefault(Fraction(x.group()), x)
    for x in CHOICE_OR_RE.finditer(q):
        opts = [x.group(1)]
        head = q[max(0, x.start() - 200) : x.start()]  # a list of choices is short
        while len(opts) < 10:  # walk back over "6, 8, " / "3 " / "$6$, "
            y = re.search(r"(?:^|[^\w.,$\\])(?:\\?\$)?(\d{1,30}(?:\.\d{1,30})?)\$?\s*,?\s*$", head)
            if y is None:
                break
            opts.insert(0, y.group(1))
            head = head[: y.start(1)].rstrip().rstrip("$\\").rstrip()
            if not head.endswith(","):
                break
            head = head[:-1]
        vals = [Fraction(o) for o in opts]
        if len(opts) < 2 or len(set(vals)) < len(vals) or g not in vals or g in in_m:
            continue
        rest = [v for v in vals if v != g]
        if not set(vals) <= in_t or not all(v in in_m for v in rest):
            continue
        hit = in_m[rest[0]]
        add(findings, "elimination", ctx, hit.start(), hit.end(), f"options {opts}: all but the gold visible")
        return


def align(trace: str, masked: str, ph: list[tuple[int, int, str]]):
    """Hidden trace intervals per group of placeholders (glued ones form one group); None: not aligned. A
    bare TeX exponent or subscript's placeholder may stand in braces (`2^8` -> `2^{[NUMBER]}`): tried again
    with those braces part of the placeholder."""
    got = _align(trace, masked, ph)
    if got is None:
        wide = [
            (s - 1, e + 1, n)
            if masked[max(0, s - 2) : s] in ("^{", "_{") and masked[e : e + 1] == "}"
            else (s, e, n)
            for s, e, n in ph
        ]
        if wide != ph:
            got = _align(trace, masked, wide)
    return got


def _align(trace: str, masked: str, ph: list[tuple[int, int, str]]):
    if not ph:
        return [] if trace == masked else None
    lits = []
    prev = 0
    for s, e, _ in ph:
        lits.append(masked[prev:s])
        prev = e
    lits.append(masked[prev:])
    if not trace.startswith(lits[0]):
        return None
    pos = len(lits[0])
    out = []
    group = [0]
    for i in range(len(ph)):
        lit = lits[i + 1]
        if i == len(ph) - 1:
            end = len(trace) - len(lit)
            if end <= pos or not trace.endswith(lit):
                return None
            out.append((pos, end, group))
            return out
        if lit == "":
            group = group + [i + 1]
            continue
        j = trace.find(lit, pos + 1)
        if j < 0:
            return None
        out.append((pos, j, group))
        group = [i + 1]
        pos = j + len(lit)
    return out


OPERATOR_RE = re.compile(r"\\(?:cdot|times|div|pm|mp|leq?|geq?|neq?|approx)(?![A-Za-z])|[-+*/=<>]")
STEP_LABEL_RE = re.compile(
    r"(?i)\b(?:step|case|part|stage|phase|subcase|method|lemma|claim)\s+(\d+|[IVX]+)\b"
)
INDEX_RE = re.compile(r"(?<![A-Za-z\\])[A-Za-z]_(\d+|\{[^{}]*\})|(?<![A-Za-z\\])[a-zA-Z](\d+)(?![\d.])")
#: a triangle named by its angles, three that sum to 180 ("30-60-90 triangle", "45^\\circ-45^\\circ-90^\\circ"
#: triangle): a standard object of the plan, not values
ANGLE_NAME_RE = re.compile(
    r"(?<![\d.])(\d+)(?:\^\{?\\circ\}?)?\$?\s*-\s*\$?(\d+)(?:\^\{?\\circ\}?)?\$?\s*-\s*\$?(\d+)"
    r"(?:\^\{?\\circ\}?)?\$?\s*(?:right |isosceles )?triangle"
)
EXP_RE = re.compile(
    r"\^\s*(\d|\{(?!\s*\\circ)[^{}]*\}|\\[dt]?frac\s*(?:\d\d|\{[^{}]*\}\s*\{[^{}]*\})|[A-Za-z](?![A-Za-z]))"
)
ZERO_RE = re.compile(
    r"(?:(?<![<>=])=(?!=)|\\geq?|\\leq?|\\neq?|\\geqslant|\\leqslant|(?<![<-])<(?![<=])|(?<![>-])>(?![>=])|\\gt|\\lt)\s*(0)(?![\d.]|\\frac|/|\s*(?:[-+*/^]|\\cdot|\\times))"
)


#: a bare variable: a letter or a command (\\theta; \\pi and \\infty are values), an optional index, primes
VARIABLE_RE = re.compile(r"(?:[A-Za-z]|\\(?!(?:pi|infty)(?![a-zA-Z]))[a-zA-Z]+)(?:_\{?\w+\}?)?'*")
#: a number prose writes with its thousands grouped by single spaces ($80 000); before a hyphen or a
#: letter the last group is a number of its own ("12 200-kilobyte")
SPACED_RE = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?:\.\d+)?(?![\w-]| \d)")


def damage(rec: dict, ctx: RowCtx):
    """Damage counts, structure kept per class ((kept, total)), hidden zero, details keyed by damage type."""
    trace, masked = ctx.trace, ctx.masked
    d = dict.fromkeys(DAMAGE, 0)
    kept = {k: [0, 0] for k in STRUCT}
    details: list[tuple[str, str]] = []

    def note(kind, text):
        if len([1 for k, _ in details if k == kind]) < 3:
            details.append((kind, text))

    ph = ctx.ph
    for (s1, e1, _), (s2, e2, _) in zip(ph, ph[1:], strict=False):
        if s2 == e1 or (masked[e1:s2].strip() == "" and s2 - e1 <= 2 and not ctx.gsm):
            d["glued"] += 1
            note("glued", ctx.snippet(s1, e2, 20))
    quoted = [
        (a + x.start(), a + x.end()) for a, b in ctx.asy for x in re.finditer(r'"[^"\n]*"', masked[a:b])
    ]
    for s, _, _ in ph:
        if ctx.in_asy(s) and not any(a < s < b for a, b in quoted):  # a label's text is text, not code
            d["asy_placeholder"] += 1
            note("asy_placeholder", ctx.snippet(s, s + 8, 30))
    spans = rec.get("spans")
    if spans is not None and not render_ok(trace, masked, spans):
        d["render_mismatch"] = 1
        note(
            "render_mismatch",
            "the trace with each span replaced by one placeholder differs from masked_trace",
        )
    hidden = align(trace, masked, ph)
    if hidden is None:
        d["unaligned"] = 1
        note("unaligned", "masked_trace is not the trace with some substrings replaced by placeholders")
        return d, {k: tuple(v) for k, v in kept.items()}, False, details
    starts = [a for a, _, _ in hidden]

    def hid(a, b=None):
        b = a + 1 if b is None else b
        i = bisect_right(starts, a) - 1
        for j in (i, i + 1):
            if 0 <= j < len(hidden):
                hs, he, _ = hidden[j]
                if hs < b and a < he:
                    return True
        return False

    for hs, he, grp in hidden:
        h = trace[hs:he]
        hl = h.lstrip()
        lead = len(h) - len(hl)
        _, j = prev_char(trace, hs + lead)
        if hl[:1] in ("+", "-") and is_value_end_at(trace, j):
            d["swallowed_operator"] += 1
            note("swallowed_operator", f"{hl[:1]!r} hidden: {trace[max(0, hs - 15) : he + 5]!r}")
        hr = h.rstrip()
        if hr[-1:] in ("+", "-", "*", "/"):
            nxt = trace[hs + len(hr) :].lstrip()[:1]
            if nxt and (nxt.isalnum() or nxt in "(\\{["):
                d["swallowed_operator"] += 1
                note("swallowed_operator", f"trailing {hr[-1]!r} hidden: {trace[max(0, hs - 5) : he + 15]!r}")
        if len(grp) > 1 and re.search(r"[\w})\]]\s*[-+]\s*[\w\\({]", h):
            d["swallowed_operator"] += 1
            note("swallowed_operator", f"glued blanks over an operator: {h!r}")
        if re.search(r"\d\.?\s*e\s*[+-]?\s*\d", h) or (
            re.search(r"\de$", h.rstrip()) and re.match(r"\s*[+-]?\s*\d", trace[he:])
        ):
            d["sci_notation"] += 1
            note("sci_notation", f"{h!r} read as scientific notation")
        if (
            VARIABLE_RE.fullmatch(h.strip())
            and h.strip() != ctx.gold.raw.strip("$ ")
            and not re.search(r"\\(?:boxed|fbox)\s*\{\s*$", trace[max(0, hs - 12) : hs])
        ):
            d["hidden_variable"] += 1  # "[EXPR]=\\boxed{..}" for "t=": a variable is no value
            note("hidden_variable", f"{h!r} hidden: {trace[max(0, hs - 15) : he + 15]!r}")
    if "\\" not in trace:
        for x in SPACED_RE.finditer(trace):
            if hid(x.start(), x.end()) and not all(hid(i) for i in range(x.start(), x.end())):
                d["split_number"] += 1  # "$[NUMBER] 000": part of one number hidden, the rest shown
                note(
                    "split_number",
                    f"{x.group()!r} hidden in part: {trace[max(0, x.start() - 10) : x.end() + 10]!r}",
                )
    # kept structure: an item is lost when its own text is hidden while its anchor (operand, ^, _, letter,
    # label word) stays visible; hidden together with its whole value it counts as kept
    for x in OPERATOR_RE.finditer(trace):
        s, e = x.start(), x.end()
        op = x.group(0)
        if op in "<>" and ("<<" in trace[max(0, s - 1) : s + 2] or ">>" in trace[max(0, s - 1) : s + 2]):
            continue
        c, j = prev_char(trace, s)
        k = e
        while k < len(trace) and trace[k] in " \t":
            k += 1
        nx = trace[k : k + 1]
        if op in "-+*/":
            if not (is_value_end_at(trace, j) and nx and (nx.isalnum() or nx in "(\\{[.")):
                continue
            if c.isalpha() and nx.isalpha() and op == "-":
                continue  # a hyphen between words
        kept["operators"][1] += 1
        if not hid(s, e) or (j >= 0 and k < len(trace) and hid(j) and hid(k)):
            kept["operators"][0] += 1
        else:
            note("lost_structure", f"operator {op!r}: {trace[max(0, s - 15) : e + 15]!r}")
    for cls, rx in (("step_labels", STEP_LABEL_RE), ("list_markers", LIST_MARK_RE), ("exponents", EXP_RE)):
        for x in rx.finditer(trace):
            s, e = x.start(1), x.end(1)
            if cls == "exponents" and trace[s:e].strip("{} ") in ("\\circ", "\\prime", ""):
                continue
            anchor = x.start() if cls != "list_markers" else None
            kept[cls][1] += 1
            if not hid(s, e) or (anchor is not None and hid(anchor)):
                kept[cls][0] += 1
            else:
                note("lost_structure", f"{cls[:-1].replace('_', ' ')}: {trace[max(0, s - 15) : e + 10]!r}")
    for x in ANGLE_NAME_RE.finditer(trace) if "triangle" in trace else ():
        if sum(int(g) for g in x.groups()) != 180:
            continue
        whole = all(hid(x.start(g), x.end(g)) for g in (1, 2, 3))  # hidden whole: it states the answer
        for g in (1, 2, 3):
            kept["triangle_names"][1] += 1
            if whole or not hid(x.start(g), x.end(g)):
                kept["triangle_names"][0] += 1
            else:  # "[NUMBER]-60-[NUMBER] triangle": the name of a standard triangle, not a value
                note("lost_structure", f"triangle name: {x.group()!r}")
    for x in INDEX_RE.finditer(trace):
        g = 1 if x.group(1) is not None else 2
        if g == 2 and (ctx.gsm or not _in_tex(ctx, x.start())):
            continue
        s, e = x.start(g), x.end(g)
        kept["indices"][1] += 1
        if not hid(s, e) or hid(x.start()):
            kept["indices"][0] += 1
        else:
            note("lost_structure", f"index: {trace[max(0, s - 15) : e + 10]!r}")
    d["lost_structure"] = sum(
        v[1] - v[0] for k, v in kept.items() if not (k == "exponents" and rec.get("level") == "all")
    )
    hidden_zero = False
    for x in ZERO_RE.finditer(trace):
        if trace[x.end(1) : x.end(1) + 2].lstrip("\\").startswith("%"):
            continue
        if trace[x.start()] == "=":
            # `x^2 - 5x + 6 = 0` is structure; `60 - 60 = 0` is a computed value the masker may hide
            cut = max(trace.rfind(c, 0, x.start()) for c in ("$", "<<", "\n", ",", ";", "=", "\\[", "&"))
            left = re.sub(
                r"\\(?:cdot|times|div|left|right|frac|dfrac|sqrt)|\d\s*x\s*\d",
                " ",
                trace[cut + 1 : x.start()],
            )
            if not re.search(r"[A-Za-z]", left):
                continue
        if hid(x.start(1), x.end(1)) and not hid(x.start()):
            hidden_zero = True
            note("hidden_zero", f"{trace[max(0, x.start() - 15) : x.end() + 5]!r}")
            break
    d["hidden_zero"] = int(hidden_zero)
    return d, {k: tuple(v) for k, v in kept.items()}, hidden_zero, details


def _in_tex(ctx: RowCtx, s: int) -> bool:
    # positions in trace: a rough test (inside $...$ in the original)
    t = ctx.trace
    return t.count("$", 0, s) % 2 == 1 or t.rfind("\\[", 0, s) > t.rfind("\\]", 0, s)


def render_ok(trace: str, masked: str, spans) -> bool:
    pos_t, pos_m = 0, 0
    for sp in sorted(spans, key=lambda x: (x["start"], x["end"])):
        s, e = int(sp["start"]), int(sp["end"])
        if s < pos_t or e < s or e > len(trace):
            return False
        lit = trace[pos_t:s]
        if masked[pos_m : pos_m + len(lit)] != lit:
            return False
        pos_m += len(lit)
        # a bare TeX exponent or subscript (`2^8`) takes its placeholder in braces, `2^{[NUMBER]}`
        braced = s > 0 and trace[s - 1] in "^_" and masked.startswith("{", pos_m)
        x = PH_RE.match(masked, pos_m + braced)
        if x is None or (braced and not masked.startswith("}", x.end())):
            return False
        pos_m = x.end() + braced
        pos_t = e
    return masked[pos_m:] == trace[pos_t:]


def masked_fraction(rec: dict, ctx: RowCtx) -> float | None:
    trace = ctx.trace
    if not trace:
        return None
    spans = rec.get("spans")
    if spans is None:
        return None
    covered = 0
    last = -1
    for sp in sorted(spans, key=lambda x: (x["start"], x["end"])):
        s, e = max(int(sp["start"]), last), int(sp["end"])
        if e > s:
            covered += e - s
            last = e
    return covered / len(trace)


# --------------------------------------------------------------------------------------------- one row


RS_NUM_RE = re.compile(
    r"(?:(?<![\w.])|(?<=\\cdot)|(?<=\\times))(?:(?<=[\s(,=$:{\[])-)?\d+(?:,\d{3})*(?:\.\d+)?(?![\d\w])"
)
RS_COMMON = {*range(13), 15, 20, 24, 25, 30, 45, 50, 52, 60, 75, 90, 100, 120, 180, 270, 360, 365, 1000}
RS_SENTENCE_END = re.compile(r"\n|[.?!](?=\s+[A-Z$\\])")
RS_STOP = set(
    re.findall(
        r"\w+",
        "and are but can each for from has have her his its not per she than that the then they this was "
        "were which will with who whose also more less into total",
    )
)
RS_UNIT_RE = re.compile(r"(?:[ \t$%]|\\%){0,3}([a-z]{3,})\b")
RS_LABEL_RE = re.compile(r'label\s*\(\s*"\s*\$?\s*([^"$]*?)\s*\$?\s*"')


RS_TUPLE_RE = re.compile(r"\(\s*-?\s*[\d.]+\s*(?:,\s*-?\s*[\d.]+\s*){1,2}\)")


def _rs_tuples(trace: str) -> dict[int, tuple[str, int]]:
    """Digit start of each number written in an all-numeric tuple -> (the tuple, spaces removed; its slot)."""
    out = {}
    for t in RS_TUPLE_RE.finditer(trace):
        whole = re.sub(r"\s", "", t.group())
        slot = 0
        for i in range(t.start(), t.end()):
            if trace[i] == ",":
                slot += 1
            elif trace[i].isdigit() and not (trace[i - 1].isdigit() or trace[i - 1] == "."):
                out[i] = (whole, slot)
    return out


def _rs_numbers(trace: str, asy: list[tuple[int, int]], labels: set[tuple[int, int]], tuples: dict):
    """(start, end, value, figure kind) of the numbers a restatement can be made of; the kind is None
    outside [asy] code, "label" inside a label's text, "point" for a coordinate of a numeric point."""
    list_marks = {x.start(1) for x in LIST_MARK_RE.finditer(trace)}
    out = []
    for x in RS_NUM_RE.finditer(trace):
        s, e = x.span()
        digits = s + 1 if trace[s] == "-" else s
        value = Fraction(x.group().replace(",", ""))
        if value in (0, 1) or digits in list_marks:
            continue
        in_asy = any(a <= s < b for a, b in asy)
        if in_asy:
            if any(a <= s and e <= b for a, b in labels):
                in_asy = "label"
            elif digits in tuples:
                in_asy = "point"
            else:
                continue
        if STEP_RE.search(trace[max(0, s - 30) : s]) or enclosing_script(trace, s):
            continue
        if re.search(r"\\sqrt\s*\[\s*$", trace[max(0, s - 12) : s]):  # a root's degree is an index
            continue
        if not in_asy and in_value_construct(trace, s, e):
            continue
        out.append((s, e, value, in_asy))
    return out


#: what may stand between a sign and its number: blanks, thin spaces, an opening bracket ("-(18)", "-{18}")
RS_SIGN_GAP = re.compile(r"(?:\s|\\[,;:! ]|~|\(|\{)*$")
#: a sign a number is read with: a minus (ASCII or U+2212), \pm or \mp, the words "negative" and "minus"
RS_SIGN = re.compile(r"(?:[-\u2212]|\\pm|\\mp|\bnegative|\bminus)$", re.I)


def _rs_minus_before(trace: str, s: int) -> bool:
    """A sign stands right before the number at ``s`` ("- 18", "\\pm 18", "-(18)", "negative 18")."""
    head = trace[max(0, s - 40) : s]
    gap = RS_SIGN_GAP.search(head)
    return bool(RS_SIGN.search(head[: gap.start()] if gap else head))


def _rs_unit(trace: str, e: int) -> str | None:
    x = RS_UNIT_RE.match(trace, e)
    return x.group(1) if x and x.group(1) not in RS_STOP else None


def _rs_why(trace: str, p: tuple, a: tuple, tuples: dict, question: str = "") -> str | None:
    """Why the visible number a is the hidden number p restated (equal values), or None."""
    value = p[2]
    if a[3] and question:  # figure code the question's figure also writes, line for line: the question's
        line = trace[trace.rfind("\n", 0, a[0]) + 1 : (trace.find("\n", a[0]) + 1 or len(trace) + 1) - 1]
        if line.strip() and re.sub(r"\s+", "", line) in re.sub(r"\s+", "", question):
            return None
    if a[3] == "label":
        return "figure label"
    if a[3] == "point":  # figure code: only the point the text writes with the hidden number, same slot
        pd, ad = p[0] + (trace[p[0]] == "-"), a[0] + (trace[a[0]] == "-")
        return "same point in the figure" if pd in tuples and tuples[pd] == tuples.get(ad) else None
    if value.denominator == 1:
        if abs(value) >= 13 and abs(value) not in RS_COMMON:
            return "distinctive value"
    elif value.denominator > 4 or abs(value) >= 1:
        return "distinctive value"
    lo, hi = (p, a) if p[0] < a[0] else (a, p)
    gap = trace[lo[1] : hi[0]]
    if not RS_SENTENCE_END.search(gap) and re.search(r"[A-Za-z]{2,}", re.sub(r"\\[A-Za-z]+", " ", gap)):
        return "same sentence"
    # a calculator note closes the step between them and the later number follows its result, no operator
    # before it ("60/[NUMBER]=<<...>>12 5-minute intervals"): not two operands of one expression
    if not RS_SENTENCE_END.search(gap) and re.search(r">>[^<>\s]*[ \t]+$", gap):
        return "same sentence, after the step's result"
    unit = _rs_unit(trace, p[1])
    if unit and unit == _rs_unit(trace, a[1]):
        return f"same unit word {unit!r}"
    around_p = trace[max(0, p[0] - 1) : p[0]] + "|" + trace[p[1] : p[1] + 2]
    around_a = trace[max(0, a[0] - 1) : a[0]] + "|" + trace[a[1] : a[1] + 2]
    if (
        around_p == around_a
        and re.fullmatch(r"[^\s\\]*[\w,][^\s\\]*", around_p.replace("|", ""))
        and not _rs_cuts_number(trace, p)
        and not _rs_cuts_number(trace, a)
    ):
        return "same neighbours"
    ctx_p, ctx_a = _rs_context(trace, p[0], p[1]), _rs_context(trace, a[0], a[1])
    if ctx_p and ctx_p == ctx_a:
        return "same expression around"
    coord = _rs_coordinate(trace, p[0], p[1])
    if coord and coord == _rs_coordinate(trace, a[0], a[1]):
        return "same coordinate of a named point"
    if all(trace.startswith("!", x[1]) and not trace.startswith("!!", x[1]) for x in (p, a)):
        return "same factorial"
    if _rs_same_power(trace, p, a, question):
        return "coefficient of the same power"
    term = _rs_term(trace, p[0], p[1])
    if term and term == _rs_term(trace, a[0], a[1]):  # (the question's own expression on another line: none)
        return _rs_same_term(trace, p, a, question)
    noun = _rs_noun_of(trace, p[0])
    if noun and noun == _rs_noun_of(trace, a[0]):
        return f"after the same {noun!r}"
    return None


RS_NOUN_OF_RE = re.compile(r"(?<![\\\w])([A-Za-z]{4,}) +of *\$? *$")


def _rs_noun_of(trace: str, s: int) -> str | None:
    """ "multiple of" for the 3 of "a multiple of 3": a noun (4+ letters, no stop word) and "of" right before
    the number, or None."""
    x = RS_NOUN_OF_RE.search(trace[max(0, s - 40) : s])
    return f"{x.group(1).lower()} of" if x and x.group(1).lower() not in RS_STOP else None


RS_NAME = r"[A-Z](?:'|_\d)?"
RS_AXIS_WORDS_RE = re.compile(
    rf"\$?(?P<axis>[xyz])\$?-coordinate (?:of|for) (?:the point |point )?\$?(?P<name>{RS_NAME})\$?"
    r"(?: (?:is|was|equals|must be|would be|will be) | ?= ?)\$? ?(?:- ?)?$"
)
# a tuple declared for a point: "B has coordinates (", "B = (", "point A(" (a bare "F(" may be a function)
RS_POINT_HEAD_RE = re.compile(
    rf"(?:(?<![\\\w])\$?(?P<name>{RS_NAME})\$? ?"
    r"(?:= ?|has coordinates |with coordinates |is at |is located at )"
    rf"|\bpoints? \$?(?P<name2>{RS_NAME})\$? ?)"
    r"\$? ?(?:\\left ?)?\( ?(?P<before>(?:[^,()$]{1,16},){0,2})(?:- ?)?$"
)
RS_TUPLE_TAIL_RE = re.compile(r"\s*((?:,[^,()$\n]{1,16}){0,2})\s*(?:\\right\s*)?\)")


def _rs_coordinate(trace: str, s: int, e: int) -> tuple[str, int] | None:
    """(point letter, axis) of the number at [s, e): a slot of a tuple written right after a point's letter
    ("B has coordinates (4,3)"), or the number a sentence names as the letter's coordinate ("the least
    possible x-coordinate for B is 4"). Spaces folded to one; the same line, at most 80 characters back."""
    head = trace[max(trace.rfind("\n", 0, s) + 1, s - 80) : s]
    head = re.sub(r"\s+", " ", head)
    if w := RS_AXIS_WORDS_RE.search(head):
        return w.group("name"), "xyz".index(w.group("axis"))
    t = RS_POINT_HEAD_RE.search(head.replace(" ,", ",").replace(", ", ","))
    tail = RS_TUPLE_TAIL_RE.match(trace, e)
    if t is None or tail is None:
        return None
    slots = t.group("before").count(",") + 1 + tail.group(1).count(",")
    return (t.group("name") or t.group("name2"), t.group("before").count(",")) if slots in (2, 3) else None


def _rs_same_power(trace: str, p: tuple, a: tuple, question: str) -> bool:
    """Are p and a coefficients of the same power of one letter (`[NUMBER]x^7` beside `4x^7`), degree 2 or
    more, a not in a formula the question writes (its coefficient and power as written)?"""
    pw_p, pw_a = RS_POWER_RE.match(trace, p[1]), RS_POWER_RE.match(trace, a[1])
    if not (pw_p and pw_a) or any(trace[x[0] - 1 : x[0]] in ("^", "{", "_") for x in (p, a)):
        return False
    key_p = (pw_p.group(1), pw_p.group(2) or pw_p.group(3))
    key_a = (pw_a.group(1), pw_a.group(2) or pw_a.group(3))
    said = re.sub(r"\s+", "", trace[a[0] : pw_a.end()]) in re.sub(r"\s+", "", question)
    return key_p == key_a and int(key_p[1]) >= 2 and not said


RS_POWER_RE = re.compile(r"\s*([a-z])\s*\^\s*(?:\{\s*(\d+)\s*\}|(\d))(?![\d.])")


RS_TWO_ARGS = re.compile(r"\\([dt]?binom|[dt]?frac)\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")


def _rs_binoms_restated(trace: str, hidden_alone, touches):
    """`\\binom{5}{4}` visible where another `\\binom{[N]}{4}` hides its 5 (the same binomial or fraction
    written alike, one argument hidden alone): (start, end) of each visible number that restates it."""
    found = []
    # an exponent (`^{\\frac{1}{3}}`, `^\\frac13`) is never compared, as elsewhere in this attack
    calls = [
        x
        for x in RS_TWO_ARGS.finditer(trace)
        if not re.search(r"\^\s*\{?\s*$", trace[max(0, x.start() - 8) : x.start()])
    ]
    for x in calls:
        for k in (2, 3):
            if not hidden_alone(*x.span(k)):
                continue
            for y in calls:
                if y is x or touches(*y.span(k)) or y.group(k) != x.group(k):
                    continue
                other = 5 - k
                if (y.group(1), y.group(other)) == (x.group(1), x.group(other)):
                    found.append(y.span(k))
    return found


def _rs_same_term(trace: str, p: tuple, a: tuple, question: str) -> str | None:
    """Do hidden p and visible a stand in the same expression (:func:`_rs_term`)? The question's own
    expression, written on another line than p, is no restatement: the policy reads it in the question."""
    term = _rs_term(trace, p[0], p[1])
    if not term or term != _rs_term(trace, a[0], a[1]):
        return None
    lo, hi = (p, a) if p[0] < a[0] else (a, p)
    written = re.escape(term.replace("#", trace[a[0] : a[1]]))
    # the question writes it as an expression of its own, not inside a longer one ("x-2" of "(x-21)")
    shown = re.search(rf"(?<![\w.]){written}(?![\w.])", "".join(question.split())) is not None
    if shown and "\n" in trace[lo[1] : hi[0]]:
        return None
    return "same expression up to its brackets or relations"


#: a number written as a coefficient, a letter right after it (``5i``, ``2x``)
RS_COEFFICIENT_RE = re.compile(r"(?<![\w.])(?:(?<=[\s(,=$:{\[+*/-])-)?\d+(?:\.\d+)?(?=[A-Za-z])")


def _rs_coefficients(trace: str, asy: list[tuple[int, int]]) -> list[tuple]:
    """(start, end, value, None) of the coefficients outside figure code, scripts and step labels."""
    out = []
    for x in RS_COEFFICIENT_RE.finditer(trace):
        s, e = x.span()
        value = Fraction(x.group())
        if value in (0, 1) or any(a <= s < b for a, b in asy) or enclosing_script(trace, s):
            continue
        if STEP_RE.search(trace[max(0, s - 30) : s]):
            continue
        out.append((s, e, value, None))
    return out


#: tokens of a line of math or prose: a command, a number, a word, any other non-blank character
RS_TERM_TOKEN = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}|\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|[A-Za-z]+|\S")
RS_TERM_STOP_COMMANDS = frozenset(
    re.findall(
        r"\w+",
        "le ge leq geq lt gt ne neq approx equiv sim cong pmod bmod quad qquad text mbox implies Rightarrow "
        "Longrightarrow iff to in cdots ldots dots",
    )
)


def _rs_term_stop(tok: re.Match, line: str) -> bool:
    t = tok.group()
    if (
        t in ("\\\\",)
        or (t[0] == "\\" and t[1:] in RS_TERM_STOP_COMMANDS)
        or t.startswith(("\\begin", "\\end"))
    ):
        return True
    if t.isalpha():  # a word of prose: three letters or more, or two then a blank
        return len(t) >= 3 or (len(t) == 2 and line[tok.end() : tok.end() + 1].isspace())
    return t in "=<>$,;:&"


def _rs_term_walk(toks, line: str, deeper: str, out: str) -> list[str]:
    """The tokens met walking away from a number until the bracket it stands in or a stop at its depth;
    past 40 characters the term is too long to compare, and the walk ends (the caller then rejects it)."""
    met, depth, size = [], 0, 0
    for t in toks:
        c = t.group()
        size += len(c)
        if size > 40:
            met.append(c)
            break
        if c in deeper:
            depth += 1
        elif c in out:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and _rs_term_stop(t, line):
            break
        met.append(c)
    return met


@functools.lru_cache(maxsize=4096)
def _rs_term(trace: str, s: int, e: int) -> str | None:
    """The expression holding the number at [s, e): its tokens out to the bracket that encloses it or a
    relation, separator, math delimiter or prose word at its own depth, blanks dropped, the number as '#';
    only when it holds an operator (a degree sign is none) and a letter or two numbers, 40 characters at
    most. None otherwise."""
    a = max(trace.rfind("\n", 0, s) + 1, s - 400)  # a window: the term is 40 characters at most
    b = trace.find("\n", e)
    line = trace[a : min(len(trace) if b < 0 else b, e + 400)]
    toks = list(RS_TERM_TOKEN.finditer(line))
    here = [k for k, t in enumerate(toks) if t.start() == s - a]
    if not here:
        return None
    k0 = here[0]
    left = _rs_term_walk(reversed(toks[:k0]), line, ")]}", "([{")
    right = _rs_term_walk((t for t in toks[k0 + 1 :] if t.start() >= e - a), line, "([{", ")]}")
    term = "".join(reversed(left)) + "#" + "".join(right)
    if len(term) > 40:
        return None
    bare = re.sub(r"\^\{?\\circ\}?", "", term)
    if not re.search(r"[-+*/^]|\\(?:cdot|times|div)(?![A-Za-z])", bare):
        return None
    plain = re.sub(r"\\[A-Za-z]+", " ", term)
    if not (re.search(r"[A-Za-z]", plain) or len(re.findall(r"\d+", plain)) >= 2):
        return None
    return term


def _rs_cuts_number(trace: str, n: tuple) -> bool:
    """Does the 1-before / 2-after neighbourhood of number n end inside another number (the "=1" of
    "<<24/2=12>>": the first digit of a result, which two steps dividing by 2 share by chance)?"""
    left, right = trace[max(0, n[0] - 2) : n[0]], trace[n[1] : n[1] + 3]
    return bool(re.fullmatch(r"[\d.]\d", left) or re.fullmatch(r".\d[\d.]", right))


def _rs_context(trace: str, s: int, e: int) -> str | None:
    """2 non-space characters before s and 3 after e on the same line, each side an operator with a
    letter or digit, no backslash, not cutting a number; None otherwise."""
    line_start = trace.rfind("\n", 0, s) + 1
    line_end = trace.find("\n", e)
    left = "".join(trace[line_start:s].split())
    right = "".join(trace[e : len(trace) if line_end < 0 else line_end].split())
    if len(left) < 2 or len(right) < 3:
        return None
    if re.fullmatch(r"[\d.]\d", left[-3:-1]) or re.match(r"\d[\d.]", right[2:4]):
        return None
    left, right = left[-2:], right[:3]
    for side in (left, right):
        if "\\" in side or not re.search(r"[-+*/=<>]", side) or not re.search(r"[A-Za-z0-9]", side):
            return None
    return left + "|" + right


RS_OPERAND_RE = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?!\d)|(?<![\w.])\.\d+")
RS_NOTE_RE = re.compile(r"<<([^<>\n]*?)=[^<>\n]*>>")


def _rs_values(trace: str, n: tuple) -> set:
    """A number's readings: itself, and n/100 when a percent sign or word follows it."""
    after = trace[n[1] : n[1] + 9]
    return {n[2], n[2] / 100} if re.match(r"\s?(?:%|\\%|percent)", after) else {n[2]}


def _rs_note_pairs(trace: str, nums: list) -> list:
    """(number in a step's words, the same number in its calculator note): the words of the sentence before
    the note and the note's left side, matched in order by value (longest common subsequence, the words
    nearest the note first); the note may add constants (.01 of a percent, 12 of a dozen) the words lack."""
    out = []
    prev_end = -1
    notes = [x.span() for x in RS_NOTE_RE.finditer(trace)]
    for nm in RS_NOTE_RE.finditer(trace):
        head = max(
            trace.rfind("\n", 0, nm.start()),
            trace.rfind(". ", 0, nm.start()),
            trace.rfind(": ", 0, nm.start()),
        )
        start = max(head, prev_end)
        prev_end = nm.end() - 1
        # the words' numbers, coefficients included (the 2 of "2 * 2S" is an operand of the note's 2*2)
        words = [
            (x.start(), x.end(), Fraction(x.group().replace(",", "")), False)
            for x in RS_OPERAND_RE.finditer(trace, start + 1, nm.start())
            if not any(a <= x.start() < b for a, b in notes)
        ][-40:]
        note = [n for n in nums if nm.start(1) <= n[0] and n[1] <= nm.end(1)][:40]
        if not words or not note:
            continue
        wv = [_rs_values(trace, n) for n in words]
        nv = [{n[2]} for n in note]
        la, lb = len(words), len(note)
        best = [[0] * (lb + 1) for _ in range(la + 1)]
        for i in range(la):
            for j in range(lb):
                best[i + 1][j + 1] = best[i][j] + 1 if wv[i] & nv[j] else max(best[i][j + 1], best[i + 1][j])
        i, j = la, lb
        while i and j:
            if wv[i - 1] & nv[j - 1] and best[i][j] == best[i - 1][j - 1] + 1:
                out.append((words[i - 1], note[j - 1]))
                i, j = i - 1, j - 1
            elif best[i - 1][j] >= best[i][j - 1]:
                i -= 1
            else:
                j -= 1
    return out


RS_CARDINALS = {w: v for w, v in WORD_NUMS.items() if 2 <= v <= 90 and w != "dozen"}  # "5 dozen": a unit
RS_MULTIPLIERS = {
    "twice": {2},
    "double": {2},
    "doubled": {2},
    "triple": {3},
    "tripled": {3},
    "thrice": {3},
    "quadruple": {4},
    "half": {2, Fraction(1, 2)},
    # the verbs: "halve the cost: $1,000,000 / [NUMBER]" says the blank is 2
    **dict.fromkeys(("doubles", "doubling"), {2}),
    **dict.fromkeys(("triples", "tripling"), {3}),
    **dict.fromkeys(("quadrupled", "quadruples"), {4}),
    **dict.fromkeys(("halve", "halved", "halving"), {2, Fraction(1, 2)}),
}
RS_NOT_A_FACTOR = re.compile(r"(?i)[\s-]+(?:roots?|count(?:ed|ing)?|check(?:ed|ing)?|digits?)\b")
RS_ORDINALS = {w: v for w, v in ORDINALS.items() if 3 <= v <= 20}
RS_WORD_RE = re.compile(
    r"(?i)(?<![\w\\-])(?:(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?P<unit>one|two|three"
    r"|four|five|six|seven|eight|nine)|a\s+dozen|(?P<w>[a-z]+))(?![\w-])"
)
RS_WORD_LABEL_AFTER = re.compile(
    r"(?i)\s+(?:case|step|part|stage|phase|method|way|approach|equation|condition|option|row|column|line|digit"
    r"|term|time|place|try|attempt|round|of|one|power|root)s?\b"
)


RS_DENOMINATORS = {**FRACTION_WORDS, **RS_ORDINALS, **{w + "s": v for w, v in RS_ORDINALS.items()}}
#: a fraction in words: "one-quarter", "two-thirds", or spaced before "of", "as" or a mark ("a third of")
RS_FRACTION_WORD_RE = re.compile(
    r"(?i)(?<![\w\\-])(?P<num>[a-z]+)(?:-(?P<den>[a-z]+)|\s+(?P<spaced>[a-z]+)(?=\s+(?:of|as)\b|\s*[.,;:!?)]|\s*$))"
    r"(?![\w-])"
)


def _rs_fractions(trace: str) -> list:
    """(start, end, values) of the fractions in words: the denominator, a numerator of 2 or more, the
    fraction ("three-quarters": 4, 3 and 3/4)."""
    out = []
    for x in RS_FRACTION_WORD_RE.finditer(trace):
        num, den = x.group("num").lower(), (x.group("den") or x.group("spaced")).lower()
        n = 1 if num in ("one", "a", "an") else RS_CARDINALS.get(num)
        if n is None or den not in RS_DENOMINATORS:
            continue
        d = RS_DENOMINATORS[den]
        out.append((x.start(), x.end(), {d, Fraction(n, d)} | ({n} if n > 1 else set())))
    return out


def _rs_words(trace: str, asy: list) -> list:
    """(start, end, values, is ordinal) of the number words that read as a quantity of 2 or more: not in
    [asy] code, not a step label ("step three", "the third case"), not a compound adjective ("two-digit");
    "four dozen" is the word "four" (4, and 48 in all); a fraction in words states its denominator."""
    out = []
    fractions = [
        f
        for f in _rs_fractions(trace)
        if not any(a <= f[0] < b for a, b in asy) and not STEP_RE.search(trace[max(0, f[0] - 30) : f[0]])
    ]
    out.extend((s, e, values, False) for s, e, values in fractions)
    for x in RS_WORD_RE.finditer(trace):
        s, e = x.span()
        if any(a <= s < b for a, b in asy) or STEP_RE.search(trace[max(0, s - 30) : s]):
            continue
        if any(f[0] <= s < f[1] for f in fractions):
            continue  # the "two" of "two thirds of": the fraction's numerator
        if x.group("tens"):
            out.append(
                (s, e, {WORD_NUMS[x.group("tens").lower()] + WORD_NUMS[x.group("unit").lower()]}, False)
            )
            continue
        w = (x.group("w") or "").lower()
        if not w:
            out.append((s, e, {12}, False))  # a dozen
        elif w in RS_CARDINALS:
            vals = {RS_CARDINALS[w]}
            scale = re.match(r"\s+(dozen|hundred|thousand)\b", trace[e : e + 12], re.I)
            if scale:
                vals.add(RS_CARDINALS[w] * WORD_NUMS[scale.group(1).lower()])
            out.append((s, e, vals, False))
        elif w in RS_MULTIPLIERS:
            if not re.match(
                r"(?i)[\s-]+(?:roots?|count(?:ed|ing)?|check(?:ed|ing)?|digits?)\b", trace[e : e + 12]
            ):
                out.append((s, e, RS_MULTIPLIERS[w], False))
        elif (
            w.rstrip("s") in RS_ORDINALS
            and not x.group()[0].isupper()
            and not RS_WORD_LABEL_AFTER.match(trace, e)
        ):
            out.append((s, e, {RS_ORDINALS[w.rstrip("s")]}, True))
    return out


#: an adjective between a count (or ordinal) and the plan noun it counts: "the three given equations"
RS_PLAN_ADJECTIVE = r"(?:(?:given|original|above|following|remaining|other|new|resulting)\s+)"


def _rs_word_why(
    trace: str, p: tuple, ws: int, we: int, ordinal: bool, alone: bool = False, own: bool = False
) -> str | None:
    """Why the number word at trace[ws:we] is the hidden number p: a cardinal of 3 or more (one word, not
    counting the plan's parts) anywhere when p is hidden on its own ("9 rectangles ... nine blue lines"), the
    same sentence with a word between (not for an ordinal or "two"), or the same unit word, singular or
    plural, right after both."""
    # an ordinal, and "two" (the two equations, two cases: words of the plan), only by the same unit word
    # in a word problem (calculator notes) "two pennies" is a quantity; "two cases" is the plan's
    plan = re.match(
        rf"(?i)\s+{RS_PLAN_ADJECTIVE}?(?:equations?|cases?|ways?|sides?|terms?|solutions?|roots?|methods?|steps?|options?"
        r"|possibilities|parts?|expressions?|variables?|digits?|conditions?|approaches|scenarios?)\b",
        trace[we : we + 40],
    )
    word = trace[ws:we].lower()
    tens, _, unit = word.partition("-")
    cardinal = RS_CARDINALS.get(word, 0) >= 3 or (
        RS_CARDINALS.get(tens, 0) >= 20 and 1 <= RS_CARDINALS.get(unit, 1) <= 9
    )
    if alone and not ordinal and not plan and cardinal:
        return "a cardinal word, any sentence"
    if not ordinal and (trace[ws:we].lower() != "two" or ("<<" in trace and not plan)):
        lo, hi = (p[1], ws) if p[0] < ws else (we, p[0])
        gap = trace[lo:hi]
        if not RS_SENTENCE_END.search(gap) and re.search(r"[A-Za-z]{2,}", re.sub(r"\\[A-Za-z]+", " ", gap)):
            return "same sentence"
    if own and word in RS_MULTIPLIERS and _rs_drawn_on(trace, p, we):
        return "the sentence before, drawn on by 'Therefore'"
    unit = _rs_unit(trace, p[1])
    other = _rs_unit(trace, we)
    if unit and other and re.sub(r"(?<!s)s$", "", unit) == re.sub(r"(?<!s)s$", "", other):
        return f"same unit word {unit!r}"
    return None


def _rs_drawn_on(trace: str, p: tuple, we: int) -> bool:
    """ "... is twice as large as ... . Therefore, the perimeter is $[NUMBER](21)$": the hidden p is a factor
    (an operator, a parenthesis or one letter beside it) in the sentence right after the word ending at
    `we`, and that sentence starts "Therefore", "Thus" or "Hence" (it draws on the factor the word states)."""
    if not we <= p[0] < we + 600:
        return False
    factor = re.search(r"(?:[*/×]|\\times|\\cdot|(?<![A-Za-z])x)\s*\$?\s*$", trace[max(0, p[0] - 8) : p[0]])
    factor = factor or re.match(
        r"\s*\$?\s*(?:[*/×(]|\\times|\\cdot|x(?![A-Za-z]))|[A-Za-z](?![A-Za-z])", trace[p[1] : p[1] + 12]
    )
    if factor is None:
        return False
    gap = trace[we : p[0]]
    ends = [x.end() for x in RS_DRAWN_END_RE.finditer(gap)]
    return len(ends) == 1 and re.match(r"\s*(?:Therefore|Thus|Hence)\b", gap[ends[0] :]) is not None


# a sentence end (inside a closing `$` too: `$a = 2b.$ Also`), not a line break at a display's `\[`/`\]`
RS_DRAWN_END_RE = re.compile(r"(?<!\\\[)\n(?!\\\])|[.?!]\$?(?=\s+[A-Z$\\])")


RS_SHORTHAND_RE = re.compile(r"\\[dtc]?frac\s*(?:(\d)\s*(\d)|(\d)\s*\{\s*(\d+)\s*\}|\{\s*(\d+)\s*\}\s*(\d))")
RS_FRACTION_RE = re.compile(
    r"(?<![\w.])(\d+)\s*/\s*(\d+)(?![\d.])|\\[dtc]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}"
)


def _rs_shorthand(trace: str, hidden: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Fractions in TeX's shorthand (`\\frac12`, `\\tfrac34`, `\\dfrac1{4}`) left visible while the same
    fraction written out (`1/2`, `\\frac{1}{2}`) has a hidden part: the shorthand gives the blank back.
    (start, end, why) of each visible shorthand."""
    if "frac" not in trace or not hidden:
        return []

    def touches(s, e):
        return any(a < e and s < b for a, b in hidden)

    written = {}
    for x in RS_FRACTION_RE.finditer(trace):
        num, den = (x.group(1), x.group(2)) if x.group(1) else (x.group(3), x.group(4))
        if int(den) and touches(x.start(), x.end()):
            written.setdefault(Fraction(int(num), int(den)), x.group())
    out = []
    for x in RS_SHORTHAND_RE.finditer(trace):
        num, den = [g for g in x.groups() if g is not None]
        if not int(den) or touches(x.start(), x.end()):
            continue
        v = Fraction(int(num), int(den))
        if v in written:
            out.append((x.start(), x.end(), f"the same fraction as {written[v]}, whose blank it fills"))
    return out


RS_RATIO_RE = re.compile(r"(?<![\d.:])(\d+)\s*:\s*(\d+)(?![\d.:])(?!\s*(?:[ap]\.?m\b|AM|PM))")
RS_HIDDEN_FRACTION_RE = re.compile(
    r"\$?\s*(?:\\[dtc]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}|(\d+)\s*/\s*(\d+)|(\d*\.\d+))\s*\$?"
)


def _rs_ratios(trace: str, hidden: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Visible ratios `a:b` ("the ratio is 4:3, so x/y = [EXPR]") whose sentence hides the fraction a/b on
    its own (`\\dfrac{4}{3}`, `4/3`, a decimal): (start, end, why) of each ratio."""
    if ":" not in trace or not hidden:
        return []
    values = []
    for a, b in hidden:
        x = RS_HIDDEN_FRACTION_RE.fullmatch(trace, a, b)
        if x is None:
            continue
        g = x.groups()
        if g[4] is not None:
            values.append((a, b, Fraction(g[4])))
        else:
            num, den = (g[0], g[1]) if g[0] is not None else (g[2], g[3])
            if int(den):
                values.append((a, b, Fraction(int(num), int(den))))
    out = []
    for r in RS_RATIO_RE.finditer(trace):
        if not int(r.group(2)) or any(a < r.end() and r.start() < b for a, b in hidden):
            continue
        v = Fraction(int(r.group(1)), int(r.group(2)))
        for a, b, hv in values:
            lo, hi = (b, r.start()) if a < r.start() else (r.end(), a)
            if hv == v and hi - lo < 300 and not RS_SENTENCE_END.search(trace, lo, hi):
                why = f"the ratio of the hidden {trace[a:b].strip()}, same sentence"
                out.append((r.start(), r.end(), why))
                break
    return out


def _rs_dimension_tuples(trace: str, asy, labels, hid) -> list:
    """(start, end) of each all-number tuple of [asy] code (outside label text) holding, side by side and
    in order, two hidden numbers of one phrase of dimensions ("10 units by 8 units", "9-by-7", "3\\times
    4": at most 16 characters between them, a by/times word, no digit, line break or sentence end)."""
    pairs = set()
    ordered = sorted(hid)
    for a, b in itertools.pairwise(ordered):
        gap = trace[a[1] : b[0]]
        if (
            len(gap) <= 16
            and re.search(r"\bby\b|\\times|×|\bx\b", gap)
            and not re.search(r"[0-9\n]|[.?!]\s", gap)
        ):
            pairs.add((abs(a[2]), abs(b[2])))
    out = []
    for lo, hi in asy if pairs else ():
        for t in re.finditer(r"\(\s*-?[\d.]+(?:\s*,\s*-?[\d.]+)+\s*\)", trace[lo:hi]):
            s, e = lo + t.start(), lo + t.end()
            if any(a <= s < b for a, b in labels):
                continue
            try:
                nums = [abs(Fraction(x.strip())) for x in t.group()[1:-1].split(",")]
            except ValueError:
                continue
            if any(p in pairs for p in itertools.pairwise(nums)):
                out.append((s, e))
    return out


RS_IMPLIED_RE = re.compile(r"(?i)(?<![A-Za-z-])(?:round[- ]trips?|pairs?)(?![A-Za-z-])")
RS_ROOT_DEGREE_RE = re.compile(r"(?<![\d.])(\d+)\s*\\sqrt\s*\[\s*(\d+)\s*\]")
RS_COUNT_BEFORE = re.compile(
    r"(?i)(?:\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|few|both))\s*$"
)
RS_FACTOR_BEFORE = re.compile(r"(?:[*/×]|\\times|\\cdot|(?<![A-Za-z])x)\s*\$?\s*$")
RS_FACTOR_AFTER = re.compile(r"\s*\$?\s*(?:[*/×]|\\times|\\cdot|x(?![A-Za-z]))")


RS_NOTE_RESULT_RE = re.compile(r"=\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*>>")


def _rs_note_steps(trace: str, nums: list) -> tuple[dict, dict]:
    """(start of) each number on the left side of a calculator note -> the note's order (one step each),
    and the same start -> the |results| of the notes before it (a value computed earlier, carried on)."""
    out, before = {}, {}
    earlier: set = set()
    for k, x in enumerate(RS_NOTE_RE.finditer(trace)):
        for n in nums:
            if x.start(1) <= n[0] and n[1] <= x.end(1):
                out[n[0]] = k
                before[n[0]] = frozenset(earlier)
        r = RS_NOTE_RESULT_RE.search(trace, x.end(1) - 1, x.end())
        if r:
            earlier.add(abs(Fraction(r.group(1))))
    return out, before


def _rs_implied(trace: str, hid: list, touches) -> list:
    """(start, end, why) of the visible words that state a factor 2 with no number ("round trip", "pairs")
    in the sentence of a number hidden on its own that is a factor of a step there (``280 x [NUMBER]``, a
    calculator note's ``*[NUMBER]``): the words give the blank back. A count ("[NUMBER] pairs") is no
    factor."""
    out = []
    twos = [
        p
        for p in hid
        if abs(p[2]) == 2
        and (RS_FACTOR_BEFORE.search(trace, max(0, p[0] - 8), p[0]) or RS_FACTOR_AFTER.match(trace, p[1]))
    ]
    for x in RS_IMPLIED_RE.finditer(trace) if twos else ():
        if touches(*x.span()) or RS_COUNT_BEFORE.search(trace[max(0, x.start() - 12) : x.start()]):
            continue  # hidden, or counted ("2 pairs of socks", "Two pairs"): a noun, no factor it states
        for p in twos:
            lo, hi = (p[1], x.start()) if p[0] < x.start() else (x.end(), p[0])
            if not RS_SENTENCE_END.search(trace[lo:hi]):
                out.append(
                    (x.start(), x.end(), f"states the factor 2 of {trace[p[0] : p[1]]}, same sentence")
                )
                break
    return out


def attack_restated(ctx: RowCtx, findings):
    """A number hidden in one place is visible in another as the same quantity (see the module doc)."""
    trace, m = ctx.trace, ctx.masked
    if not trace or trace == m or not ctx.ph:
        return
    groups = align(trace, m, ctx.ph)
    if not groups:
        return
    hidden = [(a, b) for a, b, _ in groups]
    # masked offset of an original visible position: shift by the placeholders minus the hidden text before it
    shifts = []
    acc = 0
    for a, b, grp in groups:
        acc += sum(ctx.ph[i][1] - ctx.ph[i][0] for i in grp) - (b - a)
        shifts.append((b, acc))
    asy = [(x.start(), x.end()) for x in re.finditer(r"\[asy\].*?(?:\[/asy\]|$)", trace, re.S)]
    labels = {x.span(1) for x in RS_LABEL_RE.finditer(trace)}
    tuples = _rs_tuples(trace)
    nums = _rs_numbers(trace, asy, labels, tuples)
    ends = [b for b, _ in shifts]

    def covered(s, e):
        i = bisect_right([a for a, _ in hidden], s) - 1
        return i >= 0 and e <= hidden[i][1]

    def alone(s, e):  # the placeholder hides this number on its own, not a number inside an expression
        i = bisect_right([a for a, _ in hidden], s) - 1
        return i >= 0 and re.sub(r"[\s$]", "", trace[hidden[i][0] : hidden[i][1]]) == trace[s:e]

    def touches(s, e):
        return any(a < e and s < b for a, b in hidden)

    hid = [n for n in nums if not n[3] and covered(n[0], n[1]) and alone(n[0], n[1])]
    for s0, e0, why in _rs_shorthand(trace, hidden) + _rs_ratios(trace, hidden):
        k = bisect_right(ends, s0) - 1
        s = s0 + (shifts[k][1] if k >= 0 else 0)
        add(findings, "restated", ctx, s, s + e0 - s0, f"{trace[s0:e0]} restates a hidden value ({why})")

    def report(s0, e0, why):
        k = bisect_right(ends, s0) - 1
        s = s0 + (shifts[k][1] if k >= 0 else 0)
        add(findings, "restated", ctx, s, s + e0 - s0, f"{trace[s0:e0]} restates a hidden value ({why})")

    # figure code drawn with two hidden dimensions of one phrase: grid(10,8) for "[N] units by [N] units"
    for tup in _rs_dimension_tuples(trace, asy, labels, hid):
        if not touches(*tup):
            report(*tup, "figure code writes two hidden dimensions of one phrase")
    # the same operand in a step's words and in its calculator note, one hidden and the other visible
    for x, y in _rs_note_pairs(trace, nums):
        for p, n in ((x, y), (y, x)):
            if p in hid and not touches(n[0], n[1]):
                report(n[0], n[1], "its twin in the step's other copy is hidden")
    # the same value an operand of two steps' calculator notes, hidden in one and visible in the other
    # ("2*[NUMBER]" then "[NUMBER]+30"): a reader matching the steps' roles reads the blank back
    steps, carried = _rs_note_steps(trace, nums) if hid and "<<" in trace else ({}, {})
    # a hidden operand an earlier note computed is a result carried on ("<<12/6=2>>" then "<<6+4+2+3=15>>"),
    # no cut of a given value: an equal operand of another step is no copy of it
    cut = [p for p in hid if p[0] in steps and abs(p[2]) not in carried[p[0]]]
    for n in nums if cut else ():
        if n[0] not in steps or touches(n[0], n[1]):
            continue
        if any(steps[p[0]] != steps[n[0]] and abs(p[2]) == abs(n[2]) for p in cut):
            report(n[0], n[1], "the same value an operand of another step's calculator note")
    for s0, e0, why in _rs_implied(trace, hid, touches):
        report(s0, e0, f"words {why}")
    # AM-GM over n terms: "[NUMBER] \sqrt[4]{abcd}", the visible degree is the hidden coefficient's count
    for x in RS_ROOT_DEGREE_RE.finditer(trace) if "sqrt" in trace else ():
        if (
            x.group(1) == x.group(2)
            and int(x.group(1)) > 1
            and covered(*x.span(1))
            and not touches(*x.span(2))
        ):
            report(*x.span(2), "a root's degree equal to the hidden coefficient before the root")
    # a number word stating a hidden number ("Freyja is ten years old, Eli is [NUMBER]+9")
    hidden_coefficients = [
        n for n in _rs_coefficients(trace, asy) if covered(n[0], n[1]) and alone(n[0], n[1])
    ]
    if hid or hidden_coefficients:
        for ws, we, values, ordinal in _rs_words(trace, asy):
            if touches(ws, we):
                continue
            # a word the question writes ("three consecutive integers"), or its value ("base 7" for "base
            # seven"), restates the question, not the trace
            said = re.search(rf"(?i)(?<![a-z]){re.escape(trace[ws:we])}(?![a-z])", ctx.question) is not None
            said = said or re.search(rf"(?<![\d.,]){min(values)}(?!\d|[.,]\d)", ctx.question) is not None
            # every value the word states ("half": 2 and 1/2), for a word the next sentence draws on
            written_any = any(
                re.search(rf"(?<![\d.,]){re.escape(str(v))}(?!\d|[.,]\d)", ctx.question) for v in values
            )
            for p in hid:
                why = abs(p[2]) in values and _rs_word_why(
                    trace, p, ws, we, ordinal, alone=not said, own=not said and not written_any
                )
                if why:
                    report(ws, we, f"a number word: {why}")
                    break
            else:  # a hidden coefficient ("a = [NUMBER]b") the next sentence's "Thus" takes from "half"
                word = trace[ws:we].lower()
                for p in (
                    hidden_coefficients if word in RS_MULTIPLIERS and not said and not written_any else ()
                ):
                    if abs(p[2]) in values and _rs_drawn_on(trace, p, we):
                        report(ws, we, "a number word: the sentence before, drawn on by 'Therefore'")
                        break
    # a coefficient ("-4 - [NUMBER]i" beside "-4 - 5i") restates or is restated by the expression it stands in
    coefficients = _rs_coefficients(trace, asy)
    is_coefficient = set(coefficients)
    hid_all = hid + [n for n in coefficients if covered(n[0], n[1]) and alone(n[0], n[1])]
    for n in nums + coefficients if coefficients else ():
        if n[3] or touches(n[0], n[1]):
            continue
        for p in hid_all:
            if abs(p[2]) == abs(n[2]) and (p in is_coefficient or n in is_coefficient):
                same_power = _rs_same_power(trace, p, n, ctx.question)
                why = (
                    "coefficient of the same power"
                    if same_power
                    else _rs_same_term(trace, p, n, ctx.question)
                )
                if why:
                    report(n[0], n[1], why)
                    break
    for s0, e0 in (
        _rs_binoms_restated(trace, lambda s, e: covered(s, e) and alone(s, e), touches)
        if "binom" in trace or "frac" in trace
        else ()
    ):
        report(s0, e0, "the same binomial or fraction, written alike")
    for n in nums:
        if touches(n[0], n[1]) or not hid:
            continue
        for p in hid:
            if abs(p[2]) != abs(n[2]):  # a minus is often the operator before the number
                continue
            if p[2] < 0 < n[2] and trace[p[0]] == "-" and not _rs_minus_before(trace, n[0]):
                continue  # a hidden "-18", sign and all, and a visible 18 with no minus: other values
            why = _rs_why(trace, p, n, tuples, ctx.question)
            if why:
                k = bisect_right(ends, n[0]) - 1
                shift = shifts[k][1] if k >= 0 else 0
                s = n[0] + shift
                add(
                    findings,
                    "restated",
                    ctx,
                    s,
                    s + n[1] - n[0],
                    f"{trace[n[0] : n[1]]} restates a hidden value ({why})",
                )
                break


# --------------------------------------------------------------------------------------------- figures

FG_ASY_RE = re.compile(r"\[asy\](.*?)(?:\[/asy\]|$)", re.S)
#: a label call: optional picture argument, the quoted text, then where it goes (a literal pair or a name)
FG_LABEL_RE = re.compile(r'label\s*\(\s*(?:\w+\s*,\s*)?"([^"\n]*)"\s*,\s*(\([^()]*\)|\w+)')
FG_PAIR_RE = re.compile(r"^\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)$")
FG_SET_RE = re.compile(r"(?<![\w.])(\w+)\s*=\s*\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)")
FG_ENV_RE = re.compile(r"\\begin\{(array|tabular)\}(?:\s*\{[^{}]*\})?(.*?)\\end\{\1\}", re.S)
FG_EXPR_RE = re.compile(r"^[\d\sa-z+\-*/().]{1,40}$")
FG_NUMBER_RE = re.compile(r"^\$?\s*(-?\d*\.?\d+)\s*\$?$")


def _fg_labels(text: str):
    """(position key, label text, start, end) for each label at a literal pair, and each table cell."""
    out = []
    for blk in FG_ASY_RE.finditer(text):
        base = blk.start(1)
        for lab in FG_LABEL_RE.finditer(blk.group(1)):
            pm = FG_PAIR_RE.match(lab.group(2).replace(" ", ""))
            if pm:
                key = ("asy", float(pm.group(1)), float(pm.group(2)))
                out.append((key, lab.group(1), base + lab.start(1), base + lab.end(1)))
    for env in FG_ENV_RE.finditer(text):
        body, base = env.group(2), env.start(2)
        lines = [(x.start(), x.group()) for x in re.finditer(r"(?:[^\\]|\\(?!\\))+", body)]
        grid = []
        for off, line in lines:
            cols, at = [], 0
            for piece in line.split("&"):
                cols.append((base + off + at, base + off + at + len(piece)))
                at += len(piece) + 1
            if len(cols) > 1:
                grid.append(cols)
        width = max((len(r) for r in grid), default=0)
        for i, cols in enumerate(grid):
            for j, (a, b) in enumerate(cols):
                out.append((("cell", len(grid), width, i, j), text[a:b], a, b))
    return out


def _fg_solve(expr: str, number: Fraction):
    """The values of the one letter of a question's label expression ($2n-9$) that make it ``number``."""
    body = expr.strip().strip("$").replace("\\cdot", "*").strip()
    if not FG_EXPR_RE.match(body) or len(set(re.findall(r"[a-z]", body))) != 1:
        return []
    import sympy
    from sympy.parsing.sympy_parser import (
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    try:
        node = parse_expr(
            body, transformations=(*standard_transformations, implicit_multiplication_application)
        )
        (var,) = node.free_symbols
        return [
            Fraction(str(v))
            for v in sympy.solve(sympy.Eq(node, sympy.Rational(str(number))), var)
            if v.is_rational
        ]
    except Exception:  # noqa: BLE001
        return []


def _fg_points(text: str) -> dict:
    """Capital-letter names of figure points at literal coordinates: label("$A$", a) after a=(0,1), a
    point variable P, or a label at a literal pair. name -> ((x, y), start in text)."""
    pts: dict = {}
    for blk in FG_ASY_RE.finditer(text):
        code, base = blk.group(1), blk.start(1)
        env = {}
        for x in FG_SET_RE.finditer(code):
            with contextlib.suppress(ValueError):
                env[x.group(1)] = ((float(x.group(2)), float(x.group(3))), base + x.start())
        for name, v in env.items():
            if re.fullmatch(r"[A-Z]", name):
                pts.setdefault(name, v)
        for lab in FG_LABEL_RE.finditer(code):
            name = lab.group(1).replace("$", "").strip()
            if not re.fullmatch(r"[A-Z]", name):
                continue
            where = lab.group(2).replace(" ", "")
            pm = FG_PAIR_RE.match(where)
            if pm:
                pts[name] = ((float(pm.group(1)), float(pm.group(2))), base + lab.start(2))
            elif where in env:
                pts[name] = env[where]
    return pts


def _fg_named(text: str) -> set:
    """Quantities the prose names: ('seg', A, B), ('ang', A, B, C), ('tri', A, B, C), ('rat', A, B, C, D)
    for the ratio AB/CD (`\\frac{BC}{AB}`)."""
    prose = FG_ASY_RE.sub(" ", text)
    out = set()
    for x in re.finditer(r"\\angle\s*\{?\s*([A-Z])([A-Z])([A-Z])(?![A-Za-z])", prose):
        out.add(("ang", *x.groups()))
    for x in re.finditer(r"(?:\\triangle\s*\{?\s*|triangle\s+\$)([A-Z])([A-Z])([A-Z])(?![A-Za-z])", prose):
        out.add(("tri", *x.groups()))
    for x in re.finditer(r"(?<![A-Za-z\\])([A-Z])([A-Z])(?![A-Za-z])", prose):
        out.add(("seg", *x.groups()))
    out = {q for q in out if len(set(q[1:])) == len(q) - 1}
    ratio = (
        r"\\[dt]?frac\s*\{\s*([A-Z])\s*([A-Z])\s*\}\s*\{\s*([A-Z])\s*([A-Z])\s*\}"
        r"|(?<![A-Za-z\\])([A-Z])([A-Z])\s*/\s*([A-Z])([A-Z])(?![A-Za-z])"
    )
    for x in re.finditer(ratio, prose):
        a, b, c, d = (n for n in x.groups() if n)
        if a != b and c != d and {a, b} != {c, d}:
            out.add(("rat", a, b, c, d))
    return out


def _fg_values(q, pts) -> list:
    def ang(a, b, c):
        u, v = (a[0] - b[0], a[1] - b[1]), (c[0] - b[0], c[1] - b[1])
        d = math.hypot(*u) * math.hypot(*v)
        return math.degrees(math.acos(max(-1.0, min(1.0, (u[0] * v[0] + u[1] * v[1]) / d)))) if d else None

    p = [pts[n][0] for n in q[1:]]
    if q[0] == "seg":
        return [math.dist(p[0], p[1])]
    if q[0] == "rat":
        return [math.dist(p[0], p[1]) / math.dist(p[2], p[3])] if math.dist(p[2], p[3]) else [None]
    if q[0] == "ang":
        return [ang(p[0], p[1], p[2])]
    return [math.dist(p[i], p[(i + 1) % 3]) for i in range(3)] + [
        ang(p[i - 1], p[i], p[(i + 1) % 3]) for i in range(3)
    ]


FG_CODE_NUM = r"-?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:\s*/\s*\d+)?"
FG_CODE_POINT_RE = re.compile(
    rf"\(\s*+({FG_CODE_NUM})\s*+,\s*+({FG_CODE_NUM})\s*+(?:,\s*+({FG_CODE_NUM})\s*+)?\)"
)


def _fg_gold_point(g: Gold):
    """The components of a gold that is a point or a column vector (`(2,4)`, a pmatrix of 1/5 over -18/5),
    two or three of them, in order; else None."""
    if g.comps is not None:
        return g.comps if g.ordered and 2 <= len(g.comps) <= 3 else None
    x = re.fullmatch(r"\s*\\begin\{[pb]matrix\}(.*)\\end\{[pb]matrix\}\s*", g.raw, re.S)
    if x is None or "&" in x.group(1):
        return None
    parts = [p for p in re.split(r"\\\\", x.group(1)) if p.strip()]
    vals = [try_ev(parse_tokens(tokenize_tex(p, 0, len(p), NOCTX))) for p in parts]
    return vals if 2 <= len(vals) <= 3 and all(v is not None for v in vals) else None


def _fg_code_points(text: str) -> list[tuple[int, int, tuple]]:
    """(start, end, coordinates) of every numeric point written in [asy] code (`S = (1/5,-18/5);`)."""
    out = []
    for blk in re.finditer(r"\[asy\].*?(?:\[/asy\]|$)", text, re.S):
        for x in FG_CODE_POINT_RE.finditer(text, blk.start(), blk.end()):
            coords = [v for v in x.groups() if v is not None]
            if any(len(v) > 24 for v in coords):
                continue  # no figure's coordinate
            try:
                vals = tuple(Fraction(re.sub(r"\s", "", v)) for v in coords)
            except (ValueError, ZeroDivisionError):
                continue  # `1.5/2`: no number Fraction reads
            out.append((x.start(), x.end(), vals))
    return out


#: a path of straight segments, its whole first argument: `fill((1,0)--(3,2)--cycle,gray)`,
#: `draw((0,0)--(3,0)--(3,3))`; a curve (`..`) is none
FG_PATH_RE = re.compile(
    r"\b(fill|filldraw|draw)\s*\(((?:\s*\([^()]*\)\s*--)+\s*(?:\([^()]*\)|cycle))\s*(?=[,)])"
)


def _fg_polygons(text: str) -> list[tuple[str, tuple, tuple[int, int]]]:
    """(kind, corners, the [asy] block's span) of each path of three or more numeric points in [asy] code;
    a fill or filldraw is a `fill`."""
    out = []
    for blk in re.finditer(r"\[asy\].*?(?:\[/asy\]|$)", text, re.S):
        for x in FG_PATH_RE.finditer(text, blk.start(), blk.end()):
            pts = []
            for part in x.group(2).split("--"):
                part = part.strip()
                if part == "cycle":
                    continue
                pm = FG_CODE_POINT_RE.fullmatch(part)
                if pm is None or pm.group(3) is not None or any(len(v) > 24 for v in pm.groups()[:2]):
                    pts = []
                    break
                try:
                    pts.append(tuple(Fraction(re.sub(r"\s", "", v)) for v in pm.groups()[:2]))
                except (ValueError, ZeroDivisionError):
                    pts = []
                    break
            shut = x.group(2).rstrip().endswith("cycle") or (len(pts) > 1 and pts[0] == pts[-1])
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts.pop()
            kind = "fill" if x.group(1) != "draw" else "draw"
            # an open drawn path of three corners (two axes) bounds nothing; four: a rectangle short of a side
            if 3 <= len(pts) <= 40 and (kind == "fill" or shut or len(pts) >= 4):
                out.append((kind, tuple(pts), blk.span()))
    return out


def _fg_area(pts: tuple) -> Fraction:
    n = len(pts)
    return abs(sum(pts[i][0] * pts[(i + 1) % n][1] - pts[(i + 1) % n][0] * pts[i][1] for i in range(n))) / 2


def _fg_shaded_area(ctx: RowCtx, gv: float, findings) -> bool:
    """A polygon the trace's figure fills (not one the question's figure fills): its area, or its share of a
    polygon the figure draws (or what is left of it), is the gold: a shaded area, a geometric probability."""
    theirs = {frozenset(c) for _, c, _ in _fg_polygons(ctx.question)}
    polys = _fg_polygons(ctx.masked)
    tol = 1e-3 * max(1.0, abs(gv))
    for kind, c, (s, e) in polys:
        if kind != "fill" or frozenset(c) in theirs:
            continue
        a = _fg_area(c)
        # what the fill is a share of: a larger polygon the figure draws (not the fill's own outline)
        whole = [_fg_area(d) for k, d, _ in polys if k == "draw" and set(d) != set(c) and _fg_area(d) > a]
        if a > 0 and any(
            abs(float(v) - gv) <= tol for v in [a] + [a / w for w in whole] + [1 - a / w for w in whole]
        ):
            add(
                findings,
                "figure",
                ctx,
                s,
                e,
                "a shaded polygon of the figure has the gold's area",
            )
            return True
    return False


def attack_figure(ctx: RowCtx, findings):
    """A figure or table of the trace read with the question's: a visible number where the question's
    figure (same label position) or table (same cell of a table of the same shape) writes an expression in
    one letter fixes that letter to the gold; or a segment, angle or triangle the text names, measured on
    the trace figure's labelled coordinates, is the gold (to 1e-3; not where the question's figure has it)."""
    g, m, question = ctx.gold, ctx.masked, ctx.question
    point = _fg_gold_point(g)
    if point is not None and "[asy]" in m:
        theirs = {v for _, _, v in _fg_code_points(question)}
        for s, e, v in _fg_code_points(m):
            near = len(v) == len(point) and all(
                abs(complex(c) - float(x)) <= 1e-3 * max(1.0, abs(complex(c)))
                for x, c in zip(v, point, strict=True)
            )
            if near and v not in theirs:
                add(findings, "figure", ctx, s, e, f"the figure's code draws the point {m[s:e]}, the gold")
                break
    if g.value is None:
        return
    asked = {}
    for key, txt, _, _ in _fg_labels(question):
        asked.setdefault(key, txt)
    if asked:
        for key, txt, s, e in _fg_labels(m):
            num = FG_NUMBER_RE.match(txt.strip())
            fixed = (
                _fg_solve(asked[key], Fraction(num.group(1)))
                if key in asked and num and "[" not in txt
                else []
            )
            if any(g.matches(v) for v in fixed):
                add(
                    findings,
                    "figure",
                    ctx,
                    s,
                    e,
                    f"{txt.strip()} stands where the question writes {asked[key].strip()}",
                )
    if "[asy]" not in m:
        return
    try:
        gv = float(g.value)
    except (TypeError, ValueError, OverflowError):
        return
    if _fg_shaded_area(ctx, gv, findings):
        return
    pts = _fg_points(m)
    if len(pts) < 2:
        return
    qpts = _fg_points(question)
    tol = 1e-3 * max(1.0, abs(gv))
    for q in sorted(_fg_named(m + "\n" + question)):
        if not all(n in pts for n in q[1:]):
            continue
        if not any(v is not None and abs(v - gv) <= tol for v in _fg_values(q, pts)):
            continue
        if all(n in qpts for n in q[1:]) and any(
            v is not None and abs(v - gv) <= tol for v in _fg_values(q, qpts)
        ):
            continue  # the question's figure shows it already
        s = pts[q[1]][1]
        add(
            findings,
            "figure",
            ctx,
            s,
            s + 8,
            f"{q[0]} {''.join(q[1:])} measured on the figure's coordinates is the gold",
        )


def check_row(rec: dict, row_timeout: float = 8.0) -> dict:
    """All attacks and damage checks on one row.

    rec: id, question, trace, masked, gold, style (typed / indexed), spans (or None), level."""
    findings: dict = {}
    unchecked: list[str] = []
    t0 = time.monotonic()
    ctx = RowCtx(rec)
    out = {"id": rec["id"], "gold": ctx.gold.raw}
    try:
        attack_extract(ctx, findings, unchecked, None)
    except RowTimeout:
        unchecked.append("extract")
    try:
        with Budget(row_timeout) as budget:
            ctx.build()
            q = QIndex(ctx.question)
            for name, fn in (
                ("visible_value", attack_visible),
                ("equivalent_form", attack_equivalent),
                ("equivalent_form", attack_singular),
                ("equivalent_form", attack_rounded),
                ("equivalent_form", attack_ruled_out),
                ("placeholder", attack_placeholder),
            ):
                try:
                    fn(ctx, q, findings)
                except (RowTimeout, RecursionError):
                    raise
                except Exception as exc:  # noqa: BLE001
                    unchecked.append(name)
                    findings.setdefault("_errors", []).append(f"{name}: {type(exc).__name__}: {exc}")
            for name, attack in (
                ("restated", attack_restated),
                ("replay", attack_replay),
                ("replay", attack_named_operation),
                ("replay", attack_point_operation),
                ("replay", attack_unary_operation),
                ("replay", attack_worded),
                ("replay", attack_divisor_count),
                ("replay", attack_digit_sum),
                ("figure", attack_figure),
            ):
                try:
                    attack(ctx, findings)
                except RowTimeout:
                    raise
                except Exception as exc:  # noqa: BLE001
                    unchecked.append(name)
                    findings.setdefault("_errors", []).append(f"{name}: {type(exc).__name__}: {exc}")
            for name, solver in (
                ("constraints", attack_constraints),
                ("constraints", attack_inverse_trig),
                ("constraints", attack_whole_bases),
                ("constraints", attack_boundary),
                ("constraints", attack_bound),
                ("system", attack_system),
                ("system", attack_question_function),
                ("constraints", attack_vieta),
                ("constraints", attack_root_sum),
                ("constraints", attack_matched),
                ("constraints", attack_equal_powers),
                ("congruence", attack_congruence),
                ("listed", attack_listed),
                ("listed", attack_even_steps),
                ("counted", attack_counted),
                ("option", attack_option),
                ("elimination", attack_elimination),
            ):
                try:
                    with Budget(min(4.0, max(0.5, budget.left() - 1))) as cb:
                        solver(ctx, findings, unchecked, cb)
                except RowTimeout:
                    unchecked.append(name)
                except Exception as exc:  # noqa: BLE001
                    unchecked.append(name)
                    findings.setdefault("_errors", []).append(f"{name}: {type(exc).__name__}: {exc}")
            rereads = (  # the constraints attack read again, each only where nothing is found yet
                ("relinked", lambda cb: _relinked_chains(rec, ctx, findings, unchecked, cb)),
                ("operated", lambda cb: _operated(ctx, findings, unchecked, cb)),
                ("instanced", lambda cb: _instanced(rec, ctx, findings, unchecked, cb)),
            )
            for label, reread in rereads:
                if findings.get("constraints") or findings.get("replay"):
                    break
                try:
                    with Budget(min(4.0, max(0.5, budget.left() - 1))) as cb:
                        reread(cb)
                except RowTimeout:
                    unchecked.append("constraints")
                except Exception as exc:  # noqa: BLE001
                    unchecked.append("constraints")
                    findings.setdefault("_errors", []).append(f"{label}: {type(exc).__name__}: {exc}")
            # re-arm the outer alarm (the inner Budget restored the handler but not the timer)
            if budget.armed and budget.left() > 0:
                signal.setitimer(signal.ITIMER_REAL, max(0.01, budget.left()))
            dmg, kept, hz, details = damage(rec, ctx)
    except (RowTimeout, RecursionError):
        unchecked.append("timeout")
        dmg, kept, hz, details = dict.fromkeys(DAMAGE, 0), {k: (0, 0) for k in STRUCT}, False, []
    if not ctx.gold.checkable:
        unchecked.append("gold")
    errors = findings.pop("_errors", [])
    out.update(
        leaks={k: v for k, v in findings.items() if v},
        unchecked=sorted(set(unchecked)),
        damage=dmg,
        damage_details=details,
        kept=kept,
        hidden_zero=hz,
        masked_fraction=rec.get("ref_fraction")
        if rec.get("ref_fraction") is not None
        else masked_fraction(rec, ctx),
        errors=errors,
        sides=(getattr(ctx, "n_sides", 0), getattr(ctx, "unparsed", 0)),
        seconds=round(time.monotonic() - t0, 3),
    )
    return out


# ------------------------------------------------------------------- blanks read as the latest result


def _ll_shape(node):
    """``node`` with every placeholder as one mark: how it is written, whatever it hides."""
    if isinstance(node, tuple):
        if node and node[0] == "unk":
            return ("unk",)
        return tuple(_ll_shape(c) for c in node)
    if isinstance(node, list):
        return tuple(_ll_shape(c) for c in node)
    return node


def _ll_keys(node) -> list:
    """The placeholder keys of ``node``, in the order it is written."""
    if isinstance(node, tuple):
        if node and node[0] == "unk":
            return [node[1]]
        return [k for c in node for k in _ll_keys(c)]
    if isinstance(node, list):
        return [k for c in node for k in _ll_keys(c)]
    return []


def _ll_match(node, latest: dict, pairs: list) -> None:
    """Pairs (this key, the result's key) for the largest parts of ``node`` written like a latest result:
    the node itself, a run of two or more terms of a sum, or any part further down."""
    if not isinstance(node, tuple) or not node or node[0] == "unk" or not _ll_keys(node):
        return
    hit = latest.get(_ll_shape(node))
    if hit is not None:
        pairs.extend(zip(_ll_keys(node), hit, strict=True))
        return
    covered: set[int] = set()
    if node[0] == "add" and len(node[1]) <= 12:
        terms = node[1]
        for width in range(len(terms) - 1, 1, -1):
            for i in range(len(terms) - width + 1):
                if covered & set(range(i, i + width)):
                    continue
                run = ("add", terms[i : i + width])
                hit = latest.get(_ll_shape(run)) if _ll_keys(run) else None
                if hit is not None:
                    pairs.extend(zip(_ll_keys(run), hit, strict=True))
                    covered |= set(range(i, i + width))
        for k, (_, term) in enumerate(terms):
            if k not in covered:
                _ll_match(term, latest, pairs)
        return
    for c in node[1:]:
        if isinstance(c, tuple):
            _ll_match(c, latest, pairs)


def latest_links(ctx: RowCtx) -> list[tuple[str, str]]:
    """How a reader of a worked solution links blanks written alike: the last side of a chain is a new
    value, the latest of the way it is written (``x+2*x+[N]*x=[N]*x``: the 7x); any other side, a run of a
    sum's terms, or a part of a side written like a latest result stands for it (``[N]*x=35`` is the 7x,
    the ``[N]*x`` in the sum is the 4x an earlier line computed). (key, key) pairs to join."""
    latest: dict = {}
    pairs: list[tuple[str, str]] = []
    for run in ctx.runs:
        for i, sd in enumerate(run):
            node = sd.node
            if node is None or node[0] == "unk" or not _ll_keys(node):
                continue
            if i == len(run) - 1 and i > 0:
                latest[_ll_shape(node)] = _ll_keys(node)
                continue
            found: list[tuple[str, str]] = []
            _ll_match(node, latest, found)
            if found:
                pairs.extend(p for p in found if p[0] != p[1])
            else:
                latest.setdefault(_ll_shape(node), _ll_keys(node))
    return pairs


# ------------------------------------------------------------- an operation on both sides, in prose

#: "both sides"; "each side" only of an equation ("each side of the equation", "each side of $A=B$")
BOTH_SIDES_RE = re.compile(
    r"\bboth\s+sides\b|\beach\s+side(?=\s+of\s+(?:the\s+(?:equation|inequality)\b|\$|\\\())", re.I
)
#: an equation named in words in the operation's sentence: "in the first equation", "equation (2)"
WORDS_NAMED_RE = re.compile(
    r"\b(?:first|second|third|fourth|last|other|former|latter|previous|top|bottom|given|original)\s+"
    r"(?:equation|inequalit|relation|line|one)|\bequation\s*\(?\d|\(\d+\)",
    re.I,
)
#: the verb right before "both sides": multiply, divide, square, cube ("taking the square root of" is none)
SCALE_VERB_RE = re.compile(r"\b(multipl|divid|squar|cub)[a-z]*\s+\Z", re.I)
#: "add $C$ to" / "subtracting $C$ from" right before "both sides"
SHIFT_VERB_RE = re.compile(
    r"\b(add|subtract)[a-z]*\s+(?:\$\$?|\\\()([^$]{1,60}?)(?:\$\$?|\\\))\s*(?:to|from)\s+\Z", re.I
)
#: "of $A = B$" right after "both sides"
NAMED_EQ_RE = re.compile(r"\s+of\s+(?:the\s+equation\s+)?(?:\$\$?|\\\()(?:\\\$|[^$]){1,400}?(?:\$\$?|\\\))")
#: "of the equation" right after "both sides", with no equation written there: the last one
OF_THE_EQUATION_RE = re.compile(r"\s+of\s+the\s+(?:equation|inequality)\b", re.I)
#: "by $C$" right after "both sides" (or after the equation named)
BY_OPERAND_RE = re.compile(r"\s*,?\s*by\s+(?:\$\$?|\\\()([^$]{1,120}?)(?:\$\$?|\\\))", re.I)
#: words right before the verb that say the operation is not done there ("after dividing", "cannot divide")
NOT_DONE_RE = re.compile(
    r"\b(?:after|before|not|cannot|can't|never|instead\s+of|rather\s+than|without)\s+(?:\w+\s+)?\Z", re.I
)
#: what between the operation and the next equation says it is more than the operation's result
MORE_STEPS_RE = re.compile(
    r"rearrang|simplif|expand|factor|collect|mov|subtract|\badd|divid|multipl|combin|cancel|squar|cub|tak"
    r"|isolat|solv|substitut|plug|[<>=≤≥]|\\(?:[lg]eq?|[lg]t|ne)\b",
    re.I,
)
#: a relation: a statement between the equation operated on and the operation
ANY_RELATION_RE = re.compile(r"[<>=≤≥≠]|\\(?:[lg]eq?|[lg]eqslant|[lg]t|neq?)(?![a-zA-Z])")


def _eq_pairs(ctx: RowCtx) -> list[tuple[Side, Side]]:
    """Every pair of neighbouring sides joined by ``=`` that a chain writes (one of them read at least)."""
    out = []
    for sides, rels in ctx.chains:
        for a, b, r in zip(sides, sides[1:], rels, strict=False):
            if r == "=" and (a.node is not None or b.node is not None):
                out.append((a, b))  # one side unread ("[N],\\!000/[N] = \\boxed{[N]}"): the other may do
    return out


def _pair_start(pair: tuple[Side, Side]) -> int:
    return pair[0].s if pair[0].node is not None else pair[1].s


def _pair_end(pair: tuple[Side, Side]) -> int:
    return pair[1].e if pair[1].node is not None else pair[0].e


def _operand_node(text: str, ctx: RowCtx):
    """The operand's node: ``None`` where it is hidden, holds a relation or does not parse."""
    if "[" in text or "=" in text:
        return None
    text = re.sub(r"(?<=\d)(?:,\\!|\{,\}|\\,)(?=\d{3})", "", text)
    node = parse_tokens(tokenize_tex(text, 0, len(text), ctx))
    return None if node is None or node[0] in ("tuple", "pm") else node


def operated_sides(ctx: RowCtx) -> list[tuple]:
    """The equations of an operation on both sides, named in prose: "Multiplying both sides by $5(x+1)$,
    we have $$[N] = x+1$$" after "$\\frac{2}{x+1} = [EXPR]$". Each side of the equation before (or of the
    one "of $A=B$" names), with the operation applied, equals the side in the same place of the equation
    after. (lhs, rhs, s, e) at the operand (a power's at the side it raises), for the constraints attack. A
    hidden operand gives nothing (the step is cut there), nor does an operation not done there ("after
    dividing"), one with another statement between it and its equation, or one whose next equation is
    written after more steps ("and rearranging")."""
    m = ctx.masked
    pairs = _eq_pairs(ctx)
    out = []
    read = 0
    for hit in BOTH_SIDES_RE.finditer(m):
        window = max(0, hit.start() - 120)
        scale = SCALE_VERB_RE.search(m, window, hit.start())
        shift = None if scale else SHIFT_VERB_RE.search(m, window, hit.start())
        verb = scale or shift
        if verb is None:
            continue
        read += 1
        if read > 16:
            break
        if NOT_DONE_RE.search(m, max(0, verb.start() - 30), verb.start()):
            continue
        stops = [x.end() for x in re.finditer(r"[.!?]\s|\n\s*\n", m[: verb.start()])]
        stop = re.search(r"[.!?]\s|\n\s*\n", m[hit.end() :])
        sentence = m[stops[-1] if stops else 0 : hit.end() + (stop.start() if stop else len(m))]
        if WORDS_NAMED_RE.search(sentence):
            continue
        kind = verb.group(1).lower()
        named = NAMED_EQ_RE.match(m, hit.end())
        the_equation = None if named else OF_THE_EQUATION_RE.match(m, hit.end())
        pos = named.end() if named else the_equation.end() if the_equation else hit.end()
        if kind in ("multipl", "divid"):
            by = BY_OPERAND_RE.match(m, pos)
            if by is None:
                continue
            operand, (s_op, e_op), end = _operand_node(by.group(1), ctx), by.span(1), by.end()
        elif kind in ("add", "subtract"):
            operand, (s_op, e_op), end = _operand_node(shift.group(2), ctx), shift.span(2), pos
        else:
            operand, (s_op, e_op), end = ("num", Fraction(2 if kind == "squar" else 3)), (0, 0), pos
        if operand is None:
            continue
        if named is not None:
            before = [p for p in pairs if named.start() <= _pair_start(p) and _pair_end(p) <= named.end()]
        else:
            before = [
                p
                for p in pairs
                if verb.start() - 400 <= _pair_end(p) <= verb.start()
                and not ANY_RELATION_RE.search(m, _pair_end(p), verb.start())
            ]
        after = [p for p in pairs if end <= _pair_start(p) <= end + 300]
        if not before or not after:
            continue
        (a, b), (c, d) = max(before, key=_pair_end), min(after, key=_pair_start)
        if MORE_STEPS_RE.search(m, end, _pair_start((c, d))):
            continue
        for side, result in ((a, c), (b, d)):
            if side.node is None or result.node is None:
                continue
            if kind == "multipl":
                node = ("mul", side.node, operand, False)
            elif kind == "divid":
                node = ("div", side.node, operand, False)
            elif kind == "add":
                node = ("add", [(1, side.node), (1, operand)])
            elif kind == "subtract":
                node = ("add", [(1, side.node), (-1, operand)])
            else:
                node = ("pow", side.node, operand)
                s_op, e_op = side.s, side.e
            out.append((result.node, _cancelled(node), s_op, e_op))
    return out


def _cancelled(node):
    """``node`` as one number where it cancels to one (``\\frac{2}{x+1} \\cdot 5(x+1)`` is 10), as a reader
    simplifies what the operation gives; else as it is (and where it is no finite real number)."""
    import sympy

    names: dict = {}
    try:
        value = sympy.cancel(to_sympy(node, names, {}))
        if value.free_symbols or not (value.is_real and value.is_finite):
            return node
        number = from_sympy(value)
    except Exception:  # noqa: BLE001 - not an expression sympy reads, or a value it cannot give
        return node
    return ("num", number) if number is not None else node


def _overlay(formula, inst, slots: list) -> bool:
    """`inst` is `formula` with something in each place of its one letter (those gathered in `slots`)."""
    if formula[0] == "var":
        slots.append(inst)
        return True
    if not isinstance(inst, tuple) or formula[0] != inst[0] or len(formula) != len(inst):
        return False
    for a, b in zip(formula[1:], inst[1:], strict=True):
        if isinstance(a, tuple) and a and isinstance(a[0], str):
            if not _overlay(a, b, slots):
                return False
        elif isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b):
                return False
            for x, y in zip(a, b, strict=True):
                if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int):  # (sign, term) of a sum
                    if not isinstance(y, tuple) or x[0] != y[0] or not _overlay(x[1], y[1], slots):
                        return False
                elif not _overlay(x, y, slots):
                    return False
        elif isinstance(a, bool) or isinstance(b, bool):
            continue  # `\\cdot` or juxtaposed, `/` or `\\frac`: the same product or quotient
        elif a != b:
            return False
    return True


def _skeleton(node):
    """`node` with every leaf (number, letter, blank) and flag erased: the shape a formula and its instance
    share."""
    if not isinstance(node, tuple) or not node or not isinstance(node[0], str):
        return "_"
    if node[0] in ("num", "var", "unk", "val", "const"):
        return "_"
    parts = [node[0]]
    for c in node[1:]:
        if isinstance(c, tuple) and c and isinstance(c[0], str):
            parts.append(_skeleton(c))
        elif isinstance(c, list):
            parts.append(
                tuple(
                    (x[0], _skeleton(x[1]))
                    if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int)
                    else _skeleton(x)
                    for x in c
                )
            )
        elif not isinstance(c, bool):
            parts.append(c)
    return tuple(parts)


def formula_instance_pairs(ctx: RowCtx) -> list:
    """`180(n-2)/n`, later `180([N]-2)/7`: a side or lone segment in one letter written twice (no blank), and
    a later side with blanks and no letter that is the same tree with a value or a blank in each of the
    letter's places; one value among them and a blank: (blank, value) pairs for the constraints attack."""
    sides = [sd for sides, _ in ctx.chains for sd in sides if sd.node is not None]
    formulas = []
    for sd in sides:
        if len(sd.var) == 1 and not sd.unk:
            name = next(iter(sd.var))
            kinds = [x[0] for x in walk(sd.node) if x[0] != "var" or x[1] == name]
            if kinds.count("var") >= 2 and "num" in kinds:  # (X + X, no number: the shape of any sum)
                formulas.append(sd)
    by_shape: dict = {}
    seen = set()
    for f in formulas:  # each formula once (its first place), at most 20 of one shape
        key = node_str(f.node)
        shape = by_shape.setdefault(_skeleton(f.node), [])
        if key not in seen and len(shape) < 20:
            seen.add(key)
            shape.append(f)
    out = []
    for inst in sides:
        if not inst.unk or inst.var:
            continue
        fits = {}  # value -> blanks, over every formula the instance fits
        for f in by_shape.get(_skeleton(inst.node), ()):
            slots: list = []
            between = ctx.masked[f.e : inst.s]
            if f.e > inst.s or not any(c in between for c in ("$", "\\]", "\\)", "\n")):
                continue  # written later, or in the same statement (X + X = [N] + 2 is no instance)
            if not _overlay(f.node, inst.node, slots):
                continue
            vals = {x[1] for x in slots if x[0] == "num"}
            keys = {x[1] for x in slots if x[0] == "unk"}
            if len(vals) == 1 and keys and all(x[0] in ("num", "unk") for x in slots):
                fits.setdefault(next(iter(vals)), set()).update(keys)
        if len(fits) == 1:  # two formulas that fit with two values: no reading
            ((v, keys),) = fits.items()
            out.extend((("unk", k), ("num", v), inst.s, inst.e) for k in sorted(keys))
            if len(out) >= 40:
                break
    return out[:40]


def _instanced(rec: dict, ctx: RowCtx, findings: dict, unchecked: list, budget) -> None:
    """The constraints attack again, with :func:`formula_instance_pairs` among its equations: on the trace
    as read, then read with :func:`latest_links` (a result carried to the blank written alike after it)."""
    if not formula_instance_pairs(ctx):
        return
    again = _relinked_ctx(rec, ctx)
    for c in (ctx, again) if again is not None else (ctx,):
        found: dict = {}
        pairs = formula_instance_pairs(c)
        attack_constraints(c, found, unchecked, budget, extra=pairs)
        if not found:  # the value carried on as a reader carries results to later blanks
            attack_replay(c, found, seed={blank[1]: (value[1], s0, e0) for blank, value, s0, e0 in pairs})
        if found:
            for name, items in found.items():
                for item in items:
                    item["detail"] = f"{item['detail']} (an instance of the trace's own formula)"
                findings.setdefault(name, []).extend(items)
            return


def _operated(ctx: RowCtx, findings: dict, unchecked: list, budget) -> None:
    """The constraints attack again, with :func:`operated_sides` among its equations."""
    extra = operated_sides(ctx)
    if not extra:
        return
    found: dict = {}
    attack_constraints(ctx, found, unchecked, budget, extra=extra)
    for name, items in found.items():
        for item in items:
            item["detail"] = f"{item['detail']} (an operation on both sides, read in prose)"
        findings.setdefault(name, []).extend(items)


def _relinked_ctx(rec: dict, ctx: RowCtx) -> RowCtx | None:
    """The row read again with :func:`latest_links` (each blank joined to the latest result written alike),
    or None where there is no such link."""
    pairs = latest_links(ctx)
    if not pairs:
        return None
    again = RowCtx(rec)
    for mine, theirs in pairs:
        again.union(theirs, mine)
    again.build()
    return again


def _relinked_chains(rec: dict, ctx: RowCtx, findings: dict, unchecked: list, budget) -> None:
    """The constraints and replay attacks again, on the trace read with :func:`latest_links`."""
    again = _relinked_ctx(rec, ctx)
    if again is None:
        return
    found: dict = {}
    attack_constraints(again, found, unchecked, budget)
    if not found.get("constraints"):
        attack_replay(again, found)
    for name, items in found.items():
        for item in items:
            item["detail"] = f"{item['detail']} (blanks read as the latest result written alike)"
        findings.setdefault(name, []).extend(items)


# --------------------------------------------------------------------------------------------- inputs

REF_NUM_RE = re.compile(r"\d+(?:\.\d+)?")


def last_boxed(s: str) -> str:
    i = s.rfind("\\boxed")
    if i < 0:
        return ""
    j = s.find("{", i)
    if j < 0:
        return ""
    depth, k = 0, j
    while k < len(s):
        depth += {"{": 1, "}": -1}.get(s[k], 0)
        if depth == 0:
            return s[j + 1 : k]
        k += 1
    return ""


def load_reference(path: str, fmt: str | None, limit: int | None) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if not line.strip():
                continue
            r = json.loads(line)
            f = fmt or (
                "gsm8k" if "answer" in r and "question" in r and "####" in str(r.get("answer")) else "math"
            )
            if f == "gsm8k":
                trace = r["answer"]
                gold = trace.rsplit("####", 1)[-1].strip().replace(",", "") if "####" in trace else ""
                q = r["question"]
                rid = r.get("id") or f"gsm8k-{i}"
            else:
                trace = r.get("solution") or ""
                gold = r.get("answer") or last_boxed(trace)
                q = r.get("problem") or r.get("question") or ""
                rid = r.get("unique_id") or r.get("id") or f"math-{i}"
            masked = REF_NUM_RE.sub("[NUMBER]", trace)
            replaced = sum(len(x.group(0)) for x in REF_NUM_RE.finditer(trace))
            spans = [{"start": x.start(), "end": x.end()} for x in REF_NUM_RE.finditer(trace)]
            rows.append(
                {
                    "id": str(rid),
                    "question": q,
                    "trace": trace,
                    "masked": masked,
                    "gold": gold,
                    "style": "typed",
                    "spans": spans,
                    "level": "reference",
                    "ref_fraction": replaced / len(trace) if trace else None,
                }
            )
            if limit and len(rows) >= limit:
                break
    return rows


def load_out_dir(path: str, limit: int | None) -> list[dict]:
    import pyarrow.parquet as pq

    if os.path.isfile(path):
        files = [path]
    else:
        files = sorted(glob.glob(os.path.join(path, "data", "*.parquet"))) or sorted(
            glob.glob(os.path.join(path, "*.parquet"))
        )
    if not files:
        raise SystemExit(f"{path}: no data/*.parquet")
    rows = []
    for f in files:
        table = pq.read_table(f)
        cols = set(table.column_names)
        for r in table.to_pylist():
            gold = ""
            rm = r.get("reward_model")
            if isinstance(rm, dict):
                gold = rm.get("ground_truth") or ""
            elif "answer" in cols:
                gold = r.get("answer") or ""
            rows.append(
                {
                    "id": str(r.get("id")),
                    "question": r.get("question") or "",
                    "trace": r.get("trace") or "",
                    "masked": r.get("masked_trace") or "",
                    "gold": str(gold),
                    "style": r.get("placeholder"),
                    "spans": r.get("spans") if "spans" in cols else None,
                    "level": r.get("mask_level"),
                }
            )
            if limit and len(rows) >= limit:
                return rows
    return rows


# --------------------------------------------------------------------------------------------- run


_ROW_TIMEOUT = 8.0


def _init_worker(row_timeout):
    global _ROW_TIMEOUT
    _ROW_TIMEOUT = row_timeout
    try:
        from math_verify import parse

        parse("$1$")
    except Exception:  # noqa: BLE001, S110
        pass


def _work(rec):
    return check_row(rec, _ROW_TIMEOUT)


def run_rows(rows: list[dict], jobs: int, row_timeout: float) -> list[dict]:
    if jobs <= 1 or len(rows) < 8:
        _init_worker(row_timeout)
        return [check_row(r, row_timeout) for r in rows]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctxm = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ProcessPoolExecutor(jobs, mp_context=ctxm, initializer=_init_worker, initargs=(row_timeout,)) as ex:
        return list(ex.map(_work, rows, chunksize=max(1, min(32, len(rows) // (jobs * 8) or 1))))


def summarize(name: str, kind: str, results: list[dict], seconds: float, examples: int) -> dict:
    n = len(results)
    leaks = Counter()
    leak_rows = 0
    leaky: dict[str, list[str]] = {a: [] for a in ATTACKS}
    ex: dict[str, list] = {a: [] for a in ATTACKS}
    unchecked = Counter()
    unchecked_rows = 0
    dmg = Counter()
    dmg_rows = Counter()
    kept = {k: [0, 0] for k in STRUCT}
    hz = 0
    fracs = []
    sides = [0, 0]
    dmg_ex: dict[str, list] = {k: [] for k in DAMAGE}
    for r in results:
        if r["leaks"]:
            leak_rows += 1
        for a, fs in r["leaks"].items():
            leaks[a] += 1
            leaky[a].append(r["id"])
            if len(ex[a]) < examples:
                ex[a].append(
                    {"id": r["id"], "text": fs[0]["text"], "detail": fs[0]["detail"], "gold": r["gold"]}
                )
        if r["unchecked"]:
            unchecked_rows += 1
            for u in r["unchecked"]:
                unchecked[u] += 1
        for k, v in r["damage"].items():
            dmg[k] += v
            if v:
                dmg_rows[k] += 1
                if len(dmg_ex[k]) < examples:
                    dd = [t for kind, t in r["damage_details"] if kind == k]
                    dmg_ex[k].append({"id": r["id"], "detail": dd[0] if dd else ""})
        for k, (a, b) in r["kept"].items():
            kept[k][0] += a
            kept[k][1] += b
        hz += bool(r["hidden_zero"])
        if r["masked_fraction"] is not None:
            fracs.append(r["masked_fraction"])
        sides[0] += r["sides"][0]
        sides[1] += r["sides"][1]
    return {
        "input": name,
        "kind": kind,
        "rows": n,
        "leak_rows": leak_rows,
        "leaks": {a: leaks.get(a, 0) for a in ATTACKS},
        "unchecked_rows": unchecked_rows,
        "unchecked": dict(unchecked),
        "damage": {k: dmg.get(k, 0) for k in DAMAGE},
        "damage_rows": {k: dmg_rows.get(k, 0) for k in DAMAGE},
        "kept_pct": {k: (round(100 * a / b, 2) if b else None) for k, (a, b) in kept.items()},
        "kept_counts": {k: list(v) for k, v in kept.items()},
        "hidden_zero_pct": round(100 * hz / n, 2) if n else 0.0,
        "mean_masked_fraction": round(sum(fracs) / len(fracs), 4) if fracs else None,
        "sides_parsed_pct": round(100 * (sides[0] - sides[1]) / sides[0], 1) if sides[0] else None,
        "seconds": round(seconds, 1),
        "leaky_ids": leaky,
        "examples": ex,
        "damage_examples": {k: v for k, v in dmg_ex.items() if v},
    }


def print_table(s: dict, examples: int):
    n = s["rows"] or 1
    print(f"\n== {s['input']}  ({s['kind']}, {s['rows']} rows, {s['seconds']} s) ==")
    w = 28

    def line(k, v):
        print(f"  {k:<{w}} {v}")

    line("rows leaking (any attack)", f"{s['leak_rows']}  ({100 * s['leak_rows'] / n:.1f}%)")
    for a in ATTACKS:
        line("  " + a, f"{s['leaks'][a]}  ({100 * s['leaks'][a] / n:.1f}%)")
    unc = ", ".join(f"{k} {v}" for k, v in sorted(s["unchecked"].items())) or "-"
    line("unchecked rows", f"{s['unchecked_rows']}  [{unc}]")
    line("damage (count / rows)", "")
    for k in DAMAGE:
        if k == "hidden_zero":
            continue
        line("  " + k, f"{s['damage'][k]} / {s['damage_rows'][k]}")
    kp = "  ".join(f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in s["kept_pct"].items())
    line("kept structure %", kp)
    line("hidden 0 after relation", f"{s['hidden_zero_pct']:.2f}% of rows")
    line(
        "mean masked fraction",
        "-" if s["mean_masked_fraction"] is None else f"{s['mean_masked_fraction']:.4f}",
    )
    line("relation sides parsed", "-" if s["sides_parsed_pct"] is None else f"{s['sides_parsed_pct']:.1f}%")
    if examples:
        for a in ATTACKS:
            for e in s["examples"][a]:
                print(f"  [{a}] {e['id']}  gold={e['gold']!r}\n      {e['detail']}\n      {e['text']!r}")
        for k, exs in s["damage_examples"].items():
            for e in exs:
                print(f"  [damage:{k}] {e['id']}  {e['detail']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("out_dirs", nargs="*", help="masker output folders (OUT_DIR/data/*.parquet)")
    ap.add_argument(
        "--reference",
        action="append",
        default=[],
        help="a GSM8K or MATH JSONL file, masked as the reference release",
    )
    ap.add_argument(
        "--format", action="append", default=[], choices=["gsm8k", "math"], help="format of each --reference"
    )
    ap.add_argument("--examples", type=int, default=0, help="examples printed per attack")
    ap.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    ap.add_argument(
        "--row-timeout",
        type=float,
        default=8.0,
        help="seconds per row (the constraint solver gets at most 4)",
    )
    ap.add_argument("--limit", type=int, default=None, help="only the first N rows of each input")
    args = ap.parse_args(argv)
    if not args.out_dirs and not args.reference:
        ap.error("give at least one OUT_DIR or --reference FILE")
    inputs = [("out_dir", p, None) for p in args.out_dirs]
    for i, p in enumerate(args.reference):
        fmt = args.format[i] if i < len(args.format) else (args.format[0] if args.format else None)
        inputs.append(("reference", p, fmt))
    summaries = []
    failed = False
    for kind, path, fmt in inputs:
        t0 = time.monotonic()
        rows = load_out_dir(path, args.limit) if kind == "out_dir" else load_reference(path, fmt, args.limit)
        results = run_rows(rows, args.jobs, args.row_timeout)
        s = summarize(
            path if kind == "out_dir" else f"{path} (reference, {fmt or 'auto'})",
            kind,
            results,
            time.monotonic() - t0,
            args.examples,
        )
        summaries.append(s)
        bad = s["leak_rows"] > 0 or any(v > 0 for v in s["damage"].values())
        if kind == "out_dir" and bad:
            failed = True
        if not args.json:
            print_table(s, args.examples)
    code = 1 if failed else 0
    if args.json:
        json.dump({"inputs": summaries, "exit": code}, sys.stdout, indent=1, default=str)
        print()
    return code


if __name__ == "__main__":
    sys.exit(main())
