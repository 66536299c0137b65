-- +goose Up
-- Search synonyms: a query for term also finds products that say one of its
-- synonyms. Pushed to Meilisearch's synonyms setting whenever the index is
-- configured (start-up, reindex, `dure synonyms push`) and applied by the
-- PostgreSQL fallback. Terms are stored lower-case with single spaces.
CREATE TABLE search_synonyms (
    term       text PRIMARY KEY CHECK (term <> '' AND term = lower(btrim(term))),
    synonyms   text[] NOT NULL CHECK (cardinality(synonyms) > 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The starter dictionary, as groups of words that mean the same thing to a
-- shopper or a public buyer; every word of a group gets the others.
INSERT INTO search_synonyms (term, synonyms)
SELECT t, array_agg(DISTINCT s ORDER BY s)
FROM (VALUES
    (ARRAY['먹는샘물', '생수', '샘물']),
    (ARRAY['핸드워시', '손세정제', '손비누']),
    (ARRAY['손소독제', '손세정제', '핸드젤', '손소독젤']),
    (ARRAY['세제', '세정제']),
    (ARRAY['주방세제', '설거지세제', '식기세척제']),
    (ARRAY['섬유유연제', '유연제']),
    (ARRAY['화장지', '휴지', '두루마리휴지']),
    (ARRAY['현수막', '플래카드', '플랜카드', '배너']),
    (ARRAY['리플릿', '리플렛', '전단지', '팸플릿', '브로슈어']),
    (ARRAY['소식지', '뉴스레터', '회보']),
    (ARRAY['명함', '비즈니스카드']),
    (ARRAY['방역', '소독', '살균', '방제']),
    (ARRAY['청소', '클리닝', '미화']),
    (ARRAY['시설관리', '건물관리', '빌딩관리']),
    (ARRAY['집수리', '수선', '보수공사']),
    (ARRAY['조경', '정원관리', '조경관리']),
    (ARRAY['케이터링', '출장뷔페', '출장음식']),
    (ARRAY['다과', '간식']),
    (ARRAY['답례품', '기념품', '판촉물']),
    (ARRAY['쌀', '백미']),
    (ARRAY['햅쌀', '햇쌀']),
    (ARRAY['서리태', '검정콩', '검은콩']),
    (ARRAY['백태', '메주콩', '대두']),
    (ARRAY['원두커피', '원두', '커피']),
    (ARRAY['복사용지', 'a4용지', '복사지']),
    (ARRAY['토너', '카트리지', '잉크']),
    (ARRAY['노트', '공책']),
    (ARRAY['메모지', '포스트잇', '메모패드']),
    (ARRAY['다이어리', '수첩', '플래너']),
    (ARRAY['필통', '펜케이스']),
    (ARRAY['볼펜', '펜']),
    (ARRAY['에코백', '장바구니', '천가방', '토트백']),
    (ARRAY['단체복', '유니폼', '작업복']),
    (ARRAY['샴푸바', '고체샴푸']),
    (ARRAY['린스바', '고체린스', '컨디셔너바']),
    (ARRAY['도시락', '런치박스']),
    (ARRAY['교육', '연수', '강의']),
    (ARRAY['체험', '체험학습', '클래스']),
    (ARRAY['부사', '후지']),
    (ARRAY['유기농', 'organic', '오가닉']),
    (ARRAY['친환경', 'eco', '에코']),
    (ARRAY['선물세트', '선물 세트', '기프트세트'])
) AS g(terms), unnest(terms) AS t, unnest(terms) AS s
WHERE s <> t
GROUP BY t;

-- hangul_choseong returns the initial consonants of the Hangul syllables of s
-- ('된장' → 'ㄷㅈ') and drops everything else, so the fallback search can
-- answer a 초성 query.
CREATE FUNCTION hangul_choseong(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(substr('ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ', (ascii(c) - 44032) / 588 + 1, 1), '' ORDER BY i), '')
    FROM unnest(string_to_array(s, NULL)) WITH ORDINALITY AS u(c, i)
    WHERE ascii(c) BETWEEN 44032 AND 55203
$$;

-- +goose Down
DROP FUNCTION hangul_choseong(text);
DROP TABLE search_synonyms;
