package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/delivery"
)

// TargetHTTPParameters are a target's HTTP parameters: values for the endpoint's path wildcards and
// extra headers and query parameters. The connection's parameters take
// precedence.
type TargetHTTPParameters struct {
	PathParameterValues   []string          `json:"PathParameterValues,omitempty"`
	HeaderParameters      map[string]string `json:"HeaderParameters,omitempty"`
	QueryStringParameters map[string]string `json:"QueryStringParameters,omitempty"`
}

const attrHTTP = "http"

// toAPIDestination invokes an API destination: paced by its rate limit,
// authorized by its connection. 2xx is delivered; 401, 407, 409, 429, 5xx
// and transport errors are retried; other answers are permanent failures.
func (h handler) toAPIDestination(ctx context.Context, j delivery.Job) (bool, error) {
	s := h.s
	s.mu.RLock()
	d, c := s.apiDestByArn(j.Target)
	var dest apiDestRecord
	var conn connectionRecord
	if d != nil && c != nil {
		dest, conn = *d, *c
	}
	s.mu.RUnlock()
	switch {
	case d == nil:
		return false, delivery.Permanent(&targetError{"ResourceNotFoundException", "API destination " + j.Target + " does not exist."})
	case c == nil || conn.State != ConnectionAuthorized:
		return false, delivery.Permanent(&targetError{"ConnectionNotAuthorized", "The connection of API destination " + dest.Name + " is not authorized."})
	}
	if wait := s.limits.reserve(dest.arn(), dest.Rate, s.clock.Now()); wait > 0 {
		t := s.clock.NewTimer(wait)
		select {
		case <-t.C():
		case <-ctx.Done():
			t.Stop()
			return false, ctx.Err()
		}
	}
	req, err := s.invocation(ctx, dest, conn, j)
	if err != nil {
		return false, err
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return false, &targetError{"ConnectionFailure", err.Error()}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return false, nil
	case code == http.StatusUnauthorized:
		s.tokens.forget(conn.arn())
		return false, &targetError{"HTTP." + strconv.Itoa(code), "The endpoint answered " + resp.Status + "."}
	case code == http.StatusProxyAuthRequired, code == http.StatusConflict, code == http.StatusTooManyRequests, code >= 500:
		return false, &targetError{"HTTP." + strconv.Itoa(code), "The endpoint answered " + resp.Status + "."}
	default:
		return false, delivery.Permanent(&targetError{"HTTP." + strconv.Itoa(code), "The endpoint answered " + resp.Status + "."})
	}
}

// invocation builds the HTTP request of one delivery.
func (s *Service) invocation(ctx context.Context, dest apiDestRecord, conn connectionRecord, j delivery.Job) (*http.Request, error) {
	var tp TargetHTTPParameters
	if raw := j.Attrs[attrHTTP]; raw != "" {
		_ = json.Unmarshal([]byte(raw), &tp)
	}
	endpoint := dest.Endpoint
	for _, v := range tp.PathParameterValues {
		endpoint = strings.Replace(endpoint, "*", url.PathEscape(v), 1)
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, delivery.Permanent(&targetError{"InvalidEndpoint", err.Error()})
	}
	q := u.Query()
	for k, v := range tp.QueryStringParameters {
		q.Set(k, v)
	}
	var body io.Reader
	if dest.Method != http.MethodGet && dest.Method != http.MethodHead {
		body = bytes.NewReader(j.Payload)
	}
	req, err := http.NewRequestWithContext(ctx, dest.Method, u.String(), body)
	if err != nil {
		return nil, delivery.Permanent(&targetError{"InvalidEndpoint", err.Error()})
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Amazon/EventBridge/ApiDestinations")
	for k, v := range tp.HeaderParameters {
		req.Header.Set(k, v)
	}
	if p := conn.Auth.InvocationHTTPParameters; p != nil {
		for _, kv := range p.HeaderParameters {
			req.Header.Set(kv.Key, kv.Value)
		}
		for _, kv := range p.QueryStringParameters {
			q.Set(kv.Key, kv.Value)
		}
	}
	req.URL.RawQuery = q.Encode()
	return req, s.authorize(ctx, req, conn)
}

// authorize adds the connection's credentials to a request.
func (s *Service) authorize(ctx context.Context, req *http.Request, conn connectionRecord) error {
	a := conn.Auth
	switch conn.AuthType {
	case AuthAPIKey:
		req.Header.Set(a.APIKeyAuthParameters.APIKeyName, a.APIKeyAuthParameters.APIKeyValue)
	case AuthBasic:
		req.SetBasicAuth(a.BasicAuthParameters.Username, a.BasicAuthParameters.Password)
	case AuthOAuth:
		tok, err := s.tokens.get(conn.arn(), s.clock.Now(), func() (string, time.Duration, error) { return s.fetchToken(ctx, conn) })
		if err != nil {
			return &targetError{"OAuthFailure", err.Error()}
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return nil
}

// fetchToken runs the OAuth client-credentials grant of a connection.
func (s *Service) fetchToken(ctx context.Context, conn connectionRecord) (string, time.Duration, error) {
	o := conn.Auth.OAuthParameters
	form := url.Values{"grant_type": {"client_credentials"}}
	u, err := url.Parse(o.AuthorizationEndpoint)
	if err != nil {
		return "", 0, err
	}
	q := u.Query()
	var hdr []KeyValue
	if p := o.OAuthHTTPParameters; p != nil {
		for _, kv := range p.BodyParameters {
			form.Set(kv.Key, kv.Value)
		}
		for _, kv := range p.QueryStringParameters {
			q.Set(kv.Key, kv.Value)
		}
		hdr = p.HeaderParameters
	}
	u.RawQuery = q.Encode()
	method := o.HTTPMethod
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if method != http.MethodGet {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(o.ClientParameters.ClientID, o.ClientParameters.ClientSecret)
	for _, kv := range hdr {
		req.Header.Set(kv.Key, kv.Value)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode/100 != 2 {
		return "", 0, fmt.Errorf("the authorization endpoint answered %s", resp.Status)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", 0, fmt.Errorf("the authorization endpoint sent no access_token")
	}
	ttl := time.Duration(tok.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = time.Hour
	}
	return tok.AccessToken, ttl, nil
}

// tokenCache keeps each connection's OAuth access token until it expires
// (or the endpoint answers 401).
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	token   string
	expires time.Time
}

func (c *tokenCache) get(key string, now time.Time, fetch func() (string, time.Duration, error)) (string, error) {
	c.mu.Lock()
	t, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Before(t.expires) {
		return t.token, nil
	}
	tok, ttl, err := fetch()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedToken{}
	}
	c.m[key] = cachedToken{tok, now.Add(ttl - min(ttl/10, time.Minute))}
	return tok, nil
}

func (c *tokenCache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}
