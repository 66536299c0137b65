package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/dure-coop/dure/internal/config"
)

func runServe(context.Context, config.Config, *slog.Logger, []string) error {
	return errors.New("serve: not built yet")
}
