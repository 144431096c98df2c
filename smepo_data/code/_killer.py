"""The sandbox's killer: ``python -I -S _killer.py UID``, run as root by :func:`._uids.sweep`, becomes ``UID``
(gid too, no supplementary groups) and sends ``SIGKILL`` to every process it may signal, which is then exactly
every process of ``UID`` (``kill(-1)`` spares the sender). A caller that cannot become ``UID`` (not root)
fails before it signals anything. Run by path in its own interpreter, since the process that kills must give
up root for good: stdlib only, imported by nothing but its tests.
"""

import os
import signal
import sys


def kill_all_of(uid: int) -> None:
    """Become ``uid`` and kill every process of it, in one ``kill(-1, SIGKILL)``. Irreversible for the
    calling process: run only in a process of its own."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    os.kill(-1, signal.SIGKILL)


if __name__ == "__main__":
    kill_all_of(int(sys.argv[1]))
