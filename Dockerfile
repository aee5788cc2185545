# Lambda Review action image. It installs exactly the hashed lock CI installs (requirements.txt)
# and nothing at run time. Python matches the version the lock was compiled for.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

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

COPY pyproject.toml requirements.in README.md entrypoint.py /action/
COPY reviewer /action/reviewer
COPY templates /action/templates
RUN pip install --no-deps /action

ENTRYPOINT ["python", "/action/entrypoint.py"]
