package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dure-coop/dure/internal/account"
	"github.com/dure-coop/dure/internal/board"
)

// BoardStore implements board.Store.
type BoardStore struct{ pool db }

var _ board.Store = (*BoardStore)(nil)

// NewBoardStore returns the board's store.
func NewBoardStore(pool *pgxpool.Pool) *BoardStore { return &BoardStore{pool: db{pool}} }

func (s *BoardStore) inTx(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	return (&AccountStore{pool: s.pool}).inTx(ctx, what, fn)
}

const boardPostColumns = `id, kind, title, body, pinned, published_at, created_at, updated_at`

func scanBoardPost(r pgx.Row) (*board.Post, error) {
	var p board.Post
	if err := r.Scan(&p.ID, &p.Kind, &p.Title, &p.Body, &p.Pinned, &p.PublishedAt, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, err
	}
	return &p, nil
}

// FindPost returns post id with its files, drafts included.
func (s *BoardStore) FindPost(ctx context.Context, id int64) (*board.Post, error) {
	p, err := scanBoardPost(s.pool.QueryRow(ctx, `SELECT `+boardPostColumns+` FROM board_posts WHERE id = $1`, id))
	if err != nil {
		return nil, translate(err, "글")
	}
	rows, err := s.pool.Query(ctx, `SELECT id, post_id, blob_key, name, content_type, size FROM board_files
		WHERE post_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, translate(err, "첨부파일")
	}
	p.Files, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*board.File, error) {
		var f board.File
		err := r.Scan(&f.ID, &f.PostID, &f.Key, &f.Name, &f.ContentType, &f.Size)
		return &f, err
	})
	if err != nil {
		return nil, translate(err, "첨부파일")
	}
	return p, nil
}

// FindPosts returns posts matching f, pinned first, then newest, and
// their total.
func (s *BoardStore) FindPosts(ctx context.Context, f board.Filter) ([]*board.Post, int, error) {
	where, args := "true", []any{}
	if !f.Drafts {
		where = "published_at IS NOT NULL"
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where += " AND kind = $1"
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM board_posts WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, translate(err, "글 목록")
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	order := "pinned DESC, published_at DESC, id DESC"
	if f.Drafts {
		order = "pinned DESC, coalesce(published_at, created_at) DESC, id DESC"
	}
	args = append(args, limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+boardPostColumns+` FROM board_posts WHERE `+where+` ORDER BY `+order+
		` LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err, "글 목록")
	}
	posts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*board.Post, error) { return scanBoardPost(r) })
	if err != nil {
		return nil, 0, translate(err, "글 목록")
	}
	return posts, total, nil
}

// FindLatest returns up to n published posts of each kind, through the
// public index (one short scan per kind).
func (s *BoardStore) FindLatest(ctx context.Context, n int) ([]*board.Post, error) {
	rows, err := s.pool.Query(ctx, `SELECT p.id, p.kind, p.title, p.body, p.pinned, p.published_at, p.created_at, p.updated_at
		FROM unnest($1::text[]) AS k (kind)
		CROSS JOIN LATERAL (SELECT `+boardPostColumns+` FROM board_posts b
			WHERE b.kind = k.kind AND b.published_at IS NOT NULL
			ORDER BY b.pinned DESC, b.published_at DESC, b.id DESC LIMIT $2) p`, []string{string(board.Notice), string(board.Download)}, n)
	if err != nil {
		return nil, translate(err, "글 목록")
	}
	posts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*board.Post, error) { return scanBoardPost(r) })
	if err != nil {
		return nil, translate(err, "글 목록")
	}
	return posts, nil
}

func insertBoardFiles(ctx context.Context, tx pgx.Tx, p *board.Post) error {
	for _, f := range p.Files {
		if f.ID != 0 {
			continue
		}
		f.PostID = p.ID
		if err := tx.QueryRow(ctx, `INSERT INTO board_files (post_id, blob_key, name, content_type, size)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.ID, f.Key, f.Name, f.ContentType, f.Size).Scan(&f.ID); err != nil {
			return translate(err, "첨부파일")
		}
	}
	return nil
}

// CreatePost inserts p with its files and the audit record.
func (s *BoardStore) CreatePost(ctx context.Context, p *board.Post, createdBy int64, audit *account.AuditRecord) error {
	return s.inTx(ctx, "create board post", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO board_posts (kind, title, body, pinned, published_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at, updated_at`,
			p.Kind, p.Title, p.Body, p.Pinned, p.PublishedAt, zeroNull(createdBy)).Scan(&p.ID, &p.CreatedAt, &p.UpdatedAt); err != nil {
			return translate(err, "글")
		}
		if err := insertBoardFiles(ctx, tx, p); err != nil {
			return err
		}
		if audit != nil {
			audit.EntityID = strconv.FormatInt(p.ID, 10)
		}
		return insertAudit(ctx, tx, audit)
	})
}

// UpdatePost writes p, adds its new files and removes removeIDs.
func (s *BoardStore) UpdatePost(ctx context.Context, p *board.Post, removeIDs []int64, audit *account.AuditRecord) error {
	return s.inTx(ctx, "update board post", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE board_posts SET kind = $2, title = $3, body = $4, pinned = $5, published_at = $6,
				updated_at = now() WHERE id = $1 RETURNING updated_at`,
			p.ID, p.Kind, p.Title, p.Body, p.Pinned, p.PublishedAt).Scan(&p.UpdatedAt)
		if err != nil {
			return translate(err, "글")
		}
		if len(removeIDs) > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM board_files WHERE post_id = $1 AND id = ANY($2)`, p.ID, removeIDs); err != nil {
				return translate(err, "첨부파일")
			}
		}
		if err := insertBoardFiles(ctx, tx, p); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit)
	})
}

// DeletePost removes post id and its files' rows.
func (s *BoardStore) DeletePost(ctx context.Context, id int64, audit *account.AuditRecord) error {
	return s.inTx(ctx, "delete board post", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM board_posts WHERE id = $1`, id)
		if err != nil {
			return translate(err, "글")
		}
		if tag.RowsAffected() == 0 {
			return translate(pgx.ErrNoRows, "글")
		}
		return insertAudit(ctx, tx, audit)
	})
}
