#!/usr/bin/env python3
"""A small Singularity API simulator for Converge's importer tests and benchmark.

Serves the two endpoints `converge import singularity` reads, with the JSON shapes of
../../shared/SINGULARITY.md section 6 (Singularity's Jackson output, NON_ABSENT):

  GET {prefix}/api/requests                  -> [SingularityRequestParent] without deploy bodies
                                                (`limit` truncates, `requestType` filters; no paging)
  GET {prefix}/api/requests/request/{id}     -> SingularityRequestParent with activeDeploy
  GET /__stats                               -> {"list": N, "detail": N} calls served so far

Options:
  --fixture FILE        a JSON list of request parents (with activeDeploy) to serve
  --generate N          serve N requests made from the fixture's entries (ids suffixed -00001 ...)
  --token T             require `Authorization: Token T` (401 otherwise, as Singularity's token authenticator)
  --malformed-list      answer the list with broken JSON
  --malformed-request ID  answer that request's detail with broken JSON
  --drop-deploy ID      serve that request without an activeDeploy
  --vanish ID           list that request, but answer 404 for its detail (deleted meanwhile)
  --prefix P            the API's context path (default /singularity)

Prints `listening http://127.0.0.1:PORT{prefix}` once ready; binds a free loopback port.
"""
import argparse
import copy
import json
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    # A parent may have SIGTERM blocked or ignored (Swift's Process passes its thread's mask on):
    # make `kill PID` end this server.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--generate", type=int, default=0)
    parser.add_argument("--token")
    parser.add_argument("--malformed-list", action="store_true")
    parser.add_argument("--malformed-request")
    parser.add_argument("--drop-deploy", action="append", default=[])
    parser.add_argument("--vanish", action="append", default=[], help="listed, but its detail answers 404 (deleted meanwhile)")
    parser.add_argument("--prefix", default="/singularity")
    args = parser.parse_args()

    with open(args.fixture) as f:
        parents = json.load(f)
    if args.generate:
        parents = generate(parents, args.generate)
    for parent in parents:
        if parent["request"]["id"] in args.drop_deploy:
            parent.pop("activeDeploy", None)
            parent.get("requestDeployState", {}).pop("activeDeploy", None)
    by_id = {p["request"]["id"]: p for p in parents}
    # Answers are serialised once: the server's own cost stays out of the importer's benchmark.
    detail_bytes = {rid: json.dumps(p).encode() for rid, p in by_id.items()}
    list_bytes = json.dumps([summary(p) for p in parents]).encode()
    stats = {"list": 0, "detail": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without TCP_NODELAY, a keep-alive client
        # waits for the delayed ACK (40 ms) on every request, which Jetty-served Singularity does not.
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def send_json(self, status, body, raw=None):
            data = raw if raw is not None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/__stats":
                with lock:
                    return self.send_json(200, dict(stats))
            if args.token is not None:
                header = self.headers.get("Authorization") or ""
                if not header:
                    return self.send_json(401, {"message": "No Authorization header present, please log in first"})
                if not header.startswith("Token"):
                    return self.send_json(401, {"message": "No Token specified in authorization header"})
                if header.split(None, 1)[-1] != args.token:
                    return self.send_json(401, {"message": "Exception while verifying token: No matching token found"})
            if not url.path.startswith(args.prefix + "/api/"):
                return self.send_json(404, {"message": "Not found"})
            path = url.path[len(args.prefix):]
            query = urllib.parse.parse_qs(url.query)
            if path == "/api/requests":
                with lock:
                    stats["list"] += 1
                if args.malformed_list:
                    return self.send_json(200, None, raw=b'[{"request": {"id": "x", "requestType": "SERV')
                if "requestType" not in query and "limit" not in query:
                    return self.send_json(200, None, raw=list_bytes)
                listed = [summary(p) for p in parents]
                if "requestType" in query:
                    listed = [p for p in listed if p["request"].get("requestType") in query["requestType"]]
                if "limit" in query:
                    listed = listed[: int(query["limit"][0])]
                return self.send_json(200, listed)
            if path.startswith("/api/requests/request/"):
                request_id = urllib.parse.unquote(path[len("/api/requests/request/"):])
                with lock:
                    stats["detail"] += 1
                parent = by_id.get(request_id)
                if parent is None or request_id in args.vanish:
                    return self.send_json(404, {"message": "Couldn't find request with id %s" % request_id})
                if request_id == args.malformed_request:
                    return self.send_json(200, None, raw=b'{"request": {"id": ')
                return self.send_json(200, None, raw=detail_bytes[request_id])
            return self.send_json(404, {"message": "Not found"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("listening http://127.0.0.1:%d%s" % (server.server_address[1], args.prefix), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def summary(parent):
    """What the list endpoint returns: no deploy bodies ("full deploy data not provided")."""
    out = {k: v for k, v in parent.items() if k not in ("activeDeploy", "pendingDeploy", "pendingDeployState", "taskIds")}
    return out


def generate(templates, count):
    out = []
    for n in range(count):
        parent = copy.deepcopy(templates[n % len(templates)])
        rid = "%s-%05d" % (parent["request"]["id"], n + 1)
        parent["request"]["id"] = rid
        for key in ("activeDeploy", "pendingDeploy"):
            if key in parent:
                parent[key]["requestId"] = rid
        for marker in parent.get("requestDeployState", {}).values():
            if isinstance(marker, dict):
                marker["requestId"] = rid
        if "requestDeployState" in parent:
            parent["requestDeployState"]["requestId"] = rid
        out.append(parent)
    return out


if __name__ == "__main__":
    sys.exit(main())
