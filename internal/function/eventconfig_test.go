package function_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/function/functiontest"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

// sent is one delivery a fake Targets received.
type sent struct {
	target, body string
	attrs        map[string]function.Attribute
}

// recordingTargets stands in for SQS and SNS: the destination handler's
// unit under test is what it sends, not how those services store it.
type recordingTargets struct {
	st  store.Store
	got chan sent
}

func (r recordingTargets) SendMessage(ctx context.Context, arn, body string, attrs map[string]function.Attribute, extra ...store.Change) error {
	r.got <- sent{arn, body, attrs}
	return r.st.Apply(ctx, extra...)
}

func (r recordingTargets) Publish(ctx context.Context, arn, body string, attrs map[string]function.Attribute, extra ...store.Change) error {
	return r.SendMessage(ctx, arn, body, attrs, extra...)
}

func (r recordingTargets) PutEvent(ctx context.Context, arn string, ev function.BusEvent, extra ...store.Change) error {
	return r.SendMessage(ctx, arn, ev.Detail, nil, extra...)
}

// TestEventAgeExceededGoesToFailureDestinationAndDLQ drives the async
// handler by hand with a fake clock: an event older than the config's
// MaximumEventAgeInSeconds is not run; its record goes to the on-failure
// destination and the event to the dead-letter topic.
func TestEventAgeExceededGoesToFailureDestinationAndDLQ(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "fogbank.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	clk := clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	d := delivery.New(delivery.Config{Store: st, Clock: clk}) // never started: the test runs the handlers
	svc := function.New(function.Config{Store: st, Clock: clk, IDs: idgen.Random{}, Jobs: d, CodeDir: filepath.Join(dir, "code")})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(svc.Stop)
	targets := recordingTargets{st: st, got: make(chan sent, 4)}
	async := function.NewAsync(function.AsyncConfig{Functions: svc, Store: st, Clock: clk, Jobs: d, Targets: targets})
	require.NoError(t, async.Start(t.Context()))

	c := function.Caller{Account: "000000000000", Region: "eu-west-1"}
	role := "arn:aws:iam::000000000000:role/r"
	f, err := svc.CreateFunction(t.Context(), c, function.CreateInput{
		Name: "old", Runtime: "provided.al2", Role: &role, Handler: "h", ZipFile: functiontest.Zip(t, nil),
		DeadLetterArn: "arn:aws:sns:eu-west-1:000000000000:dead",
	})
	require.NoError(t, err)
	age := 60
	_, err = async.PutEventInvokeConfig(t.Context(), c, function.EventInvokeConfigInput{
		FunctionName: "old", MaximumEventAge: &age,
		Destinations: &function.Destinations{OnFailure: "arn:aws:sqs:eu-west-1:000000000000:failures"},
	})
	require.NoError(t, err)
	_, err = svc.Invoke(t.Context(), c, function.InvokeInput{Name: "old", Type: function.Event, Payload: []byte(`{"n":1}`)})
	require.NoError(t, err)

	jobs := loadJobs(t, st)
	require.Len(t, jobs, 1)
	clk.Advance(61 * time.Second)
	j := jobs[0]
	j.Attempts++ // as the dispatcher does before each attempt
	committed, err := async.Handler().Deliver(t.Context(), j, store.DeleteRecord{Kind: delivery.RecordKind, Key: j.ID})
	require.NoError(t, err)
	require.True(t, committed)

	dests := loadJobs(t, st)
	require.Len(t, dests, 2, "the invocation's job is replaced by its two destination jobs")
	for _, dj := range dests {
		require.Equal(t, function.DestinationJobKind, dj.Kind)
		committed, err := async.DestinationHandler().Deliver(t.Context(), dj, store.DeleteRecord{Kind: delivery.RecordKind, Key: dj.ID})
		require.NoError(t, err)
		require.True(t, committed)
	}
	require.Empty(t, loadJobs(t, st))
	byTarget := map[string]sent{}
	for range 2 {
		s := <-targets.got
		byTarget[s.target] = s
	}
	var rec struct {
		RequestContext struct {
			RequestID              string `json:"requestId"`
			FunctionArn            string `json:"functionArn"`
			Condition              string `json:"condition"`
			ApproximateInvokeCount int    `json:"approximateInvokeCount"`
		} `json:"requestContext"`
		RequestPayload json.RawMessage `json:"requestPayload"`
	}
	failure := byTarget["arn:aws:sqs:eu-west-1:000000000000:failures"]
	require.NoError(t, json.Unmarshal([]byte(failure.body), &rec), failure.body)
	require.Equal(t, "EventAgeExceeded", rec.RequestContext.Condition)
	require.Equal(t, f.ARN()+":$LATEST", rec.RequestContext.FunctionArn)
	require.Equal(t, j.ID, rec.RequestContext.RequestID)
	require.Zero(t, rec.RequestContext.ApproximateInvokeCount)
	require.JSONEq(t, `{"n":1}`, string(rec.RequestPayload))
	dead := byTarget["arn:aws:sns:eu-west-1:000000000000:dead"]
	require.JSONEq(t, `{"n":1}`, dead.body)
	require.Equal(t, function.Attribute{DataType: "String", Value: j.ID}, dead.attrs["RequestID"])
	require.Equal(t, function.Attribute{DataType: "Number", Value: "200"}, dead.attrs["ErrorCode"])
}

func loadJobs(t *testing.T, st store.Store) []delivery.Job {
	t.Helper()
	recs, err := st.LoadRecords(t.Context(), delivery.RecordKind)
	require.NoError(t, err)
	out := make([]delivery.Job, len(recs))
	for i, r := range recs {
		require.NoError(t, json.Unmarshal(r.Data, &out[i]))
	}
	return out
}
