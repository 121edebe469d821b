// Package schemas serves the EventBridge Schemas API (restJson1):
// operations are named by method and path under /v1/ and /tags/, inputs
// come from the path, query and a JSON body, and errors carry the
// X-Amzn-ErrorType header and a {"Code","Message"} body. Each operation
// decodes into one input, calls the schema service and encodes one output;
// errors are rendered in one place (errors.go).
package schemas

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/schema"
)

// PathPrefixes are the paths the Schemas API is served under (the model's
// requestUris); none collides with Lambda's /2015-03-31/.
var PathPrefixes = []string{"/v1/registries", "/v1/discover", "/v1/policy", "/tags/"}

// MaxBody bounds a request: a 100,000-character schema, JSON-escaped.
const MaxBody = 1 << 20

// Handler serves Schemas.
type Handler struct {
	svc    *schema.Service
	log    *slog.Logger
	routes []route
}

// route is one operation: its method, path shape and implementation. A path
// segment "{}" matches one name, handed to call in order.
type route struct {
	method, path, op string
	call             func(ctx context.Context, r *awsapi.Request, names []string) (awsapi.Response, error)
}

const (
	reg    = "/v1/registries/name/{}"
	sch    = reg + "/schemas/name/{}"
	disc   = "/v1/discoverers/id/{}"
	tags   = "/tags/{}"
	policy = "/v1/policy"
)

// New builds the Schemas handler.
func New(svc *schema.Service, log *slog.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	h.routes = []route{
		{http.MethodGet, "/v1/registries", "ListRegistries", h.listRegistries},
		{http.MethodPost, reg, "CreateRegistry", h.createRegistry},
		{http.MethodGet, reg, "DescribeRegistry", h.describeRegistry},
		{http.MethodPut, reg, "UpdateRegistry", h.updateRegistry},
		{http.MethodDelete, reg, "DeleteRegistry", h.deleteRegistry},
		{http.MethodGet, reg + "/schemas", "ListSchemas", h.listSchemas},
		{http.MethodGet, reg + "/schemas/search", "SearchSchemas", h.searchSchemas},
		{http.MethodPost, sch, "CreateSchema", h.createSchema},
		{http.MethodGet, sch, "DescribeSchema", h.describeSchema},
		{http.MethodPut, sch, "UpdateSchema", h.updateSchema},
		{http.MethodDelete, sch, "DeleteSchema", h.deleteSchema},
		{http.MethodDelete, sch + "/version/{}", "DeleteSchemaVersion", h.deleteSchemaVersion},
		{http.MethodGet, sch + "/versions", "ListSchemaVersions", h.listSchemaVersions},
		{http.MethodGet, sch + "/export", "ExportSchema", h.exportSchema},
		{http.MethodPost, sch + "/language/{}", "PutCodeBinding", h.putCodeBinding},
		{http.MethodGet, sch + "/language/{}", "DescribeCodeBinding", h.describeCodeBinding},
		{http.MethodGet, sch + "/language/{}/source", "GetCodeBindingSource", h.getCodeBindingSource},
		{http.MethodPost, "/v1/discover", "GetDiscoveredSchema", h.getDiscoveredSchema},
		{http.MethodPost, "/v1/discoverers", "CreateDiscoverer", h.createDiscoverer},
		{http.MethodGet, "/v1/discoverers", "ListDiscoverers", h.listDiscoverers},
		{http.MethodGet, disc, "DescribeDiscoverer", h.describeDiscoverer},
		{http.MethodPut, disc, "UpdateDiscoverer", h.updateDiscoverer},
		{http.MethodDelete, disc, "DeleteDiscoverer", h.deleteDiscoverer},
		{http.MethodPost, disc + "/start", "StartDiscoverer", h.startDiscoverer},
		{http.MethodPost, disc + "/stop", "StopDiscoverer", h.stopDiscoverer},
		{http.MethodPut, policy, "PutResourcePolicy", h.putResourcePolicy},
		{http.MethodGet, policy, "GetResourcePolicy", h.getResourcePolicy},
		{http.MethodDelete, policy, "DeleteResourcePolicy", h.deleteResourcePolicy},
		{http.MethodPost, tags, "TagResource", h.tagResource},
		{http.MethodDelete, tags, "UntagResource", h.untagResource},
		{http.MethodGet, tags, "ListTagsForResource", h.listTagsForResource},
	}
	return h
}

// Serve handles one Schemas request.
func (h *Handler) Serve(ctx context.Context, r *awsapi.Request) awsapi.Response {
	rt, names, ok := h.match(r.HTTP.Method, r.HTTP.URL.EscapedPath())
	if !ok {
		return renderError(unknownOperation(r))
	}
	r.Operation = rt.op
	resp, err := rt.call(ctx, r, names)
	if err != nil {
		w := toWire(err)
		if w.status >= 500 {
			h.log.ErrorContext(ctx, "schemas: operation failed", slog.String("op", r.Operation), slog.String("request_id", r.ID), slog.Any("err", err))
		}
		return renderError(w)
	}
	return resp
}

// match finds the route of method and (escaped) path, and the names in it.
func (h *Handler) match(method, path string) (route, []string, bool) {
	got := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, rt := range h.routes {
		want := strings.Split(rt.path, "/")
		if rt.method != method || len(want) != len(got) {
			continue
		}
		var names []string
		ok := true
		for i := range want {
			switch {
			case want[i] == "{}" && got[i] != "":
				n, err := url.PathUnescape(got[i])
				if err != nil {
					ok = false
				}
				names = append(names, n)
			case want[i] != got[i]:
				ok = false
			}
		}
		if ok {
			return rt, names, true
		}
	}
	return route{}, nil, false
}

func caller(r *awsapi.Request) schema.Caller {
	return schema.Caller{Account: r.Identity.Account, Region: r.Identity.Region}
}

// decode reads a JSON body into v; an empty body is an empty object.
func decode(r *awsapi.Request, v any) error {
	if len(r.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return badRequest("The request body is not valid JSON: " + err.Error())
	}
	return nil
}

func query(r *awsapi.Request, key string) string { return r.HTTP.URL.Query().Get(key) }

// page reads limit and nextToken.
func page(r *awsapi.Request) (schema.Page, error) {
	p := schema.Page{NextToken: query(r, "nextToken")}
	if l := query(r, "limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return p, badRequest("limit must be an integer.")
		}
		if n <= 0 {
			return p, badRequest("Limit must be between 1 and 100.")
		}
		p.Limit = n
	}
	return p, nil
}

func reply(status int, v any) (awsapi.Response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: status, ContentType: "application/json", Body: b}, nil
}

func noContent() (awsapi.Response, error) {
	return awsapi.Response{Status: http.StatusNoContent}, nil
}

// timestamp renders a time as the model's timestampIso8601.
func timestamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000Z")
	return &s
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
