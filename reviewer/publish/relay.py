"""`lambda-review publish`: post a findings artifact from a read-only run (fork pull requests).

Runs in a `workflow_run` workflow, which has a write token. Only the repository and the head
commit come from trusted sources (the workflow_run event); the artifact gives the pull request
number, which GitHub must confirm belongs to that head commit before anything is posted.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reviewer.config import Settings
from reviewer.publish.artifact import ArtifactError, read_artifact
from reviewer.publish.github import PublishResult, PullRequestPublisher, connect
from reviewer.review.plan import plan_review
from reviewer.review.summary import summarize


def publish_artifact(path: Path, *, repository: str, head_sha: str, api_url: str, token: str,
                     max_inline: int = 25, check_run: bool = False) -> PublishResult:
    artifact = read_artifact(path)
    if artifact.repository.lower() != repository.lower():
        raise ArtifactError(f"the findings file is for another repository than {repository}")
    if artifact.head_sha != head_sha:
        raise ArtifactError("the findings file was made for another commit than the workflow run's head")
    publisher = PullRequestPublisher(connect(api_url, token), repository, artifact.pull_request)
    if publisher.head_sha() != head_sha:
        raise ArtifactError(f"pull request #{artifact.pull_request} does not have the workflow run's head commit")
    diff = publisher.changed_files()
    settings = replace(Settings(), fail_on=artifact.fail_on, reference_date=artifact.reference_date)
    known = {finding.fingerprint for finding in artifact.findings if finding.fingerprint not in artifact.new}
    plan = plan_review(artifact.findings, settings, diff, base_fingerprints=known, max_inline=max_inline)
    facts = summarize(plan, artifact.functions, [], settings)
    return publisher.publish(plan, facts, head_sha, diff, check_run=check_run)
