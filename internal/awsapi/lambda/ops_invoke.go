package lambda

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

// invoke serves Invoke: the payload is the raw body; the result is the raw
// response body with X-Amz-Function-Error, X-Amz-Executed-Version and, with
// X-Amz-Log-Type: Tail, X-Amz-Log-Result.
func (h *Handler) invoke(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	hdr := r.HTTP.Header
	in := function.InvokeInput{
		Name: name, Qualifier: r.HTTP.URL.Query().Get("Qualifier"),
		Type:    function.InvocationType(hdr.Get("X-Amz-Invocation-Type")),
		TraceID: hdr.Get("X-Amzn-Trace-Id"), Payload: r.Body, RequestID: r.ID,
	}
	if cc := hdr.Get("X-Amz-Client-Context"); cc != "" {
		b, err := base64.StdEncoding.DecodeString(cc)
		if err != nil {
			return awsapi.Response{}, invalidContent("Client context must be a valid Base64-encoded JSON object.")
		}
		in.ClientContext = string(b)
	}
	out, err := h.svc.Invoke(ctx, caller(r), in)
	if err != nil {
		return awsapi.Response{}, err
	}
	resp := awsapi.Response{Status: http.StatusOK, ContentType: "application/json", Header: http.Header{}, Body: out.Payload}
	switch out.Type {
	case function.DryRun:
		resp.Status = http.StatusNoContent
		return resp, nil
	case function.Event:
		resp.Status = http.StatusAccepted
		return resp, nil
	}
	resp.Header.Set("X-Amz-Executed-Version", out.ExecutedVersion)
	if out.FunctionError != "" {
		resp.Header.Set("X-Amz-Function-Error", out.FunctionError)
	}
	if hdr.Get("X-Amz-Log-Type") == "Tail" {
		resp.Header.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString(function.Tail(out.Log)))
	}
	return resp, nil
}
