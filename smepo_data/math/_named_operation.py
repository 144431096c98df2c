"""The ``named_operation`` attack: the trace names the step's operation (a least common multiple, a
greatest common divisor) where the question does not, and its operands stay visible.

``... every 2 seconds ... (multiples of 2)``, ``(multiples of 3)``, ``(multiples of 4)``, then "the least
common multiple of the set": a reader takes the lcm of 2, 3 and 4 and has 12. The operands a reader takes
are the whole numbers the text shows before the name in its paragraph where the name says what it is of
("the least common multiple of the set"), those of them written as what a multiple or a divisor is of
("multiples of 3", "divisible by 4"), or those after the name in its sentence ("the lcm of 4 and 6"); every
name in the trace is read. Where the question itself names the operation ("What is the greatest common
divisor of 12 and 18?"), computing it is the task. Blamed on the operands
(the repair hides one of them, a copy of a question value first).

The same over points: "the slope between $A$ and $B$ is maximized when $A$ has coordinates (2,0) and $B$ has
coordinates (4,3)", "the triangle whose vertices are $(1,0),$ $(1,1),$ and $\\left(\\frac{1}{2}, 1\\right)$,
which has area [EXPR]": the trace names the slope (of two points) or the area (of the polygon of three
points or more, in the order written) in a sentence, and the points stand, every coordinate visible, in
that sentence or the one before. Points the question writes are its own: computing with them is the task.
Blamed on the last point (the repair hides one of its coordinates).

And over one value: "The reciprocal of $\\frac{2}{3}$ is $\\boxed{[EXPR]}$" (the square, cube, square or cube
root, absolute value alike, exact results only): the result is the gold, unless the question names the same
operation. Blamed on the value (a copy of the question's, which the policy reads back there). Counting the
divisors of a visible whole number is such an operation too, where the question asks "how many": "$n$ is a
divisor of 24 ... so we have $\\boxed{[NUMBER]}$ possible values" is 8 divisors, or 7 without the divisor 1
(the ``n > 1`` most such questions ask), unless the question speaks of divisors and writes that number.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from functools import lru_cache

from .._leak import Finding
from ._answer import Gold
from ._counted import ASKS_COUNT
from ._lexer import _FIGURE, scan_cached
from ._question import spaceless
from ._rational import Fraction
from ._values import numeric_value

_LCM = r"l(?:ea|owe)st common multiple|\blcm\b"  # \text{lcm}, LCM
_GCD = r"(?:greatest|highest) common (?:divisor|factor)|\b(?:gcd|gcf|hcf)\b"  # \gcd, GCF
_NAMED = re.compile(rf"(?P<lcm>{_LCM})|(?P<gcd>{_GCD})", re.IGNORECASE)
#: the most operands a reader takes together
_MAX_OPERANDS = 12
_PARAGRAPH = re.compile(r"\n\s*\n")
_NAME_OF = re.compile(r"\s+of\b")
#: what an operand of a multiple or a divisor follows: "(multiples of 3)", "divisible by 4"
_OF = re.compile(r"(?:multiples?|factors?|divisors?) of\s*\$?\s*$|divisible by\s*\$?\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def named_operation(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The ``replay`` attack over an operation the trace names: the lcm or gcd of the operands a reader
    takes (see the module) is the gold."""
    v = gold.value
    if not (isinstance(v, Fraction) and v.denominator == 1 and v > 1):
        return []
    if _NAMED.search(question):
        return []
    for named in _NAMED.finditer(masked):
        found = _named_at(masked, named, v.numerator)
        if found:
            return found
    return []


def _named_at(masked: str, named: re.Match[str], gold: int) -> list[Finding]:
    """The findings of the operation ``named`` names (see :func:`named_operation`)."""
    combine = math.lcm if named.lastgroup == "lcm" else math.gcd
    paragraph = max((m.end() for m in _PARAGRAPH.finditer(masked, 0, named.start())), default=0)
    end = _SENTENCE_END.search(masked, named.end())
    after = end.start() if end else len(masked)
    before = _whole_numbers(masked, paragraph, named.start())
    of = [o for o in before if _OF.search(masked, max(0, o[1] - 20), o[1])]
    # every number before the name only where the name says what it is of ("the lcm of the set")
    sets = [before] if _NAME_OF.match(masked, named.end()) else []
    sets += [of, _whole_numbers(masked, named.end(), after)]  # "the lcm of 4 and 6": what the name is of
    for operands in sets:
        values = sorted({n for n, _, _ in operands})
        if not (2 <= len(values) <= _MAX_OPERANDS and combine(*values) == gold):
            continue
        what = f"the {named.group().strip()} of {', '.join(map(str, values))} is the gold"
        # blamed on every copy of one operand whose loss breaks the step (the one shown fewest times)
        needed = [n for n in values if combine(*(x for x in values if x != n)) != gold]
        copies = {n: [o for o in operands if o[0] == n] for n in needed or values}
        cut = min(copies, key=lambda n: (len(copies[n]), -n))
        return [Finding("replay", what, start, stop) for _, start, stop in copies[cut]]
    return []


def _whole_numbers(masked: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """The whole numbers above 1 visible in ``masked[lo:hi]`` as values (no exponent, index or label)."""
    out = []
    for atom in scan_cached(masked).atoms:
        if atom.start < lo or atom.end > hi or atom.role != "value" or not atom.values:
            continue
        x = atom.values[0]
        if isinstance(x, Fraction) and x.denominator == 1 and 1 < x < 10**9:
            out.append((x.numerator, atom.start, atom.end))
    return out


#: an operation of one value named in words, and the value right after "of": "the reciprocal of
#: $\\frac{2}{3}$", "the square root of 49", "the absolute value of $-7$"
_UNARY = re.compile(
    r"(?i)\bthe\s+(?P<op>reciprocal|(?:multiplicative\s+)?inverse|square\s+root|cube\s+root|square|cube"
    r"|absolute\s+value)\s+of\s+(?:\$\s*)?(?P<value>(?:-\s*)?(?:\\[dt]?frac\s*(?:\{\s*\d+\s*\}\s*\{\s*\d+\s*\}"
    r"|\d\d)|\d+(?:/\d+|\.\d+)?))(?![\w^_/{\\]|\.\d)"
)
# (no two blank runs side by side: "of" + spaces + "$" + spaces, so a long run is read one way only)


def _unary(op: str, x: Fraction) -> Fraction | None:
    """``op`` (lower case, single spaces) of ``x`` where it is rational (a root only of a perfect power)."""
    if op in ("reciprocal", "inverse", "multiplicative inverse"):
        return 1 / x if x else None
    if op in ("square", "cube"):
        return x ** (2 if op == "square" else 3)
    if op == "absolute value":
        return abs(x)
    n = 2 if op == "square root" else 3
    if x < 0 and n == 2:
        return None
    roots = [_int_root(abs(part), n) for part in (x.numerator, x.denominator)]
    if roots[0] is None or roots[1] is None:
        return None
    return Fraction(roots[0], roots[1]) * (-1 if x < 0 else 1)


def _int_root(k: int, n: int) -> int | None:
    """The whole ``n``-th root (2 or 3) of ``k >= 0``, or ``None``; exact at any size."""
    if n == 2:
        r = math.isqrt(k)
    else:  # the largest r with r**3 <= k, by bisection
        lo, hi = 0, 1 << (k.bit_length() // 3 + 1)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if mid**3 <= k else (lo, mid - 1)
        r = lo
    return r if r**n == k else None


def unary_operations(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The ``replay`` attack over an operation of one visible value the trace names in words ("The reciprocal
    of $\\frac{2}{3}$ is $\\boxed{[EXPR]}$"): its result is the gold. Not an operation the question names
    itself ("What is the reciprocal of ...?": computing it is the task). Blamed on the value (the repair hides
    it; a copy of the question's value, the policy reads it back there)."""
    if not isinstance(gold.value, Fraction) or " of " not in masked:
        return []
    asked = {" ".join(m.group("op").lower().split()) for m in _UNARY.finditer(question)}
    out = []
    for m in _UNARY.finditer(masked):
        op = " ".join(m.group("op").lower().split())
        x = numeric_value(m.group("value").replace(" ", ""))
        if op in asked or not isinstance(x, Fraction):
            continue
        y = _unary(op, x)
        if y is not None and gold.equals(y):
            what = f"the {op} of {m.group('value')} is the gold"
            out.append(Finding("replay", what, *m.span("value")))
    return out


#: "a divisor of 24", "the factors of $24$", "positive divisors of 196": the number whose divisors are counted
#: (not a coefficient or a factorial: "the factors of $6x^2+5x+1$", "the prime factors of 10!")
_DIVISORS_OF = re.compile(
    r"(?i)\b(?:divisors?|factors?)\s+of\s+(?:\$\s*)?(?P<n>\d+)(?![\d^_{\\A-Za-z!]|[.,/]\d)"
)
_DIVISOR_WORD = re.compile(r"(?i)\b(?:divisors?|factors?)\b")
#: the largest number whose divisors a reader counts by hand
_MOST_DIVIDED = 10**7


def divisor_counts(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The ``replay`` attack over a count of divisors (see the module): the divisors of a visible whole
    number, all of them or all but 1, are as many as the gold. Blamed on the number."""
    v = gold.value
    if not (isinstance(v, Fraction) and v.denominator == 1 and v >= 1 and ASKS_COUNT.search(question)):
        return []
    # the question's own count ("How many divisors does 196 have?"): computing it is the task
    asked = set(re.findall(r"\d+", question)) if _DIVISOR_WORD.search(question) else set()
    out = []
    for m in _DIVISORS_OF.finditer(masked):
        n = int(m.group("n"))
        if m.group("n") in asked or not 2 <= n <= _MOST_DIVIDED:
            continue
        count = _divisor_count(n)
        if v.numerator in (count, count - 1):
            what = f"the divisors of {n} ({count}, {count - 1} without 1) count the gold"
            out.append(Finding("replay", what, *m.span("n")))
    return out


@lru_cache(maxsize=1024)
def _divisor_count(n: int) -> int:
    """How many positive divisors ``n >= 1`` has (trial division up to its square root)."""
    count, k = 0, 1
    while k * k <= n:
        if n % k == 0:
            count += 1 if k * k == n else 2
        k += 1
    return count


_POINT_NAMED = re.compile(r"\b(?P<slope>slopes?)\b|\b(?P<area>area)\b", re.IGNORECASE)
_COORDINATE = r"\s*(-?\s*(?:\\[dt]?frac\s*(?:\{-?\d+\}\s*\{\d+\}|\d\d)|\d+(?:\.\d+)?))\s*"
_POINT = re.compile(rf"(?:\\left)?\({_COORDINATE},{_COORDINATE}(?:\\right)?\)")
_SENTENCE_START = re.compile(r"[.!?](?=\s)|\n\s*\n")
#: what an interval follows ("positive on $(0,1)$", "for $x \\in (1,3)$"): a pair of ends, no point
_INTERVAL_BEFORE = re.compile(
    r"(?i)(?:\bon|\binterval|\\in|\bin|\bover|\bbetween|\bfrom)\s*\$?\s*(?:\\left\s*)?$"
)
#: the most points a polygon of the text has, read at once
_MAX_POINTS = 12


def point_operations(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The slope or the area a sentence names, of the points it (or the sentence before) shows with every
    coordinate visible, is the gold (see the module): blamed on the points."""
    v = gold.value
    if not isinstance(v, Fraction) or "(" not in masked:
        return []
    asked = spaceless(question)
    figures = [m.span() for m in _FIGURE.finditer(masked)] if "[asy]" in masked else []
    starts = [0] + [m.end() for m in _SENTENCE_START.finditer(masked)]
    for named in _POINT_NAMED.finditer(masked):
        k = bisect.bisect_right(starts, named.start()) - 1  # the name's sentence starts at starts[k]
        end = _SENTENCE_END.search(masked, named.end())
        hi = end.start() if end else len(masked)
        for lo in dict.fromkeys((starts[k], starts[max(0, k - 1)])):
            points = [
                (m, p)
                for m in itertools.islice(_POINT.finditer(masked, lo, hi), _MAX_POINTS + 1)
                if (p := _point(m)) is not None
                and spaceless(m.group()) not in asked
                and not any(a <= m.start() < b for a, b in figures)  # figure code: no point of the text
                and not _INTERVAL_BEFORE.search(masked, max(0, m.start() - 16), m.start())
            ]
            if len(points) > _MAX_POINTS:
                continue
            value = _slope(points) if named.lastgroup == "slope" else _area(points)
            if value is not None and gold.equals(value):
                shown = ", ".join(m.group() for m, _ in points)
                what = f"the {named.group().lower()} of the visible points {shown} is the gold"
                last = points[-1][0]  # one hidden coordinate stops the computation
                return [Finding("replay", what, last.start(), last.end())]
    return []


def _point(m: re.Match[str]) -> tuple[Fraction, Fraction] | None:
    x, y = (numeric_value(c.replace(" ", "")) for c in m.groups())
    return (x, y) if isinstance(x, Fraction) and isinstance(y, Fraction) else None


def _slope(points: list) -> Fraction | None:
    if len(points) != 2:
        return None
    (x1, y1), (x2, y2) = (p for _, p in points)
    return (y2 - y1) / (x2 - x1) if x2 != x1 else None


def _area(points: list) -> Fraction | None:
    """The shoelace area of the polygon of ``points`` in the order written (three or more, all distinct)."""
    ps = [p for _, p in points]
    if len(ps) < 3 or len(set(ps)) != len(ps):
        return None
    twice = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ps, ps[1:] + ps[:1], strict=True))
    return abs(twice) / 2 if twice else None
