package view

// MenuEntry is one link of an audience's menu: Key names it for the page
// that is current.
type MenuEntry struct{ Key, Label, URL string }

// NavItem is one link of a rendered menu.
type NavItem struct {
	Label, URL string
	Current    bool
}

// Nav renders menu with the entry keyed current marked (aria-current).
func Nav(menu []MenuEntry, current string) []NavItem {
	items := make([]NavItem, len(menu))
	for i, m := range menu {
		items[i] = NavItem{Label: m.Label, URL: m.URL, Current: m.Key == current}
	}
	return items
}

// MenuGroup is a labelled group of a grouped menu (the console's).
type MenuGroup struct {
	Label   string
	Entries []MenuEntry
}

// NavGroup is one group of a rendered grouped menu; Current says it holds
// the current entry.
type NavGroup struct {
	Label   string
	Items   []NavItem
	Current bool
}

// GroupedNav renders groups with the entry keyed current marked.
func GroupedNav(groups []MenuGroup, current string) []NavGroup {
	out := make([]NavGroup, len(groups))
	for i, g := range groups {
		out[i] = NavGroup{Label: g.Label, Items: Nav(g.Entries, current)}
		for _, it := range out[i].Items {
			out[i].Current = out[i].Current || it.Current
		}
	}
	return out
}
