package stamping

import (
	"testing"
	"time"
)

func TestWindowAt(t *testing.T) {
	t.Parallel()
	fecha := time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		age  time.Duration
		want Window
	}{
		{"fresh", time.Minute, WindowOK},
		{"just before warning", 48*time.Hour - time.Second, WindowOK},
		{"warning at 48h", 48 * time.Hour, WindowWarning},
		{"still stampable at 72h", 72 * time.Hour, WindowWarning},
		{"expired after 72h", 72*time.Hour + time.Second, WindowExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WindowAt(fecha, fecha.Add(tt.age)); got != tt.want {
				t.Errorf("WindowAt(age %v) = %v, want %v", tt.age, got, tt.want)
			}
		})
	}
	if got, want := Deadline(fecha), fecha.Add(72*time.Hour); !got.Equal(want) {
		t.Errorf("Deadline = %v, want %v", got, want)
	}
}

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	lo := Backoff{Base: time.Second, Max: time.Minute, Rand: func(int64) int64 { return 0 }}
	hi := Backoff{Base: time.Second, Max: time.Minute, Rand: func(n int64) int64 { return n - 1 }}
	tests := []struct {
		n      int
		lo, hi time.Duration
	}{
		{0, 500 * time.Millisecond, time.Second},
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{4, 4 * time.Second, 8 * time.Second},
		{7, 30 * time.Second, time.Minute}, // 64 s capped at 60 s
		{60, 30 * time.Second, time.Minute},
	}
	for _, tt := range tests {
		if got := lo.Delay(tt.n); got != tt.lo {
			t.Errorf("Delay(%d) low = %v, want %v", tt.n, got, tt.lo)
		}
		if got := hi.Delay(tt.n); got != tt.hi {
			t.Errorf("Delay(%d) high = %v, want %v", tt.n, got, tt.hi)
		}
	}
	// Default random source stays within bounds.
	b := Backoff{Base: 10 * time.Millisecond, Max: time.Second}
	for i := 0; i < 200; i++ {
		if d := b.Delay(3); d < 20*time.Millisecond || d > 40*time.Millisecond {
			t.Fatalf("Delay(3) = %v, want within [20ms, 40ms]", d)
		}
	}
}
