package domain

import (
	"math/rand/v2"
	"time"
)

// Backoff is an exponential backoff with full jitter in its upper half:
// attempt n (1-based) waits a random time in [d/2, d] with
// d = min(Base·2^(n-1), Max).
type Backoff struct {
	Base, Max time.Duration
	// Rand returns a uniform value in [0, n); nil means math/rand/v2.
	Rand func(n int64) int64
}

// Delay returns the wait before the attempt after the n-th failed one.
func (b Backoff) Delay(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := b.Base
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max {
		d = b.Max
	}
	if d <= 1 {
		return d
	}
	r := b.Rand
	if r == nil {
		r = rand.Int64N
	}
	half := int64(d / 2)
	return time.Duration(half + r(int64(d)-half+1))
}
