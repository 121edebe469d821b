package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

// maxHTTPResponse bounds the response body an HTTP Task reads.
const maxHTTPResponse = 1 << 20

// httpInvoke runs arn:aws:states:::http:invoke: an HTTPS call authorized
// by an EventBridge connection. Its result is {Headers, ResponseBody,
// StatusCode, StatusText}, ResponseBody as JSON when the answer's
// Content-Type is JSON and as text otherwise; a non-2xx answer fails the
// task with States.Http.StatusCode.<code> and that result as cause.
func (t *Tasks) httpInvoke(ctx context.Context, c call) (any, error) {
	if err := checkFields(c, "ApiEndpoint", "Method", "Authentication", "Headers", "QueryParameters", "RequestBody", "Transform"); err != nil {
		return nil, err
	}
	req, err := t.httpRequest(ctx, c.params)
	if err != nil {
		return nil, err
	}
	resp, err := t.cfg.HTTP.Do(req)
	if err != nil {
		return nil, engine.NewTaskError("States.Http.Socket", err.Error())
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxHTTPResponse))
	if err != nil {
		return nil, engine.NewTaskError("States.Http.Socket", err.Error())
	}
	headers := map[string]any{}
	for k, vs := range resp.Header {
		list := make([]any, len(vs))
		for i, v := range vs {
			list[i] = v
		}
		headers[strings.ToLower(k)] = list
	}
	res := map[string]any{
		"Headers": headers, "ResponseBody": string(body),
		"StatusCode": itoa(resp.StatusCode), "StatusText": http.StatusText(resp.StatusCode),
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && len(body) > 0 {
		res["ResponseBody"] = resultValue(body)
	}
	if resp.StatusCode/100 != 2 {
		b, _ := json.Marshal(res)
		return nil, engine.NewTaskError("States.Http.StatusCode."+itoa(resp.StatusCode), string(b))
	}
	return res, nil
}

// httpRequest builds an HTTP Task's request.
func (t *Tasks) httpRequest(ctx context.Context, p map[string]any) (*http.Request, error) {
	auth, _ := p["Authentication"].(map[string]any)
	conn := str(auth, "ConnectionArn")
	endpoint, method := str(p, "ApiEndpoint"), strings.ToUpper(str(p, "Method"))
	switch {
	case endpoint == "":
		return nil, engine.NewTaskError(engine.ErrRuntime, "The field \"ApiEndpoint\" is required.")
	case method == "":
		return nil, engine.NewTaskError(engine.ErrRuntime, "The field \"Method\" is required.")
	case conn == "":
		return nil, engine.NewTaskError(engine.ErrRuntime, "The field \"Authentication.ConnectionArn\" is required.")
	case t.cfg.Buses == nil:
		return nil, engine.NewTaskError(engine.ErrRuntime, "fogbank has no EventBridge service configured.")
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, engine.NewTaskError(engine.ErrRuntime, "The ApiEndpoint '"+endpoint+"' is not a valid URL.")
	}
	q := u.Query()
	if qp, ok := p["QueryParameters"].(map[string]any); ok {
		for k, v := range qp {
			q.Set(k, text(v))
		}
	}
	u.RawQuery = q.Encode()
	body, contentType, err := requestBody(p)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, engine.NewTaskError(engine.ErrRuntime, err.Error())
	}
	req.Header.Set("User-Agent", "Amazon|StepFunctions|HttpInvoke|"+t.exec.Region)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if h, ok := p["Headers"].(map[string]any); ok {
		for k, v := range h {
			req.Header.Set(k, text(v))
		}
	}
	if err := t.cfg.Buses.AuthorizeHTTP(ctx, conn, req); err != nil {
		var be *bus.Error
		if errors.As(err, &be) {
			return nil, engine.NewTaskError("States.Http.Authentication", be.Message)
		}
		return nil, engine.NewTaskError("States.Http.Authentication", err.Error())
	}
	return req, nil
}

// requestBody encodes RequestBody: JSON, or form fields when
// Transform.RequestBodyEncoding is URL_ENCODED.
func requestBody(p map[string]any) (io.Reader, string, error) {
	v, ok := p["RequestBody"]
	if !ok {
		return nil, "", nil
	}
	tr, _ := p["Transform"].(map[string]any)
	if str(tr, "RequestBodyEncoding") != "URL_ENCODED" {
		if s, ok := v.(string); ok {
			return strings.NewReader(s), "", nil
		}
		b, _ := json.Marshal(v)
		return bytes.NewReader(b), "application/json", nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, "", engine.NewTaskError(engine.ErrRuntime, "A URL_ENCODED RequestBody must be a JSON object.")
	}
	opts, _ := tr["RequestEncodingOptions"].(map[string]any)
	format := str(opts, "ArrayFormat")
	if format == "" {
		format = "INDICES"
	}
	var pairs [][2]string
	formFields(&pairs, "", obj, format)
	var sb strings.Builder
	for i, kv := range pairs {
		if i > 0 {
			sb.WriteByte('&')
		}
		sb.WriteString(url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1]))
	}
	return strings.NewReader(sb.String()), "application/x-www-form-urlencoded", nil
}

// formFields flattens a value into form pairs: nested objects as a[b],
// arrays by format (BRACKETS a[]=x, COMMAS a=x,y, INDICES a[0]=x, REPEAT
// a=x&a=y).
func formFields(pairs *[][2]string, prefix string, v any, format string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			name := k
			if prefix != "" {
				name = prefix + "[" + k + "]"
			}
			formFields(pairs, name, x[k], format)
		}
	case []any:
		if format == "COMMAS" {
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = text(e)
			}
			*pairs = append(*pairs, [2]string{prefix, strings.Join(parts, ",")})
			return
		}
		for i, e := range x {
			name := prefix
			switch format {
			case "BRACKETS":
				name += "[]"
			case "INDICES":
				name += "[" + itoa(i) + "]"
			}
			formFields(pairs, name, e, format)
		}
	default:
		*pairs = append(*pairs, [2]string{prefix, text(v)})
	}
}
