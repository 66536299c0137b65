package search_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/testutil"
)

// Each change to the synonym dictionary is audited in its transaction;
// a refused change leaves no record, a record that cannot be written
// leaves no change, and a push (no database change) is recorded once it
// worked.
func TestSynonymChangesAreAuditedWithThem(t *testing.T) {
	pool := testutil.NewDB(t)
	store := postgres.NewSynonymStore(pool)
	pushes, pushErr := 0, error(nil)
	push := func(context.Context) error { pushes++; return pushErr }
	admin := &search.Admin{Synonyms: store, Push: push, Audit: testutil.Auditor(t, pool)}
	op := account.NewContext(context.Background(), &account.Actor{UserID: 3, Role: account.Operator})

	if err := admin.AddSynonyms(op, []string{"칫솔", "Tooth  Brush"}); err != nil {
		t.Fatal(err)
	}
	if err := admin.AddSynonyms(op, []string{"칫솔"}); apperr.Code(err) != apperr.Invalid {
		t.Fatalf("one word = %v, want Invalid", err)
	}
	if err := admin.RemoveSynonym(op, "없는말"); apperr.Code(err) != apperr.NotFound {
		t.Fatalf("removing an unknown word = %v, want NotFound", err)
	}
	staff := account.NewContext(context.Background(), &account.Actor{UserID: 4, Role: account.EnterpriseStaff, EnterpriseID: 1})
	if err := admin.AddSynonyms(staff, []string{"a", "b"}); err == nil {
		t.Fatal("an enterprise's member changed the dictionary")
	}
	broken := &search.Admin{Synonyms: store, Push: push, Audit: testutil.BrokenAuditor{}}
	if err := broken.AddSynonyms(op, []string{"세제", "퐁퐁"}); err == nil {
		t.Error("AddSynonyms without its record succeeded")
	}
	if err := broken.RemoveSynonym(op, "칫솔"); err == nil {
		t.Error("RemoveSynonym without its record succeeded")
	}
	if err := admin.RemoveSynonym(op, "tooth brush"); err != nil {
		t.Fatal(err)
	}
	pushErr = errors.New("engine down")
	if err := admin.PushSynonyms(op); err == nil {
		t.Fatal("a failed push reported success")
	}
	pushErr = nil
	if err := admin.PushSynonyms(op); err != nil {
		t.Fatal(err)
	}

	list, err := store.FindSynonyms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dict := search.SynonymMap(list) // the starter dictionary (a migration's) and what the test left
	if dict["퐁퐁"] != nil || dict["칫솔"] != nil || dict["tooth brush"] != nil || strings.Join(dict["세제"], ",") != "세정제" {
		t.Errorf("퐁퐁 %v, 칫솔 %v, tooth brush %v, 세제 %v; want 퐁퐁 never added, 칫솔 removed with tooth brush",
			dict["퐁퐁"], dict["칫솔"], dict["tooth brush"], dict["세제"])
	}
	recs := testutil.AuditRecords(t, pool, "synonym", "")
	var got []string
	for _, r := range recs {
		got = append(got, r.Action+" "+r.EntityID)
		if r.ActorUserID != 3 || r.ActorRole != string(account.Operator) {
			t.Errorf("record %+v: not the operator's", r)
		}
	}
	want := []string{"synonym.add 칫솔, tooth brush", "synonym.remove tooth brush", "synonym.push "}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("records = %q, want %q", got, want)
	}
	if pushes != 4 {
		t.Errorf("%d pushes, want 4 (add, remove, the failed push, the push)", pushes)
	}
}
