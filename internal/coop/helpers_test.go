package coop_test

import (
	"errors"

	"github.com/dure-coop/dure/internal/apperr"
)

func fieldsOf(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
