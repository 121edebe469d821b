package delivery_test

import (
	"context"
	"errors"
	"fmt"
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

// recorder fails chosen jobs a number of times and records what arrives, and
// whether two jobs of one OrderKey were ever attempted at once.
type recorder struct {
	mu        sync.Mutex
	fail      map[string]int // failures left by job ID; -1 fails for good
	attempts  map[string]int
	inflight  map[string]int
	overlap   bool
	delivered map[string][]string // job IDs by OrderKey, in arrival order
}

func newRecorder() *recorder {
	return &recorder{fail: map[string]int{}, attempts: map[string]int{}, inflight: map[string]int{}, delivered: map[string][]string{}}
}

func (r *recorder) Deliver(_ context.Context, j delivery.Job, _ store.Change) (bool, error) {
	r.mu.Lock()
	r.inflight[j.OrderKey]++
	if j.OrderKey != "" && r.inflight[j.OrderKey] > 1 {
		r.overlap = true
	}
	r.attempts[j.ID]++
	left := r.fail[j.ID]
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inflight[j.OrderKey]--
		r.mu.Unlock()
	}()
	switch {
	case left < 0:
		return false, delivery.Permanent(errors.New("rejected"))
	case left > 0:
		r.mu.Lock()
		r.fail[j.ID]--
		r.mu.Unlock()
		return false, errors.New("busy")
	}
	r.mu.Lock()
	r.delivered[j.OrderKey] = append(r.delivered[j.OrderKey], j.ID)
	r.mu.Unlock()
	return false, nil
}

func (r *recorder) DeadLetter(j delivery.Job, _ error) queue.DeliverInput {
	return queue.DeliverInput{Body: string(j.Payload)}
}

func (r *recorder) got(key string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.delivered[key]...)
}

type orderBundle struct {
	st  store.Store
	clk *clock.Fake
	q   *queue.Service
	d   *delivery.Dispatcher
	h   *recorder
}

func startOrdered(t *testing.T, path string, clk *clock.Fake, h *recorder) *orderBundle {
	t.Helper()
	st, err := sqlite.Open(path)
	require.NoError(t, err)
	q := queue.New(queue.Config{Store: st, Clock: clk})
	require.NoError(t, q.Start(t.Context()))
	d := delivery.New(delivery.Config{Store: st, Clock: clk, Queues: q, Workers: 8})
	d.Handle("ord", h)
	require.NoError(t, d.Start(t.Context()))
	t.Cleanup(func() {
		d.Stop()
		q.Stop()
		_ = st.Close()
	})
	return &orderBundle{st: st, clk: clk, q: q, d: d, h: h}
}

var quick = delivery.RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: time.Second}

func ordJob(id, key string) delivery.Job {
	return delivery.Job{ID: id, Kind: "ord", OrderKey: key, Payload: []byte(id), Policy: quick}
}

func (b *orderBundle) submit(t *testing.T, jobs ...delivery.Job) {
	t.Helper()
	require.NoError(t, b.st.Apply(t.Context(), b.d.Jobs(jobs)...))
	b.d.Wake(jobs)
}

// until advances the fake clock until cond holds.
func (b *orderBundle) until(t *testing.T, cond func() bool) {
	t.Helper()
	require.Eventually(t, func() bool {
		if cond() {
			return true
		}
		b.clk.Advance(time.Second)
		return false
	}, 10*time.Second, time.Millisecond)
}

func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		// Descending names: the order must come from submission, not IDs.
		out[i] = fmt.Sprintf("%s%02d", prefix, n-i)
	}
	return out
}

func TestOrderKeptUnderConcurrencyWithFailingHeads(t *testing.T) {
	t.Parallel()
	h := newRecorder()
	b := startOrdered(t, ":memory:", newClock(), h)
	want := ids("m", 20)
	var jobs []delivery.Job
	for i, id := range want {
		if i%3 == 0 {
			h.fail[id] = 2
		}
		jobs = append(jobs, ordJob(id, "k"))
	}
	b.submit(t, jobs[:10]...)
	b.submit(t, jobs[10:]...)
	b.until(t, func() bool { return len(h.got("k")) == len(want) })
	require.Equal(t, want, h.got("k"))
	h.mu.Lock()
	defer h.mu.Unlock()
	require.False(t, h.overlap, "two jobs of one key were attempted at once")
	for i, id := range want {
		require.Equal(t, map[bool]int{true: 3, false: 1}[i%3 == 0], h.attempts[id], "waiting burns no attempt: %s", id)
	}
}

func TestOtherKeysProceedWhileHeadRetries(t *testing.T) {
	t.Parallel()
	h := newRecorder()
	b := startOrdered(t, ":memory:", newClock(), h)
	h.fail["a1"] = 1000
	stuck := delivery.RetryPolicy{MaxAttempts: 1000, BaseDelay: time.Hour, MaxDelay: time.Hour}
	a1, a2 := ordJob("a1", "a"), ordJob("a2", "a")
	a1.Policy, a2.Policy = stuck, stuck
	b.submit(t, a1, a2, ordJob("b1", "b"), ordJob("b2", "b"), ordJob("u1", ""))
	require.Eventually(t, func() bool { return len(h.got("b")) == 2 && len(h.got("")) == 1 }, 10*time.Second, time.Millisecond,
		"other keys and unordered jobs are delivered without the clock moving")
	require.Equal(t, []string{"b1", "b2"}, h.got("b"))
	require.Eventually(t, func() bool { return b.d.Pending() == 2 }, 10*time.Second, time.Millisecond, "a1 retrying, a2 waiting")
	h.mu.Lock()
	require.Equal(t, 1, h.attempts["a1"])
	require.Zero(t, h.attempts["a2"], "a job behind a retrying head is not attempted")
	h.fail["a1"] = 0
	h.mu.Unlock()
	b.clk.Advance(time.Hour)
	require.Eventually(t, func() bool { return len(h.got("a")) == 2 }, 10*time.Second, time.Millisecond)
	require.Equal(t, []string{"a1", "a2"}, h.got("a"))
}

func TestOrderSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	clk := newClock()
	st, err := sqlite.Open(path)
	require.NoError(t, err)
	d := delivery.New(delivery.Config{Store: st, Clock: clk})
	want := ids("r", 12) // one FirstAt: only the stored sequence orders them
	for _, id := range want {
		// Committed one by one and never woken: as if the process died.
		require.NoError(t, st.Apply(t.Context(), d.Jobs([]delivery.Job{ordJob(id, "k")})...))
	}
	require.NoError(t, st.Close())

	h := newRecorder()
	h.fail[want[0]] = 2
	b := startOrdered(t, path, clk, h)
	b.until(t, func() bool { return len(h.got("k")) == len(want) })
	require.Equal(t, want, h.got("k"))

	more := ids("s", 3)
	for _, id := range more {
		b.submit(t, ordJob(id, "k"))
	}
	b.until(t, func() bool { return len(h.got("k")) == len(want)+len(more) })
	require.Equal(t, more, h.got("k")[len(want):], "sequence numbers continue after the stored ones")
}

func TestDeadLetteredHeadReleasesNext(t *testing.T) {
	t.Parallel()
	h := newRecorder()
	b := startOrdered(t, ":memory:", newClock(), h)
	c := queue.Caller{Account: "000000000000", Region: "us-east-1"}
	_, err := b.q.CreateQueue(t.Context(), queue.CreateQueueInput{Caller: c, Name: "dlq"})
	require.NoError(t, err)
	h.fail["h1"], h.fail["h2"] = 3, -1
	var jobs []delivery.Job
	for _, id := range []string{"h1", "h2", "h3"} {
		j := ordJob(id, "k")
		j.DeadLetter = "arn:aws:sqs:us-east-1:000000000000:dlq"
		j.Policy.MaxAttempts = 2
		jobs = append(jobs, j)
	}
	b.submit(t, jobs...)
	b.until(t, func() bool { return len(h.got("k")) == 1 })
	require.Equal(t, []string{"h3"}, h.got("k"))
	zero, ten := int64(0), int64(10)
	got, err := b.q.ReceiveMessage(t.Context(), queue.ReceiveMessageInput{
		Caller: c, Queue: queue.QueueRef{Name: "dlq"}, MaxNumberOfMessages: &ten, WaitTimeSeconds: &zero,
	})
	require.NoError(t, err)
	var bodies []string
	for _, m := range got {
		bodies = append(bodies, m.Body)
	}
	require.ElementsMatch(t, []string{"h1", "h2"}, bodies)
	h.mu.Lock()
	defer h.mu.Unlock()
	require.Equal(t, map[string]int{"h1": 2, "h2": 1, "h3": 1}, h.attempts)
}

func TestAbandonedJobReleasesItsKey(t *testing.T) {
	t.Parallel()
	h := newRecorder()
	b := startOrdered(t, ":memory:", newClock(), h)
	lost := []delivery.Job{ordJob("x1", "k")}
	_ = b.d.Jobs(lost) // its commit failed
	b.submit(t, ordJob("x2", "k"))
	require.Equal(t, 1, b.d.Pending(), "x2 waits for the earlier x1")
	b.d.Abandon(lost)
	require.Eventually(t, func() bool { return len(h.got("k")) == 1 }, 10*time.Second, time.Millisecond)
	require.Equal(t, []string{"x2"}, h.got("k"))
}
