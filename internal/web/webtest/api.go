package webtest

// The API's answers as the tests read them (ids are discovered through the
// API, so tests do not depend on how the demo catalogue is generated).

// APIList is a list answer of the API.
type APIList[T any] struct {
	Data       []T `json:"data"`
	Pagination struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Total      int `json:"total"`
		TotalPages int `json:"total_pages"`
	} `json:"pagination"`
}

// Hit is one hit of /api/v1/search.
type Hit struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	NameHTML      string `json:"name_html"`
	Kind          string `json:"kind"`
	TaxType       string `json:"tax_type"`
	ConsumerPrice int64  `json:"consumer_price"`
	Currency      string `json:"currency"`
	InStock       bool   `json:"in_stock"`
	CategoryID    int64  `json:"category_id"`
	Enterprise    struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		Type      string `json:"type"`
		TypeLabel string `json:"type_label"`
	} `json:"enterprise"`
}

// SearchResp is the answer of /api/v1/search.
type SearchResp struct {
	APIList[Hit]
	Facets map[string][]struct {
		Value string `json:"value"`
		Label string `json:"label"`
		Count int    `json:"count"`
	} `json:"facets"`
	Degraded bool `json:"degraded"`
}

// Category is one node of /api/v1/categories.
type Category struct {
	ID       int64      `json:"id"`
	Slug     string     `json:"slug"`
	Name     string     `json:"name"`
	Children []Category `json:"children"`
}
