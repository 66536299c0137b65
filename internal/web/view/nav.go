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
