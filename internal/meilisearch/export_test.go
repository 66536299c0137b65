package meilisearch

// SendMode sets how c sends a search's readings, for BenchmarkSearchCost
// to compare: parallel requests instead of one multi-search, and every
// reading at once instead of the first reading first.
func SendMode(c *Client, parallel, allAtOnce bool) {
	c.parallel, c.allAtOnce = parallel, allAtOnce
}
