# authprobe container image: a static-analysis-capable build (cgo: the
# tree-sitter Python parser is C) on a distroless base, run as non-root.
#
#   docker build -t authprobe .
#   docker run --rm authprobe scan https://api.example.internal -c /work/authprobe.yaml
#   docker run --rm -v "$PWD:/work" authprobe code /work/app -o /work/code.sarif
#
# The Go version follows go.mod; the build and runtime stages share Debian
# 12 (glibc 2.36), which the cgo binary links against.
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
ENV CGO_ENABLED=1
RUN go build -trimpath -ldflags="-s -w" -o /out/authprobe ./cmd/authprobe \
    && /out/authprobe checks >/dev/null

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/authprobe /usr/local/bin/authprobe
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/authprobe"]
CMD ["--help"]
