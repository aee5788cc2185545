"""Build step of the action's image: drop the AWS service models botocore ships that the review never reads.

    python docker/slim_botocore.py            (run by the Dockerfile once the lock is installed)

The review reads one service model, Lambda's, for its list of runtime identifiers
(`reviewer/data/lifecycle.py`); botocore 1.44 ships the models of 439 services: 1,955 files,
17 MiB of content, 28 MiB on disk and about 15 MB of a compressed layer, in the image that each
run builds (`uses:` the repository) or pulls (`docker://`).
What botocore needs to import and to load Lambda's model stays: the files at the top of its data
directory (endpoints, partitions, retry and default configuration) and the `lambda` directory,
with `sts` and `organizations` (168 KiB together) for the account review (`source: account`,
`reviewer/account/`), which calls them to assume roles in member accounts.
Nothing of the repository under review is involved; this runs once, when the image is built.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

KEPT_SERVICES = frozenset({"lambda", "sts", "organizations"})


def slim(data: Path, kept: frozenset[str] = KEPT_SERVICES) -> int:
    """Delete every service directory in botocore's `data` directory but `kept`; the bytes freed.

    Refuses (ValueError) a directory that lacks a kept service, before deleting anything: a
    botocore that moved its models would otherwise leave an image without Lambda's.
    """
    missing = sorted(name for name in kept if not (data / name).is_dir())
    if missing:
        raise ValueError(f"{data} has no model of {', '.join(missing)}: is it botocore's data directory?")
    freed = 0
    for entry in sorted(data.iterdir()):
        if entry.is_dir() and not entry.is_symlink() and entry.name not in kept:
            freed += sum(path.stat().st_size for path in entry.rglob("*") if path.is_file())
            shutil.rmtree(entry)
    return freed


def main() -> int:
    import botocore

    data = Path(botocore.__file__).resolve().parent / "data"
    try:
        freed = slim(data)
    except ValueError as exc:
        print(f"slim_botocore: {exc}", file=sys.stderr)
        return 2
    print(f"slim_botocore: removed {freed / 2**20:.1f} MiB of service models, kept {', '.join(sorted(KEPT_SERVICES))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
