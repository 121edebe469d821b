package function_test

import (
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
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

// handOff is a function service whose dispatcher has not started, so the
// jobs InvokeEvent commits stay in the store until start is called.
type handOff struct {
	bundle
	st    store.Store
	start func()
}

func setupHandOff(t *testing.T) handOff {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "fogbank.db"))
	require.NoError(t, err)
	d := delivery.New(delivery.Config{Store: st})
	svc := function.New(function.Config{Store: st, IDs: idgen.Random{}, Jobs: d, CodeDir: filepath.Join(dir, "code"), RetryDelay: time.Millisecond})
	require.NoError(t, svc.Start(t.Context()))
	d.Handle(function.JobKind, svc.Handler())
	t.Cleanup(func() {
		d.Stop()
		svc.Stop()
		_ = st.Close()
	})
	b := bundle{t: t, svc: svc, caller: function.Caller{Account: "000000000000", Region: "eu-west-1"}}
	return handOff{bundle: b, st: st, start: func() { require.NoError(t, d.Start(t.Context())) }}
}

// outbox stores a stand-in for the caller's outbox job and returns its
// removal.
func (h handOff) outbox(key string) store.Change {
	h.t.Helper()
	require.NoError(h.t, h.st.Apply(h.t.Context(), store.PutRecord{Record: store.Record{Kind: "caller-outbox", Key: key, Data: []byte(`{}`)}}))
	return store.DeleteRecord{Kind: "caller-outbox", Key: key}
}

func (h handOff) records(kind string) int {
	h.t.Helper()
	recs, err := h.st.LoadRecords(h.t.Context(), kind)
	require.NoError(h.t, err)
	return len(recs)
}

func TestInvokeEventCommitsJobWithCallerRemoval(t *testing.T) {
	t.Parallel()
	h := setupHandOff(t)
	f := h.create("target")
	got := make(chan []byte, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	}))
	t.Cleanup(srv.Close)
	payload, _ := json.Marshal(map[string]any{"action": "notify", "url": srv.URL})

	for i, fnArn := range []string{f.ARN(), f.ARN() + ":$LATEST"} {
		remove := h.outbox(fnArn)
		out, err := h.svc.InvokeEvent(t.Context(), function.EventInvokeInput{FunctionArn: fnArn, Payload: payload}, remove)
		require.NoError(t, err, fnArn)
		require.Equal(t, function.Event, out.Type)
		require.NotEmpty(t, out.RequestID)
		require.Zero(t, h.records("caller-outbox"), "the caller's removal is committed with the acceptance")
		require.Equal(t, i+1, h.records(delivery.RecordKind))
	}

	h.start()
	for range 2 {
		select {
		case b := <-got:
			require.JSONEq(t, string(payload), string(b))
		case <-time.After(10 * time.Second):
			t.Fatal("the function never ran")
		}
	}
}

func TestInvokeEventUnknownFunctionCommitsNothing(t *testing.T) {
	t.Parallel()
	h := setupHandOff(t)
	f := h.create("there")
	for _, fnArn := range []string{
		"arn:aws:lambda:eu-west-1:000000000000:function:missing",
		"arn:aws:lambda:us-east-1:000000000000:function:there", // another region
		f.ARN() + ":7", // fogbank has no published versions
		"arn:aws:sqs:eu-west-1:000000000000:there",
		"not-an-arn",
	} {
		remove := h.outbox("k")
		_, err := h.svc.InvokeEvent(t.Context(), function.EventInvokeInput{FunctionArn: fnArn, Payload: []byte(`{}`)}, remove)
		require.True(t, function.IsCode(err, function.CodeResourceNotFound), "%s: %v", fnArn, err)
		require.Equal(t, 1, h.records("caller-outbox"), fnArn)
		require.Zero(t, h.records(delivery.RecordKind), fnArn)
	}
	_, err := h.svc.InvokeEvent(t.Context(), function.EventInvokeInput{FunctionArn: f.ARN(), Payload: []byte(`{not json`)})
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	require.Equal(t, function.CodeInvalidRequestContent, fe.Code)
}
