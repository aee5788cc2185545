"""A function's code path is joined to its template's folder as text (reviewer.inventory.
cloudformation.read): `Workspace.resolve` must read it exactly as it reads the PurePosixPath join
it replaced, whatever the `CodeUri` holds (`./`, `//`, `..`, a trailing `/`, backslashes, `/abs`)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from hypothesis import given, settings, strategies as st

from reviewer.inventory.cloudformation.read import _folder_of, _under
from reviewer.workspace import Workspace

PART = st.sampled_from(["src", "a.b", ".", "..", "", "x\\y", "\\", "orders_1", " "])
RELATIVE = st.lists(PART, max_size=5).map("/".join) | st.lists(PART, max_size=4).map(lambda p: "/" + "/".join(p))
TEMPLATE = st.lists(st.sampled_from(["stacks", "orders", "a.b", "x\\y"]), max_size=3).map(
    lambda folders: "/".join([*folders, "template.yaml"]))
WORKSPACE = Workspace(Path("/nonexistent-workspace-root"))


@settings(max_examples=600, deadline=None)
@given(TEMPLATE, RELATIVE)
def test_the_text_join_resolves_as_the_path_join(template, relative):
    folder = _folder_of(template)
    assert folder == str(PurePosixPath(template).parent)
    assert WORKSPACE.resolve(_under(folder, relative)) == WORKSPACE.resolve(str(PurePosixPath(folder) / relative))


def test_plain_code_uris_need_no_normalising():
    assert _under("stacks/orders", "src/orders_create") == "stacks/orders/src/orders_create"
    assert _under(".", "src") == "src"
    assert WORKSPACE.resolve(_under("stacks/orders", "../shared/")) == "stacks/shared"
    assert WORKSPACE.resolve(_under("stacks/orders", "/etc")) is None
