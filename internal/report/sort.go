package report

import (
	"cmp"
	"slices"
)

// SortEnterprises orders enterprise rows by amount, largest first, then by
// name and id, so that the page and the exports list them alike.
func SortEnterprises(rows []EnterpriseRow) {
	slices.SortFunc(rows, func(a, b EnterpriseRow) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.EnterpriseID, b.EnterpriseID), cmp.Compare(a.Type, b.Type))
	})
}

// SortInstitutions orders institution rows by amount, largest first, then
// by name and id.
func SortInstitutions(rows []InstitutionRow) {
	slices.SortFunc(rows, func(a, b InstitutionRow) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.InstitutionID, b.InstitutionID))
	})
}
