package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/dure-coop/dure/internal/config"
)

func runReindex(context.Context, config.Config, *slog.Logger, []string) error {
	return errors.New("reindex: not built yet")
}

func runWorker(context.Context, config.Config, *slog.Logger, []string) error {
	return errors.New("worker: not built yet")
}
