package storetest

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store"
)

// BenchApply measures Apply under the SQS pattern: many concurrent callers,
// each putting a small message, updating its delivery state and deleting it,
// one Apply per change. It reports changes/s; s is closed by the caller.
func BenchApply(b *testing.B, s store.Store) {
	ctx := b.Context()
	require.NoError(b, s.Apply(ctx, store.PutQueue{Queue: newQueue("bench")}))
	body := make([]byte, 256)
	var next atomic.Int64
	b.SetParallelism(32) // goroutines per GOMAXPROCS: requests in flight
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := next.Add(1)
			m := newMessage("bench", "m"+strconv.FormatInt(n, 10), n)
			m.Body = body
			err := s.Apply(ctx, store.PutMessage{Message: m})
			if err == nil {
				err = s.Apply(ctx, store.UpdateMessage{
					QueueID: m.QueueID, ID: m.ID,
					State: store.MessageState{VisibleAt: n, ReceiveCount: 1, FirstReceiveAt: n, Receipt: "r"},
				})
			}
			if err == nil {
				err = s.Apply(ctx, store.DeleteMessage{QueueID: m.QueueID, ID: m.ID})
			}
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "changes/s")
}
