-- +goose Up
-- An enterprise's own return/exchange address (반품 주소, issue 14): shown
-- on its products' seller details and 교환·반품 안내 and on orders. All
-- empty means unset: returns then go to the place of business (address).
ALTER TABLE enterprises
    ADD COLUMN return_postcode text NOT NULL DEFAULT '' CHECK (return_postcode = '' OR return_postcode ~ '^[0-9]{5}$'),
    ADD COLUMN return_road     text NOT NULL DEFAULT '' CHECK (char_length(return_road) <= 200),
    ADD COLUMN return_detail   text NOT NULL DEFAULT '' CHECK (char_length(return_detail) <= 100),
    ADD COLUMN return_phone    text NOT NULL DEFAULT '' CHECK (char_length(return_phone) <= 20),
    ADD CONSTRAINT enterprises_return_address_whole
        CHECK ((return_postcode = '') = (return_road = '') AND (return_road <> '' OR (return_detail = '' AND return_phone = '')));

-- +goose Down
ALTER TABLE enterprises
    DROP CONSTRAINT enterprises_return_address_whole,
    DROP COLUMN return_phone,
    DROP COLUMN return_detail,
    DROP COLUMN return_road,
    DROP COLUMN return_postcode;
