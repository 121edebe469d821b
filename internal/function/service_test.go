package function_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/function/functiontest"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

type bundle struct {
	t      *testing.T
	svc    *function.Service
	caller function.Caller
}

// setup runs a function service on a sqlite store in dir with a delivery
// dispatcher whose async retries back off from 1 ms.
func setup(t *testing.T, dir string) bundle {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(dir, "fogbank.db"))
	require.NoError(t, err)
	d := delivery.New(delivery.Config{Store: st})
	svc := function.New(function.Config{Store: st, IDs: idgen.Random{}, Jobs: d, CodeDir: filepath.Join(dir, "code"), RetryDelay: time.Millisecond})
	require.NoError(t, svc.Start(t.Context()))
	d.Handle(function.JobKind, svc.Handler())
	require.NoError(t, d.Start(t.Context()))
	t.Cleanup(func() {
		d.Stop()
		svc.Stop()
		svc.Stop()
		_ = st.Close()
	})
	return bundle{t: t, svc: svc, caller: function.Caller{Account: "000000000000", Region: "eu-west-1"}}
}

func (b bundle) create(name string) function.Function {
	b.t.Helper()
	role := "arn:aws:iam::000000000000:role/r"
	f, err := b.svc.CreateFunction(b.t.Context(), b.caller, function.CreateInput{
		Name: name, Runtime: "provided.al2", Role: &role, Handler: "h", ZipFile: functiontest.Zip(b.t, nil),
	})
	require.NoError(b.t, err)
	return f
}

func TestAsyncRetriesTwiceAfterFunctionErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, t.TempDir())
	b.create("f")
	attempts := make(chan struct{}, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		attempts <- struct{}{}
	}))
	t.Cleanup(srv.Close)
	payload, _ := json.Marshal(map[string]any{"action": "notify", "url": srv.URL, "fail": true})
	out, err := b.svc.Invoke(t.Context(), b.caller, function.InvokeInput{Name: "f", Type: function.Event, Payload: payload})
	require.NoError(t, err)
	require.Equal(t, function.Event, out.Type)
	for i := range 3 {
		select {
		case <-attempts:
		case <-time.After(10 * time.Second):
			t.Fatalf("attempt %d never came", i+1)
		}
	}
	// A fourth attempt would come within milliseconds; the sync invoke below
	// queues behind nothing, so its return bounds the wait.
	_, err = b.svc.Invoke(t.Context(), b.caller, function.InvokeInput{Name: "f", Payload: []byte(`{}`)})
	require.NoError(t, err)
	require.Empty(t, attempts)
}

func TestFunctionsSurviveRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	role := "arn:aws:iam::000000000000:role/r"
	{
		st, err := sqlite.Open(filepath.Join(dir, "fogbank.db"))
		require.NoError(t, err)
		d := delivery.New(delivery.Config{Store: st})
		svc := function.New(function.Config{Store: st, IDs: idgen.Random{}, Jobs: d, CodeDir: filepath.Join(dir, "code")})
		require.NoError(t, svc.Start(t.Context()))
		_, err = svc.CreateFunction(t.Context(), function.Caller{Account: "000000000000", Region: "eu-west-1"},
			function.CreateInput{Name: "keep", Runtime: "provided.al2023", Role: &role, Handler: "h", ZipFile: functiontest.Zip(t, nil)})
		require.NoError(t, err)
		svc.Stop()
		require.NoError(t, st.Close())
	}
	b := setup(t, dir)
	out, err := b.svc.Invoke(context.Background(), b.caller, function.InvokeInput{Name: "keep", Payload: []byte(`{"k":1}`)})
	require.NoError(t, err)
	require.Empty(t, out.FunctionError, string(out.Payload))
	require.JSONEq(t, `{"k":1}`, string(out.Payload))
	require.True(t, out.ColdStart)
}

func TestNameForms(t *testing.T) {
	t.Parallel()
	b := setup(t, t.TempDir())
	f := b.create("named")
	for _, name := range []string{"named", f.ARN(), "000000000000:function:named", f.ARN() + ":$LATEST"} {
		_, err := b.svc.GetFunction(t.Context(), b.caller, name, "")
		require.NoError(t, err, name)
	}
	_, err := b.svc.GetFunction(t.Context(), b.caller, "arn:aws:lambda:us-east-1:000000000000:function:named", "")
	require.True(t, function.IsCode(err, function.CodeResourceNotFound))
	_, err = b.svc.GetFunction(t.Context(), b.caller, "bad name!", "")
	require.True(t, function.IsCode(err, function.CodeValidation))
}
