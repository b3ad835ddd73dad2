# ippo: the same install steps as `make` (pinned requirements.lock, then the
# package without dependencies), in a slim image running as a non-root user.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/ippo
ENV PATH=/opt/ippo/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install --requirement requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
COPY config ./config
RUN pip install --no-deps .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 ippo \
 && mkdir /data \
 && chown ippo:ippo /data
COPY --from=build /opt/ippo /opt/ippo
ENV PATH=/opt/ippo/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/ippo.db \
    IPPO_HTTP_HOST=0.0.0.0 \
    IPPO_LOG_FORMAT=json
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s \
  CMD ["ippo", "doctor"]
STOPSIGNAL SIGTERM
CMD ["ippo", "run"]
