"""`lambda-review account`: what is deployed, read through boto3, judged by the same rules as the code.

listing.py reads functions and event source mappings; details.py asks the few per-function
questions the listing cannot answer; roles.py reads each distinct execution role's policies
once; judgement.py turns a deployed function into the model's `Function` and runs the
repository's own analyzers on it; organizations.py finds the accounts; review.py runs it all
with bounded concurrency; report.py renders it.
"""
