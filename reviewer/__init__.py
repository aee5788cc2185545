"""Lambda Review: a pull-request reviewer for repositories that deploy AWS Lambda functions."""

__version__ = "0.1.0"
