"""Executors: progress from the workers, a dead worker's item retried, the shard lifecycle (skip finished
shards, mark each done), the same dataset on Ray."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from smepo_data._runfolder import RunFolder
from smepo_data.executors import EXECUTORS, LocalExecutor, RayExecutor, Shard, WorkerDied, executor_for
from smepo_data.pipeline import PipelineConfig, run

from . import _executor_work as work
from .conftest import SAMPLES


@pytest.mark.parametrize("workers", [1, 2])
def test_results_and_progress_come_back_from_every_item(tmp_path, workers):
    progress = []
    items = [(str(tmp_path), i) for i in range(5)]
    results = dict(LocalExecutor(workers).run(work.square, items, lambda item, n: progress.append(item)))
    assert {i: r for (_, i), r in results.items()} == {i: i * i for i in range(5)}
    assert sorted(i for _, i in progress) == [0, 1, 2, 3, 4]


def test_an_item_whose_worker_died_is_reported_and_run_again(tmp_path):
    retried = []
    items = [(str(tmp_path), i) for i in range(4)]
    results = dict(
        LocalExecutor(2).run(work.die_once, items, on_retry=lambda item, why: retried.append((item, why)))
    )
    assert {i: r for (_, i), r in results.items()} == {0: 0, 1: 1, 2: 4, 3: 9}
    assert (tmp_path / "2.died").exists()
    assert [item for item, _ in retried if item[1] == 2] == [(str(tmp_path), 2)]
    assert all("worker process died" in why for _, why in retried)


def test_an_item_that_always_kills_its_worker_fails_the_run_naming_it(tmp_path):
    items = [(str(tmp_path), i) for i in range(3)]
    with pytest.raises(WorkerDied, match="killed its worker process 3 times") as caught:
        list(LocalExecutor(2).run(work.always_die, items))
    assert caught.value.item == (str(tmp_path), 1)


def test_a_death_is_charged_to_the_item_that_caused_it_not_to_one_running_beside_it(tmp_path):
    items = [(str(tmp_path), i) for i in range(2)]
    with pytest.raises(WorkerDied, match="killed its worker process 3 times") as caught:
        list(LocalExecutor(2).run(work.die_beside_a_slow_item, items))
    assert caught.value.item == (str(tmp_path), 1)  # item 0 was running too, but finishes when alone


@pytest.mark.parametrize("workers", [1, 2])
def test_run_shards_skips_finished_shards_runs_the_rest_and_marks_each_done(tmp_path, workers):
    folder = RunFolder(tmp_path / "out")
    shards = [Shard(i, str(tmp_path / "in.jsonl"), 10 * i, 10 * i + 10, "gsm8k") for i in range(3)]
    folder.mark_done("00001", {"rows_in": 10, "rows_out": 0, "rows_rejected": 0})  # finished: files match
    folder.mark_done("00002", {"rows_in": 10, "rows_out": 5, "rows_rejected": 0})  # no file holds its 5 rows
    progress, events = [], []
    ran = LocalExecutor(workers).run_shards(
        work.empty_shard, shards, folder, lambda *a: pytest.fail("no pieces"), progress.append, events.append
    )
    assert ran == [shards[0], shards[2]]
    assert sorted(p.name for p in tmp_path.glob("*.ran")) == ["00000.ran", "00002.ran"]
    assert sum(progress) == 30
    assert events[:2] == [
        "shard 00002: data/ holds 0 rows of shard 00002, its marker says 5; running it again",
        "resuming: 1 of 3 shards already done",
    ]
    assert sorted(events[2:]) == [f"shard 0000{i} done: 0 written, 0 rejected" for i in (0, 2)]
    assert [json.loads(folder.marker(s.name).read_text())["rows_out"] for s in shards] == [0, 0, 0]
    again = []
    executor = LocalExecutor(workers)
    assert executor.run_shards(work.empty_shard, shards, folder, None, lambda rows: None, again.append) == []
    assert again == ["resuming: 3 of 3 shards already done"]


def test_run_shards_joins_a_shard_run_in_pieces_and_marks_it_done_once(tmp_path):
    folder = RunFolder(tmp_path / "out")
    shard = Shard(0, str(tmp_path / "in.jsonl"), 0, 3, "gsm8k")
    joined = []

    def join(piece, stats):
        assert not folder.marker("00000").exists()
        joined.append((piece.index, piece.pieces, [s["rows_in"] for s in stats]))
        return {"rows_in": 3, "rows_out": 0, "rows_rejected": 0}

    progress, events = [], []
    ran = LocalExecutor(3).run_shards(work.empty_shard, [shard], folder, join, progress.append, events.append)
    assert ran == [shard] and sum(progress) == 3
    assert sorted(p.name for p in tmp_path.glob("*.ran")) == [f"00000.00{i}.ran" for i in range(3)]
    assert joined == [(0, 3, [1, 1, 1])]
    assert [p.name for p in folder.shards.iterdir()] == ["00000.json"]
    assert events == ["shard 00000 done: 0 written, 0 rejected"]


def _dataset(out):
    return sorted(pq.read_table(out / "data").to_pylist(), key=lambda r: r["id"])


@pytest.mark.slow
def test_ray_and_local_executors_give_identical_datasets(tmp_path):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        for name, preset in (("gsm8k_sample.jsonl", "gsm8k"), ("mbpp_sample.json", "mbpp")):
            outs = {}
            for executor in ("local", "ray"):
                outs[executor] = tmp_path / f"{preset}-{executor}"
                run(
                    PipelineConfig(
                        inputs=[str(SAMPLES / name)],
                        output=str(outs[executor]),
                        preset=preset,
                        shard_rows=7,
                        workers=2,
                        executor=executor,
                    )
                )
            local, on_ray = _dataset(outs["local"]), _dataset(outs["ray"])
            assert len(local) > 10 and local == on_ray, preset
            assert sorted(p.name for p in (outs["ray"] / "_shards").iterdir()) == sorted(
                p.name for p in (outs["local"] / "_shards").iterdir()
            )
    finally:
        ray.shutdown()


def test_one_registry_names_the_executors():
    assert set(EXECUTORS) == {"local", "ray"}
    assert type(executor_for("local", 2)) is LocalExecutor and executor_for("local", 2).workers == 2
    assert type(executor_for("ray", 3)) is RayExecutor  # Ray itself loads only when a run starts
    with pytest.raises(ValueError, match="unknown executor 'dask'; choose local or ray"):
        executor_for("dask", 2)
