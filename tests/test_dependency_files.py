"""Reading what a function ships from its dependency files: pins with their lines, never resolving anything."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.dependency_files import read_dependency_files
from reviewer.workspace import Workspace


def read(tmp_path: Path, files: dict[str, str], directory: str = "fn"):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return read_dependency_files(Workspace(tmp_path), directory)


def pins(result) -> list[tuple[str, str, str, int]]:
    return sorted((p.name, p.version, p.location.path, p.location.line) for p in result.pins)


def test_requirements_pins_keep_their_line_through_comments_options_and_markers(tmp_path):
    result = read(tmp_path, {"fn/requirements.txt": (
        "# Production requirements\n"
        "--index-url https://pypi.org/simple\n"
        "\n"
        "Jinja2 == 2.10   # templating\n"
        "requests[socks]==2.32.3 ; python_version >= '3.8'\n"
        "legacy-lib===1.0-custom\n"
        "boto3==1.35.*\n"
    )})
    assert pins(result) == [("jinja2", "2.10", "fn/requirements.txt", 4),
                            ("requests", "2.32.3", "fn/requirements.txt", 5)]
    reasons = {u.requirement: u.reason for u in result.unauditable}
    assert reasons["boto3==1.35.*"] == "it is not pinned to one version"
    assert "not a PEP 440 version" in reasons["legacy-lib===1.0-custom"]


def test_a_hashed_requirement_spans_its_continuation_lines(tmp_path):
    result = read(tmp_path, {"fn/requirements.txt": (
        "certifi==2024.7.4 \\\n"
        "    --hash=sha256:5a1e7645bc0ec61a09e26c36f6106dd4cf40c6db3a1fb6352b0244e7fb057c7b \\\n"
        "    --hash=sha256:c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90\n"
        "idna==3.7\n"
    )})
    certifi = next(p for p in result.pins if p.name == "certifi")
    assert (certifi.location.line, certifi.location.end_line, certifi.hashed) == (1, 3, True)
    assert next(p for p in result.pins if p.name == "idna").location.line == 4


def test_includes_are_followed_inside_the_workspace_once_and_bounded(tmp_path):
    result = read(tmp_path, {
        "fn/requirements.txt": "-r ../shared/base.txt\n--constraint ../shared/constraints.txt\n-r loop.txt\n",
        "fn/loop.txt": "-r requirements.txt\nsix==1.16.0\n",
        "shared/base.txt": "pyyaml==5.3.1\nrequests\n",
        "shared/constraints.txt": "urllib3==2.2.2\nidna<4\n",
    })
    assert pins(result) == [("pyyaml", "5.3.1", "shared/base.txt", 1), ("six", "1.16.0", "fn/loop.txt", 2),
                            ("urllib3", "2.2.2", "shared/constraints.txt", 1)]
    # An unpinned requirement is reported; an unpinned constraint restricts nothing that is shipped.
    assert [u.requirement for u in result.unauditable] == ["requests"]


def test_an_include_that_leaves_the_workspace_or_a_link_is_not_read(tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("evil==6.6.6\n")
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "linked.txt").symlink_to(outside)
    result = read(tmp_path, {"fn/requirements.txt": f"-r ../../{outside.name}\n-r linked.txt\n-r /etc/hosts\n"})
    assert result.pins == []
    assert {u.reason for u in result.unauditable} == {"the included file is outside the workspace"}
    assert [n.rule_id for n in result.notices] == ["LR902"]      # the link, named and skipped


def test_pep621_and_poetry_pins_and_their_lines(tmp_path):
    result = read(tmp_path, {"fn/pyproject.toml": (
        '[project]\nname = "svc"\nversion = "1"\ndependencies = [\n'
        '    "jinja2==2.10",\n    \'attrs==23.2.0\',\n    "click>=8",\n]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.12"\nrich = "13.7.1"\ntyper = "^0.12"\n'
        'lib = { git = "https://github.com/acme/lib.git" }\n'
    )})
    assert pins(result) == [("attrs", "23.2.0", "fn/pyproject.toml", 6), ("jinja2", "2.10", "fn/pyproject.toml", 5),
                            ("rich", "13.7.1", "fn/pyproject.toml", 12)]
    reasons = {u.location.line: u.reason for u in result.unauditable}
    assert reasons == {7: "it is not pinned to one version", 13: "it is not pinned to one version",
                       14: "it is a VCS requirement"}


def test_broken_files_become_lr901_notices_naming_the_file_and_line(tmp_path):
    result = read(tmp_path, {
        "fn/pyproject.toml": '[project]\ndependencies = ["a==1"\n',
        "fn/Pipfile.lock": '{"default": {"a": ',
        "fn/requirements.txt": "jinja2==2.10\n",
    })
    notices = {n.path: n for n in result.notices}
    assert notices["fn/pyproject.toml"].rule_id == "LR901" and "not valid TOML" in notices["fn/pyproject.toml"].message
    assert notices["fn/Pipfile.lock"].rule_id == "LR901"
    assert pins(result) == [("jinja2", "2.10", "fn/requirements.txt", 1)]


def test_only_the_functions_own_directory_is_read(tmp_path):
    result = read(tmp_path, {"fn/requirements.txt": "a==1\n", "fn/sub/requirements.txt": "b==2\n",
                             "requirements-dev.txt": "c==3\n", "fn/requirements-prod.txt": "d==4\n"})
    assert [p.name for p in sorted(result.pins, key=lambda p: p.name)] == ["a", "d"]


def test_the_same_requirement_in_two_files_keeps_each_files_place(tmp_path):
    # The judgement of a requirement's text is shared between files; its place never is.
    result = read(tmp_path, {"fn/requirements.txt": "-r ../shared/base.txt\nrequests==2.32.3\n",
                             "shared/base.txt": "\n\nrequests==2.32.3\nboto3\n"})
    assert pins(result) == [("requests", "2.32.3", "fn/requirements.txt", 2),
                            ("requests", "2.32.3", "shared/base.txt", 3)]
    [unpinned] = result.unauditable
    assert (unpinned.requirement, unpinned.reason, unpinned.location.path, unpinned.location.line) == (
        "boto3", "it names no version", "shared/base.txt", 4)


def test_development_requirements_beside_the_function_are_not_what_it_ships(tmp_path):
    # Builders install requirements.txt; a dev file that includes it adds test tools only.
    result = read(tmp_path, {"fn/requirements.txt": "boto3==1.42.30\n",
                             "fn/requirements-dev.txt": "-r requirements.txt\npytest>=7.0.0\n",
                             "fn/requirements_test.txt": "moto\n"})
    assert pins(result) == [("boto3", "1.42.30", "fn/requirements.txt", 1)]
    assert result.unauditable == []
    assert result.files == ["fn/requirements.txt"]


def test_a_development_file_the_shipped_file_includes_is_still_read(tmp_path):
    result = read(tmp_path, {"fn/requirements.txt": "-r requirements-dev.txt\n",
                             "fn/requirements-dev.txt": "pytest>=7.0.0\n"})
    assert [(item.requirement, item.location.path) for item in result.unauditable] == [
        ("pytest>=7.0.0", "fn/requirements-dev.txt")]
