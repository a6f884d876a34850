# 関守 Sekimori — container image. The GiNZA model (ja-ginza from PyPI) is installed in the
# builder and copied in with the virtualenv, so pods start offline and never download it.
#
#   docker build -t sekimori:0.1.0 .
#   docker run --rm -p 8080:8080 -p 8081:8081 -e OPENAI_API_KEY=... sekimori:0.1.0
#
# Runs as uid 10001 with a read-only root filesystem: HOME and TMPDIR point at /tmp, which
# the Helm chart mounts as an emptyDir (with plain docker: --read-only --tmpfs /tmp).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- builder: compilers allowed here, never in the final image -------------------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# Only for dependencies that might lack a wheel on this platform.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/sekimori \
    && /opt/sekimori/bin/pip install --upgrade pip
ENV PATH=/opt/sekimori/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY detectors ./detectors
COPY proxy ./proxy
# proxy/policy/default.yaml links here: the package ships the default policy.
COPY config/default.yaml ./config/default.yaml
# A regular (non-editable) install: ja-ginza, ginza and SudachiDict come in as the
# project's own pinned dependencies. Loading the model here fails the build if it is missing.
RUN pip install . \
    && python -c "import spacy; spacy.load('ja_ginza')"

# -- runtime: the interpreter, the venv and the policy; nothing else -------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="sekimori" \
      org.opencontainers.image.description="関守 Sekimori — prompt guard proxy for the OpenAI / Anthropic APIs" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/opt/sekimori/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TMPDIR=/tmp
RUN groupadd --gid 10001 sekimori \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp \
       --shell /usr/sbin/nologin sekimori
COPY --from=builder /opt/sekimori /opt/sekimori
# The shipped policy: used as is by `docker run`; the chart mounts its ConfigMap over
# /etc/sekimori. `sekimori scan` uses the copy installed with the package.
COPY config/default.yaml /etc/sekimori/policy.yaml
WORKDIR /app
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["sekimori"]
CMD ["serve", "--config", "/etc/sekimori/policy.yaml", "--host", "0.0.0.0", "--admin-host", "0.0.0.0"]
