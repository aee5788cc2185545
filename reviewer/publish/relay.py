"""`lambda-review publish`: post a findings artifact from a read-only run (fork pull requests).

Runs in a `workflow_run` workflow, which has a write token. Only the repository and the head
commit come from trusted sources (the workflow_run event); the artifact gives the pull request
number, which GitHub must confirm belongs to that head commit before anything is posted.
This module only reads and checks: review plans the relayed findings (`relayed_outcome`), and
the same publishers as a pull request run post them.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.publish.artifact import ArtifactError, read_artifact
from reviewer.publish.github import CheckRunPublisher, PublishResult, PullRequestPublisher, connect
from reviewer.publish.interface import Publisher, publish_all
from reviewer.review.outcome import relayed_outcome


def publish_artifact(path: Path, *, repository: str, head_sha: str, api_url: str, token: str,
                     max_inline: int = 25, check_run: bool = False) -> PublishResult:
    artifact = read_artifact(path)
    if artifact.repository.lower() != repository.lower():
        raise ArtifactError(f"the findings file is for another repository than {repository}")
    if artifact.head_sha != head_sha:
        raise ArtifactError("the findings file was made for another commit than the workflow run's head")
    pull_request = PullRequestPublisher(connect(api_url, token), repository, artifact.pull_request, commit=head_sha)
    if pull_request.head_sha() != head_sha:
        raise ArtifactError(f"pull request #{artifact.pull_request} does not have the workflow run's head commit")
    outcome = relayed_outcome(artifact.findings, artifact.new, artifact.functions, fail_on=artifact.fail_on,
                              reference_date=artifact.reference_date, diff=pull_request.changed_files(),
                              max_inline=max_inline)
    publishers: list[Publisher] = [pull_request]
    if check_run:
        publishers.append(CheckRunPublisher(pull_request))
    publish_all(outcome, publishers)
    return pull_request.result
