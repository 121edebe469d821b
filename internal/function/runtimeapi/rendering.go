package runtimeapi

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Error types the Runtime API answers with, as RIE and AWS send them.
const (
	errInvalidRequestID       = "InvalidRequestID"
	errInvalidStateTransition = "InvalidStateTransition"
	errEntityTooLarge         = "RequestEntityTooLarge"
)

// renderError writes {"errorMessage","errorType"} with status.
func renderError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{msg, typ})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// renderAccepted answers a response or error post.
func renderAccepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"status":"OK"}`))
}

// renderInvocation writes an invocation as the answer to /next.
func renderInvocation(w http.ResponseWriter, inv Invocation) {
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.RequestID)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.Deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", inv.FunctionArn)
	if inv.TraceID != "" {
		h.Set("Lambda-Runtime-Trace-Id", inv.TraceID)
	}
	if inv.ClientContext != "" {
		h.Set("Lambda-Runtime-Client-Context", inv.ClientContext)
	}
	if inv.CognitoIdentity != "" {
		h.Set("Lambda-Runtime-Cognito-Identity", inv.CognitoIdentity)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(inv.Payload)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(inv.Payload)
}
