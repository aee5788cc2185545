"""bandit's B608 on a CloudWatch Metrics Insights query, which no database runs.

B608 (`hardcoded_sql_expressions`) flags a string that starts like SQL and interpolates values.
AWS Solutions' metrics custom resource builds Metrics Insights queries that way,
`f"SELECT COUNT(Failures) FROM SCHEMA("{namespace}", service) WHERE service = '{service}'"`, to
hand to CloudWatch's `GetMetricData`: a read-only query over the account's metrics, with no driver
whose parameters could bind the values, so the finding's advice does not apply and the "SQL
injection" it names is no database's (what such a query can read, the role may read anyway).
`FROM SCHEMA(` is Metrics Insights' own clause; a query that names it is such a query.
"""

from __future__ import annotations

# Lines read from the flagged string's first for the clause (a query written over several lines).
MAX_QUERY_LINES = 12
_CLAUSE = "FROM SCHEMA("


def is_metric_query(test_id: str, lines: list[str]) -> bool:
    """Whether a B608 issue's lines (its first onwards) write a Metrics Insights query."""
    if test_id != "B608":
        return False
    return any(_CLAUSE in " ".join(line.upper().split()).replace("SCHEMA (", "SCHEMA(")
               for line in lines[:MAX_QUERY_LINES])
