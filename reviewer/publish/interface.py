"""The one shape of every output: a publisher takes the review's outcome and posts or writes it.

Review decides (reviewer/review/outcome.py); a publisher only carries the decision to one place:
the pull request (`github.PullRequestPublisher`, `github.CheckRunPublisher`), the Actions run
(`actions.JobSummary`, `actions.Annotations`, `actions.ActionOutputs`), a file (`sarif.SarifFile`,
`artifact.FindingsFile`) or a terminal (`console.ScanReport`, `preview.ReviewPreview`). Where to
post and how (a path, a stream, a client) is given when the publisher is made; what to post is the
outcome. The faces choose the publishers for a run and hand the outcome to each, in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Protocol, runtime_checkable

if TYPE_CHECKING:
    from reviewer.review.outcome import ReviewOutcome


@runtime_checkable
class Publisher(Protocol):
    """Posts or writes one review outcome; what it posted it keeps for the face to read."""

    def publish(self, outcome: ReviewOutcome) -> None: ...


def publish_all(outcome: ReviewOutcome, publishers: Iterable[Publisher]) -> None:
    """Hand the outcome to every publisher, in the order given (a later one may read an earlier one's result)."""
    for publisher in publishers:
        publisher.publish(outcome)
