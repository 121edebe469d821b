"""fogbank's runtime client for the python3.* runtimes.

It imports the handler named by _HANDLER ("dir/module.function") from
LAMBDA_TASK_ROOT and serves invocations from the Runtime API
(AWS_LAMBDA_RUNTIME_API) until the process is killed. Errors, logging and the
context object follow AWS's Python runtime.
"""

import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

BASE = "/2018-06-01/runtime"


class Runtime:
    """A connection to the Runtime API."""

    def __init__(self, addr):
        host, port = addr.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=None)

    def request(self, method, path, body=None, headers=None):
        try:
            self.conn.request(method, BASE + path, body=body, headers=headers or {})
            resp = self.conn.getresponse()
            return resp.status, resp.headers, resp.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise

    def post_error(self, path, doc):
        body = json.dumps(doc).encode()
        self.request("POST", path, body, {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": doc["errorType"]})


class FaultError(Exception):
    """An init failure with AWS's error type."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


class CognitoIdentity:
    def __init__(self, doc):
        self.cognito_identity_id = doc.get("cognitoIdentityId")
        self.cognito_identity_pool_id = doc.get("cognitoIdentityPoolId")


class Client:
    def __init__(self, doc):
        self.installation_id = doc.get("installation_id")
        self.app_title = doc.get("app_title")
        self.app_version_name = doc.get("app_version_name")
        self.app_version_code = doc.get("app_version_code")
        self.app_package_name = doc.get("app_package_name")


class ClientContext:
    def __init__(self, doc):
        self.client = Client(doc["client"]) if doc.get("client") else None
        self.custom = doc.get("custom")
        self.env = doc.get("env")


class LambdaContext:
    """The context object handlers receive."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = None
        self.identity = CognitoIdentity({})
        cc = headers.get("Lambda-Runtime-Client-Context")
        if cc:
            self.client_context = ClientContext(json.loads(cc))
        ci = headers.get("Lambda-Runtime-Cognito-Identity")
        if ci:
            self.identity = CognitoIdentity(json.loads(ci))

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def __repr__(self):
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn}])"
        )


class RequestIdFilter(logging.Filter):
    request_id = None

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def setup_logging():
    """AWS's root logger: [LEVEL]\\t<time>Z\\t<request id>\\t<message>."""
    handler = logging.StreamHandler(sys.stdout)
    fmt = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S")
    fmt.converter = time.gmtime
    handler.setFormatter(fmt)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultError("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}") from None
    modname = modname.replace("/", ".")
    try:
        module = importlib.import_module(modname)
    except ImportError as e:
        raise FaultError("Runtime.ImportModuleError", f"Unable to import module '{modname}': {e}") from None
    except SyntaxError as e:
        raise FaultError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{modname}': {e}") from None
    fn = getattr(module, fname, None)
    if fn is None:
        raise FaultError("Runtime.HandlerNotFound", f"Handler '{fname}' missing on module '{modname}'")
    return fn


def aws_roots():
    """The host directories standing in for AWS's, longest first: the code
    (/var/task), the merged layers (/opt, named by PYTHONPATH's <opt>/python
    entry), this runtime client (/var/runtime) and the interpreter
    (/var/lang)."""
    roots = [(os.environ.get("LAMBDA_TASK_ROOT", ""), "/var/task"), (os.path.dirname(os.path.abspath(__file__)), "/var/runtime")]
    for entry in os.environ.get("PYTHONPATH", "").split(":"):
        if entry.endswith("/python"):
            roots.append((os.path.dirname(entry), "/opt"))
    roots.append((sys.base_prefix, "/var/lang"))
    roots = [(os.path.realpath(host), aws) for host, aws in roots if host and os.path.realpath(host) != "/"]
    return sorted(roots, key=lambda r: len(r[0]), reverse=True)


def aws_path(filename, roots):
    """filename as AWS's runtime reports it: under /var/task, /opt, ..."""
    real = os.path.realpath(filename) if filename.startswith("/") else filename
    for host, aws in roots:
        if real == host or real.startswith(host + "/"):
            return aws + real[len(host):]
    return filename


def stack_trace(tb, skip=0):
    """AWS's stackTrace: traceback.format_list of (file, line, function,
    text) tuples, with AWS's paths and without column markers."""
    roots = aws_roots()
    frames = traceback.extract_tb(tb)[skip:]
    return traceback.format_list([(aws_path(f.filename, roots), f.lineno, f.name, f.line) for f in frames])


def error_doc(exc, request_id, skip=0):
    if isinstance(exc, FaultError):
        return {"errorMessage": exc.message, "errorType": exc.error_type, "requestId": request_id, "stackTrace": []}
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": stack_trace(exc.__traceback__, skip),
    }


def marshal(result):
    """The response body and its content type, as AWS's runtime marshals
    them: bytes go out as they are (application/unknown), anything else as
    JSON."""
    if isinstance(result, bytes):
        return result, "application/unknown"
    return json.dumps(result).encode(), "application/json"


def log_error(doc):
    lines = ["[ERROR] " + doc["errorType"] + ": " + doc["errorMessage"]]
    if doc["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(s.rstrip("\n") for s in doc["stackTrace"])
    sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")
    sys.stdout.flush()


def main():
    task_root = os.environ["LAMBDA_TASK_ROOT"]
    sys.path.insert(0, task_root)
    setup_logging()
    rt = Runtime(os.environ["AWS_LAMBDA_RUNTIME_API"])
    try:
        fn = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:  # noqa: BLE001 - every init failure is reported
        doc = error_doc(e, "", skip=1)
        log_error(doc)
        rt.post_error("/init/error", doc)
        sys.exit(1)
    while True:
        _, headers, body = rt.request("GET", "/invocation/next")
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        RequestIdFilter.request_id = request_id
        trace = headers.get("Lambda-Runtime-Trace-Id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body or b"null")
            result = fn(event, LambdaContext(headers))
        except Exception as e:  # noqa: BLE001 - the handler's error is the invocation's result
            doc = error_doc(e, request_id, skip=1)
            log_error(doc)
            rt.post_error(f"/invocation/{request_id}/error", doc)
            continue
        try:
            out, content_type = marshal(result)
        except (TypeError, ValueError) as e:
            doc = {"errorMessage": f"Unable to marshal response: {e}", "errorType": "Runtime.MarshalError", "requestId": request_id, "stackTrace": []}
            log_error(doc)
            rt.post_error(f"/invocation/{request_id}/error", doc)
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        rt.request("POST", f"/invocation/{request_id}/response", out, {"Content-Type": content_type})


if __name__ == "__main__":
    main()
