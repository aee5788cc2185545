"""Cross-checks for reviewer/data/lambda_runtimes.json (the Lambda runtime lifecycle table).

* against cfn-lint's LmbdRuntimeLifecycle.json: every difference must be explained below;
* against botocore's Lambda ``Runtime`` enum: every valid identifier has a row;
* against the research reference (../shared/reference/lambda-runtimes.json, if present):
  the status each row implies on 2026-11-22;
* plus hard-coded spot checks, so the file is checked even without ../shared.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA_FILE = REPO / "reviewer" / "data" / "lambda_runtimes.json"
REFERENCE_FILE = REPO.parent / "shared" / "reference" / "lambda-runtimes.json"
AS_OF = dt.date(2026, 11, 22)

FAMILIES = ["nodejs", "python", "java", "dotnet", "ruby", "go", "provided", "custom"]
DATE_FIELDS = ("deprecated", "block_create", "block_update")
ROW_KEYS = [
    "identifier", "name", "family", "os", "deprecated", "block_create", "block_update",
    "successor", "preview", "managed", "package_types", "base_image", "source", "notes",
]
CONTAINER_ONLY = {"dotnet5.0", "dotnet7", "dotnet9"}

# our field -> cfn-lint field
CFN_LINT_FIELDS = {
    "deprecated": "deprecated",
    "block_create": "create-block",
    "block_update": "update-block",
    "successor": "successor",
}

_JAVA_SUCCESSOR = (
    "cfn-lint names java25 (newest Java). We point to the Amazon Linux 2023 build of the same Java "
    "version, added by AWS in July 2026 (botocore 2026-07-13; AWS 'Lambda runtimes' page via "
    "endoflife.date 2026-08-15): supported to 2029-06-30 like java25, and no Java upgrade needed."
)

# Every (identifier, field) where we knowingly differ from cfn-lint, and why.
EXPECTED_DIFFERENCES: dict[tuple[str, str], str] = {
    ("java8", "successor"): _JAVA_SUCCESSOR + " java8 is the AL1 Java 8 runtime.",
    ("java8.al2", "successor"): _JAVA_SUCCESSOR,
    ("java11", "successor"): _JAVA_SUCCESSOR,
    ("java17", "successor"): _JAVA_SUCCESSOR,
}

# Identifiers we have and cfn-lint's lifecycle data lacks.
ONLY_OURS: dict[str, str] = {
    "java8.al2023": "added by AWS July 2026 (botocore 2026-07-13); cfn-lint data last changed 2026-06-02",
    "java11.al2023": "added by AWS July 2026 (botocore 2026-07-13); cfn-lint data last changed 2026-06-02",
    "java17.al2023": "added by AWS July 2026 (botocore 2026-07-13); cfn-lint data last changed 2026-06-02",
    "nodejs26.x": "public preview since 2026-07-24, AWS lists no dates (endoflife.date 2026-08-15)",
    "python3.15": "public preview since 2026-07-24, AWS lists no dates (endoflife.date 2026-08-15)",
    "dotnet5.0": "container-image-only, deprecated 2022-05-10 (AWS table via tflint 2026-07-31)",
    "dotnet7": "container-image-only, deprecated 2024-05-14 (AWS table via tflint 2026-07-31)",
    "custom": "customer-managed runtime selector, new in botocore 1.44.5 (2026-11-17); no managed lifecycle",
}

# Identifiers cfn-lint's lifecycle data has and we lack (none: we cover the whole enum).
ONLY_CFN_LINT: dict[str, str] = {}

# Hard-coded expectations that hold on 2026-11-22, independent of ../shared.
SPOT_CHECKS = {
    # identifier: (deprecated, block_create, block_update, status)
    "python3.10": ("2026-10-31", "2027-02-01", "2027-03-03", "deprecated"),
    "dotnet8": ("2026-11-10", "2027-02-01", "2027-03-03", "deprecated"),
    "provided.al2": ("2026-07-31", "2027-02-01", "2027-03-03", "deprecated"),
    "nodejs20.x": ("2026-04-30", "2027-02-01", "2027-03-03", "deprecated"),
    "python3.9": ("2025-12-15", "2027-02-01", "2027-03-03", "deprecated"),
    "nodejs14.x": ("2023-12-04", "2024-01-09", "2027-03-03", "create_blocked"),
    "python2.7": ("2021-07-15", "2021-07-15", "2022-05-30", "update_blocked"),
    "python3.14": ("2029-06-30", "2029-07-31", "2029-08-31", "supported"),
    "nodejs26.x": (None, None, None, "supported"),
    "python3.11": ("2027-06-30", "2027-07-31", "2027-08-31", "supported"),
    "java8.al2023": ("2029-06-30", None, "2029-08-31", "supported"),
    "dotnet9": ("2026-11-10", None, None, "deprecated"),
}
SPOT_SUCCESSORS = {
    "python3.9": "python3.14",
    "nodejs20.x": "nodejs24.x",
    "dotnet8": "dotnet10",
    "ruby3.2": "ruby4.0",
    "go1.x": "provided.al2023",
    "provided": "provided.al2023",
    "provided.al2": "provided.al2023",
    "java11": "java11.al2023",
    "java21": "java25",
    "python3.14": None,
    "nodejs24.x": None,
    "nodejs26.x": None,
    "custom": None,
}


def _load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def doc():
    return _load_json(DATA_FILE)


@pytest.fixture(scope="module")
def rows(doc):
    return {r["identifier"]: r for r in doc["runtimes"]}


@pytest.fixture(scope="module")
def cfn_lint_data():
    path = importlib.resources.files("cfnlint") / "data" / "AdditionalSpecs" / "LmbdRuntimeLifecycle.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data, "cfn-lint LmbdRuntimeLifecycle.json: expected a non-empty object"
    for ident, entry in data.items():
        assert set(entry) == set(CFN_LINT_FIELDS.values()), (
            f"cfn-lint LmbdRuntimeLifecycle.json changed shape: {ident} has keys {sorted(entry)}"
        )
    return data


@pytest.fixture(scope="module")
def botocore_enum():
    import botocore.loaders

    model = botocore.loaders.Loader().load_service_model("lambda", "service-2")
    return set(model["shapes"]["Runtime"]["enum"])


def status_on(row, day):
    def reached(field):
        value = row[field]
        return value is not None and dt.date.fromisoformat(value) <= day

    if reached("block_update"):
        return "update_blocked"
    if reached("block_create"):
        return "create_blocked"
    if reached("deprecated"):
        return "deprecated"
    return "supported"


def _version_key(row):
    ident = row["identifier"]
    nums = (0, 10) if ident == "nodejs" else tuple(
        int(x) for x in re.findall(r"\d+", re.sub(r"\.al\d+$|-edge$", "", ident))
    )
    os_rank = {"Amazon Linux": 0, "Amazon Linux 2": 1, "Amazon Linux 2023": 2}.get(row["os"], 3)
    return (FAMILIES.index(row["family"]), nums, os_rank, ident)


# --- shape of our file -------------------------------------------------------------------


def test_document_shape(doc):
    assert list(doc) == ["as_of", "description", "sources", "runtimes"]
    assert doc["as_of"] == AS_OF.isoformat()
    assert doc["description"].strip()
    assert doc["sources"] and all(isinstance(s, str) and s.strip() and "\n" not in s for s in doc["sources"])
    assert all(re.search(r"\d{4}-\d{2}", s) for s in doc["sources"]), "each source needs a snapshot date"


def test_rows_shape(doc):
    problems = []
    seen = set()
    for r in doc["runtimes"]:
        ident = r.get("identifier")
        if list(r) != ROW_KEYS:
            problems.append(f"{ident}: keys {list(r)} != {ROW_KEYS}")
            continue
        if ident in seen:
            problems.append(f"{ident}: duplicate row")
        seen.add(ident)
        for field in DATE_FIELDS:
            v = r[field]
            if v is not None and not (isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)
                                      and dt.date.fromisoformat(v)):
                problems.append(f"{ident}: {field}={v!r} is not an ISO date or null")
        if r["family"] not in FAMILIES:
            problems.append(f"{ident}: unknown family {r['family']!r}")
        if r["managed"] != (r["family"] != "custom"):
            problems.append(f"{ident}: managed={r['managed']} but family={r['family']}")
        if not isinstance(r["preview"], bool):
            problems.append(f"{ident}: preview must be a bool")
        if not r["package_types"] or not set(r["package_types"]) <= {"Zip", "Image"}:
            problems.append(f"{ident}: bad package_types {r['package_types']}")
        if ("Image" in r["package_types"]) != (r["base_image"] is not None):
            problems.append(f"{ident}: base_image {r['base_image']!r} vs package_types {r['package_types']}")
        if r["base_image"] is not None and not r["base_image"].startswith("public.ecr.aws/lambda/"):
            problems.append(f"{ident}: unexpected base_image {r['base_image']!r}")
        if not (isinstance(r["source"], str) and r["source"].strip() and "\n" not in r["source"]):
            problems.append(f"{ident}: source must be one non-empty line")
        if not isinstance(r["notes"], list) or not all(isinstance(n, str) and n.strip() for n in r["notes"]):
            problems.append(f"{ident}: notes must be a list of non-empty strings")
    assert not problems, "\n".join(problems)


def test_rows_sorted_by_family_then_version(doc):
    idents = [r["identifier"] for r in doc["runtimes"]]
    expected = [r["identifier"] for r in sorted(doc["runtimes"], key=_version_key)]
    assert idents == expected


def test_successors_are_sensible(rows):
    problems = []
    for ident, r in rows.items():
        succ = r["successor"]
        if succ is None:
            continue
        target = rows.get(succ)
        if target is None:
            problems.append(f"{ident}: successor {succ} has no row")
            continue
        allowed = {r["family"]} | ({"provided"} if r["family"] == "go" else set())
        if target["family"] not in allowed:
            problems.append(f"{ident}: successor {succ} is family {target['family']}")
        if target["preview"] or not target["managed"] or status_on(target, AS_OF) != "supported":
            problems.append(f"{ident}: successor {succ} is not a supported GA managed runtime on {AS_OF}")
        if target["successor"] == ident or succ == ident:
            problems.append(f"{ident}: successor cycle via {succ}")
    # the newest GA runtime of each family has no successor
    for newest in ("nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0", "provided.al2023"):
        if rows[newest]["successor"] is not None:
            problems.append(f"{newest} is the newest GA runtime of its family but has successor {rows[newest]['successor']}")
    for ident, r in rows.items():
        if (r["preview"] or r["family"] == "custom") and r["successor"] is not None:
            problems.append(f"{ident}: preview/custom runtime should have no successor")
    assert not problems, "\n".join(problems)


# --- cfn-lint ------------------------------------------------------------------------------


def _cfn_lint_differences(rows, cfn):
    diffs = {}
    for ident in sorted(set(rows) & set(cfn)):
        for ours, theirs in CFN_LINT_FIELDS.items():
            a, b = rows[ident][ours], cfn[ident][theirs]
            if a != b:
                diffs[(ident, ours)] = (a, b)
    return diffs


def test_no_unexplained_differences_with_cfn_lint(rows, cfn_lint_data):
    diffs = _cfn_lint_differences(rows, cfn_lint_data)
    unexpected = [
        f"{ident} {field}: ours={a!r} cfn-lint={b!r}"
        for (ident, field), (a, b) in sorted(diffs.items())
        if (ident, field) not in EXPECTED_DIFFERENCES
    ]
    assert not unexpected, (
        "new differences with cfn-lint's LmbdRuntimeLifecycle.json (fix the data or explain them in "
        "EXPECTED_DIFFERENCES):\n  " + "\n  ".join(unexpected)
    )


def test_expected_differences_still_exist(rows, cfn_lint_data):
    diffs = _cfn_lint_differences(rows, cfn_lint_data)
    stale = []
    for (ident, field), reason in sorted(EXPECTED_DIFFERENCES.items()):
        assert reason.strip(), f"{ident} {field}: empty reason"
        if (ident, field) not in diffs:
            ours = rows.get(ident, {}).get(field, "<no row>")
            theirs = cfn_lint_data.get(ident, {}).get(CFN_LINT_FIELDS[field], "<no entry>")
            stale.append(f"{ident} {field}: ours={ours!r} cfn-lint={theirs!r}")
    assert not stale, (
        "EXPECTED_DIFFERENCES lists differences that no longer exist (remove the stale explanation):\n  "
        + "\n  ".join(stale)
    )


def test_identifier_coverage_vs_cfn_lint(rows, cfn_lint_data):
    only_ours = set(rows) - set(cfn_lint_data)
    only_cfn = set(cfn_lint_data) - set(rows)
    assert all(reason.strip() for reason in {**ONLY_OURS, **ONLY_CFN_LINT}.values())
    assert only_ours == set(ONLY_OURS), (
        f"identifiers only we have: unexplained {sorted(only_ours - set(ONLY_OURS))}, "
        f"stale {sorted(set(ONLY_OURS) - only_ours)}"
    )
    assert only_cfn == set(ONLY_CFN_LINT), (
        f"identifiers only cfn-lint has: unexplained {sorted(only_cfn - set(ONLY_CFN_LINT))}, "
        f"stale {sorted(set(ONLY_CFN_LINT) - only_cfn)}"
    )


# --- botocore --------------------------------------------------------------------------------


def test_every_botocore_runtime_has_a_row(rows, botocore_enum):
    missing = sorted(botocore_enum - set(rows))
    assert not missing, f"botocore Lambda Runtime enum values without a row: {missing}"


def test_rows_outside_botocore_enum_are_container_only(rows, botocore_enum):
    extra = set(rows) - botocore_enum
    assert extra == CONTAINER_ONLY, (
        f"rows not in botocore's Runtime enum: {sorted(extra)}; expected exactly {sorted(CONTAINER_ONLY)}"
    )
    for ident in CONTAINER_ONLY:
        assert rows[ident]["package_types"] == ["Image"], f"{ident} should be Image-only"
    for ident in botocore_enum:
        assert "Zip" in rows[ident]["package_types"], f"{ident} is a valid Runtime value, so Zip must be listed"


# --- status on 2026-11-22 ----------------------------------------------------------------------


def test_status_matches_reference(rows):
    if not REFERENCE_FILE.is_file():
        pytest.skip(f"reference file {REFERENCE_FILE} not present (it lives in shared/ beside the repo)")
    reference = {r["identifier"]: r["status_on_2026_11_22"] for r in _load_json(REFERENCE_FILE)}
    assert set(reference) == set(rows), (
        f"identifier sets differ: only reference {sorted(set(reference) - set(rows))}, "
        f"only ours {sorted(set(rows) - set(reference))}"
    )
    wrong = [
        f"{ident}: computed {status_on(rows[ident], AS_OF)!r} from our dates, reference says {want!r}"
        for ident, want in sorted(reference.items())
        if status_on(rows[ident], AS_OF) != want
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("ident", sorted(SPOT_CHECKS))
def test_spot_check_dates_and_status(rows, ident):
    deprecated, block_create, block_update, status = SPOT_CHECKS[ident]
    r = rows[ident]
    assert (r["deprecated"], r["block_create"], r["block_update"]) == (deprecated, block_create, block_update)
    assert status_on(r, AS_OF) == status


@pytest.mark.parametrize("ident", sorted(SPOT_SUCCESSORS))
def test_spot_check_successor(rows, ident):
    assert rows[ident]["successor"] == SPOT_SUCCESSORS[ident]


def test_preview_runtimes(rows):
    assert {i for i, r in rows.items() if r["preview"]} == {"nodejs26.x", "python3.15"}


def test_status_on_helper():
    row = {"deprecated": "2026-01-01", "block_create": None, "block_update": "2026-03-01"}
    assert status_on(row, dt.date(2025, 12, 31)) == "supported"
    assert status_on(row, dt.date(2026, 1, 1)) == "deprecated"
    assert status_on(row, dt.date(2026, 2, 15)) == "deprecated"  # missing block_create never triggers
    assert status_on(row, dt.date(2026, 3, 1)) == "update_blocked"
    assert status_on({**row, "block_create": "2026-02-01"}, dt.date(2026, 2, 1)) == "create_blocked"
