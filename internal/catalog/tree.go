package catalog

// CategoryIndex answers ancestor and descendant questions about the category
// tree; the tree is small (tens to hundreds of nodes), so it is held whole.
type CategoryIndex struct {
	byID     map[int64]*Category
	bySlug   map[string]*Category
	children map[int64][]int64
	Roots    []*Category
}

// NewCategoryIndex builds an index over a flat list of categories and fills
// each category's Children (sorted as given: callers pass them by position).
func NewCategoryIndex(cats []*Category) *CategoryIndex {
	ix := &CategoryIndex{byID: map[int64]*Category{}, bySlug: map[string]*Category{}, children: map[int64][]int64{}}
	for _, c := range cats {
		c.Children = nil
		ix.byID[c.ID] = c
		ix.bySlug[c.Slug] = c
	}
	for _, c := range cats {
		if c.ParentID != nil {
			if p, ok := ix.byID[*c.ParentID]; ok {
				p.Children = append(p.Children, c)
				ix.children[p.ID] = append(ix.children[p.ID], c.ID)
				continue
			}
		}
		ix.Roots = append(ix.Roots, c)
	}
	return ix
}

// ByID returns the category with id, or nil.
func (ix *CategoryIndex) ByID(id int64) *Category { return ix.byID[id] }

// BySlug returns the category with slug, or nil.
func (ix *CategoryIndex) BySlug(slug string) *Category { return ix.bySlug[slug] }

// Path returns the category and its ancestors, root first.
func (ix *CategoryIndex) Path(id int64) []*Category {
	var path []*Category
	seen := map[int64]bool{}
	for c := ix.byID[id]; c != nil && !seen[c.ID]; {
		seen[c.ID] = true
		path = append([]*Category{c}, path...)
		if c.ParentID == nil {
			break
		}
		c = ix.byID[*c.ParentID]
	}
	return path
}

// Descendants returns id and the ids of every category below it.
func (ix *CategoryIndex) Descendants(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, ix.children[out[i]]...)
	}
	return out
}
