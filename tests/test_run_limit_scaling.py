"""The default deadline grows with the repository's size; a deadline the user sets does not."""

from __future__ import annotations

from reviewer.run_limits import MAX_EXTRA_SECONDS, SECONDS_PER_LISTED_FILE, RunLimits


def test_the_default_deadline_grows_with_the_listing_up_to_a_cap():
    limits = RunLimits()
    limits.start(30.0, scales_with_size=True)
    try:
        limits.allow_for_files(5_000)
        assert limits.seconds == 30.0 + 5_000 * SECONDS_PER_LISTED_FILE
        limits.allow_for_files(10_000_000)
        assert limits.seconds == 30.0 + MAX_EXTRA_SECONDS
    finally:
        limits.stop()


def test_a_deadline_the_user_sets_is_kept_exactly():
    limits = RunLimits()
    limits.start(30.0, scales_with_size=False)
    try:
        limits.allow_for_files(5_000)
        assert limits.seconds == 30.0
    finally:
        limits.stop()
