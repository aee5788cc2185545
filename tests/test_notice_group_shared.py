"""A notice several functions share is said as theirs, at its place, in the summary's notice lines.

Seen on a monorepo with a SAM app and Terraform workers: the LR400 line listed the SAM functions,
then "; at `terraform/main.tf:1`", as if they were declared there; the LR102 line of a `Globals`
runtime named only `sam/template.yaml:7`, neither the runtime nor the functions taking it.
"""

from __future__ import annotations

import io
from pathlib import Path

from reviewer.cli import main
from reviewer.findings import Finding, Severity
from reviewer.publish.render import render
from reviewer.review.summary_rows import notice_groups

FIXTURE = Path(__file__).parent / "fixtures" / "sam" / "shop-with-terraform-workers"


def _notice_lines() -> dict[str, str]:
    out = io.StringIO()
    main(["scan", str(FIXTURE), "--audit", "off", "--fail-on", "never", "--format", "markdown",
          "--reference-date", "2026-12-08"], stdout=out, stderr=io.StringIO())
    lines = [line for line in out.getvalue().splitlines() if line.startswith("- 🔵 **LR")]
    return {line.split("**")[1]: line for line in lines}


def test_a_globals_runtime_notice_names_its_runtime_and_the_functions_taking_it() -> None:
    line = _notice_lines()["LR102"]
    assert ("(1 notice): `OrdersFunction`, `PaymentsFunction` and `RefundsFunction`, whose runtime "
            "`nodejs22.x` is set at `sam/template.yaml:7`.") in line


def test_a_terraform_module_notice_is_its_functions_not_the_sam_functions() -> None:
    line = _notice_lines()["LR400"]
    assert ("`OrdersFunction`, `PaymentsFunction`, `RefundsFunction`; "
            "`module.worker[\"emails\"].aws_lambda_function.this` and "
            "`module.worker[\"invoices\"].aws_lambda_function.this`, which share the declaration at "
            "`terraform/main.tf:1`.") in line
    assert "; at `terraform/main.tf:1`" not in line


def test_a_notice_of_no_function_keeps_its_place_and_the_list_stays_capped() -> None:
    def notice(function: str | None, line: int, functions: tuple[str, ...] = ()) -> Finding:
        return Finding("LR400", Severity.NOTICE, "No code signing", "m", "template.yaml", line,
                       function=function, functions=functions, evidence="no-code-signing")

    shared = notice(None, 4, tuple(f"Worker{index}" for index in range(14)))
    findings = [notice(f"Fn{index}", 10 + index) for index in range(7)] + [shared, notice(None, 2)]
    (group,) = notice_groups(findings)
    assert group.places == ["template.yaml:2"]
    (notice_4,) = group.named_shared
    assert notice_4.place == "template.yaml:4" and len(notice_4.named) == 10 and notice_4.more == 4
    assert notice_4.kind == ""
    assert group.named_places == [] and group.unnamed == 1


def test_a_monorepo_s_shared_runtimes_name_a_few_functions_each() -> None:
    """Twelve services, each with one `provider.runtime` for its six functions: the line names
    eight places, three functions each, and counts the rest."""
    findings = [Finding("LR102", Severity.NOTICE, "Runtime deprecation is near", "m", f"services/s{index:02d}/serverless.yml",
                        9, functions=tuple(f"s{index:02d}-fn{number}" for number in range(6)), evidence="runtime=nodejs22.x")
                for index in range(12)]
    findings.append(Finding("LR102", Severity.NOTICE, "Runtime deprecation is near", "m", "services/a/serverless.yml", 9,
                            functions=("login", "register", "profile", "logout"), evidence="runtime=nodejs22.x"))
    (group,) = notice_groups(findings)
    assert group.named_shared[0].named == (("login", ""), ("register", ""), ("profile", ""), ("logout", ""))
    group.shared.pop(0)
    assert len(group.named_shared) == 8 and group.unnamed == 4
    assert all(len(notice.named) == 3 and notice.more == 3 and notice.runtime == "nodejs22.x"
               for notice in group.named_shared)
    line = render("_notice_groups.md.j2", groups=[group])
    assert ("`s07-fn0`, `s07-fn1`, `s07-fn2` and 3 more, whose runtime `nodejs22.x` is set at "
            "`services/s07/serverless.yml:9`; and 4 more places.") in line
