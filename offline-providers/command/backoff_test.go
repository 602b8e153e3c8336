package main

import (
	"testing"
	"time"
)

func TestBackoffGrowsAndCaps(t *testing.T) {
	const ms = time.Millisecond
	b := &backoff{}
	want := []time.Duration{100 * ms, 150 * ms, 225 * ms, 337500 * time.Microsecond}
	for i, w := range want {
		if got := b.Next(); got != w {
			t.Fatalf("wait %d: got %v, want %v", i, got, w)
		}
	}
	for range 20 {
		b.Next()
	}
	if got := b.Next(); got != maxDialWait {
		t.Fatalf("after many waits: got %v, want the cap %v", got, maxDialWait)
	}
}

func TestDialLimitReached(t *testing.T) {
	cases := []struct {
		failures, limit int
		want            bool
	}{
		{1, 10, false},
		{10, 10, true},
		{1, 1, true},
		{1, 0, true}, // 0 still makes one attempt
		{1000, -1, false},
	}
	for _, c := range cases {
		if got := dialLimitReached(c.failures, c.limit); got != c.want {
			t.Errorf("dialLimitReached(%d, %d) = %v, want %v", c.failures, c.limit, got, c.want)
		}
	}
}
