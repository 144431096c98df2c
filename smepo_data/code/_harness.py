"""The assert harness, in two sandboxed processes that share nothing but a pair of pipes (descriptors 3, 4).

``python _harness.py serve``: the *program* side. Runs the candidate's ``program.py`` as ``__main__``, sends
the names it defined, then answers calls. A value crosses only as plain built-in data (exact types: None,
bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset); anything else stays on this side
and crosses as an opaque handle.

``python _harness.py tests``: the *tests* side. Reads its request (entry point, imports, a per-run nonce) on
stdin, makes a stub for each name the program defined, runs ``tests.py`` (and ``check(entry_point)``) and
prints the nonce once every test has passed. Values come back from the program decoded into built-ins
here, so the tests' comparisons run on this side's ``int``, ``list`` ... and never call the program's
code; the nonce, the expected values and the tests' names never reach the program.

Copied as text into each run and executed there, so stdlib only; imported by nothing.
"""

import builtins
import importlib
import json
import os
import sys
import traceback
import types
from collections.abc import Callable
from contextlib import suppress
from typing import Any

READ_FD, WRITE_FD = 3, 4  # each side reads the other's messages on 3 and writes its own on 4
MAX_LINE = 16 * 1024 * 1024
MAX_DEPTH = 200
PLAIN = (type(None), bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset)
COLLECTION_TAGS: dict[type, str] = {list: "l", tuple: "t", set: "S", frozenset: "F"}


class ProgramEnded(BaseException):
    """The program's side closed its channel (it exited or died) before the tests were done."""


def encode(value, handle, depth=0):
    """``value`` as JSON-ready plain data; ``handle(obj)`` names what is not plain."""
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply to compare")
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        return ["i", format(value, "x")]
    if kind is float:
        return ["f", value.hex()]
    if kind is complex:
        return ["c", value.real.hex(), value.imag.hex()]
    if kind is str:
        return ["s", value]
    if kind is bytes:
        return ["b", value.hex()]
    if kind in COLLECTION_TAGS:
        return [COLLECTION_TAGS[kind], [encode(v, handle, depth + 1) for v in value]]
    if kind is dict:
        return ["d", [[encode(k, handle, depth + 1), encode(v, handle, depth + 1)] for k, v in value.items()]]
    for base, convert in AS_PLAIN:  # a subclass (Counter, a named tuple, an IntEnum): its base's value
        if isinstance(value, base):
            plain = convert(value)
            if type(plain) is base:
                return encode(plain, handle, depth + 1)
    return ["h", handle(value)]


# The base type's own conversion, which a subclass's overrides do not reach; only plain data crosses anyway.
AS_PLAIN: tuple[tuple[type, Callable[[Any], Any]], ...] = (
    (bool, bool),
    (int, int.__index__),
    (float, float.__float__),
    (str, str.__str__),
    (bytes, bytes.__bytes__),
    (dict, dict.copy),
    (list, list.copy),
    (tuple, lambda v: tuple(list(tuple.__iter__(v)))),
    (frozenset, frozenset.copy),
    (set, set.copy),
)


def decode(data, resolve, depth=0):
    """Plain data back into built-ins; ``resolve(n)`` turns a handle into what stands for it here."""
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply to compare")
    if data is None or type(data) is bool:
        return data
    if type(data) is not list or not data or type(data[0]) is not str:
        raise ValueError("malformed value from the other side")
    tag, *rest = data
    if tag == "i":
        return int(rest[0], 16)
    if tag == "f":
        return float.fromhex(rest[0])
    if tag == "c":
        return complex(float.fromhex(rest[0]), float.fromhex(rest[1]))
    if tag == "s" and type(rest[0]) is str:
        return rest[0]
    if tag == "b":
        return bytes.fromhex(rest[0])
    if tag in ("l", "t", "S", "F") and type(rest[0]) is list:
        items = [decode(v, resolve, depth + 1) for v in rest[0]]
        return {"l": list, "t": tuple, "S": set, "F": frozenset}[tag](items)
    if tag == "d" and type(rest[0]) is list:
        return {decode(k, resolve, depth + 1): decode(v, resolve, depth + 1) for k, v in rest[0]}
    if tag == "h" and type(rest[0]) is int:
        return resolve(rest[0])
    raise ValueError(f"malformed value from the other side: tag {tag!r}")


class Channel:
    """Newline-delimited JSON over two descriptors, with a bound on a line."""

    def __init__(self, read_fd, write_fd):
        self.read_fd, self.write_fd, self.buffer = read_fd, write_fd, b""

    def send(self, message):
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(self.write_fd, data) :]

    def receive(self):
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise ValueError("a message from the other side is too long")
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)


# ------------------------------------------------------------------------------------------ program side


def serve():
    channel = Channel(READ_FD, WRITE_FD)
    objects = []

    def handle(obj):
        objects.append(obj)
        return len(objects) - 1

    def resolve(n):
        return objects[n]

    main = types.ModuleType("__main__")
    main.__file__ = "program.py"
    sys.modules["__main__"] = main
    with open("program.py", "rb") as f:
        code = compile(f.read(), "program.py", "exec", dont_inherit=True)
    exec(code, main.__dict__)
    names = {}
    for name, value in list(vars(main).items()):
        if name.startswith("__"):
            continue
        if isinstance(value, types.ModuleType):
            names[name] = ["m", value.__name__]  # the tests import their own copy
            continue
        try:
            names[name] = encode(value, handle)
        except (ValueError, TypeError):
            continue
    channel.send({"names": names})
    while True:
        request = channel.receive()
        if request is None or request.get("op") == "bye":
            return
        try:
            channel.send({"ok": encode(answer(request, resolve, handle), handle)})
        except Exception as e:
            channel.send({"raise": [type(e).__name__, str(e)[:1000]]})


def answer(request, resolve, handle):
    op, target = request["op"], resolve(request["h"])
    if op == "call":
        args = decode(request["args"], resolve)
        kwargs = decode(request["kwargs"], resolve)
        return target(*args, **kwargs)
    if op == "getattr":
        return getattr(target, request["name"])
    if op == "iter":
        return iter(target)
    if op == "next":
        return next(target)
    if op == "len":
        return len(target)
    if op == "bool":
        return bool(target)
    if op == "getitem":
        return target[decode(request["key"], resolve)]
    raise ValueError(f"unknown request {op!r}")


# -------------------------------------------------------------------------------------------- tests side


class Remote:
    """Stands, on the tests' side, for a value of the program that is not plain data. It compares by
    identity and forwards calls, attributes, iteration, ``len``, indexing and truth (one plain ``bool``,
    no more than the program could return itself)."""

    __slots__ = ("_n",)

    def __init__(self, n):
        object.__setattr__(self, "_n", n)

    def __call__(self, *args, **kwargs):
        return ask({"op": "call", "h": self._n, "args": outgoing(list(args)), "kwargs": outgoing(kwargs)})

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return ask({"op": "getattr", "h": self._n, "name": name})

    def __iter__(self):
        iterator = ask({"op": "iter", "h": self._n})
        while True:
            try:
                yield ask({"op": "next", "h": iterator._n})
            except StopIteration:
                return

    def __len__(self):
        return ask({"op": "len", "h": self._n})

    def __getitem__(self, key):
        return ask({"op": "getitem", "h": self._n, "key": outgoing(key)})

    def __bool__(self):
        truth = ask({"op": "bool", "h": self._n})
        if type(truth) is not bool:
            raise TypeError("the program's value gave no truth value")
        return truth

    def __repr__(self):
        return f"<program value #{self._n}>"


_channel: Channel | None = None  # the tests side's, opened by tests()
_remotes: dict[int, Remote] = {}


def remote(n):
    if n not in _remotes:
        _remotes[n] = Remote(n)
    return _remotes[n]


def outgoing(value):
    def handle(obj):
        if type(obj) is Remote:
            return obj._n
        raise TypeError(f"the tests cannot pass a {type(obj).__name__} to the program")

    return encode(value, handle)


def ask(request):
    if _channel is None:
        raise RuntimeError("the tests side asked the program before tests() opened the channel")
    _channel.send(request)
    reply = _channel.receive()
    if reply is None:
        raise ProgramEnded("the program ended before all the tests ran")
    if "ok" in reply:
        return decode(reply["ok"], remote)
    name, message = reply["raise"]
    error = getattr(builtins, str(name), None)
    if not (isinstance(error, type) and issubclass(error, Exception)):
        error = RuntimeError
    raise error(message)


def taken(name, names, code, entry_point):
    """Whether the tests see the program's ``name``. One that shadows a built-in (``abs``, ``set``,
    ``isinstance``) is taken only as the entry point, or when it is the one name of the program that the
    tests use (MBPP's ``def sum(a, b)``): otherwise a program could replace what the tests compare with."""
    if not hasattr(builtins, name) or name == entry_point:
        return True
    return used_names(code) & set(names) == {name}


def used_names(code):
    found = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= used_names(const)
    return found


def tests():
    global _channel
    request = json.loads(sys.stdin.read())
    _channel = Channel(READ_FD, WRITE_FD)
    hello = _channel.receive()
    if hello is None:
        raise ProgramEnded("the program ended before all the tests ran")
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    for line in request["imports"]:
        exec(compile(line, "imports", "exec", dont_inherit=True), namespace)
    with open("tests.py", "rb") as f:
        code = compile(f.read(), "tests.py", "exec", dont_inherit=True)
    for name, value in hello["names"].items():
        if name in namespace or not taken(name, hello["names"], code, request["entry_point"]):
            continue
        if type(value) is list and value[:1] == ["m"] and len(value) == 2 and type(value[1]) is str:
            with suppress(ImportError):
                namespace[name] = importlib.import_module(value[1])
        else:
            namespace[name] = decode(value, remote)
    exec(code, namespace)
    if request["entry_point"]:
        namespace["check"](namespace[request["entry_point"]])
    _channel.send({"op": "bye"})
    print(request["nonce"], flush=True)


if __name__ == "__main__":
    role = sys.argv[1] if len(sys.argv) > 1 else ""
    if role == "serve":
        serve()
    elif role == "tests":
        try:
            tests()
        except ProgramEnded as e:
            print(f"ProgramEnded: {e}", file=sys.stderr)
            sys.exit(3)
        except BaseException:
            traceback.print_exc()
            sys.exit(1)
    else:
        sys.exit(f"usage: {sys.argv[0]} serve|tests")
