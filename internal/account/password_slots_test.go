package account

import (
	"testing"
	"time"
)

// With every slot taken, a hash waits; it runs as soon as one is free.
func TestHashWaitsForASlot(t *testing.T) {
	n := cap(hashSlots)
	for range n {
		hashSlots <- struct{}{}
	}
	done := make(chan error, 1)
	go func() {
		_, err := HashPassword("a long enough password", PasswordParams{Memory: 64, Time: 1, Threads: 1})
		done <- err
	}()
	select {
	case <-done:
		t.Fatalf("a hash ran while all %d slots were taken", n)
	case <-time.After(200 * time.Millisecond):
	}
	<-hashSlots
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hash did not run once a slot was free")
	}
	for range n - 1 {
		<-hashSlots
	}
}
