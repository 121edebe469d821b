package delivery

import (
	"cmp"
	"math"
	"time"
)

// Backoff functions of SNS delivery policies. Each runs the backoff phase's
// delays from BaseDelay (first retry of the phase) to MaxDelay (last one).
// AWS publishes the four only as a graph; fogbank's curves are:
const (
	BackoffLinear      = "linear"      // evenly spaced steps
	BackoffArithmetic  = "arithmetic"  // steps growing by a constant amount (quadratic)
	BackoffGeometric   = "geometric"   // each delay a constant multiple of the previous
	BackoffExponential = "exponential" // doubling from BaseDelay, capped at MaxDelay
)

// Delay is the wait before the retry that follows attempt number attempts
// (1-based). r in [0, 1) is the jitter draw.
//
// The zero Backoff is exponential with full jitter: uniform in
// [0, min(MaxDelay, BaseDelay*BackoffFactor^(attempts-1))].
//
// A named Backoff follows SNS's four phases: NoDelayRetries immediate
// retries, MinDelayRetries retries BaseDelay apart, the backoff phase (the
// retries left of MaxAttempts-1) along the function, then MaxDelayRetries
// retries MaxDelay apart. Jitter shortens a delay by up to 10%.
func (p RetryPolicy) Delay(attempts int, r float64) time.Duration {
	if p.Backoff == "" {
		return time.Duration(r * float64(p.ceiling(attempts)))
	}
	d := p.phaseDelay(attempts)
	if p.Jitter {
		d -= time.Duration(r * float64(d) / 10)
	}
	return d
}

// ceiling is the zero Backoff's bound before jitter.
func (p RetryPolicy) ceiling(attempts int) time.Duration {
	base := cmp.Or(p.BaseDelay, time.Second)
	maxDelay := cmp.Or(p.MaxDelay, 5*time.Minute)
	f := p.BackoffFactor
	if f <= 1 {
		f = 2
	}
	c := float64(base)
	for i := 1; i < attempts && c < float64(maxDelay); i++ {
		c *= f
	}
	return time.Duration(min(c, float64(maxDelay)))
}

// phaseDelay is a named Backoff's delay before retry number retry.
func (p RetryPolicy) phaseDelay(retry int) time.Duration {
	minD, maxD := p.BaseDelay, max(p.MaxDelay, p.BaseDelay)
	backoffRetries := max(p.MaxAttempts-1-p.NoDelayRetries-p.MinDelayRetries-p.MaxDelayRetries, 0)
	switch {
	case retry <= p.NoDelayRetries:
		return 0
	case retry <= p.NoDelayRetries+p.MinDelayRetries:
		return minD
	case retry > p.NoDelayRetries+p.MinDelayRetries+backoffRetries:
		return maxD
	}
	i := retry - p.NoDelayRetries - p.MinDelayRetries // 1..backoffRetries
	t := 1.0
	if backoffRetries > 1 {
		t = float64(i-1) / float64(backoffRetries-1)
	}
	lo, hi := float64(minD), float64(maxD)
	var d float64
	switch p.Backoff {
	case BackoffArithmetic:
		d = lo + (hi-lo)*t*t
	case BackoffGeometric:
		if lo <= 0 {
			d = hi * t
		} else {
			d = lo * math.Pow(hi/lo, t)
		}
	case BackoffExponential:
		d = min(lo*math.Pow(2, float64(i-1)), hi)
	default: // BackoffLinear
		d = lo + (hi-lo)*t
	}
	return time.Duration(math.Round(d/float64(time.Millisecond))) * time.Millisecond
}
