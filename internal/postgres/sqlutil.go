package postgres

import (
	"strconv"
	"strings"
)

// replaceN puts the placeholder number n where a condition says $N.
func replaceN(cond string, n int) string { return strings.ReplaceAll(cond, "$N", "$"+strconv.Itoa(n)) }

func joinAnd(conds []string) string { return strings.Join(conds, " AND ") }

func itoa(n int) string { return strconv.Itoa(n) }
