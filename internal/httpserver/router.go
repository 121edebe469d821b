package httpserver

import (
	"mime"
	"net/http"
	"strings"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsjson"
	"github.com/fogbank/fogbank/internal/awsapi/protocol/awsquery"
	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

// Router finds the service and protocol of a request: by X-Amz-Target for
// the JSON protocols, by path prefix for the REST protocols (restJson1), and
// by the Action parameter (and the signature's service name) for the query
// protocol.
type Router struct {
	services []Route
	paths    map[string]http.Handler // plain GET resources, e.g. SNS's signing certificate
}

// Route registers one AWS service.
type Route struct {
	Name         string   // the SigV4 service name, e.g. "sqs"
	TargetPrefix string   // X-Amz-Target prefix of its JSON protocol, if any
	QueryActions []string // operations of its query protocol, if any
	Namespace    string   // XML namespace of its query responses
	PathPrefixes []string // URL path prefixes of its REST protocol, e.g. "/2015-03-31/"
	MaxBody      int      // request body limit when routed by path; 0 means the default
	service      awsapi.Service
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{} }

// Handle registers a service.
func (rt *Router) Handle(r Route, svc awsapi.Service) {
	r.service = svc
	rt.services = append(rt.services, r)
}

// HandlePath serves GET requests for a path (outside any AWS protocol) with
// h. A path ending in "/" serves its whole subtree, as with http.ServeMux.
func (rt *Router) HandlePath(path string, h http.Handler) {
	if rt.paths == nil {
		rt.paths = map[string]http.Handler{}
	}
	rt.paths[path] = h
}

// pathHandler finds the handler of an exact path or of a subtree containing it.
func (rt *Router) pathHandler(path string) (http.Handler, bool) {
	if h, ok := rt.paths[path]; ok {
		return h, true
	}
	for p, h := range rt.paths {
		if strings.HasSuffix(p, "/") && strings.HasPrefix(path, p) {
			return h, true
		}
	}
	return nil, false
}

func (rt *Router) route(r *http.Request, req *awsapi.Request) (Route, bool) {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		for _, s := range rt.services {
			if op, ok := awsjson.Operation(target, s.TargetPrefix); ok && s.TargetPrefix != "" {
				req.Protocol, req.Operation = awsapi.ProtocolJSON, op
				return s, true
			}
		}
		return Route{}, false
	}
	if s, ok := rt.byPath(r.URL.Path); ok {
		// REST services name their operation by method and path; the
		// service resolves it. Errors before that render as JSON.
		req.Protocol = awsapi.ProtocolJSON
		return s, true
	}
	action := r.URL.Query().Get("Action")
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
		if a := formValue(req.Body, "Action"); a != "" {
			action = a
		}
	}
	if action == "" {
		return Route{}, false
	}
	req.Protocol, req.Operation = awsapi.ProtocolQuery, action
	signed := signedService(r)
	for _, s := range rt.services {
		if len(s.QueryActions) > 0 && (signed == s.Name || signed == "" && hasAction(s.QueryActions, action)) {
			return s, true
		}
	}
	return Route{}, false
}

// byPath finds the REST service serving path.
func (rt *Router) byPath(path string) (Route, bool) {
	for _, s := range rt.services {
		for _, p := range s.PathPrefixes {
			if strings.HasPrefix(path, p) {
				return s, true
			}
		}
	}
	return Route{}, false
}

// bodyLimit is the largest body accepted for r: a path-routed service's
// MaxBody, else maxBody.
func (rt *Router) bodyLimit(r *http.Request) int {
	if r.Header.Get("X-Amz-Target") == "" {
		if s, ok := rt.byPath(r.URL.Path); ok && s.MaxBody > 0 {
			return s.MaxBody
		}
	}
	return maxBody
}

func signedService(r *http.Request) string {
	c, err := sigv4.Parse(r)
	if err != nil {
		return ""
	}
	return c.Service
}

func hasAction(actions []string, a string) bool {
	for _, x := range actions {
		if x == a {
			return true
		}
	}
	return false
}

// formValue reads one parameter from a form body without parsing all of it.
func formValue(body []byte, key string) string {
	for part := range strings.SplitSeq(string(body), "&") {
		k, v, _ := strings.Cut(part, "=")
		if k == key {
			return v
		}
	}
	return ""
}

func unknownService() awsapi.Response {
	return awsapi.Response{
		Status: http.StatusBadRequest, ContentType: "application/json",
		Body: awsjson.ErrorBody("UnknownOperationException", "fogbank does not serve this request: no X-Amz-Target or Action names a known service operation"),
	}
}

func (rt Route) tooLarge(req *awsapi.Request) awsapi.Response {
	return rt.renderError(req, &awsapi.Error{Status: http.StatusRequestEntityTooLarge, JSONType: "RequestEntityTooLarge", QueryCode: "RequestEntityTooLarge", Message: "Request body too large.", Sender: true})
}

func (rt Route) authError(req *awsapi.Request, e *sigv4.Error) awsapi.Response {
	return rt.renderError(req, &awsapi.Error{Status: e.HTTPStatus, JSONType: "com.amazon.coral.service#" + e.JSONType(), QueryCode: e.Code, Message: e.Message, Sender: true})
}

func (rt Route) renderError(req *awsapi.Request, e *awsapi.Error) awsapi.Response {
	if req.Protocol == awsapi.ProtocolQuery {
		return awsapi.Response{Status: e.Status, ContentType: "text/xml", Body: awsquery.ErrorResponse(rt.Namespace, e.QueryCode, e.Message, e.Sender, req.ID)}
	}
	hdr := http.Header{}
	hdr.Set("x-amzn-query-error", e.QueryCode+";Sender")
	return awsapi.Response{Status: e.Status, ContentType: "application/x-amz-json-1.0", Header: hdr, Body: awsjson.ErrorBody(e.JSONType, e.Message)}
}
