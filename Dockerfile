# syntax=docker/dockerfile:1
# Dure's image: one static binary (templates, static files and migrations are
# embedded in it) on Debian slim, run as a non-root user.
#   docker build -t dure .
#   docker run --env-file dure.env -p 3000:3000 dure            # serve
#   docker run --env-file dure.env dure migrate                  # or any subcommand
# The runtime is debian:bookworm-slim rather than scratch/distroless for three
# packages: fonts-nanum (Korean fonts for generated PDFs), tzdata (Asia/Seoul)
# and postgresql-client-15 (pg_dump/pg_restore for `dure backup` / `restore`;
# it must be at least the server's major version).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/dure ./cmd/dure

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates tzdata fonts-nanum postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dure \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/dure --create-home --shell /usr/sbin/nologin dure \
 && mkdir -p /var/lib/dure/uploads /var/lib/dure/backups \
 && chown -R 10001:10001 /var/lib/dure
COPY --from=build /out/dure /usr/local/bin/dure
# Listen on every interface inside the container (the defaults are loopback);
# the admin address (detailed /healthz, /metrics) must still not be published.
ENV DURE_ADDR=0.0.0.0:3000 \
    DURE_ADMIN_ADDR=0.0.0.0:3001 \
    DURE_LOG_FORMAT=json \
    DURE_UPLOAD_DIR=/var/lib/dure/uploads
WORKDIR /var/lib/dure
USER 10001:10001
EXPOSE 3000 3001
ENTRYPOINT ["/usr/local/bin/dure"]
CMD ["serve"]
