package integration_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/bus"
)

type seen struct {
	method, path, query, body, contentType, key, extra, agent string
}

// TestHTTPInvoke: an HTTP Task calls the endpoint with the connection's
// API key and invocation headers, and reports {Headers, ResponseBody,
// StatusCode, StatusText}; a non-2xx answer fails it with
// States.Http.StatusCode.<code>.
func TestHTTPInvoke(t *testing.T) {
	t.Parallel()
	e := setup(t)
	got := make(chan seen, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawQuery, string(b), r.Header.Get("Content-Type"), r.Header.Get("x-api-key"), r.Header.Get("X-Extra"), r.Header.Get("User-Agent")}
		if r.URL.Path == "/missing" {
			http.Error(w, `{"message":"nope"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	var auth bus.AuthParameters
	require.NoError(t, json.Unmarshal([]byte(`{"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "secret"},
		"InvocationHttpParameters": {"HeaderParameters": [{"Key": "X-Extra", "Value": "from-connection"}]}}`), &auth))
	conn, err := e.buses.CreateConnection(t.Context(), bus.ConnectionInput{
		Caller: bus.Caller{Account: account, Region: region}, Name: "c", AuthType: ptr(bus.AuthAPIKey), Auth: &auth,
	})
	require.NoError(t, err)

	out, f := e.invoke("arn:aws:states:::http:invoke", map[string]any{
		"ApiEndpoint": srv.URL + "/orders", "Method": "POST", "Authentication": map[string]any{"ConnectionArn": conn.Arn},
		"QueryParameters": map[string]any{"q": "1"}, "RequestBody": map[string]any{"id": 7},
	})
	require.Nil(t, f)
	s := <-got
	require.Equal(t, seen{"POST", "/orders", "q=1", `{"id":7}`, "application/json", "secret", "from-connection", "Amazon|StepFunctions|HttpInvoke|us-east-1"}, s)
	require.Equal(t, map[string]any{"ok": true}, out["ResponseBody"])
	require.Equal(t, "200", out["StatusCode"])
	require.Equal(t, "OK", out["StatusText"])
	require.Equal(t, []any{"application/json"}, out["Headers"].(map[string]any)["content-type"])

	_, f = e.invoke("arn:aws:states:::http:invoke", map[string]any{
		"ApiEndpoint": srv.URL + "/form", "Method": "PUT", "Authentication": map[string]any{"ConnectionArn": conn.Arn},
		"RequestBody": map[string]any{"a": []any{"x", "y"}, "b": map[string]any{"c": 1}},
		"Transform":   map[string]any{"RequestBodyEncoding": "URL_ENCODED", "RequestEncodingOptions": map[string]any{"ArrayFormat": "BRACKETS"}},
	})
	require.Nil(t, f)
	s = <-got
	form, err := url.ParseQuery(s.body)
	require.NoError(t, err)
	require.Equal(t, url.Values{"a[]": {"x", "y"}, "b[c]": {"1"}}, form)
	require.Equal(t, "application/x-www-form-urlencoded", s.contentType)

	_, f = e.invoke("arn:aws:states:::http:invoke", map[string]any{
		"ApiEndpoint": srv.URL + "/missing", "Method": "GET", "Authentication": map[string]any{"ConnectionArn": conn.Arn},
	})
	<-got
	require.Equal(t, "States.Http.StatusCode.404", f.Error)
	var cause map[string]any
	require.NoError(t, json.Unmarshal([]byte(f.Cause), &cause))
	require.Equal(t, "404", cause["StatusCode"])
	require.Equal(t, "{\"message\":\"nope\"}\n", cause["ResponseBody"], "a text/plain answer stays text")

	_, f = e.invoke("arn:aws:states:::http:invoke", map[string]any{
		"ApiEndpoint": srv.URL, "Method": "GET", "Authentication": map[string]any{"ConnectionArn": conn.Arn + "x"},
	})
	require.Equal(t, "States.Http.Authentication", f.Error)
}
