// Package relevance holds the Korean search relevance set (testdata/queries.tsv):
// realistic queries over the demo catalogue (internal/demo), each with the
// products a shopper expects, judged by reading the catalogue. Its test scores
// the real search stack on real Meilisearch and PostgreSQL.
package relevance
