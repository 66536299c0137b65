package admin

import (
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dure-coop/dure/internal/apperr"
	"github.com/dure-coop/dure/internal/kr"
	"github.com/dure-coop/dure/internal/search"
	"github.com/dure-coop/dure/internal/web/view"
)

// statsLimit is how many queries each analytics list shows (and exports).
const statsLimit = 100

var statsViews = []option{
	{string(search.StatsTop), "많이 찾은 검색어"},
	{string(search.StatsZero), "결과 없는 검색어"},
	{string(search.StatsNoClick), "아무도 열지 않은 검색어"},
}

// searchView is the console's search page: the week's query analytics and
// the synonym dictionary.
type searchView struct {
	layout
	Week, View    string // 2026-11-30, "top"
	WeekLabel     string
	Weeks, Views  []option
	Stats         []queryRow
	CSVURL        string
	Filter        string
	Synonyms      []search.Synonym
	Group         string // the add form as typed
	Errors        map[string]string
	Problem       string // a failure that is not a field's (the engine is down)
	SynonymsCount int
}

type queryRow struct {
	Query                    string
	Searches, Zero, Clicks   string
	ClickRate                string // 12% of searches that found something
	SearchURL, SynonymPrefil string
}

// searchPage is GET /admin/search: ?week=YYYY-MM-DD (a Monday; default this
// week), ?view=top|zero|noclick, ?q= filters the dictionary.
func (s *server) searchPage(c *fiber.Ctx) error {
	v, err := s.searchView(c)
	if err != nil {
		return err
	}
	return s.render(c, "admin/search", v)
}

func (s *server) searchView(c *fiber.Ctx) (*searchView, error) {
	qv, err := view.QueryValues(c)
	if err != nil {
		return nil, err
	}
	week, order, err := statsParams(qv.Get("week"), qv.Get("view"))
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	stats, weeks, err := s.Search.QueryStats(ctx, week, order, statsLimit)
	if err != nil {
		return nil, err
	}
	v := &searchView{Week: week.Format(time.DateOnly), View: string(order), Views: statsViews, Filter: qv.Get("q"),
		Group: qv.Get("group")}
	v.Title, v.Nav = "검색 관리", navSearch
	v.WeekLabel = weekLabel(week)
	if !containsWeek(weeks, week) {
		weeks = append([]time.Time{week}, weeks...)
	}
	for _, w := range weeks {
		v.Weeks = append(v.Weeks, option{w.Format(time.DateOnly), weekLabel(w)})
	}
	for _, st := range stats {
		row := queryRow{Query: st.Query, Searches: kr.Comma(st.Searches), Zero: kr.Comma(st.ZeroResults),
			Clicks: kr.Comma(st.Clicks), SearchURL: "/search?literal=1&q=" + url.QueryEscape(st.Query), SynonymPrefil: st.Query + ", "}
		if found := st.Searches - st.ZeroResults; found > 0 {
			row.ClickRate = strconv.FormatInt(min(100, st.Clicks*100/found), 10) + "%"
		}
		v.Stats = append(v.Stats, row)
	}
	v.CSVURL = "/admin/search/queries.csv?week=" + v.Week + "&view=" + v.View
	if v.Synonyms, err = s.Search.FindSynonyms(ctx, v.Filter); err != nil {
		return nil, err
	}
	v.SynonymsCount = len(v.Synonyms)
	return v, nil
}

// statsParams reads the week (a date; any day names its week) and the list.
func statsParams(week, list string) (time.Time, search.StatsOrder, error) {
	w := search.WeekOf(time.Now())
	if week != "" {
		d, err := time.Parse(time.DateOnly, week)
		if err != nil {
			return time.Time{}, "", apperr.Errorf(apperr.Invalid, "주는 2026-11-30처럼 날짜로 골라 주세요.")
		}
		w = search.WeekOf(d.Add(-9 * time.Hour)) // the date itself, as a Korean day
	}
	order := search.StatsOrder(list)
	if list == "" {
		order = search.StatsTop
	}
	if label(statsViews, string(order)) == "" {
		return time.Time{}, "", apperr.Errorf(apperr.Invalid, "보기를 목록에서 골라 주세요.")
	}
	return w, order, nil
}

func containsWeek(ws []time.Time, w time.Time) bool {
	for _, x := range ws {
		if x.Equal(w) {
			return true
		}
	}
	return false
}

// weekLabel is "2026.11.30 ~ 12.06".
func weekLabel(w time.Time) string {
	end := w.AddDate(0, 0, 6)
	return w.Format("2006.01.02") + " ~ " + end.Format("01.02")
}

// queriesCSV is GET /admin/search/queries.csv: the list on the page, for a
// spreadsheet (UTF-8 with BOM, so Excel reads the Korean).
func (s *server) queriesCSV(c *fiber.Ctx) error {
	qv, err := view.QueryValues(c)
	if err != nil {
		return err
	}
	week, order, err := statsParams(qv.Get("week"), qv.Get("view"))
	if err != nil {
		return err
	}
	stats, _, err := s.Search.QueryStats(c.UserContext(), week, order, 10000)
	if err != nil {
		return err
	}
	rows := [][]string{{"주 시작일", "검색어", "검색 수", "결과 없음", "상품 열람"}}
	for _, st := range stats {
		rows = append(rows, []string{st.Week.Format(time.DateOnly), view.CSVSafe(st.Query), strconv.FormatInt(st.Searches, 10),
			strconv.FormatInt(st.ZeroResults, 10), strconv.FormatInt(st.Clicks, 10)})
	}
	return view.SendCSV(c, "dure-search-"+string(order)+"-"+week.Format(time.DateOnly)+".csv", view.CSVBytes(rows))
}

// addSynonyms is POST /admin/search/synonyms (group: words separated by
// commas).
func (s *server) addSynonyms(c *fiber.Ctx) error {
	group := c.FormValue("group")
	err := s.Search.AddSynonyms(c.UserContext(), search.SplitGroup(group))
	return s.synonymResult(c, err, "synonyms_added", group)
}

// removeSynonym is POST /admin/search/synonyms/remove (word).
func (s *server) removeSynonym(c *fiber.Ctx) error {
	return s.synonymResult(c, s.Search.RemoveSynonym(c.UserContext(), c.FormValue("word")), "synonym_removed", "")
}

// pushSynonyms is POST /admin/search/synonyms/push.
func (s *server) pushSynonyms(c *fiber.Ctx) error {
	err := s.Search.PushSynonyms(c.UserContext())
	if err != nil && !errors.As(err, new(*apperr.Error)) {
		err = &search.ErrNotPushed{Err: err}
	}
	return s.synonymResult(c, err, "synonyms_pushed", "")
}

// synonymResult redirects after a dictionary change, or shows the page
// again with the message (the add form kept as typed).
func (s *server) synonymResult(c *fiber.Ctx, err error, done, group string) error {
	back := "/admin/search#synonyms"
	if err == nil {
		return redirectDone(c, back, done)
	}
	var np *search.ErrNotPushed
	var ae *apperr.Error
	switch {
	case errors.As(err, &np):
		s.kit.Log.Warn("admin: push synonyms", "err", np.Err)
		if done == "synonyms_pushed" {
			v, verr := s.searchView(c)
			if verr != nil {
				return verr
			}
			v.Problem = "검색엔진에 반영하지 못했습니다. 잠시 후 다시 눌러 주세요. 사전은 저장되어 있습니다."
			c.Status(fiber.StatusServiceUnavailable)
			c.Set(fiber.HeaderRetryAfter, "10")
			return s.render(c, "admin/search", v)
		}
		return redirectDone(c, back, "synonyms_saved_not_pushed")
	case errors.As(err, &ae) && (ae.Code == apperr.Invalid || ae.Code == apperr.NotFound):
		v, verr := s.searchView(c)
		if verr != nil {
			return verr
		}
		v.Group = group
		if done == "synonyms_added" {
			v.Errors = map[string]string{"group": ae.Message}
		} else {
			v.Problem = ae.Message
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "admin/search", v)
	}
	return err
}
