package webtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/account/institution"
	"github.com/dure-coop/dure/internal/kr"
)

// Inst is an active institution the helpers made, with its admin and an
// approved buyer (both sign in with Password).
type Inst struct {
	ID         int64
	Name       string
	IDNumber   string // ten digits
	Admin      string // the admin's e-mail
	AdminID    int64
	Buyer      string // an approved buyer's e-mail
	BuyerID    int64
	Department string
}

var instSeq atomic.Int64

// BusinessNumber returns a fresh valid 사업자등록번호 (ten digits, its
// checksum right).
func BusinessNumber() string {
	d9 := fmt.Sprintf("%09d", 300000000+instSeq.Add(1)*7919%600000000)
	return d9 + fmt.Sprint(kr.BusinessNumberCheckDigit(d9))
}

// RegisterInput is a valid registration of a fresh institution whose admin
// has a fresh address and Password.
func RegisterInput(name string) institution.RegisterInput {
	return institution.RegisterInput{Name: name, Kind: institution.Local, IDKind: institution.BusinessNumber,
		IDNumber: BusinessNumber(), Postcode: "41911", RoadAddress: "대구광역시 중구 공평로 88", Phone: "053-803-0114",
		Department: "회계과", UserName: "박관리", Email: Email("instadmin"), Password: Password, PasswordConfirm: Password}
}

// Institution registers an institution named name, approves it as an
// operator, and adds an approved buyer: what procurement tests start from.
func (e *Env) Institution(t testing.TB, name string) *Inst {
	t.Helper()
	ctx := context.Background()
	in := RegisterInput(name)
	inst, err := e.Institutions.Register(ctx, in)
	if err != nil {
		t.Fatalf("register institution: %v", err)
	}
	op := e.Operator(t)
	opActor, _, err := e.Accounts.SignIn(ctx, op, Password, "192.0.2.250")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Institutions.Approve(account.NewContext(ctx, opActor), inst.ID); err != nil {
		t.Fatalf("approve institution: %v", err)
	}
	buyer := Email("buyer")
	m, _, err := e.Institutions.Join(ctx, institution.JoinInput{IDNumber: inst.IDNumber, InstitutionName: name,
		Department: "총무과", UserName: "이구매", Email: buyer, Password: Password, PasswordConfirm: Password})
	if err != nil {
		t.Fatalf("join institution: %v", err)
	}
	admin, _, err := e.Accounts.SignIn(ctx, in.Email, Password, "192.0.2.251")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Institutions.ApproveMember(account.NewContext(ctx, admin), inst.ID, m.User.ID); err != nil {
		t.Fatalf("approve buyer: %v", err)
	}
	return &Inst{ID: inst.ID, Name: name, IDNumber: inst.IDNumber, Admin: in.Email, AdminID: admin.UserID,
		Buyer: buyer, BuyerID: m.User.ID, Department: "총무과"}
}
