package admin

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/coop"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/web/view"
)

// The co-op's settings and holiday calendar.

// settingsForm is the settings form as typed (kept when refused).
type settingsForm struct {
	Name, Representative, BusinessNumber, MailOrderNumber, Address, Phone, Email string
	HostingProvider                                                              string
	Intermediary                                                                 bool
	BankName, BankAccount, BankHolder                                            string
	InspectionDays, ClaimWorkingDays, ReportBasis, DirectContractLimit           string
}

type settingsView struct {
	layout
	F         settingsForm
	Bases     []option
	Errors    map[string]string
	Problem   string
	UpdatedAt string
}

var reportBases = []option{
	{string(coop.BasisInspected), coop.BasisInspected.Label()},
	{string(coop.BasisDelivered), coop.BasisDelivered.Label()},
}

func formOfSettings(st *coop.Settings) settingsForm {
	return settingsForm{Name: st.Name, Representative: st.Representative,
		BusinessNumber: kr.FormatBusinessNumber(st.BusinessNumber), MailOrderNumber: st.MailOrderNumber,
		Address: st.Address, Phone: st.Phone, Email: st.Email, HostingProvider: st.HostingProvider,
		Intermediary: st.Intermediary, BankName: st.BankName, BankAccount: st.BankAccount,
		BankHolder: st.BankHolder, InspectionDays: strconv.Itoa(st.InspectionDays),
		ClaimWorkingDays: strconv.Itoa(st.ClaimWorkingDays), ReportBasis: string(st.ReportBasis),
		DirectContractLimit: strconv.FormatInt(st.DirectContractLimit, 10)}
}

func (s *server) renderSettings(c *fiber.Ctx, f settingsForm, errs map[string]string, status int) error {
	v := settingsView{F: f, Bases: reportBases, Errors: errs}
	v.Title, v.Nav = "협동조합 설정", navSettings
	if errs == nil {
		v.Errors = map[string]string{}
	}
	if len(errs) > 0 {
		v.Problem = "입력한 내용을 확인해 주세요."
	}
	c.Status(status)
	return s.render(c, "admin/settings", &v)
}

// settingsPage shows the co-op's settings.
func (s *server) settingsPage(c *fiber.Ctx) error {
	if s.Coop == nil {
		return fiber.ErrServiceUnavailable
	}
	st, err := s.Coop.Settings(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderSettings(c, formOfSettings(st), nil, fiber.StatusOK)
}

// number reads a whole number typed with or without commas; -1 when it is
// not one (Validate then names the field).
func number(s string) int64 {
	s = strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(s), "원"), ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// saveSettings stores the settings (audited); a refused form comes back
// with its values and a message beside each wrong field (422).
func (s *server) saveSettings(c *fiber.Ctx) error {
	if s.Coop == nil {
		return fiber.ErrServiceUnavailable
	}
	f := settingsForm{Name: c.FormValue("name"), Representative: c.FormValue("representative"),
		BusinessNumber: c.FormValue("business_number"), MailOrderNumber: c.FormValue("mail_order_number"),
		Address: c.FormValue("address"), Phone: c.FormValue("phone"), Email: c.FormValue("email"),
		HostingProvider: c.FormValue("hosting_provider"), Intermediary: c.FormValue("intermediary") != "",
		BankName: c.FormValue("bank_name"), BankAccount: c.FormValue("bank_account"), BankHolder: c.FormValue("bank_holder"),
		InspectionDays: c.FormValue("inspection_days"), ClaimWorkingDays: c.FormValue("claim_working_days"),
		ReportBasis: c.FormValue("report_basis"), DirectContractLimit: c.FormValue("direct_contract_limit")}
	in := coop.Settings{Name: f.Name, Representative: f.Representative, BusinessNumber: f.BusinessNumber,
		MailOrderNumber: f.MailOrderNumber, Address: f.Address, Phone: f.Phone, Email: f.Email,
		HostingProvider: f.HostingProvider, Intermediary: f.Intermediary, BankName: f.BankName, BankAccount: f.BankAccount, BankHolder: f.BankHolder,
		InspectionDays: int(max(min(number(f.InspectionDays), 1000), -1)), ClaimWorkingDays: int(max(min(number(f.ClaimWorkingDays), 1000), -1)),
		ReportBasis: coop.ReportBasis(f.ReportBasis), DirectContractLimit: number(f.DirectContractLimit)}
	_, err := s.Coop.UpdateSettings(c.UserContext(), in)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.Invalid && len(ae.Fields) > 0 {
		return s.renderSettings(c, f, ae.Fields, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return redirectDone(c, "/admin/settings", "settings_saved")
}

type holidayRow struct {
	Day, Label, Name, DeleteURL string
}

type holidaysView struct {
	layout
	Year               int
	PrevURL, NextURL   string
	Holidays           []holidayRow
	Day, Name, Problem string
	Errors             map[string]string
}

func holidaysURL(year int) string { return "/admin/holidays?year=" + strconv.Itoa(year) }

func (s *server) renderHolidays(c *fiber.Ctx, year int, day, name string, errs map[string]string, problem string, status int) error {
	list, err := s.Coop.Holidays(c.UserContext(), year)
	if err != nil {
		return err
	}
	v := holidaysView{Year: year, PrevURL: holidaysURL(year - 1), NextURL: holidaysURL(year + 1), Day: day, Name: name,
		Errors: errs, Problem: problem}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Title, v.Nav = "휴일 관리", navHolidays
	for _, h := range list {
		d := h.Day.Format(time.DateOnly)
		v.Holidays = append(v.Holidays, holidayRow{Day: d, Label: h.DayLabel(), Name: h.Name,
			DeleteURL: "/admin/holidays/" + d + "/delete"})
	}
	c.Status(status)
	return s.render(c, "admin/holidays", &v)
}

// holidaysPage lists a year's holidays (this year's in Korea by default).
func (s *server) holidaysPage(c *fiber.Ctx) error {
	if s.Coop == nil {
		return fiber.ErrServiceUnavailable
	}
	year := time.Now().In(kr.Seoul()).Year()
	if raw := c.Query("year"); raw != "" {
		y, err := strconv.Atoi(raw)
		if err != nil || y < 2000 || y > 2100 {
			return apperr.Errorf(apperr.Invalid, "연도를 2000에서 2100 사이로 골라 주세요.")
		}
		year = y
	}
	return s.renderHolidays(c, year, "", "", nil, "", fiber.StatusOK)
}

// addHoliday adds a holiday (audited); a refused form comes back with its
// values (422, or 409 for a day already listed).
func (s *server) addHoliday(c *fiber.Ctx) error {
	if s.Coop == nil {
		return fiber.ErrServiceUnavailable
	}
	day, name := c.FormValue("day"), c.FormValue("name")
	err := s.Coop.AddHoliday(c.UserContext(), day, name)
	year := time.Now().In(kr.Seoul()).Year()
	if d, ok := coop.ParseDate(day); ok {
		year = d.Year()
	}
	var ae *apperr.Error
	switch {
	case err == nil:
		return redirectDone(c, holidaysURL(year), "holiday_added")
	case errors.As(err, &ae) && ae.Code == apperr.Invalid && len(ae.Fields) > 0:
		return s.renderHolidays(c, year, day, name, ae.Fields, "", fiber.StatusUnprocessableEntity)
	case errors.As(err, &ae) && ae.Code == apperr.Conflict:
		return s.renderHolidays(c, year, day, name, map[string]string{"day": "이미 휴일로 등록된 날짜입니다."}, "", fiber.StatusConflict)
	}
	return err
}

// deleteHoliday removes a holiday (audited).
func (s *server) deleteHoliday(c *fiber.Ctx) error {
	if s.Coop == nil {
		return fiber.ErrServiceUnavailable
	}
	day := c.Params("day")
	if err := s.Coop.DeleteHoliday(c.UserContext(), day); err != nil {
		return view.FriendlyNotFound(err, "휴일을 찾을 수 없습니다.")
	}
	d, _ := coop.ParseDate(day)
	return redirectDone(c, holidaysURL(d.Year()), "holiday_deleted")
}
