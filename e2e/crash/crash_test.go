package crash

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"
)

// Run shape: about 15 s of load and 11 kills per store.
const (
	kills             = 10
	producersPerQueue = 8
	consumersPerQueue = 8
	minLoad           = 300 * time.Millisecond // between a start and the next kill
	maxLoad           = 2500 * time.Millisecond
	drainTimeout      = 60 * time.Second
)

func TestCrash(t *testing.T) {
	bin := buildFogbank(t)
	stores := []struct {
		name string
		args func(*testing.T) []string
	}{
		{"sqlite", func(t *testing.T) []string { return []string{"--data-dir", t.TempDir()} }},
		{"postgres", postgresStore},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) { runCrash(t, bin, st.args(t)) })
	}
}

func runCrash(t *testing.T, bin string, storeArgs []string) {
	began := time.Now()
	p := newProcess(t, bin, storeArgs)
	p.start()
	led := newLedger()
	loads := []*workload{{kind: "std"}, {kind: "fifo", fifo: true}}
	for _, w := range loads {
		w.proc, w.client, w.led = p, p.client(), led
		require.NoError(t, w.setupQueue(t.Context()))
	}

	prodCtx, stopProducers := context.WithCancel(t.Context())
	consCtx, stopConsumers := context.WithCancel(t.Context())
	defer stopProducers()
	defer stopConsumers()
	var producers, consumers sync.WaitGroup
	for _, w := range loads {
		for i := range producersPerQueue {
			producers.Go(func() { w.produce(prodCtx, i) })
		}
		for i := range consumersPerQueue {
			consumers.Go(func() { w.consume(consCtx, i) })
		}
	}

	seed := rand.Uint64()
	t.Logf("kill schedule seed %d", seed)
	killAtRandom(t, p, rand.New(rand.NewPCG(seed, seed)))
	stopProducers()
	producers.Wait()
	for _, w := range loads {
		w.drain.Store(true)
	}
	waitDrained(t, loads)
	stopConsumers()
	consumers.Wait()

	// One more kill: what was drained must stay deleted.
	p.kill()
	p.start()
	for _, w := range loads {
		requireEmpty(t, w)
	}
	t.Logf("slowest start: %s", p.slowest.Round(time.Millisecond))
	report(t, led, loads, p.starts, time.Since(began))
}

// killAtRandom lets the load run for a random while, then kills and restarts
// the process, kills times.
func killAtRandom(t *testing.T, p *process, rng *rand.Rand) {
	for range kills {
		timer := time.NewTimer(minLoad + time.Duration(rng.Int64N(int64(maxLoad-minLoad))))
		select {
		case <-timer.C:
		case <-t.Context().Done():
			return
		}
		p.kill()
		p.start()
	}
}

// waitDrained waits until both queues hold no message at all.
func waitDrained(t *testing.T, loads []*workload) {
	deadline := time.Now().Add(drainTimeout)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		total := 0
		for _, w := range loads {
			n, err := w.remaining(t.Context())
			require.NoError(t, err)
			total += n
		}
		if total == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("queues still hold %d messages %s after the last restart", total, drainTimeout)
		}
		<-tick.C
	}
}

// requireEmpty checks that a drained queue is still empty after a restart.
func requireEmpty(t *testing.T, w *workload) {
	n, err := w.remaining(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "%s: messages reappeared after the final restart", w.kind)
	out, err := w.client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: &w.url, MaxNumberOfMessages: 10})
	require.NoError(t, err)
	for _, m := range out.Messages {
		w.led.received(*m.Body, w.led.now())
	}
	require.Empty(t, out.Messages, "%s: received after the final restart", w.kind)
}

func report(t *testing.T, led *ledger, loads []*workload, starts int, took time.Duration) {
	violations, counts, s := led.check()
	t.Logf("%d starts (%d kills) in %s: %d bodies attempted, %d sends acknowledged, %d received (%d of them unacknowledged), %d deliveries, %d duplicate deliveries, %d deletes acknowledged",
		starts, starts-1, took.Round(time.Millisecond), s.attempted, s.acked, s.received, s.unackedReceived, s.deliveries, s.duplicates, s.deletesAcked)
	for _, w := range loads {
		t.Logf("%s: %d failed requests, %d of them 5xx", w.kind, w.errs.Load(), w.server.Load())
	}
	led.mu.Lock()
	for k, n := range led.apiErrors {
		t.Logf("error answers: %s × %d", k, n)
	}
	led.mu.Unlock()
	for _, v := range violations {
		t.Error(v)
	}
	for kind, n := range counts {
		t.Errorf("%d violations: %s", n, kind)
	}
	for _, w := range loads {
		require.Zero(t, w.server.Load(), "%s: 5xx answers while the server was up", w.kind)
	}
	require.NotZero(t, s.acked)
}
