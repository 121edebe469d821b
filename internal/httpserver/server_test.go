package httpserver

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi"
)

// recorder is an awsapi.Service that remembers what it was asked.
type recorder struct {
	got   *awsapi.Request
	panic bool
}

func (r *recorder) Serve(_ context.Context, req *awsapi.Request) awsapi.Response {
	if r.panic {
		panic("boom")
	}
	r.got = req
	return awsapi.Response{Status: http.StatusOK, ContentType: "text/plain", Body: []byte(req.Operation)}
}

func start(t *testing.T, svc awsapi.Service) string {
	t.Helper()
	rt := NewRouter()
	rt.Handle(Route{Name: "sqs", TargetPrefix: "AmazonSQS", QueryActions: []string{"SendMessage"}, Namespace: "ns"}, svc)
	s := New(Config{Addr: "127.0.0.1:0", Router: rt})
	require.NoError(t, s.Start(t.Context()))
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return "http://" + s.Addr()
}

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestRouting(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	url := start(t, rec)

	req, _ := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "AmazonSQS.ListQueues")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=123456789012/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=00")
	resp, body := do(t, req)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "ListQueues", body)
	require.NotEmpty(t, resp.Header.Get("x-amzn-RequestId"))
	require.Equal(t, awsapi.Identity{Account: "123456789012", Region: "eu-west-1", AccessKeyID: "123456789012"}, rec.got.Identity)
	require.Equal(t, awsapi.ProtocolJSON, rec.got.Protocol)

	req, _ = http.NewRequest(http.MethodPost, url+"/000000000000/q", strings.NewReader("Action=SendMessage&MessageBody=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	_, body = do(t, req)
	require.Equal(t, "SendMessage", body)
	require.Equal(t, awsapi.ProtocolQuery, rec.got.Protocol)
	require.Equal(t, "000000000000", rec.got.Identity.Account)
	require.Equal(t, "us-east-1", rec.got.Identity.Region)

	req, _ = http.NewRequest(http.MethodGet, url+"/?Action=SendMessage", nil)
	_, body = do(t, req)
	require.Equal(t, "SendMessage", body)

	req, _ = http.NewRequest(http.MethodPost, url+"/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "AWSEvents.PutEvents")
	resp, body = do(t, req)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, body, "UnknownOperationException")

	resp, body = do(t, must(http.NewRequest(http.MethodGet, url+"/health", nil)))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, `{"status":"ok"}`, body)
}

func TestPanicBecomesInternalFailure(t *testing.T) {
	t.Parallel()
	url := start(t, &recorder{panic: true})
	req, _ := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "AmazonSQS.ListQueues")
	resp, body := do(t, req)
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	require.Contains(t, body, "InternalFailure")
	require.Equal(t, "InternalFailure;Sender", resp.Header.Get("x-amzn-query-error"))
}

func must(r *http.Request, err error) *http.Request {
	if err != nil {
		panic(err)
	}
	return r
}

func TestHandlePathSubtree(t *testing.T) {
	t.Parallel()
	rt := NewRouter()
	rt.HandlePath("/exact", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "exact") }))
	rt.HandlePath("/tree/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "tree:"+r.URL.Path) }))
	s := New(Config{Addr: "127.0.0.1:0", Router: rt})
	require.NoError(t, s.Start(t.Context()))
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	url := "http://" + s.Addr()
	_, body := do(t, must(http.NewRequest(http.MethodGet, url+"/exact", nil)))
	require.Equal(t, "exact", body)
	_, body = do(t, must(http.NewRequest(http.MethodGet, url+"/tree/a/b.zip", nil)))
	require.Equal(t, "tree:/tree/a/b.zip", body)
	resp, _ := do(t, must(http.NewRequest(http.MethodGet, url+"/exact/more", nil)))
	require.NotEqual(t, http.StatusOK, resp.StatusCode, "an exact path does not serve its subtree")
}
