"""``smepo-data publish``: lay the runs out (:mod:`.layout`), then create the Hub repository if needed and
upload the folder.

The token comes from the usual places (``HF_TOKEN``, else the login ``hf auth login`` stored), goes only
into huggingface_hub's ``Authorization`` header, and never into what this prints or logs: error messages
are scrubbed of it too. Uploading is resumable: huggingface_hub's ``upload_folder`` skips files already
committed with the same content and deduplicates data already sent, so after a failure the same command
picks up where it stopped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .folder import build_folder
from .layout import HubLayout, load_run


def hub_token() -> str | None:
    """The Hugging Face token from ``HF_TOKEN`` or the stored login (``huggingface_hub.get_token``)."""
    from huggingface_hub import get_token

    return get_token()


def scrub(text: str, secret: str | None) -> str:
    """``text`` without ``secret`` in it."""
    return text.replace(secret, "<token>") if secret else text


def upload(layout: HubLayout, token: str, *, private: bool = False, message: str | None = None) -> str:
    """Create the dataset repository (if it does not exist) and upload the laid-out folder; returns the
    commit URL. Errors come out as ``RuntimeError`` with the token scrubbed from their message."""
    try:
        from huggingface_hub import HfApi
    except ImportError as e:
        raise ImportError(f"{e}. Publishing needs an extra: pip install 'smepo[hub]'") from e
    api = HfApi(token=token)
    try:
        repo = api.create_repo(layout.repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo.repo_id,
            folder_path=layout.folder,
            repo_type="dataset",
            commit_message=message or f"smepo-data publish: {', '.join(layout.configs)}",
        )
    except Exception as e:  # huggingface_hub's HTTP and validation errors, scrubbed and re-raised
        raise RuntimeError(
            scrub(f"upload to {layout.repo_id} failed: {type(e).__name__}: {e}", token)
        ) from None
    return str(commit.commit_url or repo)


def publish(
    out_dirs: list[str],
    repo_id: str,
    *,
    private: bool = False,
    dry_run: bool = False,
    folder: str | None = None,
    message: str | None = None,
    console: Any = None,
) -> int:
    """Lay ``out_dirs`` out as a Hub dataset in ``folder`` and upload it to ``repo_id`` (not with
    ``dry_run``). Prints what goes where; returns the exit code."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise ValueError(f"--repo-id takes ORG/NAME, got {repo_id!r}")
    token = None if dry_run else hub_token()
    if not dry_run and not token:
        raise ValueError(
            "no Hugging Face token: set HF_TOKEN or log in with `hf auth login` (or use --dry-run)"
        )
    runs = [load_run(d) for d in out_dirs]
    for run in runs:
        if names := run.test_inputs():
            console.print(
                f"warning: {run.path} is published as split 'train' but its input {names[0]} looks like a "
                "test split; mask it with --split test if it is one",
                style="yellow",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    target = Path(folder or f"hub_{repo_id.split('/')[1]}")
    layout = build_folder(runs, target, repo_id)
    table = Table(title=f"smepo-data publish -> {repo_id}", title_justify="left")
    for name in ("config", "split", "rows", "files", "from"):
        table.add_column(name, justify="right" if name == "rows" else "left")
    for config in layout.configs.values():
        for split, (run, files) in config.splits.items():
            table.add_row(
                config.name,
                split,
                f"{run.rows:,}",
                f"{files[0]} (+{len(files) - 1})" if len(files) > 1 else files[0],
                str(run.path),
            )
    console.print(table)
    if dry_run:
        console.print(
            f"dry run: wrote {target} (README.md + {len(layout.files)} data files); nothing uploaded"
        )
        return 0
    assert token is not None
    try:
        url = upload(layout, token, private=private, message=message)
    except RuntimeError as e:  # already scrubbed of the token
        console.print(f"smepo-data publish: {e}", style="red", markup=False, highlight=False, soft_wrap=True)
        console.print(
            "the folder is laid out; run the same command again to resume the upload", highlight=False
        )
        return 1
    console.print(f"uploaded {target} to {repo_id}: {url}", highlight=False, soft_wrap=True)
    return 0
