"""A Serverless service whose names keep variables the repository cannot resolve (its name read
from a stage file kept elsewhere) still names its own buckets: an environment variable written
with the very text of a bucket's `BucketName` is that bucket, so the loop check judges the write
against the bucket's trigger instead of leaving it unresolved (LR204)."""

from __future__ import annotations

from pathlib import Path

from test_recursion import verdicts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "recursion"


def test_a_bucket_named_with_the_environment_text_is_the_written_bucket():
    assert verdicts(FIXTURES / "serverless-stage-file-names") == {
        ("LR201", "error", "thumbnail", "documents/thumbnail.py:11"),
        ("LR203", "notice", "convert", "documents/convert.py:12"),
    }   # convert writes conversion/output/, outside its trigger's conversion/input/ filter; its
    # `if __name__ == "__main__":` block, a developer's local run, never runs in Lambda


def test_a_script_block_is_not_what_lambda_runs():
    """The write of `render_locally`, called only under `if __name__ == "__main__":`, falls in the
    trigger's filter: it would be a loop if Lambda ran it, and Lambda never does."""
    places = {place for _, _, _, place in verdicts(FIXTURES / "serverless-stage-file-names")}
    assert "documents/convert.py:18" not in places
