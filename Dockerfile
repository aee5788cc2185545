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

COPY requirements.txt /action/requirements.txt
RUN pip install --require-hashes --no-deps -r /action/requirements.txt

COPY pyproject.toml requirements.in README.md entrypoint.py /action/
COPY reviewer /action/reviewer
COPY templates /action/templates
RUN pip install --no-deps /action

ENTRYPOINT ["python", "/action/entrypoint.py"]
