"""The hostile-program suite (``tests/hostile_cases.py``) in four modes: this process as it is (root with
namespaces here), a root caller without ``CAP_SYS_ADMIN`` (as in a container), a non-root user, and root of
a user namespace that maps one uid (a rootless container); the last three run the cases in a subprocess
under ``setpriv`` or ``unshare``. Each case must hold: no hacked program passes, the caller does not
crash, nothing is left behind. Also: the sandbox fails closed, and cleanup survives what a program may
leave on the host when it runs without isolation."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import smepo_data.code.sandbox as sandbox
from smepo_data.code import _isolation, _scratch

from .hostile_cases import CASES, run_case

ROOT = os.geteuid() == 0
REPO = Path(__file__).resolve().parent.parent
CAP_SYS_ADMIN = 21
MODES = {  # how the cases' subprocess is started: the caller each mode stands for
    "no_sys_admin": ["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"],
    "non_root": ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
    "root_in_user_namespace": ["unshare", "--user", "--map-root-user"],  # a rootless container's root
}
_results: dict[str, dict] = {}


def _others_can_enter(path: Path) -> bool:
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in (path, *path.parents))


def _python_for(mode: str) -> str | None:
    if mode != "non_root":
        return sys.executable
    system = [shutil.which(name, path=sandbox.SAFE_PATH) for name in ("python3.11", "python3")]
    for candidate in (os.path.realpath(sys.executable), *system):
        if candidate and _others_can_enter(Path(candidate).parent):
            return candidate
    return None


def _mode_results(mode: str) -> dict:
    """Every case's result in ``mode``, from one subprocess (run once per test session)."""
    if mode in _results:
        return _results[mode]
    if not ROOT:
        pytest.skip("switching to another mode needs root")
    tool = shutil.which(MODES[mode][0])
    if tool is None:
        pytest.skip(f"no {MODES[mode][0]} (util-linux) to run the cases in this mode")
    python = _python_for(mode)
    if python is None or (mode == "non_root" and not _others_can_enter(REPO)):
        pytest.skip("no Python and checkout that uid 65534 can reach")
    home = Path(tempfile.mkdtemp(prefix="smepo-hostile-"))
    try:
        if mode == "non_root":
            os.chown(home, 65534, 65534)
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "TMPDIR": str(home), "HOME": str(home)}
        proc = subprocess.run(
            [tool, *MODES[mode][1:], python, "-B", str(REPO / "tests" / "hostile_cases.py")],
            env=env,
            cwd=home,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    finally:
        _scratch.remove(home)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines and "caller" in lines[0], f"the cases did not start: {proc.stderr[-2000:]}"
    results = {"caller": lines[0]["caller"], **{line["case"]: line["result"] for line in lines[1:]}}
    _results[mode] = results
    return results


@pytest.mark.parametrize("name", CASES)
def test_hostile_program_as_this_process(name):
    result = run_case(name)
    if result.startswith("skipped"):
        pytest.skip(result)
    assert result == "held"


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_gets_full_isolation(mode):
    caller = _mode_results(mode)["caller"]
    assert caller["isolation"]["isolated"], caller
    if mode == "no_sys_admin":
        assert caller["uid"] == 0 and not int(caller["cap_eff"], 16) & (1 << CAP_SYS_ADMIN)
    elif mode == "non_root":
        assert caller["uid"] == 65534 and int(caller["cap_eff"], 16) == 0
    else:  # root, but only of a user namespace that maps one uid: no pool uid to run programs as
        assert caller["uid"] == 0 and "mapped to uid 0" in caller["isolation"]["uid"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", CASES)
def test_hostile_program_in_mode(mode, name):
    result = _mode_results(mode).get(name, "FAILED: no result (the caller crashed?)")
    if result.startswith("skipped"):
        pytest.skip(result)
    assert result == "held"


# ---------------------------------------------------------------------------------------- failing closed


def test_without_isolation_a_run_is_unavailable_unless_opted_in(monkeypatch):
    monkeypatch.setattr(_isolation, "_probe", lambda: (False, "user namespaces: Operation not permitted"))
    monkeypatch.delenv(sandbox.UNISOLATED_ENV, raising=False)
    r = sandbox.run_program("python", "print('ran')")
    assert r.status == "unavailable" and r.stdout == ""
    assert "user namespaces: Operation not permitted" in r.detail and sandbox.UNISOLATED_ENV in r.detail
    assert sandbox.isolation_report()["isolated"] is False

    monkeypatch.setenv(sandbox.UNISOLATED_ENV, "1")
    _isolation._warn_unisolated.cache_clear()
    with pytest.warns(RuntimeWarning, match="NOT ISOLATED"):
        r = sandbox.run_program("python", "print('ran')", limits=sandbox.Limits(wall_s=5.0))
    assert r.status == "ok" and r.stdout == "ran\n" and "NOT ISOLATED" in r.detail


def test_the_code_reward_stops_rather_than_scoring_zero_without_isolation(monkeypatch):
    from smepo_train.data import Sample
    from smepo_train.rewards import domain_reward

    monkeypatch.setattr(_isolation, "_probe", lambda: (False, "user namespaces: Operation not permitted"))
    monkeypatch.delenv(sandbox.UNISOLATED_ENV, raising=False)
    answer = json.dumps({"inputs": ["1"], "outputs": ["2"]})
    sample = Sample(0, [], "double it", answer, "code", None, None, {})
    with pytest.raises(sandbox.SandboxError, match="isolation unavailable"):
        domain_reward("```python\nprint(int(input()) * 2)\n```", sample)


# ------------------------------------------------------------------------------------------------ cleanup


def test_cleanup_of_a_deep_tree_with_links_out_never_follows_them_and_never_raises(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    outside.chmod(0o755)
    top = tmp_path / "run"
    path = top
    for i in range(1100):
        path = path / "d"
        path.mkdir(parents=True)
        if i % 100 == 0:
            (path / "link").symlink_to(outside)
            (path / "file-link").symlink_to(outside / "keep.txt")
    (top / "d").chmod(0)
    _scratch.remove(top)
    assert not top.exists()
    assert (outside / "keep.txt").read_text() == "keep" and stat.S_IMODE(outside.stat().st_mode) == 0o755
    _scratch.remove(tmp_path / "missing")  # nothing there: no error
