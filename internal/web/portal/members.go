package portal

import (
	"cmp"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/web/view"
)

// mountMembers registers the member screens on the /portal group. Every
// member sees the list; the account service lets only owners (and
// operators acting on behalf) invite, remove and change roles.
func (s *server) mountMembers(g fiber.Router) {
	g.Get("/members", s.needAccounts, s.membersPage)
	g.Post("/members/invite", s.needAccounts, s.inviteMember)
	g.Post("/members/:uid<int>/role", s.needAccounts, s.setMemberRole)
	g.Get("/members/:uid<int>/remove", s.needAccounts, s.removeMemberPage)
	g.Post("/members/:uid<int>/remove", s.needAccounts, s.removeMember)
}

// needAccounts answers 503 when the app runs without the account service.
func (s *server) needAccounts(c *fiber.Ctx) error {
	if s.Accounts == nil {
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// memberDone are the notices of the member page's ?done= codes.
var memberDone = map[string]string{
	"invited": "초대 메일을 보냈습니다. 받은 사람이 메일의 링크에서 이름과 비밀번호를 정하면 구성원이 됩니다. 링크는 7일 동안 쓸 수 있습니다.",
	"role":    "역할을 바꿨습니다. 그 사람의 다음 화면부터 바로 적용됩니다.",
	"removed": "구성원을 내보냈습니다. 그 계정으로는 더 이상 로그인할 수 없습니다.",
}

// memberRoles are the roles a member may have, in the forms' order.
var memberRoles = []account.MemberRole{account.Staff, account.Owner}

// roleHint explains the roles where they are chosen.
const roleHint = "직원은 상품·재고·주문을 관리합니다. 대표 계정은 그에 더해 구성원과 API 키를 관리합니다."

// roleChoices are the role options with selected chosen.
func roleChoices(selected string) []choice {
	out := make([]choice, len(memberRoles))
	for i, r := range memberRoles {
		out[i] = choice{Value: string(r), Label: r.Label(), Selected: string(r) == selected}
	}
	return out
}

// memberRow is one member of the list.
type memberRow struct {
	ID        int64
	Name      string
	Email     string
	Role      string
	RoleLabel string
	Joined    string
	Me        bool
	Roles     []choice
}

// invitationRow is one pending invitation.
type invitationRow struct {
	Email, RoleLabel, Sent, Expires string
}

// inviteForm is the invitation form as typed.
type inviteForm struct {
	Email, Role string
}

type membersView struct {
	layout
	CanManage   bool
	Members     []memberRow
	Invitations []invitationRow
	Invite      inviteForm
	Roles       []choice
	RoleHint    string
	Err         map[string]string // the invitation form's, by field
	Problem     string
}

// membersPage is GET /portal/members.
func (s *server) membersPage(c *fiber.Ctx) error {
	v := membersView{Invite: inviteForm{Role: string(account.Staff)}}
	v.Done = memberDone[c.Query("done")]
	return s.renderMembers(c, &v, fiber.StatusOK)
}

// renderMembers fills the lists and writes the member page with status.
func (s *server) renderMembers(c *fiber.Ctx, v *membersView, status int) error {
	ctx := c.UserContext()
	ent := enterprise(c).ID
	members, err := s.Accounts.FindMembers(ctx, ent)
	if err != nil {
		return err
	}
	invitations, err := s.Accounts.FindInvitations(ctx, ent)
	if err != nil {
		return err
	}
	v.CanManage = account.CanManageMembers(ctx, ent) == nil
	me := int64(0)
	if a := account.FromContext(ctx); a != nil {
		me = a.UserID
	}
	for _, m := range members {
		v.Members = append(v.Members, memberRow{ID: m.User.ID, Name: m.User.Name, Email: m.User.Email,
			Role: string(m.MemberRole), RoleLabel: m.MemberRole.Label(), Joined: view.FormatDate(m.JoinedAt),
			Me: m.User.ID == me, Roles: roleChoices(string(m.MemberRole))})
	}
	for _, inv := range invitations {
		v.Invitations = append(v.Invitations, invitationRow{Email: inv.Email, RoleLabel: inv.MemberRole.Label(),
			Sent: view.FormatDate(inv.CreatedAt), Expires: view.FormatDate(inv.ExpiresAt)})
	}
	if v.Err == nil {
		v.Err = map[string]string{}
	}
	v.Roles, v.RoleHint = roleChoices(v.Invite.Role), roleHint
	v.Title, v.Nav = "구성원", navMembers
	c.Status(status)
	return s.render(c, "portal/members", v)
}

// memberProblem shows the member page again for a refusal the person can
// act on (a field of the invitation, or a conflict such as removing the
// last owner); any other error (a staff member's 403, another enterprise's
// member's 404) is returned.
func (s *server) memberProblem(c *fiber.Ctx, v *membersView, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || (ae.Code != apperr.Invalid && ae.Code != apperr.Conflict) {
		return err
	}
	v.Err = map[string]string{}
	for k, msg := range ae.Fields {
		v.Err[k] = msg
	}
	v.Problem = ae.Message
	status := fiber.StatusUnprocessableEntity
	if ae.Code == apperr.Conflict {
		status = fiber.StatusConflict
	}
	return s.renderMembers(c, v, status)
}

// inviteMember is POST /portal/members/invite: the invitation link goes
// out by mail.
func (s *server) inviteMember(c *fiber.Ctx) error {
	f := inviteForm{Email: strings.TrimSpace(c.FormValue("email")), Role: c.FormValue("role")}
	_, err := s.Accounts.Invite(c.UserContext(), enterprise(c).ID, f.Email, account.MemberRole(f.Role))
	if err != nil {
		return s.memberProblem(c, &membersView{Invite: f}, err)
	}
	return c.Redirect("/portal/members?done=invited", fiber.StatusSeeOther)
}

// memberID reads the :uid of a member route.
func memberID(c *fiber.Ctx) (int64, error) { return view.ParseID(c.Params("uid"), "구성원") }

// setMemberRole is POST /portal/members/:uid/role.
func (s *server) setMemberRole(c *fiber.Ctx) error {
	id, err := memberID(c)
	if err != nil {
		return err
	}
	// Who may, and whose member, before what role: another enterprise's
	// member answers 404 whatever was posted.
	if _, err := s.findMember(c, id); err != nil {
		return err
	}
	err = s.Accounts.SetMemberRole(c.UserContext(), enterprise(c).ID, id, account.MemberRole(c.FormValue("role")))
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid {
		// The role's field error belongs to the row, not to the invitation
		// form's role: say it above the page.
		err = apperr.Errorf(apperr.Invalid, "%s", cmp.Or(ae.Fields["role"], ae.Message))
	}
	if err != nil {
		return s.memberProblem(c, &membersView{Invite: inviteForm{Role: string(account.Staff)}}, err)
	}
	return c.Redirect("/portal/members?done=role", fiber.StatusSeeOther)
}

// memberRemoveView is the question before a member is removed.
type memberRemoveView struct {
	layout
	ID          int64
	Name, Email string
	RoleLabel   string
	Me          bool
}

// removeMemberPage is GET /portal/members/:uid/remove.
func (s *server) removeMemberPage(c *fiber.Ctx) error {
	id, err := memberID(c)
	if err != nil {
		return err
	}
	m, err := s.findMember(c, id)
	if err != nil {
		return err
	}
	v := memberRemoveView{ID: id, Name: m.User.Name, Email: m.User.Email, RoleLabel: m.MemberRole.Label()}
	if a := account.FromContext(c.UserContext()); a != nil && a.UserID == id {
		v.Me = true
	}
	v.Title, v.Nav = "구성원 내보내기: "+m.User.Name, navMembers
	return s.render(c, "portal/member_remove", &v)
}

// findMember returns member id of the actor's enterprise for the owner's
// buttons: Forbidden for staff (account.CanManageMembers), NotFound when
// the enterprise has no such member.
func (s *server) findMember(c *fiber.Ctx, id int64) (*account.Member, error) {
	ctx := c.UserContext()
	ent := enterprise(c).ID
	if err := account.CanManageMembers(ctx, ent); err != nil {
		return nil, err
	}
	members, err := s.Accounts.FindMembers(ctx, ent)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if m.User.ID == id {
			return m, nil
		}
	}
	return nil, apperr.Errorf(apperr.NotFound, "찾는 구성원이 없습니다.")
}

// removeMember is POST /portal/members/:uid/remove: the account is
// disabled and signed out everywhere.
func (s *server) removeMember(c *fiber.Ctx) error {
	id, err := memberID(c)
	if err != nil {
		return err
	}
	if err := s.Accounts.RemoveMember(c.UserContext(), enterprise(c).ID, id); err != nil {
		return s.memberProblem(c, &membersView{Invite: inviteForm{Role: string(account.Staff)}}, err)
	}
	if a := account.FromContext(c.UserContext()); a != nil && a.UserID == id {
		s.kit.ClearSession(c)
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return c.Redirect("/portal/members?done=removed", fiber.StatusSeeOther)
}
