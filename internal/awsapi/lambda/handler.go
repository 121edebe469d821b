// Package lambda serves the AWS Lambda API (restJson1): operations are named
// by method and path under /2015-03-31/, inputs come from the path, query,
// headers and a JSON body, and errors carry the X-Amzn-ErrorType header.
// Each operation decodes into one input, calls the function service and
// encodes one output; errors are rendered in one place (errors.go).
package lambda

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

// PathPrefixes are the paths the Lambda API is served under.
var PathPrefixes = []string{"/2015-03-31/"}

// MaxBody bounds a request: a 50 MB zip, base64-encoded, in JSON.
const MaxBody = 70 << 20

// Handler serves Lambda.
type Handler struct {
	svc    *function.Service
	log    *slog.Logger
	routes []route
}

// route is one operation: its method, path shape and implementation. A path
// segment "{}" matches the function name.
type route struct {
	method, path, op string
	call             func(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error)
}

// New builds the Lambda handler.
func New(svc *function.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	h.routes = []route{
		{http.MethodPost, "/2015-03-31/functions", "CreateFunction", h.createFunction},
		{http.MethodGet, "/2015-03-31/functions", "ListFunctions", h.listFunctions},
		{http.MethodGet, "/2015-03-31/functions/{}", "GetFunction", h.getFunction},
		{http.MethodDelete, "/2015-03-31/functions/{}", "DeleteFunction", h.deleteFunction},
		{http.MethodGet, "/2015-03-31/functions/{}/configuration", "GetFunctionConfiguration", h.getFunctionConfiguration},
		{http.MethodPut, "/2015-03-31/functions/{}/configuration", "UpdateFunctionConfiguration", h.updateFunctionConfiguration},
		{http.MethodPut, "/2015-03-31/functions/{}/code", "UpdateFunctionCode", h.updateFunctionCode},
		{http.MethodPost, "/2015-03-31/functions/{}/invocations", "Invoke", h.invoke},
	}
	return h
}

// Serve handles one Lambda request.
func (h *Handler) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	rt, name, ok := h.match(r.HTTP.Method, r.HTTP.URL.Path)
	if !ok {
		return renderError(unknownOperation(r))
	}
	r.Operation = rt.op
	resp, err := rt.call(ctx, r, name)
	if err != nil {
		w := toWire(err)
		if w.status >= 500 {
			h.log.ErrorContext(ctx, "lambda: operation failed", slog.String("op", r.Operation), slog.String("request_id", r.ID), slog.Any("err", err))
		}
		return renderError(w)
	}
	return resp
}

// match finds the route of method and path, and the function name in it.
func (h *Handler) match(method, path string) (route, string, bool) {
	path = strings.TrimSuffix(path, "/")
	got := strings.Split(path, "/")
	for _, rt := range h.routes {
		want := strings.Split(rt.path, "/")
		if rt.method != method || len(want) != len(got) {
			continue
		}
		name, ok := "", true
		for i := range want {
			switch {
			case want[i] == "{}" && got[i] != "":
				name = got[i]
			case want[i] != got[i]:
				ok = false
			}
		}
		if ok {
			return rt, name, true
		}
	}
	return route{}, "", false
}

func caller(r *awsapi.Request) function.Caller {
	return function.Caller{Account: r.Identity.Account, Region: r.Identity.Region}
}
