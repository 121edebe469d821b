package delivery_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/delivery"
)

// delays lists the wait before every retry the policy allows, drawing r for jitter.
func delays(p delivery.RetryPolicy, r float64) []time.Duration {
	var out []time.Duration
	for a := 1; a < p.MaxAttempts; a++ {
		out = append(out, p.Delay(a, r))
	}
	return out
}

func secs(ns ...float64) []time.Duration {
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n * float64(time.Second))
	}
	return out
}

func TestBackoffFunctions(t *testing.T) {
	t.Parallel()
	s := time.Second
	cases := []struct {
		name string
		p    delivery.RetryPolicy
		want []time.Duration
	}{
		{"linear", delivery.RetryPolicy{Backoff: "linear", MaxAttempts: 11, BaseDelay: s, MaxDelay: 10 * s}, secs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)},
		{"linear flat (SNS HTTP default)", delivery.RetryPolicy{Backoff: "linear", MaxAttempts: 4, BaseDelay: 20 * s, MaxDelay: 20 * s}, secs(20, 20, 20)},
		{"arithmetic", delivery.RetryPolicy{Backoff: "arithmetic", MaxAttempts: 6, BaseDelay: s, MaxDelay: 17 * s}, secs(1, 2, 5, 10, 17)},
		{"geometric", delivery.RetryPolicy{Backoff: "geometric", MaxAttempts: 6, BaseDelay: s, MaxDelay: 16 * s}, secs(1, 2, 4, 8, 16)},
		{"exponential", delivery.RetryPolicy{Backoff: "exponential", MaxAttempts: 8, BaseDelay: s, MaxDelay: 20 * s}, secs(1, 2, 4, 8, 16, 20, 20)},
		{"one backoff retry is the maximum", delivery.RetryPolicy{Backoff: "linear", MaxAttempts: 2, BaseDelay: s, MaxDelay: 9 * s}, secs(9)},
		{
			"phases",
			delivery.RetryPolicy{
				Backoff: "linear", MaxAttempts: 10, BaseDelay: 2 * s, MaxDelay: 8 * s,
				NoDelayRetries: 2, MinDelayRetries: 1, MaxDelayRetries: 2,
			},
			secs(0, 0, 2, 2, 4, 6, 8, 8, 8),
		},
		{
			"phases longer than numRetries",
			delivery.RetryPolicy{
				Backoff: "geometric", MaxAttempts: 4, BaseDelay: s, MaxDelay: 5 * s, NoDelayRetries: 2, MinDelayRetries: 5,
			},
			secs(0, 0, 1),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.want, delays(c.p, 0.99))
		})
	}
}

func TestAWSManagedPolicyPhases(t *testing.T) {
	t.Parallel()
	// SNS to SQS and Lambda: 3 immediate, 2 at 1 s, 10 exponential 1 to 20 s, 100,000 at 20 s.
	p := delivery.RetryPolicy{
		Backoff: "exponential", MaxAttempts: 100016, BaseDelay: time.Second, MaxDelay: 20 * time.Second,
		NoDelayRetries: 3, MinDelayRetries: 2, MaxDelayRetries: 100000,
	}
	got := make([]time.Duration, 20)
	for i := range got {
		got[i] = p.Delay(i+1, 0)
	}
	require.Equal(t, secs(0, 0, 0, 1, 1, 1, 2, 4, 8, 16, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20), got)
	require.Equal(t, 20*time.Second, p.Delay(100015, 0))
}

func TestBackoffJitter(t *testing.T) {
	t.Parallel()
	p := delivery.RetryPolicy{Backoff: "linear", MaxAttempts: 4, BaseDelay: 20 * time.Second, MaxDelay: 20 * time.Second}
	require.Equal(t, 20*time.Second, p.Delay(1, 0.5), "no jitter unless asked")
	p.Jitter = true
	require.Equal(t, 20*time.Second, p.Delay(1, 0))
	require.Equal(t, 19*time.Second, p.Delay(1, 0.5), "jitter shortens by up to 10%")

	// The zero Backoff (EventBridge): exponential with full jitter.
	e := delivery.RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: 5 * time.Second}
	require.Equal(t, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2500 * time.Millisecond, 2500 * time.Millisecond},
		[]time.Duration{e.Delay(1, 0.5), e.Delay(2, 0.5), e.Delay(3, 0.5), e.Delay(4, 0.5), e.Delay(5, 0.5)})
	require.Zero(t, e.Delay(7, 0))
}
