package httpserver

import (
	"cmp"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

// ServeHTTP handles every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.URL.Path == "/health" || r.URL.Path == "/_fogbank/health" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
		return
	}
	if h, ok := s.cfg.Router.pathHandler(r.URL.Path); ok && r.Method == http.MethodGet {
		h.ServeHTTP(w, r)
		return
	}
	limit := s.cfg.Router.bodyLimit(r)
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		http.Error(w, "cannot read request body", http.StatusBadRequest)
		return
	}
	req := &awsapi.Request{ID: s.cfg.IDs.UUID(), HTTP: r, Body: body, Host: r.Host}
	resp := s.serveSafely(r, req)
	h := w.Header()
	for k, vs := range resp.Header {
		h[k] = vs
	}
	h.Set("Content-Type", resp.ContentType)
	h.Set("x-amzn-RequestId", req.ID)
	if resp.Stream != nil {
		w.WriteHeader(resp.Status)
		rc := http.NewResponseController(w)
		resp.Stream(w, func() { _ = rc.Flush() })
	} else {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
		w.WriteHeader(resp.Status)
		_, _ = w.Write(resp.Body)
	}
	s.log.Debug("request", slog.String("op", req.Operation), slog.Int("status", resp.Status), slog.Duration("took", time.Since(start)), slog.String("request_id", req.ID))
}

// serveSafely turns a panic anywhere below into AWS's InternalError, logged
// with its stack, so one bad request never drops the connection.
func (s *Server) serveSafely(r *http.Request, req *awsapi.Request) (resp awsapi.Response) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("httpserver: panic serving request", slog.String("request_id", req.ID),
				slog.String("op", req.Operation), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			route, _ := s.cfg.Router.route(r, req)
			resp = route.renderError(req, &awsapi.Error{
				Status: http.StatusInternalServerError, JSONType: "InternalFailure",
				QueryCode: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.",
			})
		}
	}()
	return s.serve(r, req)
}

func (s *Server) serve(r *http.Request, req *awsapi.Request) awsapi.Response {
	route, ok := s.cfg.Router.route(r, req)
	if !ok {
		return unknownService()
	}
	if len(req.Body) > cmp.Or(route.MaxBody, maxBody) {
		return route.tooLarge(req)
	}
	if err := s.identify(r, req); err != nil {
		return route.authError(req, err)
	}
	return route.service.Serve(r.Context(), req)
}

// identify fills the request's account and region from its signature, and in
// strict mode verifies the signature.
func (s *Server) identify(r *http.Request, req *awsapi.Request) *sigv4.Error {
	var cred sigv4.Credential
	var err error
	if s.cfg.Strict {
		cred, err = s.cfg.Verifier.Verify(r, req.Body)
	} else {
		cred, err = sigv4.Parse(r)
		if errors.Is(err, sigv4.ErrNoSignature) {
			err = nil
		}
	}
	if err != nil && !s.cfg.Strict {
		// Permissive mode never rejects a request for its signature: it takes
		// the account and region from whatever credential scope it can find.
		cred, err = looseCredential(r), nil
	}
	if err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			return se
		}
		return &sigv4.Error{Code: sigv4.CodeIncompleteSignature, Message: err.Error(), HTTPStatus: http.StatusBadRequest}
	}
	req.Identity = awsapi.Identity{
		Account:     sigv4.AccountID(cred.AccessKeyID),
		Region:      strings.ToLower(cred.Region),
		AccessKeyID: cred.AccessKeyID,
	}
	if req.Identity.Region == "" {
		req.Identity.Region = s.cfg.DefaultRegion
	}
	return nil
}

var credentialRE = regexp.MustCompile(`Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request`)

// looseCredential reads a credential scope from a malformed or incomplete
// signature (header or presigned query), or returns the zero credential.
func looseCredential(r *http.Request) sigv4.Credential {
	src := r.Header.Get("Authorization")
	if src == "" {
		src = "Credential=" + r.URL.Query().Get("X-Amz-Credential")
	}
	m := credentialRE.FindStringSubmatch(src)
	if m == nil {
		return sigv4.Credential{}
	}
	return sigv4.Credential{AccessKeyID: m[1], Region: m[2], Service: m[3]}
}
