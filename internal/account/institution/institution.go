// Package institution is how a public institution (공공기관) comes to buy on
// Dure: a procurement officer registers the institution and becomes its
// admin, the operator approves (or rejects, suspends, reinstates) it,
// colleagues join it and the admin approves each, and the admin may hand
// the role over. It mirrors package onboarding (the enterprises' way in);
// the rules that later procurement code calls (account.InstitutionScope,
// account.RequireInstitutionBuyer, account.CanManageInstitution) live in
// package account, with the actor.
package institution

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/mail"
	"github.com/dure-coop/dure/internal/textin"
)

// Kind is an institution's type (기관 유형), a closed set.
type Kind string

// Kinds, in the forms' order.
const (
	Central    Kind = "central"     // 중앙행정기관
	Local      Kind = "local"       // 지방자치단체
	Education  Kind = "education"   // 교육청·학교
	PublicCorp Kind = "public_corp" // 공기업·준정부기관
	Other      Kind = "other"       // 기타공공기관
)

// Kinds are the institution types in the forms' order.
var Kinds = []Kind{Central, Local, Education, PublicCorp, Other}

var kindLabels = map[Kind]string{
	Central: "중앙행정기관", Local: "지방자치단체", Education: "교육청·학교", PublicCorp: "공기업·준정부기관", Other: "기타공공기관",
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := kindLabels[k]; return ok }

// Label is the Korean name of the kind.
func (k Kind) Label() string { return kindLabels[k] }

// IDKind says which number identifies the institution.
type IDKind string

// ID kinds: a 사업자등록번호 (with its checksum) or, for bodies without one
// (most central and local government), the 고유번호 the tax office gives.
const (
	BusinessNumber IDKind = "business" // 사업자등록번호
	UniqueNumber   IDKind = "unique"   // 고유번호
)

// Label is the Korean name of the number.
func (k IDKind) Label() string {
	if k == UniqueNumber {
		return "고유번호"
	}
	return "사업자등록번호"
}

// Institution is a public institution and where its registration stands.
type Institution struct {
	ID              int64
	Name            string // 기관명
	Kind            Kind
	IDKind          IDKind
	IDNumber        string // ten digits, no hyphens
	Postcode        string // 우편번호, five digits
	RoadAddress     string // 도로명주소
	DetailAddress   string // 상세주소
	Phone           string
	Status          string // account.InstitutionPending, …Active, …Rejected, …Suspended
	RejectionReason string
	// DirectContractLimit is the institution's limit (원) for a direct
	// contract (수의계약) with one enterprise; 0 means the co-op's default.
	DirectContractLimit int64
	AppliedAt           time.Time
	ReviewedAt          *time.Time
	ReviewedBy          int64
	CreatedAt           time.Time
	UpdatedAt           time.Time

	// Filled by the finders: the admin (nil if none) and how many members
	// are approved and waiting.
	Admin          *account.User
	ActiveMembers  int
	PendingMembers int
}

// FormattedID is the number as people write it: 123-45-67890.
func (i *Institution) FormattedID() string { return kr.FormatBusinessNumber(i.IDNumber) }

// Member is a buyer of an institution.
type Member struct {
	User          *account.User
	InstitutionID int64
	Role          account.InstitutionRole
	Status        string // account.InstitutionMemberPending or …Active
	Department    string // 담당 부서
	ApprovedAt    *time.Time
	CreatedAt     time.Time
}

// RegisterInput is the registration form. Service.Register's field errors
// use these form names: name, kind, id_kind, id_number, postcode,
// road_address, detail_address, phone, department, user_name, email,
// user_phone, password, password_confirm.
type RegisterInput struct {
	Name          string
	Kind          Kind
	IDKind        IDKind
	IDNumber      string // with or without hyphens
	Postcode      string
	RoadAddress   string
	DetailAddress string
	Phone         string // the institution's (대표 전화)
	Department    string // the registering officer's 담당 부서

	UserName        string
	Email           string
	UserPhone       string // the officer's, optional
	Password        string
	PasswordConfirm string
}

// JoinInput is a colleague's form to join an existing institution. Field
// errors: id_number, institution_name, department, user_name, email,
// user_phone, password, password_confirm.
type JoinInput struct {
	IDNumber        string
	InstitutionName string // confirms the number
	Department      string
	UserName        string
	Email           string
	UserPhone       string
	Password        string
	PasswordConfirm string
}

// Filter selects institutions for the operator.
type Filter struct {
	Status string // "" for all
	Query  string // a part of the name, or the number's digits
	Limit  int    // default 50, at most 500
	Offset int
}

// StatusChange moves an institution from one of From to To.
type StatusChange struct {
	InstitutionID int64
	From          []string
	To            string
	At            time.Time
	// Review marks the registration's review: ReviewedAt/By and the
	// rejection reason (empty unless rejected) are written.
	Review     bool
	ReviewedBy int64
	Reason     string
}

// Actions recorded in the audit log.
const (
	ActionRegister  = "institution.register"
	ActionApprove   = "institution.approve"
	ActionReject    = "institution.reject"
	ActionSuspend   = "institution.suspend"
	ActionReinstate = "institution.reinstate"
	ActionLimit     = "institution.direct_contract_limit"
	ActionJoin      = "institution_member.join"
	ActionAccept    = "institution_member.approve"
	ActionDecline   = "institution_member.decline"
	ActionRemove    = "institution_member.remove"
	ActionHandOver  = "institution_member.admin"
)

// Store is what the institution service needs from the system of record.
type Store interface {
	// CreateInstitution inserts inst as pending (ID, timestamps set) with
	// admin (a new user, ID set) as its active admin in department, in one
	// transaction. Conflict with Fields naming the duplicate: "id_number"
	// or "email".
	CreateInstitution(ctx context.Context, inst *Institution, admin *account.User, passwordHash, department string, audit *account.AuditRecord) error
	// FindInstitutionByID returns institution id with its admin and member
	// counts. NotFound if missing.
	FindInstitutionByID(ctx context.Context, id int64) (*Institution, error)
	// FindInstitutionByNumber returns the institution with that ten-digit
	// number. NotFound if none.
	FindInstitutionByNumber(ctx context.Context, number string) (*Institution, error)
	// FindInstitutions returns institutions matching f, newest registration
	// first, and their total.
	FindInstitutions(ctx context.Context, f Filter) ([]*Institution, int, error)
	// CreateInstitutionMember inserts u (a new user, ID set) as a pending
	// buyer of institution in department, with audit, in one transaction.
	// Conflict with Fields["email"] when the address is taken; NotFound when
	// the institution is missing.
	CreateInstitutionMember(ctx context.Context, u *account.User, passwordHash string, institutionID int64, department string, audit *account.AuditRecord) error
	// FindInstitutionMembers returns the institution's members: the admin
	// first, then pending ones, then by name.
	FindInstitutionMembers(ctx context.Context, institutionID int64) ([]*Member, error)
	// ApproveInstitutionMember makes pending member userID of institution
	// active, approved by at, with audit. NotFound when userID is not a
	// pending member of that institution.
	ApproveInstitutionMember(ctx context.Context, institutionID, userID, by int64, at time.Time, audit *account.AuditRecord) error
	// RemoveInstitutionMember ends userID's membership of institution and
	// disables the user, with audit, in one transaction. NotFound when the
	// user is not its member; Conflict when they are its admin.
	RemoveInstitutionMember(ctx context.Context, institutionID, userID int64, at time.Time, audit *account.AuditRecord) error
	// HandOverInstitutionAdmin makes active buyer to the institution's admin
	// and its admin from a buyer, with audit, in one transaction that locks
	// the institution. NotFound when to is not an active buyer of it;
	// Conflict when from is no longer its admin.
	HandOverInstitutionAdmin(ctx context.Context, institutionID, from, to int64, audit *account.AuditRecord) error
	// ChangeInstitutionStatus applies c with audit in one transaction.
	// NotFound if missing; Conflict when its status is not one of c.From.
	ChangeInstitutionStatus(ctx context.Context, c StatusChange, audit *account.AuditRecord) error
	// SetDirectContractLimit sets the institution's limit (0: the default),
	// with audit. NotFound if missing.
	SetDirectContractLimit(ctx context.Context, institutionID, limit int64, at time.Time, audit *account.AuditRecord) error
}

// Service is the institutions domain.
type Service struct {
	store    Store
	accounts *account.Service
	mailer   mail.Mailer
	log      *slog.Logger
}

// NewService returns the institution service; accounts hashes passwords,
// mails address confirmations and builds audit records. A nil log is
// slog.Default().
func NewService(store Store, accounts *account.Service, mailer mail.Mailer, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, accounts: accounts, mailer: mailer, log: log}
}

// MaxDirectContractLimit bounds the operator's setting (1조원): a larger
// figure is a typing mistake.
const MaxDirectContractLimit int64 = 1_000_000_000_000

// text trims s, adds its problem under textin's rule to f, and returns it.
func text(f apperr.Fields, key, s string, r textin.Rule) string {
	s = strings.TrimSpace(s)
	f.Add(key, r.Message(s))
	return s
}

// digits strips hyphens and spaces.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkNumber validates a 사업자등록번호 (checksum) or 고유번호 (ten digits).
func checkNumber(f apperr.Fields, key string, kind IDKind, raw string) string {
	d := digits(raw)
	switch {
	case d == "":
		f.Add(key, kind.Label()+"를 입력해 주세요.")
	case !allDigits(d, 10):
		f.Add(key, kind.Label()+"는 숫자 10자리입니다. 예: 123-45-67890")
	case kind == BusinessNumber:
		if _, ok := kr.NormalizeBusinessNumber(d); !ok {
			f.Add(key, "사업자등록번호가 올바르지 않습니다(검증 숫자가 맞지 않습니다). 사업자등록증의 번호를 확인하거나, 고유번호라면 번호 종류를 고유번호로 골라 주세요.")
		}
	}
	return d
}

// checkUser validates the officer's own account fields into u.
func checkUser(f apperr.Fields, u *account.User, name, email, phone, password, confirm string) {
	u.Name = text(f, "user_name", name, textin.Rule{Label: "담당자 이름", Required: true, Max: 50})
	if strings.TrimSpace(email) == "" {
		f.Add("email", "로그인할 이메일 주소를 입력해 주세요.")
	} else if addr, ok := account.NormalizeEmail(email); !ok {
		f.Add("email", "이메일 주소 형식이 올바르지 않습니다.")
	} else {
		u.Email = addr
	}
	if p := strings.TrimSpace(phone); p != "" {
		if !kr.ValidPhone(p) {
			f.Add("user_phone", "전화번호 형식이 올바르지 않습니다. 예: 053-123-4567")
		} else {
			u.Phone = kr.Phone(p)
		}
	}
	f.Add("password", account.CheckPassword(password, u.Email))
	if f["password"] == "" && password != confirm {
		f.Add("password_confirm", "비밀번호가 서로 다릅니다. 다시 입력해 주세요.")
	}
}

var departmentRule = textin.Rule{Label: "담당 부서", Required: true, Max: 100}

// validate checks a registration.
func validate(in RegisterInput) (*Institution, *account.User, string, error) {
	f := apperr.Fields{}
	inst := &Institution{Status: account.InstitutionPending}
	inst.Name = text(f, "name", in.Name, textin.Rule{Label: "기관명", Required: true, Max: 100})
	if inst.Kind = in.Kind; !inst.Kind.Valid() {
		f.Add("kind", "기관 유형을 골라 주세요.")
	}
	switch inst.IDKind = in.IDKind; inst.IDKind {
	case BusinessNumber, UniqueNumber:
		inst.IDNumber = checkNumber(f, "id_number", inst.IDKind, in.IDNumber)
	default:
		f.Add("id_kind", "사업자등록번호인지 고유번호인지 골라 주세요.")
	}
	if p := digits(in.Postcode); p == "" {
		f.Add("postcode", "우편번호를 입력해 주세요.")
	} else if !allDigits(p, 5) {
		f.Add("postcode", "우편번호는 숫자 5자리입니다. 예: 41911")
	} else {
		inst.Postcode = p
	}
	inst.RoadAddress = text(f, "road_address", in.RoadAddress, textin.Rule{Label: "도로명주소", Required: true, Max: 200})
	inst.DetailAddress = text(f, "detail_address", in.DetailAddress, textin.Rule{Label: "상세주소", Max: 100})
	if p := strings.TrimSpace(in.Phone); p == "" {
		f.Add("phone", "기관 대표 전화번호를 입력해 주세요.")
	} else if !kr.ValidPhone(p) {
		f.Add("phone", "전화번호 형식이 올바르지 않습니다. 예: 053-123-4567")
	} else {
		inst.Phone = kr.Phone(p)
	}
	dept := text(f, "department", in.Department, departmentRule)
	u := &account.User{Role: account.InstitutionUser, Status: account.UserActive}
	checkUser(f, u, in.UserName, in.Email, in.UserPhone, in.Password, in.PasswordConfirm)
	if err := f.Err(); err != nil {
		return nil, nil, "", err
	}
	return inst, u, dept, nil
}

// Register records an institution's registration: the pending institution,
// its first officer's account (role institution) as its admin, in one
// transaction, then mails the officer a link to confirm their address.
// Anyone may register (no actor). Invalid with Fields for every wrong field
// (RegisterInput's form names); Conflict with Fields["id_number"] when the
// number is already registered or Fields["email"] when the address has an
// account. The officer is not signed in: call account's SignIn.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*Institution, error) {
	inst, u, dept, err := validate(in)
	if err != nil {
		return nil, err
	}
	hash, err := s.accounts.HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{Action: ActionRegister, Entity: "institution",
		After: map[string]any{"name": inst.Name, "kind": inst.Kind, "id_kind": inst.IDKind, "id_number": inst.IDNumber,
			"admin_email": u.Email, "department": dept}})
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateInstitution(ctx, inst, u, hash, dept, rec); err != nil {
		return nil, conflictFields(err)
	}
	inst.Admin = u
	if err := s.accounts.SendEmailConfirmation(ctx, u); err != nil {
		s.log.ErrorContext(ctx, "institution: confirmation mail", "user_id", u.ID, "err", err)
	}
	return inst, nil
}

// conflictFields gives the store's duplicate-field Conflict the form's
// Korean messages.
func conflictFields(err error) error {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Conflict {
		return err
	}
	f := apperr.Fields{}
	if _, ok := e.Fields["id_number"]; ok {
		f.Add("id_number", "이미 등록된 기관 번호입니다. 같은 기관의 동료라면 ‘기관에 합류하기’로 가입해 주세요.")
	}
	if _, ok := e.Fields["email"]; ok {
		f.Add("email", "이미 가입된 이메일 주소입니다. 다른 주소를 입력해 주세요.")
	}
	if len(f) == 0 {
		return err
	}
	return &apperr.Error{Code: apperr.Conflict, Message: "입력한 내용을 확인해 주세요.", Fields: f}
}

// sameName compares institution names ignoring spaces and case.
func sameName(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	return norm(a) == norm(b)
}

// Join creates a colleague's account as a pending buyer of the existing
// institution whose number and name both match (the name confirms the
// number), and mails the institution's admin. Anyone may join (no actor).
// Invalid with Fields; NotFound-like refusals are field errors on
// id_number (the same whether the number is unknown or the name differs,
// so the form does not reveal which institutions exist); Conflict with
// Fields["email"] when the address has an account, or a message when the
// institution was rejected or suspended.
func (s *Service) Join(ctx context.Context, in JoinInput) (*Member, *Institution, error) {
	f := apperr.Fields{}
	num := digits(in.IDNumber)
	switch {
	case num == "":
		f.Add("id_number", "기관의 사업자등록번호 또는 고유번호를 입력해 주세요.")
	case !allDigits(num, 10):
		f.Add("id_number", "번호는 숫자 10자리입니다. 예: 123-45-67890")
	}
	name := text(f, "institution_name", in.InstitutionName, textin.Rule{Label: "기관명", Required: true, Max: 100})
	dept := text(f, "department", in.Department, departmentRule)
	u := &account.User{Role: account.InstitutionUser, Status: account.UserActive}
	checkUser(f, u, in.UserName, in.Email, in.UserPhone, in.Password, in.PasswordConfirm)
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	inst, err := s.store.FindInstitutionByNumber(ctx, num)
	if apperr.Code(err) == apperr.NotFound || (err == nil && !sameName(inst.Name, name)) {
		return nil, nil, &apperr.Error{Code: apperr.Invalid, Message: "입력한 내용을 확인해 주세요.", Fields: map[string]string{
			"id_number": "이 번호와 기관명으로 등록된 기관이 없습니다. 번호와 기관명을 기관 관리자에게 확인하거나, 처음이라면 기관을 등록해 주세요."}}
	}
	if err != nil {
		return nil, nil, err
	}
	switch inst.Status {
	case account.InstitutionRejected:
		return nil, nil, apperr.Errorf(apperr.Conflict, "등록이 반려된 기관에는 합류할 수 없습니다. 기관 관리자에게 문의해 주세요.")
	case account.InstitutionSuspended:
		return nil, nil, apperr.Errorf(apperr.Conflict, "이용이 정지된 기관에는 합류할 수 없습니다. 협동조합 운영자에게 문의해 주세요.")
	}
	hash, err := s.accounts.HashPassword(in.Password)
	if err != nil {
		return nil, nil, err
	}
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{InstitutionID: inst.ID, Action: ActionJoin,
		Entity: "institution_member", After: map[string]any{"email": u.Email, "name": u.Name, "department": dept}})
	if err != nil {
		return nil, nil, err
	}
	if err := s.store.CreateInstitutionMember(ctx, u, hash, inst.ID, dept, rec); err != nil {
		return nil, nil, conflictFields(err)
	}
	if err := s.accounts.SendEmailConfirmation(ctx, u); err != nil {
		s.log.ErrorContext(ctx, "institution: confirmation mail", "user_id", u.ID, "err", err)
	}
	if inst.Admin != nil {
		s.send(ctx, inst.Admin.Email, "[두레] "+inst.Name+"에 합류를 요청한 동료가 있습니다",
			u.Name+"("+dept+", "+u.Email+")님이 "+inst.Name+"의 구매담당자로 합류를 요청했습니다.\n\n"+
				"로그인한 뒤 기관 구매 화면의 ‘구성원’에서 승인하거나 거절해 주세요.")
	}
	return &Member{User: u, InstitutionID: inst.ID, Role: account.InstitutionBuyer,
		Status: account.InstitutionMemberPending, Department: dept}, inst, nil
}

// send mails m; a failed mail is logged, never undoes what was done.
func (s *Service) send(ctx context.Context, to, subject, body string) {
	if err := s.mailer.Send(ctx, mail.Mail{To: to, Subject: subject, Body: body}); err != nil {
		s.log.ErrorContext(ctx, "institution: mail", "subject", subject, "err", err)
	}
}

func (s *Service) find(ctx context.Context, id int64) (*Institution, error) {
	inst, err := s.store.FindInstitutionByID(ctx, id)
	if apperr.Code(err) == apperr.NotFound {
		return nil, apperr.Errorf(apperr.NotFound, "찾는 기관이 없습니다.")
	}
	return inst, err
}

// Mine returns the signed-in institution user's own institution, whatever
// its status or theirs (what a pending officer sees after signing in).
// Errors as account.RequireInstitutionUser's.
func (s *Service) Mine(ctx context.Context) (*Institution, error) {
	a, err := account.RequireInstitutionUser(ctx)
	if err != nil {
		return nil, err
	}
	return s.find(ctx, a.InstitutionID)
}

// FindMembers returns the institution's members, the admin first
// (account.CanManageInstitution: another institution's id answers
// NotFound).
func (s *Service) FindMembers(ctx context.Context, institutionID int64) ([]*Member, error) {
	if err := account.CanManageInstitution(ctx, institutionID); err != nil {
		return nil, err
	}
	return s.store.FindInstitutionMembers(ctx, institutionID)
}

// member returns member userID of the institution, or NotFound.
func (s *Service) member(ctx context.Context, institutionID, userID int64) (*Member, error) {
	list, err := s.store.FindInstitutionMembers(ctx, institutionID)
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		if m.User.ID == userID {
			return m, nil
		}
	}
	return nil, errNoMember()
}

func errNoMember() error { return apperr.Errorf(apperr.NotFound, "찾는 구성원이 없습니다.") }

func memberView(m *Member) map[string]any {
	return map[string]any{"user_id": m.User.ID, "email": m.User.Email, "name": m.User.Name,
		"role": m.Role, "status": m.Status, "department": m.Department}
}

// ApproveMember approves a pending colleague (CanManageInstitution),
// recorded in the audit log and mailed to them. NotFound when userID is not
// a pending member of the institution.
func (s *Service) ApproveMember(ctx context.Context, institutionID, userID int64) error {
	if err := account.CanManageInstitution(ctx, institutionID); err != nil {
		return err
	}
	m, err := s.member(ctx, institutionID, userID)
	if err != nil {
		return err
	}
	if m.Status != account.InstitutionMemberPending {
		return apperr.Errorf(apperr.Conflict, "이미 승인한 구성원입니다.")
	}
	after := memberView(m)
	after["status"] = account.InstitutionMemberActive
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{InstitutionID: institutionID, Action: ActionAccept,
		Entity: "institution_member", EntityID: fmt.Sprint(userID), Before: memberView(m), After: after})
	if err != nil {
		return err
	}
	a := account.FromContext(ctx)
	if err := s.store.ApproveInstitutionMember(ctx, institutionID, userID, a.UserID, s.accounts.Now(), rec); err != nil {
		return notFound(err)
	}
	s.send(ctx, m.User.Email, "[두레] 기관 구매담당자 가입이 승인되었습니다",
		m.User.Name+"님, 기관 관리자가 가입을 승인했습니다. 로그인하면 기관 구매 화면(/biz)을 쓸 수 있습니다.")
	return nil
}

// DeclineMember declines a pending colleague (CanManageInstitution): the
// membership ends and the account is disabled, recorded in the audit log.
// NotFound when userID is not a pending member; Conflict for an active one
// (use RemoveMember).
func (s *Service) DeclineMember(ctx context.Context, institutionID, userID int64) error {
	return s.removeMember(ctx, institutionID, userID, true)
}

// RemoveMember removes a colleague (CanManageInstitution): the membership
// ends and the account is disabled (its sessions end at their next
// request), recorded in the audit log. NotFound as ApproveMember; Conflict for the admin (hand the
// role over first).
func (s *Service) RemoveMember(ctx context.Context, institutionID, userID int64) error {
	return s.removeMember(ctx, institutionID, userID, false)
}

func (s *Service) removeMember(ctx context.Context, institutionID, userID int64, decline bool) error {
	if err := account.CanManageInstitution(ctx, institutionID); err != nil {
		return err
	}
	m, err := s.member(ctx, institutionID, userID)
	if err != nil {
		return err
	}
	action := ActionRemove
	switch {
	case m.Role == account.InstitutionAdmin:
		return errAdmin()
	case decline && m.Status != account.InstitutionMemberPending:
		return apperr.Errorf(apperr.Conflict, "이미 승인한 구성원입니다. 내보내려면 ‘내보내기’를 써 주세요.")
	case decline:
		action = ActionDecline
	}
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{InstitutionID: institutionID, Action: action,
		Entity: "institution_member", EntityID: fmt.Sprint(userID), Before: memberView(m)})
	if err != nil {
		return err
	}
	err = s.store.RemoveInstitutionMember(ctx, institutionID, userID, s.accounts.Now(), rec)
	if apperr.Code(err) == apperr.Conflict {
		return errAdmin()
	}
	if err != nil {
		return notFound(err)
	}
	if decline {
		s.send(ctx, m.User.Email, "[두레] 기관 구매담당자 가입 요청 결과",
			m.User.Name+"님, 기관 관리자가 가입 요청을 승인하지 않았습니다. 궁금한 점은 기관 관리자에게 문의해 주세요.")
	}
	return nil // the disabled account's sessions end at their next request
}

func errAdmin() error {
	return apperr.Errorf(apperr.Conflict, "기관 관리자는 내보낼 수 없습니다. 다른 구성원에게 관리자 역할을 먼저 넘겨 주세요.")
}

func notFound(err error) error {
	if apperr.Code(err) == apperr.NotFound {
		return errNoMember()
	}
	return err
}

// HandOverAdmin makes active colleague userID the institution's admin and
// the current admin (the actor) a buyer (CanManageInstitution), recorded
// in the audit log: an institution always has exactly one admin. NotFound
// when userID is not a member; Conflict when they are not yet approved or
// are the actor.
func (s *Service) HandOverAdmin(ctx context.Context, institutionID, userID int64) error {
	if err := account.CanManageInstitution(ctx, institutionID); err != nil {
		return err
	}
	a := account.FromContext(ctx)
	if userID == a.UserID {
		return apperr.Errorf(apperr.Conflict, "이미 기관 관리자입니다.")
	}
	m, err := s.member(ctx, institutionID, userID)
	if err != nil {
		return err
	}
	if m.Status != account.InstitutionMemberActive {
		return apperr.Errorf(apperr.Conflict, "승인한 구성원에게만 관리자 역할을 넘길 수 있습니다. 먼저 가입을 승인해 주세요.")
	}
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{InstitutionID: institutionID, Action: ActionHandOver,
		Entity: "institution_member", EntityID: fmt.Sprint(userID),
		Before: map[string]any{"admin_user_id": a.UserID}, After: map[string]any{"admin_user_id": userID}})
	if err != nil {
		return err
	}
	err = s.store.HandOverInstitutionAdmin(ctx, institutionID, a.UserID, userID, rec)
	switch apperr.Code(err) {
	case apperr.Conflict:
		return apperr.Errorf(apperr.Conflict, "관리자 역할이 그새 바뀌었습니다. 새로 고쳐 다시 확인해 주세요.")
	case apperr.NotFound:
		return apperr.Errorf(apperr.Conflict, "승인한 구성원에게만 관리자 역할을 넘길 수 있습니다.")
	}
	if err != nil {
		return err
	}
	s.send(ctx, m.User.Email, "[두레] 기관 관리자 역할을 넘겨받았습니다",
		m.User.Name+"님, "+a.Name+"님이 기관 관리자 역할을 넘겼습니다. 이제 동료의 가입을 승인하고 구성원을 관리할 수 있습니다.")
	return nil
}

// FindInstitutions returns institutions matching f, newest first, and their
// total (account.RequireOperator). Invalid for an unknown status.
func (s *Service) FindInstitutions(ctx context.Context, f Filter) ([]*Institution, int, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, 0, err
	}
	switch f.Status {
	case "", account.InstitutionPending, account.InstitutionActive, account.InstitutionRejected, account.InstitutionSuspended:
	default:
		return nil, 0, apperr.Errorf(apperr.Invalid, "기관 상태를 목록에서 골라 주세요.")
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 50
	case f.Limit > 500:
		f.Limit = 500
	}
	f.Offset = max(f.Offset, 0)
	f.Query = strings.TrimSpace(f.Query)
	return s.store.FindInstitutions(ctx, f)
}

// FindInstitution returns institution id (RequireOperator). NotFound if
// missing.
func (s *Service) FindInstitution(ctx context.Context, id int64) (*Institution, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.find(ctx, id)
}

// FindInstitutionMembers returns institution id's members for the operator
// (RequireOperator).
func (s *Service) FindInstitutionMembers(ctx context.Context, id int64) ([]*Member, error) {
	if _, err := account.RequireOperator(ctx); err != nil {
		return nil, err
	}
	return s.store.FindInstitutionMembers(ctx, id)
}

// Approve makes a pending institution active (RequireOperator), recorded in
// the audit log and mailed to its admin. NotFound if missing; Conflict when
// it is not pending.
func (s *Service) Approve(ctx context.Context, id int64) error {
	return s.change(ctx, id, account.InstitutionPending, account.InstitutionActive, "", true, ActionApprove)
}

// Reject rejects a pending institution with a reason shown to its admin
// (RequireOperator), recorded and mailed. Invalid with Fields["reason"]
// without one; otherwise as Approve.
func (s *Service) Reject(ctx context.Context, id int64, reason string) error {
	return s.change(ctx, id, account.InstitutionPending, account.InstitutionRejected, reason, true, ActionReject)
}

// Suspend suspends an active institution (RequireOperator): its buyers lose
// the buyer's screens at their next request. Invalid with Fields["reason"]
// without a reason (kept in the audit log and mailed); Conflict when it is
// not active.
func (s *Service) Suspend(ctx context.Context, id int64, reason string) error {
	return s.change(ctx, id, account.InstitutionActive, account.InstitutionSuspended, reason, false, ActionSuspend)
}

// Reinstate makes a suspended institution active again (RequireOperator).
// Conflict when it is not suspended.
func (s *Service) Reinstate(ctx context.Context, id int64) error {
	return s.change(ctx, id, account.InstitutionSuspended, account.InstitutionActive, "", false, ActionReinstate)
}

var reasonRule = textin.Rule{Label: "사유", Required: true, Max: 1000, Multiline: true}

func (s *Service) change(ctx context.Context, id int64, from, to, reason string, review bool, action string) error {
	op, err := account.RequireOperator(ctx)
	if err != nil {
		return err
	}
	reason = textin.NormalizeNewlines(strings.TrimSpace(reason))
	switch to {
	case account.InstitutionRejected, account.InstitutionSuspended:
		if reason == "" && to == account.InstitutionRejected {
			return apperr.Fields{"reason": "반려 사유를 입력해 주세요. 기관 관리자에게 그대로 전해집니다."}.Err()
		}
		if reason == "" {
			return apperr.Fields{"reason": "정지 사유를 입력해 주세요. 감사 기록에 남고 기관 관리자에게 전해집니다."}.Err()
		}
		if msg := reasonRule.Message(reason); msg != "" {
			return apperr.Fields{"reason": msg}.Err()
		}
	default:
		reason = ""
	}
	inst, err := s.find(ctx, id)
	if err != nil {
		return err
	}
	if inst.Status != from {
		return errState(inst.Status)
	}
	before := map[string]any{"status": inst.Status}
	after := map[string]any{"status": to}
	if reason != "" {
		after["reason"] = reason
	}
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{InstitutionID: id, Action: action, Entity: "institution",
		EntityID: fmt.Sprint(id), Before: before, After: after})
	if err != nil {
		return err
	}
	c := StatusChange{InstitutionID: id, From: []string{from}, To: to, At: s.accounts.Now(), Review: review, ReviewedBy: op.UserID}
	if to == account.InstitutionRejected {
		c.Reason = reason
	}
	if err := s.store.ChangeInstitutionStatus(ctx, c, rec); err != nil {
		if apperr.Code(err) == apperr.Conflict {
			return errState("")
		}
		return err
	}
	if inst.Admin != nil {
		s.mailStatus(ctx, inst, to, reason)
	}
	return nil
}

func errState(status string) error {
	switch status {
	case account.InstitutionActive:
		return apperr.Errorf(apperr.Conflict, "이미 승인한 기관입니다.")
	case account.InstitutionRejected:
		return apperr.Errorf(apperr.Conflict, "이미 반려한 기관입니다.")
	case account.InstitutionSuspended:
		return apperr.Errorf(apperr.Conflict, "이용이 정지된 기관입니다.")
	case account.InstitutionPending:
		return apperr.Errorf(apperr.Conflict, "아직 심사하지 않은 기관입니다.")
	}
	return apperr.Errorf(apperr.Conflict, "기관의 상태가 그새 바뀌었습니다. 새로 고쳐 다시 확인해 주세요.")
}

// mailStatus tells the institution's admin what the operator did.
func (s *Service) mailStatus(ctx context.Context, inst *Institution, to, reason string) {
	var subject, body string
	switch to {
	case account.InstitutionActive:
		subject = "[두레] 기관 이용이 승인되었습니다"
		body = inst.Name + "의 기관 등록이 승인되었습니다(또는 이용 정지가 풀렸습니다). 로그인하면 기관 구매 화면(/biz)에서 공공구매 가격을 보고 동료의 가입을 승인할 수 있습니다."
	case account.InstitutionRejected:
		subject = "[두레] 기관 등록 결과를 알려 드립니다"
		body = inst.Name + "의 기관 등록이 반려되었습니다.\n\n사유: " + reason + "\n\n궁금한 점은 협동조합에 문의해 주세요."
	case account.InstitutionSuspended:
		subject = "[두레] 기관 이용이 정지되었습니다"
		body = inst.Name + "의 두레 이용이 정지되었습니다.\n\n사유: " + reason + "\n\n궁금한 점은 협동조합에 문의해 주세요."
	}
	s.send(ctx, inst.Admin.Email, subject, body)
}

// SetDirectContractLimit sets the institution's direct-contract (수의계약)
// limit in 원 (RequireOperator); 0 returns it to the co-op's default.
// Recorded in the audit log. Invalid with Fields["limit"] for a negative or
// absurd figure; NotFound if missing.
func (s *Service) SetDirectContractLimit(ctx context.Context, id, limit int64) error {
	if _, err := account.RequireOperator(ctx); err != nil {
		return err
	}
	if limit < 0 || limit > MaxDirectContractLimit {
		return apperr.Fields{"limit": "수의계약 한도는 0원(기본값) 이상, 1조 원 이하로 입력해 주세요."}.Err()
	}
	inst, err := s.find(ctx, id)
	if err != nil {
		return err
	}
	rec, err := s.accounts.NewAuditRecord(ctx, account.AuditEntry{InstitutionID: id, Action: ActionLimit, Entity: "institution",
		EntityID: fmt.Sprint(id), Before: map[string]any{"direct_contract_limit": inst.DirectContractLimit},
		After: map[string]any{"direct_contract_limit": limit}})
	if err != nil {
		return err
	}
	if err := s.store.SetDirectContractLimit(ctx, id, limit, s.accounts.Now(), rec); err != nil {
		if apperr.Code(err) == apperr.NotFound {
			return apperr.Errorf(apperr.NotFound, "찾는 기관이 없습니다.")
		}
		return err
	}
	return nil
}
