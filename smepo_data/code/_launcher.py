"""The sandbox's launcher: the parent runs it (``python -I -S _launcher.py CONFIG ARGV...``); never imported.

Stdlib only, since it runs outside the package. Chain of processes, each reporting on the ``report`` pipe as
JSON lines (``init``, ``status``, ``note``, ``unavailable``, ``error``):

* the launcher (the caller's uid, in the caller's namespaces) forks the **keeper** and writes the keeper's
  uid and gid maps once it has unshared: inside, uid 0 is the sandbox uid (a pool uid when the caller is root,
  else the caller's own uid);
* the keeper unshares user, mount, PID, network, IPC and UTS namespaces, takes uid and gid 0 of its user
  namespace and forks the **init** (PID 1 of the new PID namespace), whose end takes every process of the
  run with it;
* the init builds a minimal root on a tmpfs (read-only binds of the toolchain and the build directory, a fresh
  tmpfs as the working directory, a small ``/dev`` and a ``/proc`` with only the run's processes), pivots into
  it, forks the **program**, waits for it, kills whatever it left, copies new regular files out when asked,
  and reports the exit status;
* the program sets its limits, ``PR_SET_NO_NEW_PRIVS``, drops every capability (bounding set included) and
  execs the command.

Where a step of the isolation fails, the run reports ``unavailable`` with the step and the error, and the
program never starts; ``isolate: false`` (the caller's explicit opt-in) skips the namespaces.
"""

import ctypes
import fcntl
import json
import os
import resource
import signal
import stat
import sys
from contextlib import suppress

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER = 0x20000, 0x4000000, 0x8000000, 0x10000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 262144
MNT_DETACH = 2
PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = (
    4,
    38,
    24,
    47,
    4,
)
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 1, 2, 4
SYS_MOUNT_SETATTR, SYS_PIVOT_ROOT, SYS_CAPSET = 442, 155, 126
DEVICES = ("null", "zero", "full", "random", "urandom")
CHANNEL_FDS = (3, 4)  # where a program finds its channel's read and write ends

libc = ctypes.CDLL(None, use_errno=True)


class Unavailable(Exception):
    """A step of the isolation failed: the run must not start."""


class MountAttr(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in ("attr_set", "attr_clr", "propagation", "userns_fd")]


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapData(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint32) for n in ("effective", "permitted", "inheritable")]


def main() -> None:
    cfg = json.loads(sys.argv[1])
    argv = sys.argv[2:]
    report = cfg["report"]

    def send(**msg):
        os.write(report, (json.dumps(msg) + "\n").encode())

    if cfg["isolate"]:
        guarded("launcher", send, lambda: launch(cfg, argv, send))
    guarded("launcher", send, lambda: init(cfg, argv, send, isolated=False))


def guarded(where, send, action):
    """Run ``action`` as the whole of a process of the chain: it ends with 0, or 125 / 126 having said why."""
    try:
        action()
    except Unavailable as e:
        send(unavailable=str(e))
        os._exit(125)
    except Exception as e:
        send(error=f"{where}: {type(e).__name__}: {e}")
        os._exit(126)
    os._exit(0)


def call(what, fn, *args):
    if fn(*args) != 0:
        err = ctypes.get_errno()
        raise Unavailable(f"{what}: {os.strerror(err)}")


def launch(cfg, argv, send):
    """Fork the keeper, map its ids once it has unshared, and wait for it."""
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    keeper = os.fork()
    if keeper == 0:
        os.close(ready_r)
        os.close(go_w)
        guarded("keeper", send, lambda: keep(cfg, argv, send, ready_w, go_r))
    os.close(ready_w)
    os.close(go_r)
    close_channel(cfg)
    try:
        if os.read(ready_r, 1) == b"1":
            map_ids(keeper, cfg)
            for procs in cfg["cgroup_procs"]:  # before the keeper starts anything: all of the run joins
                try:
                    write(procs, str(keeper))
                except OSError as e:
                    send(note=f"not in its cgroup: {e.strerror}")
            os.write(go_w, b"1")
    finally:
        os.close(go_w)
        _, status = os.waitpid(keeper, 0)
    if os.waitstatus_to_exitcode(status) == 126:
        os._exit(126)


def keep(cfg, argv, send, ready_w, go_r):
    """Unshare, wait for the id maps, become uid 0 of the new user namespace and run the init."""
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    call("user, mount, PID, network and IPC namespaces", libc.unshare, flags)
    os.write(ready_w, b"1")
    if os.read(go_r, 1) != b"1":
        os._exit(125)  # the launcher could not map the ids and said why
    # Still the caller's uid on the host: open what is bound later, which the sandbox uid may not reach.
    cfg["bind_sources"] = [bind_source(path) for path in cfg["binds"]]
    cfg["in_fd"] = open_dir(cfg["in_dir"])
    cfg["out_fd"] = open_dir(cfg["out_dir"]) if cfg["out_dir"] else None
    if cfg["root_caller"]:
        os.setgroups([])
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)
    pid = os.fork()
    if pid == 0:
        guarded("init", send, lambda: init(cfg, argv, send, isolated=True))
    close_channel(cfg)
    send(init=pid)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        send(note=f"the run's init was killed by signal {-code}")
    os._exit(code & 0xFF)


def bind_source(path):
    """``("link", target)``, ``("dir", fd)`` or ``("file", fd)`` (``O_PATH`` descriptors); None if absent."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return ("link", os.readlink(path))
    kind = "dir" if stat.S_ISDIR(info.st_mode) else "file"
    return (kind, os.open(path, os.O_PATH | os.O_CLOEXEC))


def close_channel(cfg):
    for fd in cfg.get("channel") or ():
        with suppress(OSError):
            os.close(fd)


def map_ids(pid, cfg):
    uid, gid = cfg["outer_uid"], cfg["outer_gid"]
    try:
        if not cfg["root_caller"]:
            write(f"/proc/{pid}/setgroups", "deny")
        write(f"/proc/{pid}/uid_map", f"0 {uid} 1\n")
        write(f"/proc/{pid}/gid_map", f"0 {gid} 1\n")
    except OSError as e:
        raise Unavailable(f"uid/gid map of the user namespace: {e.strerror}") from None


def write(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def init(cfg, argv, send, isolated):
    """PID 1 of the run (or, not isolated, the program's parent): set up, run, reap, report."""
    workdir = cfg["workdir"]
    if isolated:
        # PID 1 ignores what the program could send it, and cannot be traced or read through /proc.
        for sig in (
            signal.SIGINT,
            signal.SIGTERM,
            signal.SIGHUP,
            signal.SIGQUIT,
            signal.SIGUSR1,
            signal.SIGUSR2,
            signal.SIGPIPE,
            signal.SIGALRM,
            signal.SIGTSTP,
            signal.SIGTTIN,
            signal.SIGTTOU,
        ):
            signal.signal(sig, signal.SIG_IGN)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        minimal_root(cfg)
    else:
        copy_files(open_dir(cfg["in_dir"]), workdir)
    os.chdir(workdir)
    child = os.fork()
    if child == 0:
        program(cfg, argv, send)
    close_channel(cfg)
    while True:
        pid, status = os.wait()
        if pid == child:
            break
    if isolated:
        # PID 1 outlives everything it kills; orphans of the program are reaped here.
        with suppress(ProcessLookupError):  # nothing left
            os.kill(-1, signal.SIGKILL)
        while True:
            try:
                os.wait()
            except ChildProcessError:
                break
        if cfg["out_fd"] is not None:
            copy_out(workdir, cfg["out_fd"], set(cfg["sources"]), cfg["out_bytes"])
    send(status=status)


def mount(what, source, target, fstype, flags, data=None):
    call(what, libc.mount, enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data))


def enc(value):
    return value.encode() if isinstance(value, str) else value


def set_attrs(what, path, attrs, recursive=True):
    attr = MountAttr(attrs, 0, 0, 0)
    flags = AT_RECURSIVE if recursive else 0
    args = (ctypes.c_long(AT_FDCWD), enc(path), ctypes.c_long(flags), ctypes.byref(attr), ctypes.sizeof(attr))
    call(what, libc.syscall, ctypes.c_long(SYS_MOUNT_SETATTR), *args)


def minimal_root(cfg):
    """A tmpfs root holding read-only binds of what the program needs; nothing else of the host."""
    new = cfg["stage"]  # an existing directory the sandbox uid can reach: the new root is mounted over it
    mount("private mounts", None, "/", None, MS_REC | MS_PRIVATE)
    mount("root tmpfs", "smepo", new, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=4096,mode=0755")
    for path, source in zip(cfg["binds"], cfg["bind_sources"], strict=True):
        if source is None:
            continue
        kind, ref = source
        target = new + path
        make_parents(target)
        if kind == "link":
            if not os.path.lexists(target):
                os.symlink(ref, target)
            continue
        if kind == "dir":
            os.makedirs(target, exist_ok=True)
        elif not os.path.exists(target):
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o644))
        mount(f"bind {path}", f"/proc/self/fd/{ref}", target, None, MS_BIND | MS_REC)
        set_attrs(f"read-only {path}", target, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)
    work = new + cfg["workdir"]
    os.makedirs(work, exist_ok=True)
    size = f"size={cfg['disk_mb']}m,nr_inodes={cfg['inodes']},mode=0755"
    mount("working directory tmpfs", "smepo-work", work, "tmpfs", MS_NOSUID | MS_NODEV, size)
    copy_files(cfg["in_fd"], work)
    dev = new + "/dev"
    os.makedirs(dev, exist_ok=True)
    mount("/dev tmpfs", "smepo-dev", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,nr_inodes=64,mode=0755")
    for name in DEVICES:
        os.close(os.open(f"{dev}/{name}", os.O_WRONLY | os.O_CREAT, 0o666))
        mount(f"bind /dev/{name}", f"/dev/{name}", f"{dev}/{name}", None, MS_BIND)
    os.makedirs(f"{dev}/shm")
    mount("/dev/shm tmpfs", "smepo-shm", f"{dev}/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,nr_inodes=64")
    for name, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ):
        os.symlink(target, f"{dev}/{name}")
    set_attrs("read-only /dev", dev, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, recursive=False)
    os.makedirs(new + "/proc")
    mount("/proc", "proc", new + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "subset=pid")
    os.makedirs(new + "/.old")
    call("pivot_root", libc.syscall, ctypes.c_long(SYS_PIVOT_ROOT), enc(new), enc(new + "/.old"))
    os.chdir("/")
    call("detach the host's root", libc.umount2, b"/.old", MNT_DETACH)
    os.rmdir("/.old")
    set_attrs(
        "read-only root", "/", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, recursive=False
    )


def make_parents(target):
    parent = os.path.dirname(target)
    if not os.path.isdir(parent):
        os.makedirs(parent, mode=0o755, exist_ok=True)


def open_dir(path):
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def copy_files(src_fd, dst):
    """Copy the run's sources (written by the parent, trusted) from the directory ``src_fd`` into ``dst``."""
    for root, dirs, names, root_fd in os.fwalk(".", dir_fd=src_fd):
        base = os.path.normpath(os.path.join(dst, root))
        for d in dirs:
            os.makedirs(os.path.join(base, d), mode=0o755, exist_ok=True)
        for name in names:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=root_fd)
            with open(fd, "rb") as f:
                data = f.read()
            out = os.open(os.path.join(base, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(out, data)
            finally:
                os.close(out)


def copy_out(workdir, out_fd, sources, limit):
    """Regular files the program made at the top of its working directory (a compiler's output), no links."""
    for entry in os.scandir(workdir):
        if entry.name in sources or not entry.is_file(follow_symlinks=False):
            continue
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode) or os.fstat(fd).st_size > limit:
                continue
            out = os.open(entry.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o755, dir_fd=out_fd)
            try:
                while chunk := os.read(fd, 1 << 20):
                    os.write(out, chunk)
            finally:
                os.close(out)
        finally:
            os.close(fd)


def program(cfg, argv, send):
    """The program's process: limits, no new privileges, no capabilities, then exec."""
    try:
        for sig in range(1, signal.NSIG):
            with suppress(OSError, ValueError):
                signal.signal(sig, signal.SIG_DFL)
        os.umask(0o022)
        channel = cfg.get("channel")
        if channel:
            # first out of the way of 3 and 4, the report too
            cfg["report"] = fcntl.fcntl(cfg["report"], fcntl.F_DUPFD_CLOEXEC, 10)
            moved = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in channel]
            for fd, target in zip(moved, CHANNEL_FDS, strict=True):
                os.dup2(fd, target, inheritable=True)
                os.close(fd)
        for name, (soft, hard) in cfg["rlimits"].items():
            resource.setrlimit(getattr(resource, name), (soft, hard))
        if cfg["uid"] is not None:  # not isolated, as root: drop to the pool uid
            os.setgroups([])
            os.setgid(cfg["uid"])
            os.setuid(cfg["uid"])
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS")
        if cfg["isolate"]:
            drop_capabilities()
        os.set_inheritable(cfg["report"], False)
        os.execv(argv[0], argv)
    except OSError as e:
        send(error=f"cannot run {argv[0]}: {e.strerror or e}")
        os._exit(127)


def drop_capabilities():
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    for cap in range(64):  # beyond the kernel's last capability, the call fails harmlessly
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (CapData * 2)()
    if libc.syscall(ctypes.c_long(SYS_CAPSET), ctypes.byref(header), ctypes.byref(data)) != 0:
        raise OSError(ctypes.get_errno(), "capset")


if __name__ == "__main__":
    main()
