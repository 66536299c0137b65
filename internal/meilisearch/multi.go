package meilisearch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	ms "github.com/meilisearch/meilisearch-go"
	fastjson "github.com/segmentio/encoding/json"
)

// multiSearch sends reqs as one /multi-search request on the live index and
// decodes each answer into out (len(out) == len(reqs)). It is sent and read
// raw, as search is: meilisearch-go's MultiSearch decodes every hit into a
// map first.
func (c *Client) multiSearch(ctx context.Context, reqs []*ms.SearchRequest, out []response) error {
	queries := make([]*ms.SearchRequest, len(reqs))
	for i, r := range reqs {
		q := *r
		q.IndexUID = c.index
		queries[i] = &q
	}
	body, err := fastjson.Marshal(struct {
		Queries []*ms.SearchRequest `json:"queries"`
	}{queries})
	if err != nil {
		return fmt.Errorf("meilisearch: multi-search %s: encode: %w", c.index, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/multi-search", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("meilisearch: multi-search %s: %w", c.index, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("meilisearch: multi-search %s: %w", c.index, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("meilisearch: multi-search %s: %w", c.index, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("meilisearch: multi-search %s: status %d: %.200s", c.index, resp.StatusCode, raw)
	}
	var answer struct {
		Results []response `json:"results"`
	}
	if err := fastjson.Unmarshal(raw, &answer); err != nil {
		return fmt.Errorf("meilisearch: multi-search %s: decode: %w", c.index, err)
	}
	if len(answer.Results) != len(out) {
		return fmt.Errorf("meilisearch: multi-search %s: %d answers to %d queries", c.index, len(answer.Results), len(out))
	}
	copy(out, answer.Results)
	return nil
}
