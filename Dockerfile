# Sekimori container image: the GiNZA model is inside, so pods start offline.
# Build: docker build -t sekimori:0.1.0 .

FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/sekimori
ENV PATH=/opt/sekimori/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY detectors ./detectors
COPY proxy ./proxy
# ja-ginza (the model) and SudachiDict come from PyPI as dependencies of the project.
RUN pip install . \
    && python -c "import spacy; spacy.load('ja_ginza')"

FROM python:3.11-slim AS runtime
ENV PATH=/opt/sekimori/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TMPDIR=/tmp
RUN groupadd --gid 10001 sekimori \
    && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin sekimori
COPY --from=builder /opt/sekimori /opt/sekimori
COPY config/default.yaml /etc/sekimori/policy.yaml
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["sekimori"]
CMD ["serve", "--config", "/etc/sekimori/policy.yaml", "--host", "0.0.0.0", "--admin-host", "0.0.0.0"]
