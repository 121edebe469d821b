package runtimeapi

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pieces is an io.Writer handing each write on as one piece.
type pieces chan string

func (p pieces) Write(b []byte) (int, error) {
	p <- string(b)
	return len(b), nil
}

// postStream starts a streaming response post whose body the test writes;
// the trailers are set from trailer once the body ends.
func (e env) postStream(id string, trailer map[string]string) (*io.PipeWriter, <-chan int) {
	e.t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.base+"/runtime/invocation/"+id+"/response", nil)
	require.NoError(e.t, err)
	req.Header.Set("Lambda-Runtime-Function-Response-Mode", "streaming")
	req.Body = io.NopCloser(&trailerAtEOF{r: pr, req: req, set: trailer})
	req.ContentLength = -1
	req.Trailer = http.Header{}
	for k := range trailer {
		req.Trailer[http.CanonicalHeaderKey(k)] = nil
	}
	status := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- 0
			return
		}
		_ = resp.Body.Close()
		status <- resp.StatusCode
	}()
	return pw, status
}

type trailerAtEOF struct {
	r   io.Reader
	req *http.Request
	set map[string]string
}

func (t *trailerAtEOF) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err == io.EOF {
		for k, v := range t.set {
			t.req.Trailer.Set(k, v)
		}
	}
	return n, err
}

func TestStreamedResponseArrivesPieceByPiece(t *testing.T) {
	t.Parallel()
	e := setup(t)
	got := make(pieces, 8)
	done := e.invoke(Invocation{RequestID: "s", Deadline: time.Now().Add(time.Minute), Stream: got})
	e.do(http.MethodGet, "/runtime/invocation/next", nil, nil)
	pw, status := e.postStream("s", nil)
	for _, piece := range []string{"one ", "two ", "three"} {
		_, err := pw.Write([]byte(piece))
		require.NoError(t, err)
		require.Equal(t, piece, <-got, "each piece arrives before the next is written")
	}
	require.NoError(t, pw.Close())
	require.Equal(t, http.StatusAccepted, <-status)
	require.Equal(t, Result{Streamed: true, StreamedBytes: len("one two three")}, <-done)
}

func TestStreamedResponseErrorInTrailers(t *testing.T) {
	t.Parallel()
	e := setup(t)
	got := make(pieces, 8)
	done := e.invoke(Invocation{RequestID: "s", Deadline: time.Now().Add(time.Minute), Stream: got})
	e.do(http.MethodGet, "/runtime/invocation/next", nil, nil)
	doc := `{"errorMessage":"mid-stream","errorType":"errorString"}`
	pw, status := e.postStream("s", map[string]string{
		"Lambda-Runtime-Function-Error-Type": "errorString",
		"Lambda-Runtime-Function-Error-Body": base64.StdEncoding.EncodeToString([]byte(doc)),
	})
	_, err := pw.Write([]byte("partial"))
	require.NoError(t, err)
	require.Equal(t, "partial", <-got)
	require.NoError(t, pw.Close())
	require.Equal(t, http.StatusAccepted, <-status)
	res := <-done
	require.True(t, res.Streamed)
	require.Equal(t, "errorString", res.ErrorType)
	require.JSONEq(t, doc, string(res.Payload))
}

// Without a Stream (a plain Invoke) a streamed response is buffered; a
// stream for an unknown id is refused like any response.
func TestStreamedResponseBufferedAndRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	done := e.invoke(Invocation{RequestID: "b", Deadline: time.Now().Add(time.Minute)})
	e.do(http.MethodGet, "/runtime/invocation/next", nil, nil)
	resp, _ := e.do(http.MethodPost, "/runtime/invocation/other/response", strings.NewReader("x"), map[string]string{"Lambda-Runtime-Function-Response-Mode": "streaming"})
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	pw, status := e.postStream("b", nil)
	_, err := pw.Write([]byte("all at once"))
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	require.Equal(t, http.StatusAccepted, <-status)
	require.Equal(t, Result{Payload: []byte("all at once")}, <-done)
}
