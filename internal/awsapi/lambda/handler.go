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
var PathPrefixes = []string{"/2015-03-31/", eventConfigPrefix, "/2016-08-19/", "/2017-03-31/", "/2017-10-31/", "/2019-09-30/", LayerPrefix, StreamPrefix}

// MaxBody bounds a request: a 50 MB zip, base64-encoded, in JSON.
const MaxBody = 70 << 20

// Handler serves Lambda.
type Handler struct {
	svc    *function.Service
	async  *function.Async    // event invoke configs; see WithAsync
	esm    *function.Mappings // event source mappings; see WithAsync
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
		{http.MethodPost, StreamPrefix + "functions/{}/response-streaming-invocations", "InvokeWithResponseStream", h.invokeWithResponseStream},
		{http.MethodPost, "/2015-03-31/functions/{}/versions", "PublishVersion", h.publishVersion},
		{http.MethodGet, "/2015-03-31/functions/{}/versions", "ListVersionsByFunction", h.listVersions},
		{http.MethodPost, "/2015-03-31/functions/{}/aliases", "CreateAlias", h.createAlias},
		{http.MethodGet, "/2015-03-31/functions/{}/aliases", "ListAliases", h.listAliases},
		{http.MethodGet, "/2015-03-31/functions/{}/aliases/{*}", "GetAlias", h.getAlias},
		{http.MethodPut, "/2015-03-31/functions/{}/aliases/{*}", "UpdateAlias", h.updateAlias},
		{http.MethodDelete, "/2015-03-31/functions/{}/aliases/{*}", "DeleteAlias", h.deleteAlias},
		{http.MethodPut, "/2017-10-31/functions/{}/concurrency", "PutFunctionConcurrency", h.putConcurrency},
		{http.MethodGet, "/2019-09-30/functions/{}/concurrency", "GetFunctionConcurrency", h.getConcurrency},
		{http.MethodDelete, "/2017-10-31/functions/{}/concurrency", "DeleteFunctionConcurrency", h.deleteConcurrency},
		{http.MethodGet, "/2016-08-19/account-settings", "GetAccountSettings", h.getAccountSettings},
		{http.MethodPut, "/2019-09-30/functions/{}/provisioned-concurrency", "PutProvisionedConcurrencyConfig", h.putProvisioned},
		{http.MethodGet, "/2019-09-30/functions/{}/provisioned-concurrency", "GetProvisionedConcurrencyConfig", h.getProvisioned},
		{http.MethodDelete, "/2019-09-30/functions/{}/provisioned-concurrency", "DeleteProvisionedConcurrencyConfig", h.deleteProvisioned},
		{http.MethodPost, "/2015-03-31/functions/{}/policy", "AddPermission", h.addPermission},
		{http.MethodGet, "/2015-03-31/functions/{}/policy", "GetPolicy", h.getPolicy},
		{http.MethodDelete, "/2015-03-31/functions/{}/policy/{*}", "RemovePermission", h.removePermission},
		{http.MethodPost, "/2017-03-31/tags/{}", "TagResource", h.tagResource},
		{http.MethodDelete, "/2017-03-31/tags/{}", "UntagResource", h.untagResource},
		{http.MethodGet, "/2017-03-31/tags/{}", "ListTags", h.listTags},
		{http.MethodPut, "/2019-09-25/functions/{}/event-invoke-config", "PutFunctionEventInvokeConfig", h.putEventInvokeConfig},
		{http.MethodPost, "/2019-09-25/functions/{}/event-invoke-config", "UpdateFunctionEventInvokeConfig", h.updateEventInvokeConfig},
		{http.MethodGet, "/2019-09-25/functions/{}/event-invoke-config", "GetFunctionEventInvokeConfig", h.getEventInvokeConfig},
		{http.MethodDelete, "/2019-09-25/functions/{}/event-invoke-config", "DeleteFunctionEventInvokeConfig", h.deleteEventInvokeConfig},
		{http.MethodGet, "/2019-09-25/functions/{}/event-invoke-config/list", "ListFunctionEventInvokeConfigs", h.listEventInvokeConfigs},
		{http.MethodPost, "/2015-03-31/event-source-mappings", "CreateEventSourceMapping", h.createEventSourceMapping},
		{http.MethodGet, "/2015-03-31/event-source-mappings", "ListEventSourceMappings", h.listEventSourceMappings},
		{http.MethodGet, "/2015-03-31/event-source-mappings/{}", "GetEventSourceMapping", h.getEventSourceMapping},
		{http.MethodPut, "/2015-03-31/event-source-mappings/{}", "UpdateEventSourceMapping", h.updateEventSourceMapping},
		{http.MethodDelete, "/2015-03-31/event-source-mappings/{}", "DeleteEventSourceMapping", h.deleteEventSourceMapping},
		{http.MethodPost, "/2018-10-31/layers/{}/versions", "PublishLayerVersion", h.publishLayerVersion},
		{http.MethodGet, "/2018-10-31/layers/{}/versions", "ListLayerVersions", h.listLayerVersions},
		{http.MethodGet, "/2018-10-31/layers", "ListLayers", h.listLayers},
		{http.MethodGet, "/2018-10-31/layers/{}/versions/{*}", "GetLayerVersion", h.getLayerVersion},
		{http.MethodDelete, "/2018-10-31/layers/{}/versions/{*}", "DeleteLayerVersion", h.deleteLayerVersion},
		{http.MethodPost, "/2018-10-31/layers/{}/versions/{*}/policy", "AddLayerVersionPermission", h.addLayerVersionPermission},
		{http.MethodGet, "/2018-10-31/layers/{}/versions/{*}/policy", "GetLayerVersionPolicy", h.getLayerVersionPolicy},
		{http.MethodDelete, "/2018-10-31/layers/{}/versions/{*}/policy/{*}", "RemoveLayerVersionPermission", h.removeLayerVersionPermission},
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
			case want[i] == "{*}" && got[i] != "": // the operation reads it from the path
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
