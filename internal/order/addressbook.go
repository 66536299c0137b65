package order

import (
	"context"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/textin"
)

// MaxSavedAddresses is how many addresses a member may keep (migration
// 00029 enforces it too).
const MaxSavedAddresses = 10

// SavedAddress is one address of a member's address book (배송지): an
// Address without the memo, which belongs to one order, and a short label
// (집, 회사).
type SavedAddress struct {
	ID        int64
	UserID    int64
	Label     string
	Address   Address
	Default   bool
	CreatedAt time.Time
}

// AddressInput is a saved address as typed.
type AddressInput struct {
	Label   string
	Address Address
	// MakeDefault makes it the member's default address (the first one
	// saved is the default anyway).
	MakeDefault bool
}

// AddressStore keeps the address books, always scoped by the member.
type AddressStore interface {
	// FindAddresses returns userID's addresses, the default first, then
	// newest first.
	FindAddresses(ctx context.Context, userID int64) ([]*SavedAddress, error)
	// FindAddress returns userID's address id; apperr.NotFound when there
	// is none or it is another member's.
	FindAddress(ctx context.Context, userID, id int64) (*SavedAddress, error)
	// CreateAddress adds an address, the default when makeDefault or when
	// it is the member's first; apperr.Conflict when the member already
	// keeps MaxSavedAddresses.
	CreateAddress(ctx context.Context, userID int64, label string, a Address, makeDefault bool) (*SavedAddress, error)
	// UpdateAddress rewrites userID's address id (and makes it the default
	// when makeDefault); apperr.NotFound as FindAddress.
	UpdateAddress(ctx context.Context, userID, id int64, label string, a Address, makeDefault bool) error
	// DeleteAddress deletes userID's address id; when it was the default,
	// the newest remaining one becomes the default. apperr.NotFound as
	// FindAddress.
	DeleteAddress(ctx context.Context, userID, id int64) error
	// SetDefaultAddress makes userID's address id the default;
	// apperr.NotFound as FindAddress.
	SetDefaultAddress(ctx context.Context, userID, id int64) error
}

// AddressBook is the signed-in member's own address book. Every method acts
// for the member in ctx only (apperr.Unauthorized when anonymous,
// apperr.Forbidden for an actor without a user); another member's address
// is apperr.NotFound.
type AddressBook struct {
	Store AddressStore
}

var labelRule = textin.Rule{Label: "배송지 이름", Max: 20}

// normalize trims and checks in, reporting every wrong field at once
// (apperr.Invalid with Fields label, recipient, phone, postcode, road,
// detail).
func (in *AddressInput) normalize() error {
	in.Label = strings.TrimSpace(in.Label)
	in.Address.Memo = ""
	in.Address.Normalize()
	err := in.Address.Validate()
	msg := labelRule.Message(in.Label)
	if msg == "" {
		return err
	}
	ae, _ := err.(*apperr.Error)
	if ae == nil {
		ae = &apperr.Error{Code: apperr.Invalid, Message: "배송지 정보를 확인해 주세요.", Fields: map[string]string{}}
	}
	ae.Fields["label"] = msg
	return ae
}

// FindAddresses returns the member's addresses, the default first.
func (b *AddressBook) FindAddresses(ctx context.Context) ([]*SavedAddress, error) {
	uid, err := memberID(ctx)
	if err != nil {
		return nil, err
	}
	return b.Store.FindAddresses(ctx, uid)
}

// FindAddress returns one of the member's addresses.
func (b *AddressBook) FindAddress(ctx context.Context, id int64) (*SavedAddress, error) {
	uid, err := memberID(ctx)
	if err != nil {
		return nil, err
	}
	return b.Store.FindAddress(ctx, uid, id)
}

// CreateAddress saves an address: apperr.Invalid with Fields for wrong
// input, apperr.Conflict when the book is full.
func (b *AddressBook) CreateAddress(ctx context.Context, in AddressInput) (*SavedAddress, error) {
	uid, err := memberID(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.normalize(); err != nil {
		return nil, err
	}
	return b.Store.CreateAddress(ctx, uid, in.Label, in.Address, in.MakeDefault)
}

// UpdateAddress rewrites one of the member's addresses (errors as
// CreateAddress, and apperr.NotFound).
func (b *AddressBook) UpdateAddress(ctx context.Context, id int64, in AddressInput) error {
	uid, err := memberID(ctx)
	if err != nil {
		return err
	}
	if err := in.normalize(); err != nil {
		return err
	}
	return b.Store.UpdateAddress(ctx, uid, id, in.Label, in.Address, in.MakeDefault)
}

// DeleteAddress deletes one of the member's addresses.
func (b *AddressBook) DeleteAddress(ctx context.Context, id int64) error {
	uid, err := memberID(ctx)
	if err != nil {
		return err
	}
	return b.Store.DeleteAddress(ctx, uid, id)
}

// MakeDefault makes one of the member's addresses the default.
func (b *AddressBook) MakeDefault(ctx context.Context, id int64) error {
	uid, err := memberID(ctx)
	if err != nil {
		return err
	}
	return b.Store.SetDefaultAddress(ctx, uid, id)
}

// SaveFromCheckout keeps a checkout's delivery address in the member's book
// unless the same address (recipient, phone, postcode, road, detail) is
// there already. It reports whether it saved; a full book is
// apperr.Conflict.
func (b *AddressBook) SaveFromCheckout(ctx context.Context, a Address) (bool, error) {
	in := AddressInput{Address: a}
	if err := in.normalize(); err != nil {
		return false, err
	}
	have, err := b.FindAddresses(ctx)
	if err != nil {
		return false, err
	}
	for _, h := range have {
		if h.Address == in.Address {
			return false, nil
		}
	}
	if _, err := b.CreateAddress(ctx, in); err != nil {
		return false, err
	}
	return true, nil
}
