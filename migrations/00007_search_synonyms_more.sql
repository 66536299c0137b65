-- +goose Up
-- More search synonyms (issue 13): loanwords and everyday spellings shoppers
-- type for what the catalogue names otherwise. Groups make every word a
-- synonym of the others; the pairs below them go one way only (a shopper's
-- 애플 is a 사과, but a search for 사과 need not look for 애플). Merged with
-- what the dictionary already has; pushed to Meilisearch at the next start-up,
-- reindex or `dure synonyms push`.
WITH pairs (term, syn) AS (
    SELECT t, s
    FROM (VALUES
        (ARRAY['주스', '쥬스', '즙']),
        (ARRAY['벤또', '도시락']),
        (ARRAY['보온병', '텀블러']),
        (ARRAY['고매', '고구마']),
        (ARRAY['워크숍', '워크샵']),
        (ARRAY['뷔페', '부페']),
        (ARRAY['앞치마', '에이프런']),
        (ARRAY['캔들', '양초']),
        (ARRAY['케이크', '케익']),
        (ARRAY['초콜릿', '초콜렛']),
        (ARRAY['비스킷', '비스켓']),
        (ARRAY['소시지', '소세지']),
        (ARRAY['바비큐', '바베큐']),
        (ARRAY['액세서리', '악세사리', '악세서리']),
        (ARRAY['트레이', '쟁반']),
        (ARRAY['도마', '커팅보드']),
        (ARRAY['세탁세제', '빨래세제']),
        (ARRAY['디퓨저', '방향제']),
        (ARRAY['정구지', '부추']),
        (ARRAY['강냉이', '옥수수'])
    ) AS g(terms), unnest(terms) AS t, unnest(terms) AS s
    WHERE s <> t
    UNION
    SELECT * FROM (VALUES
        ('애플', '사과'),
        ('허니', '꿀'),
        ('갈릭', '마늘'),
        ('어니언', '양파'),
        ('포테이토', '감자'),
        ('그린티', '녹차'),
        ('솝', '비누')
    ) AS o(t, s)
)
INSERT INTO search_synonyms (term, synonyms)
SELECT term, array_agg(DISTINCT syn ORDER BY syn) FROM pairs GROUP BY term
ON CONFLICT (term) DO UPDATE SET updated_at = now(),
    synonyms = (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(search_synonyms.synonyms || excluded.synonyms) x);

-- +goose Down
CREATE TEMP TABLE synonyms_00007 (term text, syn text) ON COMMIT DROP;
INSERT INTO synonyms_00007
SELECT t, s
FROM (VALUES
    (ARRAY['주스', '쥬스', '즙']),
    (ARRAY['벤또', '도시락']),
    (ARRAY['보온병', '텀블러']),
    (ARRAY['고매', '고구마']),
    (ARRAY['워크숍', '워크샵']),
    (ARRAY['뷔페', '부페']),
    (ARRAY['앞치마', '에이프런']),
    (ARRAY['캔들', '양초']),
    (ARRAY['케이크', '케익']),
    (ARRAY['초콜릿', '초콜렛']),
    (ARRAY['비스킷', '비스켓']),
    (ARRAY['소시지', '소세지']),
    (ARRAY['바비큐', '바베큐']),
    (ARRAY['액세서리', '악세사리', '악세서리']),
    (ARRAY['트레이', '쟁반']),
    (ARRAY['도마', '커팅보드']),
    (ARRAY['세탁세제', '빨래세제']),
    (ARRAY['디퓨저', '방향제']),
    (ARRAY['정구지', '부추']),
    (ARRAY['강냉이', '옥수수'])
) AS g(terms), unnest(terms) AS t, unnest(terms) AS s
WHERE s <> t
UNION
SELECT * FROM (VALUES
    ('애플', '사과'), ('허니', '꿀'), ('갈릭', '마늘'), ('어니언', '양파'), ('포테이토', '감자'), ('그린티', '녹차'),
    ('솝', '비누')
) AS o(t, s);
DELETE FROM search_synonyms d
WHERE NOT EXISTS (SELECT 1 FROM unnest(d.synonyms) x WHERE (d.term, x) NOT IN (SELECT term, syn FROM synonyms_00007));
UPDATE search_synonyms u SET updated_at = now(),
    synonyms = ARRAY(SELECT x FROM unnest(u.synonyms) x WHERE (u.term, x) NOT IN (SELECT term, syn FROM synonyms_00007) ORDER BY x)
WHERE EXISTS (SELECT 1 FROM synonyms_00007 p WHERE p.term = u.term);
