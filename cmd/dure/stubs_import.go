package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/dure-coop/dure/internal/config"
)

func runImport(context.Context, config.Config, *slog.Logger, []string) error {
	return errors.New("import: not built yet")
}

func runSeed(context.Context, config.Config, *slog.Logger, []string) error {
	return errors.New("seed: not built yet")
}
