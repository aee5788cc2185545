"""LR306 on the files a declared handler imports, and on code a template embeds from a file.

A helper module a handler imports is read through that handler, with what it hands over: its
function named like a handler (`handleRdsSchema(opts)`) is no entry point whose parameter is
event data. One the handler does hand its event to is read with that event. A file Rain embeds as
the inline code (`ZipFile: !Rain::Embed expand.py`) is the function's handler.
"""

from __future__ import annotations

import shutil

from tests.test_untrusted_input import FIXTURES, marks, scan


def _lr306(root) -> dict[tuple[str, int], dict]:
    return {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}


def test_a_helper_a_declared_handler_imports_is_read_only_with_what_the_handler_passes(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "imported-helpers", root)
    wanted, unwanted = marks(root)
    found = _lr306(root)
    assert set(found) == wanted
    assert not set(found) & unwanted
    report = found[("reports/src/render.ts", 5)]
    assert report["function"] == "ReportFunction"
    assert "`event.detail`" in report["message"] and "reports/src/handler.ts" in report["message"]


def test_an_imported_helper_is_still_read_as_a_handler_when_no_declared_function_imports_it(tmp_path):
    """The same files without the template: nothing says who calls the Python helper, so it is
    read as a handler; the TypeScript one is not, as `handleRdsSchema` names no handler (`handler`
    is no word of it: reviewer.code.handler_names.names_a_handler)."""
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "imported-helpers", root)
    (root / "template.yaml").unlink()
    found = _lr306(root)
    assert ("tasks/runner.py", 6) in found
    assert ("migrations/src/steps/schema.ts", 14) not in found


def test_code_rain_embeds_from_a_file_is_read_as_the_function_s_handler(tmp_path):
    root = tmp_path / "macro"
    shutil.copytree(FIXTURES / "rain-embed", root)
    wanted, _ = marks(root)
    found = _lr306(root)
    assert set(found) == wanted
    assert found[("macro/expand.py", 6)]["function"] == "ExpandFunction"


def test_a_helper_handed_an_object_of_the_event_s_keys_is_read_apart_from_one_of_written_keys(tmp_path):
    """`updateShelf({count})` walks the keys the code wrote; `updateShelf({...body.fields})`, a dict
    too, walks the event's: the second handler's call is not answered by the first one's reading."""
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "imported-helpers", root)
    handler = root / "stock" / "handler.js"
    handler.write_text(handler.read_text().replace("patchShelf(body.fields,", "updateShelf({ ...body.fields },"))
    found = _lr306(root)
    assert ("stock/helpers.js", 34) in found
    assert found[("stock/helpers.js", 34)]["function"] == "PatchShelfFunction"


def test_a_method_of_an_imported_class_s_instance_is_read_with_the_record_the_handler_hands_it(tmp_path):
    """`new QueueInputAdapter(...)` imported through the barrel `./adapters` (`export * from`), and
    `inputAdapter.handleQueueRecord(record)` in the handler's loop: the method, and the method it
    calls on `this`, are read with the queue's record, as the handler's function's code."""
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "imported-helpers", root)
    found = _lr306(root)
    report = found[("push/src/adapters/queue-input.adapter.ts", 37)]
    assert report["function"] == "PushSenderFunction"
    assert "push/src/handler.ts" in report["message"]
