// Package relevance holds the Korean search relevance sets: realistic queries
// over the demo catalogue (internal/demo), each with the products a shopper
// expects, judged by reading the catalogue. testdata/queries.tsv (issue 4)
// judges relevant or not; testdata/graded.tsv (issue 13) grades 1–3 for
// NDCG: head nouns, category intent, words that also name enterprises or
// places, several words, loanwords and exact names. Its test scores the real
// search stack on real Meilisearch and PostgreSQL.
package relevance
