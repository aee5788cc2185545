# Lambda Review action image. It installs exactly the hashed lock CI installs (requirements.txt)
# and nothing at run time. CI tests the lock on Python 3.11 and on this image's Python (3.13).
# The base image is pinned by the digest of its multi-platform index (linux/amd64 and linux/arm64),
# so a rebuild of the same commit starts from the same bytes; Dependabot (.github/dependabot.yml)
# proposes the new digest when the 3.13-slim-bookworm tag moves.
FROM python:3.13-slim-bookworm@sha256:01f42367a0a94ad4bc17111776fd66e3500c1d87c15bbd6055b7371d39c124fb

LABEL org.opencontainers.image.title="Lambda Review" \
      org.opencontainers.image.description="Reviews pull requests of repositories that deploy AWS Lambda functions" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/lambda-review/lambda-review"

# Runs write no compiled files of their own: the image ships them (below), so no run compiles.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LAMBDA_REVIEW_CACHE_DIR=/action/cache

# git reads the base revision of a pull request; the workspace belongs to another user.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git=1:2.39.* \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system --add safe.directory /github/workspace

# botocore ships 439 AWS service models (28 MiB on disk); the review reads only Lambda's. They are removed
# in the same layer that installs them: a later layer would only hide them, not make the image smaller.
COPY requirements.txt docker/slim_botocore.py /action/
RUN pip install --require-hashes --no-deps -r /action/requirements.txt \
    && python /action/slim_botocore.py

COPY pyproject.toml requirements.in README.md LICENSE entrypoint.py /action/
COPY reviewer /action/reviewer
COPY templates /action/templates
# entrypoint.py imports the review from /action, not from pip's compiled copy: its modules are
# compiled here, and so are every template (reviewer/template_cache.py) and the methods of every
# dataclass (reviewer/method_cache.py), for any user to read.
RUN pip install --no-deps /action \
    && python -m compileall -q /action/reviewer \
    && PYTHONPATH=/action python -P -m reviewer.template_warmup \
    && chmod -R a+rX,go-w /action/cache

ENTRYPOINT ["python", "/action/entrypoint.py"]
