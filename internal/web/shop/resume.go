package shop

import (
	"net/url"
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/web"
)

// carried lists v's values in a stable order.
func carried(v url.Values) []hiddenField {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []hiddenField
	for _, k := range names {
		for _, val := range v[k] {
			out = append(out, hiddenField{k, val})
		}
	}
	return out
}

// resumePage answers a form refused because the session ended or the
// page's token expired (web.Resume), for every audience: nothing typed is
// lost. A signed-in visitor confirms and the values are posted again with a
// fresh token; anyone else signs in first, on a form that carries them.
func (s *server) resumePage(c *fiber.Ctx, r web.Resume) error {
	if a := web.Actor(c); (a != nil && a.SessionID != "") || r.Status != fiber.StatusUnauthorized {
		// Signed in, or a guest whose page's token expired: confirm and save.
		return s.renderForm(c, continueView(r.Action, r.Fields), r.Status)
	}
	v := signinView("")
	v.Heading = "다시 로그인해 주세요"
	v.Notice = "로그인이 끝나 저장하지 못했습니다. 작성한 내용은 그대로 있으니, 다시 로그인하면 이어서 저장할 수 있습니다."
	v.Hidden["resume_action"] = r.Action
	v.Hidden["resume_data"] = r.Fields.Encode()
	return s.renderForm(c, v, r.Status)
}

// continueView is the page that posts the kept values to action again.
func continueView(action string, fields url.Values) *formView {
	return &formView{Heading: "작성한 내용 저장하기", Action: action, Carry: carried(fields), Submit: "이어서 저장하기",
		Notice: "보안 확인이 끝나 저장하지 못했습니다. 작성한 내용은 그대로 있습니다. 아래 단추를 누르면 저장합니다."}
}

// resumeAfterSignIn is the continue page when the sign-in form carried a
// refused form (resume_action, resume_data); ok is false otherwise.
func resumeAfterSignIn(c *fiber.Ctx) (*formView, bool) {
	action := safeNext(c.FormValue("resume_action"), "")
	if action == "" {
		return nil, false
	}
	fields, err := url.ParseQuery(c.FormValue("resume_data"))
	if err != nil {
		return nil, false
	}
	return continueView(action, fields), true
}
