package store

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorder is an ApplyFunc that records its batches. While hold is set, the
// first call signals started and waits for release, keeping the writer busy
// so that requests pile up behind it.
type recorder struct {
	mu      sync.Mutex
	batches [][]Change
	fail    map[int]error // error returned by the call with this index

	hold    bool
	started chan struct{}
	release chan struct{}
}

func newRecorder(hold bool) *recorder {
	return &recorder{hold: hold, started: make(chan struct{}), release: make(chan struct{})}
}

func (r *recorder) apply(_ context.Context, changes []Change) error {
	r.mu.Lock()
	n := len(r.batches)
	r.batches = append(r.batches, changes)
	err := r.fail[n]
	r.mu.Unlock()
	if n == 0 && r.hold {
		close(r.started)
		<-r.release
	}
	return err
}

// ids returns the message ids of every batch.
func (r *recorder) ids() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([][]string, 0, len(r.batches))
	for _, b := range r.batches {
		var ids []string
		for _, c := range b {
			ids = append(ids, c.(PutMessage).Message.ID)
		}
		out = append(out, ids)
	}
	return out
}

func put(id int) Change { return PutMessage{Message: Message{ID: strconv.Itoa(id)}} }

// busy starts a committer whose writer is stuck applying change 0.
func busy(t *testing.T, maxBatch int) (*Committer, *recorder, <-chan error) {
	t.Helper()
	r := newRecorder(true)
	c := NewCommitter(r.apply, maxBatch)
	t.Cleanup(c.Close)
	first := c.Submit(put(0))
	<-r.started
	return c, r, first
}

func TestCommitterBatchesWaitingRequests(t *testing.T) {
	t.Parallel()
	c, r, first := busy(t, 100)
	var results []<-chan error
	for i := 1; i <= 10; i++ {
		results = append(results, c.Submit(put(i)))
	}
	close(r.release)
	require.NoError(t, <-first)
	for _, res := range results {
		require.NoError(t, <-res)
	}
	require.Equal(t, [][]string{{"0"}, {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}}, r.ids())
}

// TestCommitterBatchesConcurrentCallers: 64 goroutines calling Apply while
// the writer is busy are committed together, each with its changes
// contiguous and in order.
func TestCommitterBatchesConcurrentCallers(t *testing.T) {
	t.Parallel()
	const callers = 64
	c, r, first := busy(t, 10_000)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { errs[i] = c.Apply(t.Context(), put(1000+2*i), put(1000+2*i+1)) })
	}
	for len(c.reqs) < callers { // every caller has submitted
		runtime.Gosched()
	}
	close(r.release)
	wg.Wait()
	require.NoError(t, <-first)
	require.NoError(t, errors.Join(errs...))
	ids := r.ids()
	require.Len(t, ids, 2, "one batch for all waiting callers")
	require.Len(t, ids[1], 2*callers)
	for i := 0; i < len(ids[1]); i += 2 {
		a, _ := strconv.Atoi(ids[1][i])
		b, _ := strconv.Atoi(ids[1][i+1])
		require.Equal(t, a+1, b, "a caller's changes stay together and in order")
	}
}

func TestCommitterMaxBatch(t *testing.T) {
	t.Parallel()
	c, r, first := busy(t, 3)
	var results []<-chan error
	for i := 1; i <= 7; i++ {
		results = append(results, c.Submit(put(i)))
	}
	results = append(results, c.Submit(put(8), put(9), put(10), put(11), put(12)))
	close(r.release)
	require.NoError(t, <-first)
	for _, res := range results {
		require.NoError(t, <-res)
	}
	require.Equal(t, [][]string{
		{"0"}, {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9", "10", "11", "12"},
	}, r.ids(), "a request larger than maxBatch is applied whole, never split")
}

// TestCommitterErrorReachesEveryCaller: a failed batch fails every request
// in it, and only those.
func TestCommitterErrorReachesEveryCaller(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	c, r, first := busy(t, 100)
	r.mu.Lock()
	r.fail = map[int]error{1: boom}
	r.mu.Unlock()
	var results []<-chan error
	for i := 1; i <= 5; i++ {
		results = append(results, c.Submit(put(i)))
	}
	close(r.release)
	require.NoError(t, <-first)
	for _, res := range results {
		require.ErrorIs(t, <-res, boom)
	}
	require.NoError(t, c.Apply(t.Context(), put(6)), "the next batch is unaffected")
}

// TestCommitterCloseDrains: Close commits everything submitted before it,
// then refuses new work.
func TestCommitterCloseDrains(t *testing.T) {
	t.Parallel()
	c, r, first := busy(t, 2)
	var results []<-chan error
	for i := 1; i <= 5; i++ {
		results = append(results, c.Submit(put(i)))
	}
	closed := make(chan struct{})
	go func() {
		c.Close()
		close(closed)
	}()
	select {
	case <-closed:
		require.Fail(t, "Close returned while a commit was in progress")
	default:
	}
	close(r.release)
	<-closed
	require.NoError(t, <-first)
	for _, res := range results {
		require.NoError(t, <-res)
	}
	require.Equal(t, [][]string{{"0"}, {"1", "2"}, {"3", "4"}, {"5"}}, r.ids())

	require.ErrorIs(t, c.Apply(t.Context(), put(6)), ErrClosed)
	require.ErrorIs(t, <-c.Submit(put(7)), ErrClosed)
	c.Close() // a second Close returns at once
	require.Len(t, r.ids(), 4, "nothing applied after Close")
}

func TestCommitterEmptyApply(t *testing.T) {
	t.Parallel()
	r := newRecorder(false)
	c := NewCommitter(r.apply, 10)
	t.Cleanup(c.Close)
	require.NoError(t, c.Apply(t.Context()))
	require.NoError(t, <-c.Submit())
	c.Close()
	require.Empty(t, r.ids(), "no transaction for no changes")
}

// TestCommitterIgnoresCanceledContext: once submitted, a change is
// committed and its result reported even if the caller's context ends, so a
// caller is never told of a failure for a change that was written.
func TestCommitterIgnoresCanceledContext(t *testing.T) {
	t.Parallel()
	r := newRecorder(false)
	c := NewCommitter(r.apply, 10)
	t.Cleanup(c.Close)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.NoError(t, c.Apply(ctx, put(1)))
	require.Equal(t, [][]string{{"1"}}, r.ids())
}
