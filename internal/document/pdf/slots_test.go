package pdf

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// With every slot taken a download waits, and it is drawn as soon as one
// is free; a refused document gives its slot back.
func TestRendererSlots(t *testing.T) {
	r, err := New(os.Getenv("DURE_FONT_DIR"))
	if err != nil {
		t.Fatalf("%v\nrun scripts/docs-deps (make test does)", err)
	}
	for range Slots {
		r.slots <- struct{}{}
	}
	done := make(chan []byte, 1)
	go func() {
		b, err := r.Sheet("정산서", "", time.Now(), []Section{{Title: "합계", Header: []string{"항목", "금액"}, Rows: [][]string{{"물품", "12,000원"}}}})
		if err != nil {
			t.Error(err)
		}
		done <- b
	}()
	select {
	case <-done:
		t.Fatalf("a document was drawn while all %d slots were taken", Slots)
	case <-time.After(200 * time.Millisecond):
	}
	<-r.slots
	select {
	case b := <-done:
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %.20q", b)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the document was not drawn once a slot was free")
	}
	for range Slots - 1 {
		<-r.slots
	}
	if len(r.slots) != 0 {
		t.Fatalf("%d slots still taken after the documents were written", len(r.slots))
	}
}
