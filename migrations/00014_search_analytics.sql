-- +goose Up
-- What shoppers searched, per week: how often, how often nothing was found,
-- how often a result was opened (issue 13: the list from which the operator
-- adds synonyms). Only the normalised query text is kept — no user, session,
-- address or time of day — and queries that look like personal data (an
-- e-mail address, a phone or order number) are never recorded.
CREATE TABLE search_query_stats (
    week         date NOT NULL CHECK (extract(isodow FROM week) = 1),
    query        text NOT NULL CHECK (query <> '' AND char_length(query) <= 100),
    searches     bigint NOT NULL DEFAULT 0 CHECK (searches >= 0),
    zero_results bigint NOT NULL DEFAULT 0 CHECK (zero_results >= 0 AND zero_results <= searches),
    clicks       bigint NOT NULL DEFAULT 0 CHECK (clicks >= 0),
    PRIMARY KEY (week, query)
);
CREATE INDEX search_query_stats_top ON search_query_stats (week, searches DESC, query);

-- +goose Down
DROP TABLE search_query_stats;
