-- +goose Up
-- Issue 14: what an online mall must show and what a shopper agrees to.
--
-- coop_settings gains the last footer fact (호스팅 제공자) and whether the
-- co-op acts as a marketplace intermediary (통신판매중개자): the member
-- enterprises are the sellers, so the footer and product pages say so.
ALTER TABLE coop_settings
    ADD COLUMN hosting_provider text NOT NULL DEFAULT '' CHECK (length(hosting_provider) <= 100),
    ADD COLUMN intermediary     boolean NOT NULL DEFAULT true;

-- The documents a shopper reads and agrees to, each kind in numbered
-- versions that are never changed: the operator publishes a new version,
-- and an order points at the versions its buyer agreed to.
--   terms          이용약관
--   privacy        개인정보처리방침
--   order_privacy  개인정보 수집·이용 동의 (the notice at checkout)
CREATE TABLE legal_documents (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('terms', 'privacy', 'order_privacy')),
    version      int NOT NULL CHECK (version > 0),
    body         text NOT NULL CHECK (body <> '' AND length(body) <= 50000),
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by bigint REFERENCES users (id),
    UNIQUE (kind, version)
);

INSERT INTO legal_documents (kind, version, body) VALUES
('terms', 1, '제1조 (목적)
이 약관은 두레 사회적협동조합(이하 "조합")이 운영하는 온라인 공동판매장 두레(이하 "몰")에서 제공하는 전자상거래 관련 서비스를 이용할 때 조합, 입점기업과 이용자의 권리·의무 및 책임사항을 정합니다.

제2조 (정의)
1. "입점기업"이란 몰에 상품과 서비스를 올려 판매하는 사회적경제기업을 말합니다.
2. "이용자"란 몰에 접속하여 이 약관에 따라 서비스를 이용하는 회원과 비회원을 말합니다.

제3조 (통신판매중개)
조합이 통신판매중개자로 표시된 경우, 조합은 통신판매의 당사자가 아니며 상품의 정보, 거래와 품질에 대한 책임은 각 상품 페이지에 표시된 입점기업에 있습니다. 조합은 분쟁의 해결을 위하여 성실히 돕습니다.

제4조 (구매신청)
이용자는 상품과 수량, 받는 분의 이름·연락처·주소를 입력하고, 구매조건과 이 약관, 개인정보 수집·이용에 동의한 뒤 결제하여 구매를 신청합니다.

제5조 (청약철회 등)
1. 이용자는 상품을 받은 날(서비스는 계약한 날)부터 7일 이내에 청약을 철회할 수 있습니다.
2. 상품이 훼손되었거나(내용 확인을 위한 포장 훼손은 제외) 사용·소비로 가치가 현저히 줄어든 경우, 신선식품처럼 다시 판매하기 어려운 경우, 이미 제공이 시작된 서비스는 철회가 제한될 수 있으며, 상품 페이지에 미리 알립니다.
3. 단순 변심에 의한 반품 배송비는 이용자가, 상품의 하자나 오배송에 의한 반품 배송비는 입점기업이 부담합니다.
4. 상품의 내용이 표시·광고와 다르거나 계약과 다르게 이행된 경우 받은 날부터 3개월 이내, 그 사실을 안 날부터 30일 이내에 철회할 수 있습니다.

제6조 (환급)
청약철회로 상품을 돌려받은 날부터 3영업일 이내에 결제하신 수단으로 대금을 환급합니다.

제7조 (분쟁해결)
조합은 이용자의 의견과 불만을 고객센터에서 받아 처리하며, 분쟁은 전자상거래 등에서의 소비자보호에 관한 법률 등 관계 법령과 공정거래위원회 고시 소비자분쟁해결기준에 따릅니다.'),
('privacy', 1, '두레 사회적협동조합(이하 "조합")은 개인정보 보호법에 따라 이용자의 개인정보를 보호하고 관련 고충을 원활하게 처리하기 위하여 다음과 같이 개인정보처리방침을 둡니다.

1. 처리하는 개인정보 항목
- 주문: 주문하시는 분의 이름·연락처·이메일, 받으시는 분의 이름·연락처·주소, 결제 기록
- 회원: 이메일, 이름, 비밀번호(암호화하여 저장)
- 자동 수집: 접속 기록, 쿠키(장바구니와 로그인 유지)

2. 처리 목적
주문 접수와 결제, 상품 배송과 서비스 제공, 교환·반품·환불, 고객 상담과 분쟁 처리, 회원 관리.

3. 보유 기간
전자상거래 등에서의 소비자보호에 관한 법률에 따라 계약·청약철회 및 대금결제·재화 공급에 관한 기록은 5년, 소비자 불만 또는 분쟁처리에 관한 기록은 3년 보관합니다. 회원 정보는 탈퇴 시 지체 없이 파기합니다.

4. 제3자 제공
주문한 상품을 배송하기 위하여 해당 상품의 입점기업에 받으시는 분의 이름·연락처·주소와 주문 내용을 제공합니다. 입점기업은 배송과 교환·반품 처리 목적으로만 이용하며 위 보유 기간이 지나면 파기합니다.

5. 처리 위탁
결제 처리를 위해 결제대행사에 결제 정보를 위탁합니다.

6. 정보주체의 권리
이용자는 언제든지 개인정보의 열람·정정·삭제·처리정지를 요구할 수 있으며, 고객센터로 연락하시면 지체 없이 처리합니다.

7. 개인정보 보호책임자
조합의 대표 연락처(쇼핑몰 하단에 표시)로 문의해 주세요.'),
('order_privacy', 1, '수집 항목: 주문하시는 분의 이름·연락처·이메일, 받으시는 분의 이름·연락처·주소, 배송 메모
이용 목적: 주문 접수와 결제 확인, 상품 배송과 서비스 제공, 교환·반품·환불과 고객 상담
보유 기간: 전자상거래 등에서의 소비자보호에 관한 법률에 따라 5년(소비자 불만·분쟁 처리 기록은 3년) 보관 후 파기
제공: 배송을 위해 주문한 상품의 입점기업에 받으시는 분의 이름·연락처·주소와 주문 내용을 제공합니다.
동의를 거부할 수 있으나, 거부하시면 주문할 수 없습니다.');

-- What the buyer of a shop order agreed to, and when: the versions of the
-- terms (with the purchase conditions) and of the collection notice, and
-- the separate, optional marketing consent. Orders from before this
-- migration and public (invoice) orders have none.
ALTER TABLE orders
    ADD COLUMN agreed_terms_id   bigint REFERENCES legal_documents (id),
    ADD COLUMN agreed_privacy_id bigint REFERENCES legal_documents (id),
    ADD COLUMN agreed_at         timestamptz,
    ADD COLUMN marketing_consent boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT orders_consent_whole CHECK (
        (agreed_terms_id IS NULL) = (agreed_at IS NULL) AND (agreed_privacy_id IS NULL) = (agreed_at IS NULL)
        AND (agreed_at IS NOT NULL OR NOT marketing_consent));

-- +goose Down
ALTER TABLE orders
    DROP CONSTRAINT orders_consent_whole,
    DROP COLUMN marketing_consent,
    DROP COLUMN agreed_at,
    DROP COLUMN agreed_privacy_id,
    DROP COLUMN agreed_terms_id;
DROP TABLE legal_documents;
ALTER TABLE coop_settings
    DROP COLUMN intermediary,
    DROP COLUMN hosting_provider;
