package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/clock"
)

func TestWaitUntilFiresInOrder(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake(time.Unix(1000, 0))
	s := New(Config{Clock: fake})
	s.Start()
	t.Cleanup(s.Stop)
	fired := make(chan int, 2)
	for i, d := range []time.Duration{2 * time.Second, time.Second} {
		go func() {
			require.NoError(t, s.WaitUntil(t.Context(), fake.Now().Add(d)))
			fired <- i
		}()
	}
	require.Eventually(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return len(s.timers) == 2 }, 5*time.Second, time.Millisecond)
	fake.Advance(time.Second)
	require.Equal(t, 1, <-fired)
	require.Eventually(t, func() bool {
		fake.Advance(time.Second)
		select {
		case i := <-fired:
			return i == 0
		default:
			return false
		}
	}, 5*time.Second, 10*time.Millisecond)
}

func TestScaleShortensWaits(t *testing.T) {
	t.Parallel()
	s := New(Config{Scale: 0.001})
	s.Start()
	t.Cleanup(s.Stop)
	start := s.Now()
	require.NoError(t, s.WaitUntil(t.Context(), start.Add(10*time.Second)))
	require.False(t, s.Now().Before(start.Add(10*time.Second)))
}

func TestStopAndCancelEndWaits(t *testing.T) {
	t.Parallel()
	s := New(Config{})
	s.Start()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, s.WaitUntil(ctx, s.Now().Add(time.Hour)), context.Canceled)
	errc := make(chan error, 1)
	go func() { errc <- s.WaitUntil(t.Context(), s.Now().Add(time.Hour)) }()
	require.Eventually(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return len(s.timers) == 1 }, 5*time.Second, time.Millisecond)
	s.Stop()
	s.Stop()
	require.ErrorIs(t, <-errc, ErrStopped)
	require.ErrorIs(t, s.WaitUntil(t.Context(), s.Now().Add(time.Hour)), ErrStopped)
}
