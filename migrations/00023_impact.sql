-- +goose Up
-- Issue 11 part 4: impact per purchase. Each enterprise declares a few
-- figures, each with the year it describes and its basis (where the number
-- comes from); pages estimate the impact of a purchase from them. Shares
-- are basis points (1% = 100), never floats.
--   vulnerable_share  취약계층 고용 비율 (bp of employees)
--   jobs              일자리 수 (people employed)
--   local_sourcing    지역 원재료·서비스 구매 비율 (bp of spending)
--   work_minutes      만 원어치 구매마다 만들어지는 일의 시간 (minutes per 10,000원)
CREATE TABLE enterprise_impacts (
    enterprise_id bigint NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('vulnerable_share', 'jobs', 'local_sourcing', 'work_minutes')),
    value         bigint NOT NULL CHECK (value >= 0),
    year          int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    basis         text NOT NULL CHECK (basis <> '' AND length(basis) <= 200),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (enterprise_id, kind),
    CHECK (kind NOT IN ('vulnerable_share', 'local_sourcing') OR value <= 10000)
);

-- +goose Down
DROP TABLE enterprise_impacts;
