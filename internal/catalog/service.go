package catalog

import (
	"context"
	"fmt"
	"strconv"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
)

// Auditor builds the audit record of a change to the catalogue, which the
// store writes in the transaction of the change (*account.Service is one):
// who made it comes from ctx. e.Action is one of the Action… constants,
// e.Entity "product", "enterprise" or "bundle", e.Before and e.After the
// entity as it was and is (nil for a creation or a deletion).
type Auditor interface {
	NewAuditRecord(ctx context.Context, e account.AuditEntry) (*account.AuditRecord, error)
}

// Actions recorded through the Auditor.
const (
	ActionProductCreate    = "product.create"
	ActionProductUpdate    = "product.update"
	ActionProductStock     = "product.stock"
	ActionProductStatus    = "product.status"
	ActionProductSoldOut   = "product.sold_out"
	ActionProductDelete    = "product.delete"
	ActionProductArchive   = "product.archive"
	ActionProductHide      = "product.hide"
	ActionProductUnhide    = "product.unhide"
	ActionProductApprove   = "product.approve"
	ActionProductUpload    = "product.upload" // a row of a CSV upload, created or updated
	ActionEnterpriseReview = "enterprise.review_products"
	ActionEnterpriseReturn = "enterprise.return_address"
)

// Audited entities.
const (
	EntityProduct    = "product"
	EntityEnterprise = "enterprise"
)

// ProductSort orders the product lists of the portal and the console.
type ProductSort string

// Product list orders.
const (
	SortNewest   ProductSort = ""          // newest first (the default)
	SortUpdated  ProductSort = "updated"   // last changed first
	SortName     ProductSort = "name"      // 가나다 order
	SortLowStock ProductSort = "low_stock" // lowest stock (of the product or any option) first: the stock screen
)

// ManagedProductFilter selects products for the portal's and the console's
// lists: products of any status, unlike ProductFilter.
type ManagedProductFilter struct {
	// EnterpriseID restricts the list to one enterprise; the portal's
	// finder sets it from the actor and ignores the caller's.
	EnterpriseID int64
	// Query matches part of the product's name or its 상품코드.
	Query string
	// EnterpriseQuery (console) matches part of the enterprise's name or its
	// 사업자등록번호.
	EnterpriseQuery string
	// Status is one product status; "" means every status but archived.
	Status string
	Sort   ProductSort
	Limit  int // default 50, at most 200
	Offset int
}

// ManagedEnterpriseFilter selects enterprises for the operator console's
// list: every status, unlike Store.FindEnterprises.
type ManagedEnterpriseFilter struct {
	// IDs restricts the list to these enterprises (names for the audit log).
	IDs []int64
	// Query matches part of the name, or the leading digits (three or more)
	// of the 사업자등록번호, with or without hyphens.
	Query  string
	Status string         // one status (EnterpriseActive, …, "rejected"); "" for all
	Type   EnterpriseType // "" for all
	Limit  int            // default 50, at most 200
	Offset int
}

// ProductUpdate is a full edit of a product in the portal: every field is
// replaced. Options with an ID keep their identity (orders refer to it);
// options with ID 0 are added and options left out are removed. A product
// with options has the sum of their stock, whatever Stock says.
type ProductUpdate struct {
	CategoryID    int64
	Kind          Kind
	Name          string
	Code          string
	Summary       string
	Description   string
	Unit          string
	TaxType       TaxType
	ConsumerPrice int64
	PublicPrice   int64
	ConsumerTiers []Tier
	PublicTiers   []Tier
	Stock         int
	Options       []Option
	Images        []Image
}

func (u ProductUpdate) apply(p *Product) {
	p.CategoryID, p.Kind, p.Name, p.Code = u.CategoryID, u.Kind, u.Name, u.Code
	p.Summary, p.Description, p.Unit, p.TaxType = u.Summary, u.Description, u.Unit, u.TaxType
	p.ConsumerPrice, p.PublicPrice, p.Stock = u.ConsumerPrice, u.PublicPrice, u.Stock
	p.ConsumerTiers = append([]Tier(nil), u.ConsumerTiers...)
	p.PublicTiers = append([]Tier(nil), u.PublicTiers...)
	p.Options = append([]Option(nil), u.Options...)
	p.Images = append([]Image(nil), u.Images...)
}

// StockUpdate sets the stock of a product without options (Stock), or of
// some options of a product with options (Options; the product's stock
// becomes their sum).
type StockUpdate struct {
	Stock   int
	Options []OptionStock
}

// OptionStock is the new stock of one option.
type OptionStock struct {
	ID    int64
	Stock int
}

// ProductChange is one product a batch write creates (Before is nil) or
// updates. Line is the row of the uploaded file it comes from.
type ProductChange struct {
	Line   int
	Before *Product
	After  *Product
}

// WriteStore is what the catalogue's writes need from the system of record.
// Every write runs in one transaction that also queues the changed products
// (or enterprise) for the search index, so a change reaches search within
// seconds and is never lost, and writes the audit record its audit
// (account.AuditFunc; nil for none) builds once the change is written: a
// change never lands without its record, and audit's error undoes it.
type WriteStore interface {
	// FindCategories returns every category (as Store.FindCategories).
	FindCategories(ctx context.Context) ([]*Category, error)
	// FindManagedEnterprise returns an enterprise in any status. NotFound.
	FindManagedEnterprise(ctx context.Context, id int64) (*Enterprise, error)
	// FindManagedProduct returns a product in any status with its
	// enterprise, category, options and images. enterpriseID > 0 restricts
	// it to that enterprise and leaves archived products out. NotFound.
	FindManagedProduct(ctx context.Context, id, enterpriseID int64) (*Product, error)
	// FindManagedProducts returns the products f selects, with their
	// enterprise, options and first image, and the total.
	FindManagedProducts(ctx context.Context, f ManagedProductFilter) ([]*Product, int, error)
	// FindManagedEnterprises returns the enterprises f selects, by name,
	// with the number of their products that are not archived
	// (ProductCount), and the total.
	FindManagedEnterprises(ctx context.Context, f ManagedEnterpriseFilter) ([]*Enterprise, int, error)
	// FindEnterpriseProducts returns every product of the enterprise but the
	// archived ones, with options and images, by id: what an upload is
	// compared with.
	FindEnterpriseProducts(ctx context.Context, enterpriseID int64) ([]*Product, error)
	// CreateProduct inserts p with its options and images and sets its ID,
	// ExternalID (generated when empty), option ids and timestamps.
	// audit gets (nil, p). Conflict (NameTakenError, CodeTakenError) when
	// the enterprise already has a product with its name or code; Invalid
	// (UnknownCategoryError) for a category that does not exist.
	CreateProduct(ctx context.Context, p *Product, audit account.AuditFunc[*Product]) error
	// UpdateProduct locks product id, calls fn with a copy (its Enterprise
	// filled) to change, and writes what differs (ProductChanges): the row,
	// the options by id (removing those left out, adding those with id 0)
	// and the images. fn's error aborts it. audit gets the product before
	// and after, only when something changed. It returns the product before
	// and after. NotFound, and CreateProduct's errors.
	UpdateProduct(ctx context.Context, id int64, fn func(p *Product) error,
		audit account.AuditFunc[*Product]) (before, after *Product, err error)
	// DeleteProduct locks product id and calls fn with it; then it deletes
	// the product, or, when an order line refers to it, archives it. audit
	// gets the product as it was and, archived, as it is (nil when
	// deleted). It returns the product as it was and whether it was
	// archived. NotFound.
	DeleteProduct(ctx context.Context, id int64, fn func(p *Product) error,
		audit account.AuditFunc[*Product]) (before *Product, archived bool, err error)
	// UpdateEnterprise locks enterprise id, calls fn with a copy to change,
	// and writes its ReviewProducts and Return (the status is onboarding's).
	// audit gets the enterprise before and after, only when one of them
	// changed. NotFound.
	UpdateEnterprise(ctx context.Context, id int64, fn func(e *Enterprise) error,
		audit account.AuditFunc[*Enterprise]) (before, after *Enterprise, err error)
	// ApplyProducts locks the enterprise and its products that are not
	// archived, calls plan with them (options and images filled) and writes
	// the changes it returns in order, all or nothing; it returns them with
	// After's ids set. audit gets each change's Before (nil for a new
	// product) and After. plan's error aborts it; a write that breaks a rule
	// of the database is returned as an *ImportError on the change's line.
	ApplyProducts(ctx context.Context, enterpriseID int64,
		plan func(e *Enterprise, current []*Product) ([]ProductChange, error),
		audit account.AuditFunc[*Product]) ([]ProductChange, error)
}

// Manager is the one way the catalogue is written by people: the
// enterprise portal, the operator console and the CSV upload all call it.
// Every method checks the actor in ctx itself (account.CanManageEnterprise
// for the portal, account.RequireOperator for the console), validates with
// the types' Validate, and has the store write the change's audit record
// with it.
type Manager struct {
	Store WriteStore
	// Auditor builds the record of every write (nil: none; tests only).
	Auditor Auditor
}

func errProductNotFound() error {
	return apperr.Errorf(apperr.NotFound, "상품을 찾을 수 없습니다.")
}

const msgHidden = "운영자가 숨긴 상품입니다. 다시 판매하려면 협동조합 운영자에게 문의해 주세요."

func errHiddenByOperator() error { return apperr.Errorf(apperr.Forbidden, "%s", msgHidden) }

// notFound answers not-found the same way for a product that is missing and
// one the actor may not see, so that its existence is not confirmed.
func notFound(err error) error {
	if apperr.Code(err) == apperr.NotFound {
		return errProductNotFound()
	}
	return err
}

// canManage is the portal's rule for a product: the actor manages its
// enterprise, and the product is not deleted (archived).
func canManage(ctx context.Context, p *Product) error {
	if p.Status == StatusArchived {
		return errProductNotFound()
	}
	return notFound(account.CanManageEnterprise(ctx, p.EnterpriseID))
}

// newRecord builds the audit record of action on entity id for a store to
// write with the change; none without an auditor.
func newRecord(ctx context.Context, a Auditor, action, entity string, id, enterpriseID int64, before, after any) (*account.AuditRecord, error) {
	if a == nil {
		return nil, nil
	}
	return a.NewAuditRecord(ctx, account.AuditEntry{EnterpriseID: enterpriseID, Action: action, Entity: entity,
		EntityID: strconv.FormatInt(id, 10), Before: before, After: after})
}

// auditProduct is the audit of action on a product: before is nil for a
// creation, after for a deletion.
func (s *Manager) auditProduct(ctx context.Context, action string) account.AuditFunc[*Product] {
	return func(before, after *Product) (*account.AuditRecord, error) {
		p := after
		if p == nil {
			p = before
		}
		return newRecord(ctx, s.Auditor, action, EntityProduct, p.ID, p.EnterpriseID, auditValue(before), auditValue(after))
	}
}

// CreateProduct adds a product of p.EnterpriseID, which the actor must
// manage. p.Status "" or StatusActive publishes it (pending review when the
// enterprise's products are reviewed), StatusDraft keeps it unpublished.
// Options without a code get one; with options, the stock is their sum. It
// fills p's ID, ExternalID and timestamps. Invalid with Fields, Conflict
// (Fields["name"] or ["code"]) for a name or code the enterprise already
// uses, and the account rules' errors.
func (s *Manager) CreateProduct(ctx context.Context, p *Product) error {
	if err := account.CanManageEnterprise(ctx, p.EnterpriseID); err != nil {
		return err
	}
	e, err := s.Store.FindManagedEnterprise(ctx, p.EnterpriseID)
	if err != nil {
		return err
	}
	switch p.Status {
	case "", StatusActive:
		p.Status = publishedStatus(e)
	case StatusDraft:
	default:
		return fieldError(apperr.Invalid, "status", "판매 상태는 판매중 또는 판매중지 중 하나여야 합니다.")
	}
	p.ID, p.ExternalID, p.Featured, p.Popularity = 0, "", false, 0
	for i := range p.Options {
		p.Options[i].ID = 0
	}
	p.Normalize()
	fillOptionCodes(p.Options)
	if len(p.Options) > 0 {
		p.Stock = sumStock(p.Options)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	p.Enterprise = e
	return s.Store.CreateProduct(ctx, p, s.auditProduct(ctx, ActionProductCreate))
}

// UpdateProduct replaces the editable fields of product id with upd (see
// ProductUpdate). An active product of an enterprise whose products are
// reviewed goes back to review when more than its stock changed. NotFound
// for a product the actor does not manage; CreateProduct's other errors.
func (s *Manager) UpdateProduct(ctx context.Context, id int64, upd ProductUpdate) (*Product, error) {
	if _, err := account.EnterpriseScope(ctx); err != nil {
		return nil, err
	}
	_, after, err := s.Store.UpdateProduct(ctx, id, func(p *Product) error {
		if err := canManage(ctx, p); err != nil {
			return err
		}
		own := map[int64]bool{}
		for _, o := range p.Options {
			own[o.ID] = true
		}
		for i, o := range upd.Options {
			if o.ID != 0 && !own[o.ID] {
				return fieldError(apperr.Invalid, fmt.Sprintf("options[%d].name", i), "없는 옵션입니다. 화면을 새로 고친 뒤 다시 시도해 주세요.")
			}
		}
		old := p.Clone()
		upd.apply(p)
		p.Normalize()
		fillOptionCodes(p.Options)
		if len(p.Options) > 0 {
			p.Stock = sumStock(p.Options)
		}
		if err := p.Validate(); err != nil {
			return err
		}
		p.Status = reviewedStatus(p.Enterprise, old, p)
		return nil
	}, s.auditProduct(ctx, ActionProductUpdate))
	if err != nil {
		return nil, notFound(err)
	}
	return after, nil
}

// SetStock sets the stock of product id (see StockUpdate). A stock below 0
// or above 1,000,000 is Invalid with a Korean message in Fields["stock"] or
// Fields["options[i].stock"] (i: the option's place in the product). NotFound
// for a product the actor does not manage.
func (s *Manager) SetStock(ctx context.Context, id int64, upd StockUpdate) (*Product, error) {
	if _, err := account.EnterpriseScope(ctx); err != nil {
		return nil, err
	}
	_, after, err := s.Store.UpdateProduct(ctx, id, func(p *Product) error {
		if err := canManage(ctx, p); err != nil {
			return err
		}
		if len(p.Options) == 0 {
			if len(upd.Options) > 0 {
				return fieldError(apperr.Invalid, "options", "옵션이 없는 상품입니다. 화면을 새로 고친 뒤 다시 시도해 주세요.")
			}
			p.Stock = upd.Stock
			return p.stockProblems().err()
		}
		if len(upd.Options) == 0 {
			return fieldError(apperr.Invalid, "stock", "옵션이 있는 상품은 옵션별로 재고를 입력해 주세요.")
		}
		at := map[int64]int{}
		for i, o := range p.Options {
			at[o.ID] = i
		}
		for _, o := range upd.Options {
			i, ok := at[o.ID]
			if !ok {
				return fieldError(apperr.Invalid, "options", "없는 옵션입니다. 화면을 새로 고친 뒤 다시 시도해 주세요.")
			}
			p.Options[i].Stock = o.Stock
		}
		p.Stock = sumStock(p.Options)
		return p.stockProblems().err()
	}, s.auditProduct(ctx, ActionProductStock))
	if err != nil {
		return nil, notFound(err)
	}
	return after, nil
}

// MarkSoldOut sets the stock of product id and of all its options to 0.
// NotFound for a product the actor does not manage.
func (s *Manager) MarkSoldOut(ctx context.Context, id int64) (*Product, error) {
	if _, err := account.EnterpriseScope(ctx); err != nil {
		return nil, err
	}
	_, after, err := s.Store.UpdateProduct(ctx, id, func(p *Product) error {
		if err := canManage(ctx, p); err != nil {
			return err
		}
		p.Stock = 0
		for i := range p.Options {
			p.Options[i].Stock = 0
		}
		return nil
	}, s.auditProduct(ctx, ActionProductSoldOut))
	if err != nil {
		return nil, notFound(err)
	}
	return after, nil
}

// SetStatus publishes (StatusActive) or unpublishes (StatusDraft) product
// id. Publishing makes it pending review when its enterprise's products are
// reviewed, and leaves a product already pending as it is. Forbidden for a
// product an operator hid; Invalid (Fields["status"]) for another status;
// NotFound for a product the actor does not manage.
func (s *Manager) SetStatus(ctx context.Context, id int64, status string) (*Product, error) {
	if _, err := account.EnterpriseScope(ctx); err != nil {
		return nil, err
	}
	if status != StatusActive && status != StatusDraft {
		return nil, fieldError(apperr.Invalid, "status", "판매 상태는 판매중 또는 판매중지 중 하나여야 합니다.")
	}
	_, after, err := s.Store.UpdateProduct(ctx, id, func(p *Product) error {
		if err := canManage(ctx, p); err != nil {
			return err
		}
		switch {
		case p.Status == StatusHidden:
			return errHiddenByOperator()
		case status == StatusDraft:
			p.Status = StatusDraft
		case p.Status == StatusDraft:
			p.Status = publishedStatus(p.Enterprise)
		}
		return nil
	}, s.auditProduct(ctx, ActionProductStatus))
	if err != nil {
		return nil, notFound(err)
	}
	return after, nil
}

// DeleteProduct deletes product id, or archives it when it was ever
// ordered (order lines keep referring to it); either way it leaves the
// portal, the shop and search. It reports whether it archived. NotFound for
// a product the actor does not manage (or already deleted).
func (s *Manager) DeleteProduct(ctx context.Context, id int64) (archived bool, err error) {
	if _, err := account.EnterpriseScope(ctx); err != nil {
		return false, err
	}
	_, archived, err = s.Store.DeleteProduct(ctx, id, func(p *Product) error { return canManage(ctx, p) },
		func(before, after *Product) (*account.AuditRecord, error) {
			if after != nil {
				return s.auditProduct(ctx, ActionProductArchive)(before, after)
			}
			return s.auditProduct(ctx, ActionProductDelete)(before, nil)
		})
	if err != nil {
		return false, notFound(err)
	}
	return archived, nil
}

// FindPortalProduct returns product id in any status but archived, with its
// options and images, if the actor manages its enterprise; NotFound
// otherwise (another enterprise's product is not found, not forbidden).
func (s *Manager) FindPortalProduct(ctx context.Context, id int64) (*Product, error) {
	own, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.FindManagedProduct(ctx, id, own)
	if err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// FindPortalProducts lists the products of the actor's enterprise (any
// status but archived, or f.Status) with their options, and the total.
// f.EnterpriseID and f.EnterpriseQuery are ignored.
func (s *Manager) FindPortalProducts(ctx context.Context, f ManagedProductFilter) ([]*Product, int, error) {
	own, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	if f.Status == StatusArchived {
		return []*Product{}, 0, nil
	}
	f.EnterpriseID, f.EnterpriseQuery = own, ""
	return s.Store.FindManagedProducts(ctx, f)
}

// FindAllProducts lists products of every enterprise for the operator
// console: by name or 상품코드 (f.Query), enterprise name or
// 사업자등록번호 (f.EnterpriseQuery), enterprise and status.
func (s *Manager) FindAllProducts(ctx context.Context, f ManagedProductFilter) ([]*Product, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	return s.Store.FindManagedProducts(ctx, f)
}

// FindAllEnterprises lists enterprises of every status for the operator
// console: by name or 사업자등록번호 (f.Query), status and type.
func (s *Manager) FindAllEnterprises(ctx context.Context, f ManagedEnterpriseFilter) ([]*Enterprise, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	return s.Store.FindManagedEnterprises(ctx, f)
}

// operatorSetStatus changes the status of product id for an operator: to
// is the new status, from the statuses it may have now (others: Conflict
// with msg).
func (s *Manager) operatorSetStatus(ctx context.Context, id int64, action, to string, from []string, msg string) (*Product, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	_, after, err := s.Store.UpdateProduct(ctx, id, func(p *Product) error {
		for _, st := range from {
			if p.Status == st {
				p.Status = to
				return nil
			}
		}
		return apperr.Errorf(apperr.Conflict, "%s", msg)
	}, s.auditProduct(ctx, action))
	if err != nil {
		return nil, err
	}
	return after, nil
}

// HideProduct hides product id from the shop and search (operator only);
// its enterprise cannot publish it again until UnhideProduct. Conflict for
// an archived product.
func (s *Manager) HideProduct(ctx context.Context, id int64) (*Product, error) {
	return s.operatorSetStatus(ctx, id, ActionProductHide, StatusHidden,
		[]string{StatusActive, StatusDraft, StatusPendingReview, StatusHidden}, "삭제된 상품은 숨길 수 없습니다.")
}

// UnhideProduct shows a hidden product again (operator only). Conflict when
// it is not hidden.
func (s *Manager) UnhideProduct(ctx context.Context, id int64) (*Product, error) {
	return s.operatorSetStatus(ctx, id, ActionProductUnhide, StatusActive, []string{StatusHidden}, "숨긴 상품이 아닙니다.")
}

// ApproveProduct publishes a product pending review (operator only).
// Conflict when it is not pending review.
func (s *Manager) ApproveProduct(ctx context.Context, id int64) (*Product, error) {
	return s.operatorSetStatus(ctx, id, ActionProductApprove, StatusActive, []string{StatusPendingReview}, "검토 대기 중인 상품이 아닙니다.")
}

// SetReturnAddress sets the actor's enterprise's return address (반품
// 주소; its members and operators acting for it); a zero r clears it, so
// returns go to the place of business again. Invalid with Fields keyed
// return_postcode, return_road, return_detail, return_phone; the account
// rules' errors. Audited when it changed.
func (s *Manager) SetReturnAddress(ctx context.Context, r ReturnAddress) (*Enterprise, error) {
	own, err := account.EnterpriseScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := account.CanManageEnterprise(ctx, own); err != nil {
		return nil, err
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	_, after, err := s.Store.UpdateEnterprise(ctx, own, func(e *Enterprise) error {
		e.Return = r
		return nil
	}, func(before, after *Enterprise) (*account.AuditRecord, error) {
		if before.Return == after.Return {
			return nil, nil
		}
		return newRecord(ctx, s.Auditor, ActionEnterpriseReturn, EntityEnterprise, own, own, before.Return, after.Return)
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}

// SetProductReview says whether an operator reviews enterprise id's
// products before they are shown (operator only). Products already active
// stay active.
func (s *Manager) SetProductReview(ctx context.Context, id int64, review bool) (*Enterprise, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	_, after, err := s.Store.UpdateEnterprise(ctx, id, func(e *Enterprise) error {
		e.ReviewProducts = review
		return nil
	}, func(before, after *Enterprise) (*account.AuditRecord, error) {
		if before.ReviewProducts == after.ReviewProducts {
			return nil, nil
		}
		return newRecord(ctx, s.Auditor, ActionEnterpriseReview, EntityEnterprise, id, id, before, after)
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}
