"""``smepo-data publish``: the Hub folder and card (checked by loading it back with ``datasets``), and the
upload, tested offline at the HTTP boundary with a fake Hub transport."""

from __future__ import annotations

import base64
import hashlib
import json
import logging

import pyarrow.parquet as pq
import pytest
import yaml

from smepo_data.cli import main
from smepo_data.hub import build_folder, load_run
from smepo_data.hub.layout import config_names

TOKEN = "hf_smepoTESTtoken0123456789abcdefXYZ"
ALL = ["gsm8k", "math500", "humaneval", "mbpp", "hotpotqa"]
#: the config each sample run becomes: GSM8K and MATH-500 share the math domain, HumanEval and MBPP code
CONFIGS = {
    "gsm8k": "gsm8k",
    "math500": "math",
    "humaneval": "openai_humaneval",
    "mbpp": "mbpp",
    "hotpotqa": "search",
}


def card_yaml(folder) -> dict:
    text = (folder / "README.md").read_text()
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_dry_run_folder_loads_back_per_config_and_split(masked_outputs, tmp_path, capsys):
    from datasets import load_dataset

    folder = tmp_path / "hub"
    args = ["publish", *(str(masked_outputs[n]) for n in ALL), "--repo-id", "smepo/masked", "--dry-run"]
    assert main([*args, "--folder", str(folder)]) == 0
    assert "dry run" in capsys.readouterr().out
    meta = card_yaml(folder)
    files = {str(p.relative_to(folder)) for p in folder.rglob("*.parquet")}
    named = {f for c in meta["configs"] for d in c["data_files"] for f in d["path"]}
    assert named == files  # the card names every data file, and nothing else
    assert {c["config_name"] for c in meta["configs"]} == set(CONFIGS.values())
    assert meta["license"] == ["cc-by-4.0", "cc-by-sa-4.0", "mit"]  # MBPP, HotpotQA, the rest
    assert meta["size_categories"] == ["n<1K"] and "smepo" in meta["tags"]
    for name, config in CONFIGS.items():
        ds = load_dataset(str(folder), config, split="train", cache_dir=str(tmp_path / "cache"))
        original = pq.read_table(masked_outputs[name] / "data")
        assert ds.column_names == original.column_names
        assert ds.to_list() == original.to_pylist()
    body = (folder / "README.md").read_text()
    for needle in ("Austin et al. 2021", "share-alike", "level `critical`", 'load_dataset("smepo/masked"'):
        assert needle in body


def test_card_is_valid_hub_metadata(masked_outputs, tmp_path):
    from huggingface_hub import DatasetCard

    layout = build_folder([load_run(masked_outputs["gsm8k"])], tmp_path / "hub", "org/gsm8k-masked")
    card = DatasetCard.load(layout.folder / "README.md")
    assert card.data.license == "mit" and card.data.configs[0]["config_name"] == "math"
    assert layout.files == ["data/math/train-00000-of-00001.parquet"]


def test_config_names_and_clashes(masked_outputs, tmp_path):
    runs = [load_run(masked_outputs[n]) for n in ("gsm8k", "humaneval")]
    assert config_names(runs) == ["math", "code"]  # one run per domain: the domain
    named = load_run(f"{masked_outputs['gsm8k']}=gsm8k_critical")
    assert config_names([named]) == ["gsm8k_critical"]
    with pytest.raises(ValueError, match="both make config 'math' split 'train'"):
        build_folder([runs[0], runs[0]], tmp_path / "hub", "org/x")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="not laid out by smepo-data publish"):
        build_folder(runs, tmp_path / "mine", "org/x")


def _git_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub:
    """The Hub's HTTP API as far as create_repo + upload_folder use it: records every request."""

    def __init__(self, folder, exists: bool = False, committed: frozenset[str] = frozenset()):
        self.folder, self.exists, self.committed = folder, exists, committed
        self.requests = []

    def __call__(self, request):
        import httpx2

        path = request.url.path
        if path == "/api/agent-harnesses":  # huggingface_hub's user-agent registry: unavailable, so that
            return httpx2.Response(404)  # it caches nothing in the user's HF_HOME
        self.requests.append(request)
        if path == "/api/repos/create":
            if self.exists:
                url = "https://huggingface.co/datasets/org/name"  # the Hub's 409 names the existing repo
                return httpx2.Response(
                    409, json={"error": "You already created this dataset repo", "url": url}
                )
            return httpx2.Response(
                200, json={"url": "https://huggingface.co/datasets/org/name", "name": "org/name"}
            )
        if path == "/api/validate-yaml":
            return httpx2.Response(200, json={"errors": [], "warnings": []})
        if path == "/api/datasets/org/name/preupload/main":
            files = json.loads(request.content)["files"]
            return httpx2.Response(200, json={"files": [self._mode(f["path"]) for f in files]})
        if path == "/api/datasets/org/name/commit/main":
            url = "https://huggingface.co/datasets/org/name/commit/" + "a" * 40
            return httpx2.Response(200, json={"commitUrl": url, "commitOid": "a" * 40})
        return httpx2.Response(404, json={"error": f"not faked: {request.method} {path}"})

    def _mode(self, path: str) -> dict:
        oid = _git_sha((self.folder / path).read_bytes()) if path in self.committed else None
        return {"path": path, "uploadMode": "regular", "shouldIgnore": False, "oid": oid}

    def paths(self):
        return [(r.method, r.url.path) for r in self.requests]


@pytest.fixture
def fake_hub(monkeypatch):
    """Route huggingface_hub's HTTP client through a FakeHub (set ``.hub``), then restore the default."""
    import httpx2
    from huggingface_hub.utils import _http

    holder = type("Holder", (), {"hub": None})()
    _http.set_client_factory(lambda: httpx2.Client(transport=httpx2.MockTransport(lambda r: holder.hub(r))))
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    yield holder
    _http.set_client_factory(_http.default_client_factory)


def test_upload_requests_and_the_token_never_shows(masked_outputs, tmp_path, fake_hub, capsys, caplog):
    folder = tmp_path / "hub"
    fake_hub.hub = hub = FakeHub(folder)
    caplog.set_level(logging.DEBUG)
    runs = [str(masked_outputs["gsm8k"]), str(masked_outputs["mbpp"])]
    code = main(["publish", *runs, "--repo-id", "org/name", "--private", "--folder", str(folder)])
    out = capsys.readouterr()
    assert code == 0, out
    assert hub.paths() == [
        ("POST", "/api/repos/create"),
        ("POST", "/api/validate-yaml"),
        ("POST", "/api/datasets/org/name/preupload/main"),
        ("POST", "/api/datasets/org/name/commit/main"),
    ]
    create, _, preupload, commit = hub.requests
    assert json.loads(create.content) == {
        "name": "name",
        "organization": "org",
        "visibility": "private",
        "type": "dataset",
    }
    local = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert sorted(f["path"] for f in json.loads(preupload.content)["files"]) == local
    ops = [json.loads(line) for line in commit.content.decode().splitlines()]
    assert ops[0]["key"] == "header" and ops[0]["value"]["summary"] == "smepo-data publish: math, code"
    sent = {op["value"]["path"]: base64.b64decode(op["value"]["content"]) for op in ops[1:]}
    assert sent == {path: (folder / path).read_bytes() for path in local}
    # the token goes in the Authorization header of every Hub call, and nowhere else
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in hub.requests)
    assert "commit/" + "a" * 40 in out.out
    assert TOKEN not in (out.out + out.err).replace("\n", "")  # not even wrapped over two lines
    assert not [r for r in caplog.records if TOKEN in r.getMessage()]
    assert caplog.records  # huggingface_hub did log (debug), and none of it holds the token
    assert not [p for p in folder.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]


def test_a_rerun_resumes_skipping_what_is_already_committed(masked_outputs, tmp_path, fake_hub, capsys):
    folder = tmp_path / "hub"
    runs = [str(masked_outputs["gsm8k"]), str(masked_outputs["mbpp"])]
    done = frozenset({"data/math/train-00000-of-00001.parquet"})  # committed before the crash
    fake_hub.hub = hub = FakeHub(folder, exists=True, committed=done)
    assert main(["publish", *runs, "--repo-id", "org/name", "--folder", str(folder)]) == 0
    ops = [json.loads(line) for line in hub.requests[-1].content.decode().splitlines()]
    assert sorted(op["value"]["path"] for op in ops[1:]) == [
        "README.md",
        "data/code/train-00000-of-00001.parquet",
    ]
    assert TOKEN not in "".join(capsys.readouterr())


def test_a_failed_upload_says_so_without_the_token(masked_outputs, tmp_path, fake_hub, capsys):
    import httpx2

    def rude(request):  # a server that echoes the credentials back in its error
        return httpx2.Response(
            403, json={"error": f"bad credentials: {request.headers.get('authorization')}"}
        )

    fake_hub.hub = rude
    code = main(
        ["publish", str(masked_outputs["gsm8k"]), "--repo-id", "org/name", "--folder", str(tmp_path / "h")]
    )
    out = capsys.readouterr()
    assert code == 1 and "upload to org/name failed" in out.out and "<token>" in out.out
    assert TOKEN not in (out.out + out.err).replace("\n", "")


def test_no_token_is_a_clear_error(masked_outputs, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("smepo_data.hub.upload.hub_token", lambda: None)
    assert main(["publish", str(masked_outputs["gsm8k"]), "--repo-id", "org/name"]) == 2
    assert "no Hugging Face token" in capsys.readouterr().err


def test_a_run_in_several_shards_becomes_numbered_files(tmp_path):
    from datasets import load_dataset

    from smepo_data.pipeline import PipelineConfig, run

    from .conftest import SAMPLES

    out = tmp_path / "out"
    run(
        PipelineConfig(
            inputs=[str(SAMPLES / "gsm8k_sample.jsonl")], output=str(out), preset="gsm8k", shard_rows=15
        )
    )
    test_run = tmp_path / "test"  # the same corpus as a second split of the same config
    run(PipelineConfig(inputs=[str(SAMPLES / "gsm8k_sample.jsonl")], output=str(test_run), preset="gsm8k",
                       split="test", limit=5))  # fmt: skip
    layout = build_folder([load_run(out), load_run(test_run)], tmp_path / "hub", "org/gsm8k")
    assert layout.files == [
        "data/math/train-00000-of-00003.parquet",
        "data/math/train-00001-of-00003.parquet",
        "data/math/train-00002-of-00003.parquet",
        "data/math/test-00000-of-00001.parquet",
    ]
    cache = str(tmp_path / "cache")
    ds = load_dataset(str(layout.folder), "math", cache_dir=cache)
    assert ds["train"].to_list() == pq.read_table(out / "data").to_pylist()
    assert ds["test"].num_rows == 5


def _copy_run(masked_outputs, tmp_path, name="gsm8k"):
    import shutil

    out = tmp_path / f"run-{name}"
    shutil.copytree(masked_outputs[name], out)
    return out


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("split", "../../../escaped", "split '../../../escaped' is not a split name"),
        ("split", "train/../../x", "is not a split name"),
        ("domain", "../../escaped", "domain '../../escaped' is not one of math, code, search"),
    ],
)
def test_a_tampered_config_json_cannot_write_outside_the_folder(
    masked_outputs, tmp_path, capsys, key, value, message
):
    run = _copy_run(masked_outputs, tmp_path)
    config = json.loads((run / "config.json").read_text())
    (run / "config.json").write_text(json.dumps(config | {key: value}))
    folder = tmp_path / "deep" / "er" / "hub"
    assert main(["publish", str(run), "--repo-id", "org/x", "--dry-run", "--folder", str(folder)]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run-gsm8k"]  # nothing written anywhere


def test_a_symlinked_data_file_is_refused(masked_outputs, tmp_path, capsys):
    run = _copy_run(masked_outputs, tmp_path)
    (tmp_path / "secret.parquet").write_bytes((run / "data" / "part-00000-00000.parquet").read_bytes())
    (run / "data" / "part-00001-00000.parquet").symlink_to(tmp_path / "secret.parquet")
    assert (
        main(["publish", str(run), "--repo-id", "org/x", "--dry-run", "--folder", str(tmp_path / "h")]) == 2
    )
    assert "part-00001-00000.parquet is a symbolic link" in capsys.readouterr().err
    assert not (tmp_path / "h").exists()


def test_placing_a_file_never_replaces_or_writes_through_what_is_there(tmp_path, monkeypatch):
    from smepo_data.hub import folder

    src, kept, target = tmp_path / "src", tmp_path / "kept", tmp_path / "target"
    src.write_bytes(b"new")
    kept.write_bytes(b"keep me")
    target.write_bytes(b"outside")
    with pytest.raises(FileExistsError, match="already exists"):
        folder.place_file(src, kept)
    monkeypatch.setattr(folder.os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(18, "cross-device")))
    (tmp_path / "dst").symlink_to(target)
    with pytest.raises(FileExistsError):  # the copy fallback does not follow the link
        folder.place_file(src, tmp_path / "dst")
    with pytest.raises(FileExistsError):
        folder.place_file(src, kept)
    assert (kept.read_bytes(), target.read_bytes()) == (b"keep me", b"outside")
    folder.place_file(src, tmp_path / "fresh")
    assert (tmp_path / "fresh").read_bytes() == b"new"
    with pytest.raises(ValueError, match="outside"):
        folder.inside(tmp_path / "hub", "data/../../x.parquet")


def test_publishing_a_train_split_from_a_test_file_warns(tmp_path, capsys):
    from smepo_data.pipeline import PipelineConfig, run

    from .conftest import SAMPLES

    src = tmp_path / "gsm8k_test.jsonl"
    src.write_text((SAMPLES / "gsm8k_sample.jsonl").read_text())
    for split in ("train", "test"):
        out = tmp_path / split
        run(PipelineConfig(inputs=[str(src)], output=str(out), preset="gsm8k", split=split, limit=3))
        assert (
            main(["publish", str(out), "--repo-id", "o/x", "--dry-run", "--folder", str(tmp_path / "h")]) == 0
        )
        warned = "looks like a test split" in capsys.readouterr().out
        assert warned == (split == "train")
