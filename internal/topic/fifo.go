package topic

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
)

// fifoOrder keeps the pending sequence numbers of each (subscription,
// message group) of FIFO topics, so jobs are delivered in order although the
// dispatcher runs them concurrently.
type fifoOrder struct {
	mu      sync.Mutex
	pending map[string][]int64 // sorted
	changed chan struct{}      // closed and replaced on every done
}

func newFIFOOrder() *fifoOrder {
	return &fifoOrder{pending: map[string][]int64{}, changed: make(chan struct{})}
}

func fifoKey(j delivery.Job) (string, int64, bool) {
	k, ok := j.Attrs["fifoKey"]
	if !ok {
		return "", 0, false
	}
	seq, err := strconv.ParseInt(j.Attrs["seq"], 10, 64)
	return k, seq, err == nil
}

// load registers the FIFO jobs left in the outbox by a previous run.
func (f *fifoOrder) load(ctx context.Context, st store.Store) error {
	recs, err := st.LoadRecords(ctx, delivery.RecordKind)
	if err != nil {
		return fmt.Errorf("topic: load pending deliveries: %w", err)
	}
	var jobs []delivery.Job
	for _, r := range recs {
		var j delivery.Job
		if json.Unmarshal(r.Data, &j) == nil && j.Kind == "sns-sqs" {
			jobs = append(jobs, j)
		}
	}
	f.register(jobs)
	f.mu.Lock()
	for k := range f.pending {
		slices.Sort(f.pending[k])
	}
	f.mu.Unlock()
	return nil
}

func (f *fifoOrder) register(jobs []delivery.Job) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, j := range jobs {
		if k, seq, ok := fifoKey(j); ok {
			f.pending[k] = append(f.pending[k], seq)
		}
	}
}

func (f *fifoOrder) forget(jobs []delivery.Job) {
	for _, j := range jobs {
		f.done(j)
	}
}

func (f *fifoOrder) done(j delivery.Job) {
	k, seq, ok := fifoKey(j)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := slices.DeleteFunc(f.pending[k], func(x int64) bool { return x == seq })
	if len(p) == 0 {
		delete(f.pending, k)
	} else {
		f.pending[k] = p
	}
	close(f.changed)
	f.changed = make(chan struct{})
}

// turn reports whether j is the first pending job of its group, waiting a
// little for earlier ones to finish.
func (f *fifoOrder) turn(j delivery.Job) bool {
	k, seq, ok := fifoKey(j)
	if !ok {
		return true
	}
	deadline := time.NewTimer(250 * time.Millisecond)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		p := f.pending[k]
		first := len(p) == 0 || p[0] >= seq
		ch := f.changed
		f.mu.Unlock()
		if first {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}
