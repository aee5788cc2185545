"""A Node.js handler exported as a method bound to its instance (`exports.handler =
publisher.handler.bind(publisher)`, the instance `new UploadPublisher(...)` of a class another
module writes) is read from that method: its own writes count, and a helper module's write it
never calls (`s3Lib.put` beside the `s3Lib.get` it uses) is no longer lent to it."""

from __future__ import annotations

from pathlib import Path

from test_recursion import verdicts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "recursion"


def test_a_bound_method_is_the_handler_and_an_uncalled_helper_write_is_not_its_own():
    assert verdicts(FIXTURES / "serverless-bound-handler") == {
        ("LR201", "error", "publishUploads", "utils/publishing/publisher.ts:21"),
    }
