package runtimeapi

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type env struct {
	t    *testing.T
	s    *Server
	base string
}

func setup(t *testing.T) env {
	t.Helper()
	s, err := Listen()
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return env{t: t, s: s, base: "http://" + s.Addr() + "/" + Version}
}

func (e env) do(method, path string, body io.Reader, hdr map[string]string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.base+path, body)
	require.NoError(e.t, err)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return resp, string(b)
}

// invoke starts an Invoke and returns where its outcome arrives.
func (e env) invoke(inv Invocation) <-chan Result {
	out := make(chan Result, 1)
	go func() {
		r, err := e.s.Invoke(e.t.Context(), inv)
		if err != nil {
			r = Result{ErrorType: "go:" + err.Error()}
		}
		out <- r
	}()
	return out
}

func TestNextAndResponse(t *testing.T) {
	t.Parallel()
	e := setup(t)
	deadline := time.UnixMilli(1_800_000_000_123)
	done := e.invoke(Invocation{
		RequestID: "r1", Deadline: deadline, FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f",
		TraceID: "Root=1-a-b;Sampled=0", ClientContext: `{"custom":{}}`, Payload: []byte(`{"a":1}`),
	})
	resp, body := e.do(http.MethodGet, "/runtime/invocation/next", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, `{"a":1}`, body)
	require.Equal(t, "r1", resp.Header.Get("Lambda-Runtime-Aws-Request-Id"))
	require.Equal(t, "1800000000123", resp.Header.Get("Lambda-Runtime-Deadline-Ms"))
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:function:f", resp.Header.Get("Lambda-Runtime-Invoked-Function-Arn"))
	require.Equal(t, "Root=1-a-b;Sampled=0", resp.Header.Get("Lambda-Runtime-Trace-Id"))
	require.JSONEq(t, `{"custom":{}}`, resp.Header.Get("Lambda-Runtime-Client-Context"))
	require.Empty(t, resp.Header.Values("Lambda-Runtime-Cognito-Identity"))

	resp, _ = e.do(http.MethodPost, "/runtime/invocation/bad/response", strings.NewReader("x"), nil)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)

	resp, _ = e.do(http.MethodPost, "/runtime/invocation/r1/response", strings.NewReader(`"ok"`), nil)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, Result{Payload: []byte(`"ok"`)}, <-done)

	resp, body = e.do(http.MethodPost, "/runtime/invocation/r1/response", strings.NewReader(`"again"`), nil)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Contains(t, body, "InvalidStateTransition")
}

// chunkedWithTrailer is a body sent chunked, as aws-lambda-go sends it,
// whose trailer is set once the body is read.
type chunkedWithTrailer struct {
	r   io.Reader
	req *http.Request
	typ string
}

func (c *chunkedWithTrailer) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF && c.typ != "" {
		c.req.Trailer.Set("Lambda-Runtime-Function-Error-Type", c.typ)
		c.req.Trailer.Set("Lambda-Runtime-Function-Error-Body", "cGFydCB3YXkgZmFpbGVk")
	}
	return n, err
}

func TestChunkedResponseWithTrailers(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"", "Runtime.TruncatedResponse"} {
		e := setup(t)
		done := e.invoke(Invocation{RequestID: "r", Deadline: time.Now().Add(time.Minute)})
		e.do(http.MethodGet, "/runtime/invocation/next", nil, nil)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.base+"/runtime/invocation/r/response", nil)
		require.NoError(t, err)
		body := &chunkedWithTrailer{r: strings.NewReader(`{"big":true}`), req: req, typ: typ}
		req.Body = io.NopCloser(body)
		req.ContentLength = -1
		req.Trailer = http.Header{"Lambda-Runtime-Function-Error-Type": nil, "Lambda-Runtime-Function-Error-Body": nil}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusAccepted, resp.StatusCode)
		got := <-done
		if typ == "" {
			require.Equal(t, `{"big":true}`, string(got.Payload))
			continue
		}
		require.Equal(t, typ, got.ErrorType)
		require.JSONEq(t, `{"errorMessage":"part way failed","errorType":"Runtime.TruncatedResponse"}`, string(got.Payload))
	}
}

func TestErrorAndLimits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	done := e.invoke(Invocation{RequestID: "r", Deadline: time.Now().Add(time.Minute)})
	e.do(http.MethodGet, "/runtime/invocation/next", nil, nil)
	doc := `{"errorMessage":"boom","errorType":"errorString","stackTrace":[]}`
	resp, _ := e.do(http.MethodPost, "/runtime/invocation/r/error", strings.NewReader(doc), map[string]string{"Lambda-Runtime-Function-Error-Type": "errorString"})
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, Result{ErrorType: "errorString", Payload: []byte(doc)}, <-done)

	done = e.invoke(Invocation{RequestID: "big", Deadline: time.Now().Add(time.Minute)})
	e.do(http.MethodGet, "/runtime/invocation/next", nil, nil)
	resp, _ = e.do(http.MethodPost, "/runtime/invocation/big/response", strings.NewReader(strings.Repeat("x", MaxResponse+1)), nil)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	got := <-done
	require.Equal(t, "Function.ResponseSizeTooLarge", got.ErrorType)
	require.JSONEq(t, `{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}`, string(got.Payload))
}

func TestInitError(t *testing.T) {
	t.Parallel()
	e := setup(t)
	resp, _ := e.do(http.MethodPost, "/runtime/init/error", strings.NewReader(`{"errorMessage":"no config","errorType":"InitFailed"}`), map[string]string{"Lambda-Runtime-Function-Error-Type": "InitFailed"})
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	got, err := e.s.Invoke(t.Context(), Invocation{RequestID: "r"})
	require.NoError(t, err)
	require.True(t, got.InitError)
	require.Equal(t, "InitFailed", got.ErrorType)
}

func TestInvokeEndsWithContextAndClose(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(context.DeadlineExceeded)
	_, err := e.s.Invoke(ctx, Invocation{RequestID: "r"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	e.s.Close()
	e.s.Close()
	_, err = e.s.Invoke(t.Context(), Invocation{RequestID: "r"})
	require.ErrorIs(t, err, ErrClosed)
}

func TestPollingSignalsAWaitingNext(t *testing.T) {
	t.Parallel()
	e := setup(t)
	polling := e.s.Polling()
	select {
	case <-polling:
		t.Fatal("no /next is waiting yet")
	default:
	}
	next := make(chan struct{})
	go func() {
		defer close(next)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, e.base+"/runtime/invocation/next", nil)
		if err != nil {
			return
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	<-polling
	<-e.s.Polling() // still waiting: closed at once
	done := e.invoke(Invocation{RequestID: "r", Deadline: time.Now().Add(time.Minute)})
	<-next
	resp, _ := e.do(http.MethodPost, "/runtime/invocation/r/response", strings.NewReader(`1`), nil)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	<-done
	select {
	case <-e.s.Polling():
		t.Fatal("the runtime is not polling after its answer")
	default:
	}
}
