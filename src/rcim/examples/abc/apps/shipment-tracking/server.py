"""The shipment-tracking API of ABC Logistics: where is my consignment?

A deliberately small service (standard library HTTP server) that rcim deploys in its demo and
tests. It reads one rendered JSON configuration file and serves:

- ``GET /healthz``   200 ``ok`` (503 when the release is configured ``fault=unhealthy``)
- ``GET /version``   JSON ``{"service", "version", "commit"}`` of the running release
- ``GET /metrics``   Prometheus text: ``http_requests_total{job,code}`` and the
                     ``http_request_duration_seconds{job}`` histogram the SLOs are built on
- ``GET /track/ID``  JSON status of one shipment (500 when configured ``fault=errors``)

``fault_hosts=a,b`` limits a fault to those hosts.

On hosts without ``prometheus-client`` the same metrics are written by hand, so the service
only needs ``python3``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JOB = "shipment-tracking"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0)
STATUSES = ("collected", "in transit", "at depot", "out for delivery", "delivered")
DEPOTS = ("Prague", "Brno", "Ostrava", "Vienna", "Bratislava", "Wroclaw")


class PlainMetrics:
    """Hand-written Prometheus exposition, used when prometheus-client is not installed."""

    content_type = "text/plain; version=0.0.4; charset=utf-8"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[str, int] = {}
        self._bucket_counts = [0] * len(BUCKETS)
        self._count = 0
        self._sum = 0.0

    def observe(self, code: int, seconds: float) -> None:
        with self._lock:
            key = str(code)
            self._requests[key] = self._requests.get(key, 0) + 1
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    self._bucket_counts[index] += 1
            self._count += 1
            self._sum += seconds

    def render(self) -> bytes:
        with self._lock:
            lines = [
                "# HELP http_requests_total HTTP requests answered, by status code.",
                "# TYPE http_requests_total counter",
            ]
            for code, count in sorted(self._requests.items()):
                lines.append(f'http_requests_total{{code="{code}",job="{JOB}"}} {count}.0')
            lines += [
                "# HELP http_request_duration_seconds Time to answer an HTTP request.",
                "# TYPE http_request_duration_seconds histogram",
            ]
            for bound, count in zip(BUCKETS, self._bucket_counts, strict=True):
                lines.append(
                    f'http_request_duration_seconds_bucket{{job="{JOB}",le="{bound}"}} {count}.0'
                )
            total = f"{self._count}.0"
            lines.append(f'http_request_duration_seconds_bucket{{job="{JOB}",le="+Inf"}} {total}')
            lines.append(f'http_request_duration_seconds_count{{job="{JOB}"}} {total}')
            lines.append(f'http_request_duration_seconds_sum{{job="{JOB}"}} {self._sum}')
        return ("\n".join(lines) + "\n").encode("utf-8")


class ClientMetrics:
    """Metrics through prometheus-client, in a registry of our own."""

    def __init__(self) -> None:
        import prometheus_client as prom

        self._prom = prom
        self.content_type = prom.CONTENT_TYPE_LATEST
        self._registry = prom.CollectorRegistry()
        self._requests = prom.Counter(
            "http_requests",
            "HTTP requests answered, by status code.",
            ["job", "code"],
            registry=self._registry,
        )
        self._latency = prom.Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request.",
            ["job"],
            buckets=BUCKETS,
            registry=self._registry,
        )

    def observe(self, code: int, seconds: float) -> None:
        self._requests.labels(job=JOB, code=str(code)).inc()
        self._latency.labels(job=JOB).observe(seconds)

    def render(self) -> bytes:
        data: bytes = self._prom.generate_latest(self._registry)
        return data


def make_metrics() -> PlainMetrics | ClientMetrics:
    try:
        return ClientMetrics()
    except ImportError:
        return PlainMetrics()


def shipment(shipment_id: str) -> dict[str, Any]:
    """A stable, made-up status for a shipment: the same ID always answers the same."""
    digest = hashlib.sha256(shipment_id.encode("utf-8")).digest()
    return {
        "id": shipment_id,
        "status": STATUSES[digest[0] % len(STATUSES)],
        "location": DEPOTS[digest[1] % len(DEPOTS)],
    }


def active_fault(config: dict[str, Any]) -> str:
    """The configured fault, limited to the hosts in ``fault_hosts`` (comma-separated) if set,
    so that a demo can break one host of a rollout."""
    fault = str(config.get("fault", "none"))
    only = [h.strip() for h in str(config.get("fault_hosts", "")).split(",") if h.strip()]
    if only and str(config.get("host", "")) not in only:
        return "none"
    return fault


def make_handler(config: dict[str, Any], metrics: PlainMetrics | ClientMetrics) -> type:
    fault = active_fault(config)
    version_body = json.dumps(
        {
            "service": config.get("service", JOB),
            "version": config.get("version", "unknown"),
            "commit": config.get("commit", ""),
        }
    ).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        server_version = "shipment-tracking"

        def do_GET(self) -> None:
            started = time.perf_counter()
            code, content_type, body = self.route()
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            if self.path != "/metrics":
                metrics.observe(code, time.perf_counter() - started)

        def route(self) -> tuple[int, str, bytes]:
            path = self.path.split("?", 1)[0]
            if path == "/healthz":
                if fault == "unhealthy":
                    return 503, "text/plain", b"unhealthy: fault=unhealthy\n"
                return 200, "text/plain", b"ok\n"
            if path == "/version":
                return 200, "application/json", version_body
            if path == "/metrics":
                return 200, metrics.content_type, metrics.render()
            if path.startswith("/track/") and len(path) > len("/track/"):
                if fault == "errors":
                    return 500, "application/json", b'{"error": "tracking backend failed"}'
                body = json.dumps(shipment(path[len("/track/") :])).encode("utf-8")
                return 200, "application/json", body
            return 404, "application/json", b'{"error": "not found"}'

        def log_message(self, format: str, *args: object) -> None:
            """Access logs are metrics here; keep the log file for lifecycle messages."""

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config", required=True, help="rendered JSON configuration")
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as stream:
        config = json.load(stream)
    server = ThreadingHTTPServer((args.bind, args.port), make_handler(config, make_metrics()))
    server.daemon_threads = True
    where = f"{args.bind}:{args.port}"
    print(f"shipment-tracking {config.get('version')} listening on {where}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
