package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/dure-coop/dure/internal/config"
	"github.com/dure-coop/dure/internal/meilisearch"
	"github.com/dure-coop/dure/internal/postgres"
	"github.com/dure-coop/dure/internal/search"
)

const synonymsUsage = `usage: dure synonyms <list | add TERM SYNONYM... | push>

  list                  print the synonym dictionary (term<TAB>synonyms)
  add TERM SYNONYM...   make the words synonyms of each other (kept in
                        PostgreSQL) and push the dictionary to Meilisearch
  push                  push the dictionary to Meilisearch's live index
`

// runSynonyms manages the search synonym dictionary.
func runSynonyms(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, synonymsUsage)
		return errors.New("synonyms: missing subcommand")
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := postgres.NewSynonymStore(pool)
	client := meilisearch.New(cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndex).WithSynonyms(store)
	switch args[0] {
	case "list":
		return listSynonyms(ctx, store, os.Stdout)
	case "add":
		if len(args) < 3 {
			fmt.Fprint(os.Stderr, synonymsUsage)
			return errors.New("synonyms add: give a term and at least one synonym")
		}
		// Not audited, as before: the shell has no actor, only the
		// operating system's account; the log line is the trace.
		if err := store.AddSynonyms(ctx, args[1:], nil); err != nil {
			return err
		}
		log.Info("synonyms added", "words", strings.Join(args[1:], ", "))
		return pushSynonyms(ctx, client, log)
	case "push":
		return pushSynonyms(ctx, client, log)
	}
	fmt.Fprint(os.Stderr, synonymsUsage)
	return fmt.Errorf("synonyms: unknown subcommand %q", args[0])
}

func listSynonyms(ctx context.Context, store search.SynonymStore, w io.Writer) error {
	list, err := store.FindSynonyms(ctx)
	if err != nil {
		return err
	}
	for _, s := range list {
		if _, err := fmt.Fprintf(w, "%s\t%s\n", s.Term, strings.Join(s.Synonyms, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// pushSynonyms pushes the dictionary to the live index. Meilisearch being
// down is not fatal for add: the dictionary is saved and every configuration
// of the index (start-up, worker recovery, reindex) pushes it again.
func pushSynonyms(ctx context.Context, client *meilisearch.Client, log *slog.Logger) error {
	if err := client.PushSynonyms(ctx); err != nil {
		return fmt.Errorf("synonyms: push to Meilisearch (saved in PostgreSQL; the next start-up or reindex pushes them): %w", err)
	}
	log.Info("synonyms pushed to Meilisearch", "index", client.Index())
	return nil
}
