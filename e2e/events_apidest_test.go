package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/stretchr/testify/require"
)

// apiEndpoint is an HTTP apiEndpoint recording what API destinations send.
type apiEndpoint struct {
	*httptest.Server
	mu      sync.Mutex
	calls   map[string]int         // by path
	got     chan map[string]string // path, auth, key, body of answered-2xx calls
	failFor int                    // /flaky answers 500 to this many calls first
}

func newAPIEndpoint(t *testing.T, failFor int) *apiEndpoint {
	t.Helper()
	e := &apiEndpoint{calls: map[string]int{}, got: make(chan map[string]string, 100), failFor: failFor}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.calls[r.URL.Path]++
		n := e.calls[r.URL.Path]
		e.mu.Unlock()
		switch {
		case r.URL.Path == "/token":
			id, secret, _ := r.BasicAuth()
			form, _ := url.ParseQuery(string(body))
			if id != "client" || secret != "s3cret" || form.Get("grant_type") != "client_credentials" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"access_token":"tok-1","expires_in":3600}`))
		case r.URL.Path == "/down":
			w.WriteHeader(http.StatusInternalServerError)
		case r.URL.Path == "/flaky" && n <= e.failFor:
			w.WriteHeader(http.StatusInternalServerError)
		case r.URL.Path == "/missing":
			w.WriteHeader(http.StatusNotFound)
		default:
			e.got <- map[string]string{
				"path": r.URL.Path, "query": r.URL.RawQuery, "auth": r.Header.Get("Authorization"),
				"key": r.Header.Get("X-Api-Key"), "body": string(body),
			}
		}
	}))
	t.Cleanup(e.Close)
	return e
}

func (e ebEnv) connection(name string, typ ebtypes.ConnectionAuthorizationType, auth *ebtypes.CreateConnectionAuthRequestParameters) string {
	e.t.Helper()
	out, err := e.eb.CreateConnection(e.ctx, &eventbridge.CreateConnectionInput{Name: &name, AuthorizationType: typ, AuthParameters: auth})
	require.NoError(e.t, err)
	return *out.ConnectionArn
}

func (e ebEnv) destination(name, conn, url string) string {
	e.t.Helper()
	out, err := e.eb.CreateApiDestination(e.ctx, &eventbridge.CreateApiDestinationInput{
		Name: &name, ConnectionArn: &conn,
		InvocationEndpoint: &url, HttpMethod: ebtypes.ApiDestinationHttpMethodPost, InvocationRateLimitPerSecond: aws.Int32(50),
	})
	require.NoError(e.t, err)
	return *out.ApiDestinationArn
}

func TestEventsAPIDestinationsAuthAndRecovery(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	ep := newAPIEndpoint(t, 3)
	apiKey := e.connection("key", ebtypes.ConnectionAuthorizationTypeApiKey, &ebtypes.CreateConnectionAuthRequestParameters{
		ApiKeyAuthParameters: &ebtypes.CreateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("X-Api-Key"), ApiKeyValue: aws.String("k-123")},
	})
	basic := e.connection("basic", ebtypes.ConnectionAuthorizationTypeBasic, &ebtypes.CreateConnectionAuthRequestParameters{
		BasicAuthParameters: &ebtypes.CreateConnectionBasicAuthRequestParameters{Username: aws.String("u"), Password: aws.String("p")},
	})
	oauth := e.connection("oauth", ebtypes.ConnectionAuthorizationTypeOauthClientCredentials, &ebtypes.CreateConnectionAuthRequestParameters{
		OAuthParameters: &ebtypes.CreateConnectionOAuthRequestParameters{
			AuthorizationEndpoint: aws.String(ep.URL + "/token"), HttpMethod: ebtypes.ConnectionOAuthHttpMethodPost,
			ClientParameters: &ebtypes.CreateConnectionOAuthClientRequestParameters{ClientID: aws.String("client"), ClientSecret: aws.String("s3cret")},
		},
	})

	desc, err := e.eb.DescribeConnection(e.ctx, &eventbridge.DescribeConnectionInput{Name: aws.String("key")})
	require.NoError(t, err)
	require.Equal(t, ebtypes.ConnectionStateAuthorized, desc.ConnectionState)
	require.Equal(t, "X-Api-Key", *desc.AuthParameters.ApiKeyAuthParameters.ApiKeyName)

	retry := &ebtypes.RetryPolicy{MaximumRetryAttempts: aws.Int32(10), MaximumEventAgeInSeconds: aws.Int32(60)}
	e.rule("default", "flaky", `{"source":["api"],"detail-type":["flaky"]}`, ebtypes.Target{Id: aws.String("d"), Arn: aws.String(e.destination("flaky", apiKey, ep.URL+"/flaky")), RetryPolicy: retry})
	e.rule("default", "basic", `{"source":["api"],"detail-type":["basic"]}`, ebtypes.Target{
		Id: aws.String("d"), Arn: aws.String(e.destination("basic", basic, ep.URL+"/ok/*")),
		HttpParameters: &ebtypes.HttpParameters{PathParameterValues: []string{"orders"}, QueryStringParameters: map[string]string{"q": "1"}},
	})
	e.rule("default", "oauth", `{"source":["api"],"detail-type":["oauth"]}`, ebtypes.Target{Id: aws.String("d"), Arn: aws.String(e.destination("oauth", oauth, ep.URL+"/oauth"))})

	out := e.put(entry("api", "flaky", `{"n":1}`), entry("api", "flaky", `{"n":2}`), entry("api", "basic", `{}`), entry("api", "oauth", `{}`))
	byPath := map[string][]map[string]string{}
	for range 4 {
		select {
		case g := <-ep.got:
			byPath[g["path"]] = append(byPath[g["path"]], g)
		case <-time.After(15 * time.Second):
			ep.mu.Lock()
			t.Fatalf("deliveries missing; calls %v, got %v", ep.calls, byPath)
		}
	}
	require.Len(t, byPath["/flaky"], 2)
	for _, g := range byPath["/flaky"] {
		require.Equal(t, "k-123", g["key"])
	}
	require.Equal(t, "q=1", byPath["/ok/orders"][0]["query"])
	require.Equal(t, "Basic dTpw", byPath["/ok/orders"][0]["auth"])
	require.Equal(t, "Bearer tok-1", byPath["/oauth"][0]["auth"])
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(byPath["/oauth"][0]["body"]), &ev))
	require.Equal(t, *out.Entries[3].EventId, ev["id"])
	ep.mu.Lock()
	require.Equal(t, 5, ep.calls["/flaky"], "three 500s, then both events")
	ep.mu.Unlock()
}

func TestEventsAPIDestinationFailuresDeadLetter(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	ep := newAPIEndpoint(t, 0)
	dlqURL, dlqArn := e.queue("api-dlq", nil)
	conn := e.connection("key", ebtypes.ConnectionAuthorizationTypeApiKey, &ebtypes.CreateConnectionAuthRequestParameters{
		ApiKeyAuthParameters: &ebtypes.CreateConnectionApiKeyAuthRequestParameters{ApiKeyName: aws.String("X-Api-Key"), ApiKeyValue: aws.String("k")},
	})
	dl := &ebtypes.DeadLetterConfig{Arn: &dlqArn}
	e.rule("default", "down", `{"source":["api"]}`, ebtypes.Target{
		Id: aws.String("down"), Arn: aws.String(e.destination("down", conn, ep.URL+"/down")), DeadLetterConfig: dl,
		RetryPolicy: &ebtypes.RetryPolicy{MaximumRetryAttempts: aws.Int32(1), MaximumEventAgeInSeconds: aws.Int32(60)},
	})
	_, err := e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("down"), Targets: []ebtypes.Target{{
		Id:  aws.String("missing"),
		Arn: aws.String(e.destination("missing", conn, ep.URL+"/missing")), DeadLetterConfig: dl,
	}}})
	require.NoError(t, err)
	out := e.put(entry("api", "t", `{}`))

	byCode := map[string]map[string]string{}
	for _, m := range e.receive(dlqURL, 2) {
		require.Equal(t, *out.Entries[0].EventId, decodeBody(t, m)["id"])
		attrs := map[string]string{}
		for k, v := range m.MessageAttributes {
			attrs[k] = *v.StringValue
		}
		byCode[attrs["ERROR_CODE"]] = attrs
	}
	require.Equal(t, "1", byCode["HTTP.500"]["RETRY_ATTEMPTS"])
	require.Equal(t, "MaximumRetryAttempts", byCode["HTTP.500"]["EXHAUSTED_RETRY_CONDITION"])
	require.Equal(t, "0", byCode["HTTP.404"]["RETRY_ATTEMPTS"])
	ep.mu.Lock()
	require.Equal(t, 2, ep.calls["/down"])
	require.Equal(t, 1, ep.calls["/missing"])
	ep.mu.Unlock()

	_, err = e.eb.DeauthorizeConnection(e.ctx, &eventbridge.DeauthorizeConnectionInput{Name: aws.String("key")})
	require.NoError(t, err)
	list, err := e.eb.ListApiDestinations(e.ctx, &eventbridge.ListApiDestinationsInput{})
	require.NoError(t, err)
	require.Len(t, list.ApiDestinations, 2)
	_, err = e.eb.DeleteApiDestination(e.ctx, &eventbridge.DeleteApiDestinationInput{Name: aws.String("down")})
	require.NoError(t, err)
	_, err = e.eb.DescribeApiDestination(e.ctx, &eventbridge.DescribeApiDestinationInput{Name: aws.String("down")})
	requireEBError(t, err, "ResourceNotFoundException", "Failed to describe the api-destination(s). An api-destination 'down' does not exist.")
}
