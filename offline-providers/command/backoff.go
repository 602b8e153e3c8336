package main

import "time"

// The waits between failed dials: a host that is still booting answers soon
// after its network is up, so start short; a host that is down for longer
// should not be hammered, so grow and cap.
const (
	firstDialWait  = 100 * time.Millisecond
	dialWaitFactor = 1.5
	maxDialWait    = 5 * time.Second
)

// backoff yields the wait before each retry: 100 ms, 150 ms, 225 ms, ... 5 s.
type backoff struct {
	next time.Duration
}

func (b *backoff) Next() time.Duration {
	if b.next == 0 {
		b.next = firstDialWait
	}
	wait := b.next
	b.next = min(time.Duration(float64(b.next)*dialWaitFactor), maxDialWait)
	return wait
}

// dialLimitReached says whether failed dials have used up dialErrorLimit.
// -1 (or any negative limit) means no limit: only the operation's timeout or
// a cancel ends the retries. 0 still allows the one dial that failed.
func dialLimitReached(failures, limit int) bool {
	if limit < 0 {
		return false
	}
	return failures >= max(limit, 1)
}
