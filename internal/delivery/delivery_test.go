package delivery_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

// flaky fails its first n attempts per job, then succeeds.
type flaky struct {
	mu       sync.Mutex
	failures int
	perm     bool
	attempts map[string]int
	done     chan string
}

func (f *flaky) Deliver(_ context.Context, j delivery.Job, _ store.Change) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts[j.ID]++
	if f.attempts[j.ID] <= f.failures {
		if f.perm {
			return false, delivery.Permanent(errors.New("gone for good"))
		}
		return false, errors.New("target unavailable")
	}
	f.done <- j.ID
	return false, nil
}

func (f *flaky) DeadLetter(j delivery.Job, cause error) queue.DeliverInput {
	s := cause.Error()
	return queue.DeliverInput{Body: string(j.Payload), Attributes: map[string]queue.MessageAttribute{"ERROR": {DataType: "String", StringValue: &s}}}
}

type bundle struct {
	st  store.Store
	clk *clock.Fake
	q   *queue.Service
	h   *flaky
	d   *delivery.Dispatcher
}

func setup(t *testing.T, path string, clk *clock.Fake, failures int) *bundle {
	t.Helper()
	st, err := sqlite.Open(path)
	require.NoError(t, err)
	q := queue.New(queue.Config{Store: st, Clock: clk})
	require.NoError(t, q.Start(t.Context()))
	h := &flaky{failures: failures, attempts: map[string]int{}, done: make(chan string, 16)}
	d := delivery.New(delivery.Config{Store: st, Clock: clk, Queues: q})
	d.Handle("test", h)
	require.NoError(t, d.Start(t.Context()))
	t.Cleanup(func() {
		d.Stop()
		q.Stop()
		_ = st.Close()
	})
	return &bundle{st: st, clk: clk, q: q, h: h, d: d}
}

func newClock() *clock.Fake { return clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) }

func (b *bundle) submit(t *testing.T, jobs ...delivery.Job) {
	t.Helper()
	require.NoError(t, b.st.Apply(t.Context(), b.d.Jobs(jobs)...))
	b.d.Wake(jobs)
}

func (b *bundle) pendingRecords(t *testing.T) int {
	t.Helper()
	recs, err := b.st.LoadRecords(t.Context(), delivery.RecordKind)
	require.NoError(t, err)
	return len(recs)
}

// waitDone advances the fake clock until the job is delivered.
func (b *bundle) waitDone(t *testing.T, id string) {
	t.Helper()
	require.Eventually(t, func() bool {
		select {
		case got := <-b.h.done:
			require.Equal(t, id, got)
			return true
		default:
			b.clk.Advance(time.Second)
			return false
		}
	}, 10*time.Second, 5*time.Millisecond)
}

func TestDeliversAndRemovesJob(t *testing.T) {
	t.Parallel()
	b := setup(t, ":memory:", newClock(), 0)
	b.submit(t, delivery.Job{ID: "j1", Kind: "test", Payload: []byte("p"), Policy: delivery.RetryPolicy{MaxAttempts: 3}})
	b.waitDone(t, "j1")
	require.Eventually(t, func() bool { return b.pendingRecords(t) == 0 }, 5*time.Second, 5*time.Millisecond)
}

func TestRetriesWithBackoffUntilSuccess(t *testing.T) {
	t.Parallel()
	b := setup(t, ":memory:", newClock(), 2)
	b.submit(t, delivery.Job{ID: "j1", Kind: "test", Policy: delivery.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 4 * time.Second}})
	b.waitDone(t, "j1")
	b.h.mu.Lock()
	require.Equal(t, 3, b.h.attempts["j1"])
	b.h.mu.Unlock()
}

func TestExhaustedJobIsDeadLetteredAtomically(t *testing.T) {
	t.Parallel()
	b := setup(t, ":memory:", newClock(), 100)
	_, err := b.q.CreateQueue(t.Context(), queue.CreateQueueInput{Caller: queue.Caller{Account: "000000000000", Region: "us-east-1"}, Name: "dlq"})
	require.NoError(t, err)
	b.submit(t, delivery.Job{
		ID: "j1", Kind: "test", Payload: []byte("event"), DeadLetter: "arn:aws:sqs:us-east-1:000000000000:dlq",
		Policy: delivery.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Second},
	})
	zero, ten := int64(0), int64(10)
	var got []queue.ReceivedMessage
	require.Eventually(t, func() bool {
		b.clk.Advance(time.Second)
		got, err = b.q.ReceiveMessage(t.Context(), queue.ReceiveMessageInput{
			Caller: queue.Caller{Account: "000000000000", Region: "us-east-1"}, Queue: queue.QueueRef{Name: "dlq"},
			MaxNumberOfMessages: &ten, WaitTimeSeconds: &zero, MessageAttributeNames: []string{"All"},
		})
		require.NoError(t, err)
		return len(got) == 1
	}, 10*time.Second, 5*time.Millisecond)
	require.Equal(t, "event", got[0].Body)
	require.Equal(t, "target unavailable", *got[0].MessageAttributes["ERROR"].StringValue)
	require.Equal(t, 0, b.pendingRecords(t))
	b.h.mu.Lock()
	require.Equal(t, 3, b.h.attempts["j1"])
	b.h.mu.Unlock()
}

func TestPermanentErrorIsNotRetried(t *testing.T) {
	t.Parallel()
	b := setup(t, ":memory:", newClock(), 1)
	b.h.perm = true
	b.submit(t, delivery.Job{ID: "j1", Kind: "test", Policy: delivery.RetryPolicy{MaxAttempts: 10}})
	require.Eventually(t, func() bool { return b.pendingRecords(t) == 0 }, 5*time.Second, 5*time.Millisecond)
	b.h.mu.Lock()
	require.Equal(t, 1, b.h.attempts["j1"])
	b.h.mu.Unlock()
}

func TestPendingJobsSurviveRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	clk := newClock()
	st, err := sqlite.Open(path)
	require.NoError(t, err)
	d := delivery.New(delivery.Config{Store: st, Clock: clk})
	// Committed but never woken: as if the process died right after the commit.
	require.NoError(t, st.Apply(t.Context(), d.Jobs([]delivery.Job{{ID: "j1", Kind: "test", Policy: delivery.RetryPolicy{MaxAttempts: 1}}})...))
	require.NoError(t, st.Close())

	b := setup(t, path, clk, 0)
	b.waitDone(t, "j1")
}
