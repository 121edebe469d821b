package function_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function"
)

// pieces is an io.Writer handing each write on as one piece.
type pieces chan string

func (p pieces) Write(b []byte) (int, error) {
	p <- string(b)
	return len(b), nil
}

func (p pieces) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-p:
		return s
	case <-time.After(20 * time.Second):
		t.Fatal("no piece arrived")
		return ""
	}
}

type streamed struct {
	out function.InvokeOutput
	err error
}

func (b bundle) stream(payload map[string]any, w io.Writer) <-chan streamed {
	b.t.Helper()
	raw, err := json.Marshal(payload)
	require.NoError(b.t, err)
	done := make(chan streamed, 1)
	go func() {
		out, err := b.svc.InvokeWithResponseStream(b.t.Context(), b.caller, function.InvokeInput{Name: "s", Payload: raw}, w)
		done <- streamed{out, err}
	}()
	return done
}

// The first chunk reaches the writer while the runtime is still held
// before producing the rest: the response is streamed, not buffered.
func TestInvokeWithResponseStreamStreams(t *testing.T) {
	t.Parallel()
	b := setup(t, t.TempDir())
	b.create("s")
	gate := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-gate
	}))
	t.Cleanup(srv.Close)
	got := make(pieces, 16)
	done := b.stream(map[string]any{"action": "stream", "n": 3, "url": srv.URL}, got)
	require.Equal(t, "chunk 1\n", got.next(t))
	close(gate)
	all := "chunk 1\n"
	for all != "chunk 1\nchunk 2\nchunk 3\n" && len(all) < 64 {
		all += got.next(t)
	}
	res := <-done
	require.NoError(t, res.err)
	require.True(t, res.out.Streamed)
	require.Empty(t, res.out.FunctionError)
	require.Empty(t, res.out.Payload)
	require.Equal(t, "chunk 1\nchunk 2\nchunk 3\n", all)
	require.Equal(t, "$LATEST", res.out.ExecutedVersion)
}

func TestInvokeWithResponseStreamErrorMidStream(t *testing.T) {
	t.Parallel()
	b := setup(t, t.TempDir())
	b.create("s")
	var sb strings.Builder
	res := <-b.stream(map[string]any{"action": "stream", "n": 2, "fail": true}, &sb)
	require.NoError(t, res.err)
	require.Equal(t, "chunk 1\nchunk 2\n", sb.String())
	require.True(t, res.out.Streamed)
	require.Equal(t, "Unhandled", res.out.FunctionError)
	require.JSONEq(t, `{"errorMessage":"failed after 2 chunks","errorType":"StreamError"}`, string(res.out.Payload))
}

// A runtime that answers in one piece leaves the response in Payload.
func TestInvokeWithResponseStreamBufferedFunction(t *testing.T) {
	t.Parallel()
	b := setup(t, t.TempDir())
	b.create("s")
	var sb strings.Builder
	res := <-b.stream(map[string]any{"action": "echo"}, &sb)
	require.NoError(t, res.err)
	require.False(t, res.out.Streamed)
	require.JSONEq(t, `{"action":"echo"}`, string(res.out.Payload))
	require.Empty(t, sb.String())

	_, err := b.svc.InvokeWithResponseStream(t.Context(), b.caller, function.InvokeInput{Name: "s", Type: function.Event}, &sb)
	require.True(t, function.IsCode(err, function.CodeValidation), err)
	_, err = b.svc.InvokeWithResponseStream(t.Context(), b.caller, function.InvokeInput{Name: "missing"}, &sb)
	require.True(t, function.IsCode(err, function.CodeResourceNotFound), err)
}
