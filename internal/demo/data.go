package demo

// The fixed vocabulary the generator draws from. Every name, person, address
// and number here is fictional.

type categoryDef struct {
	id, slug, name, parent string
}

// categories is the demo tree: six roots and their leaves, in display order.
var categories = []categoryDef{
	{"cat-food", "food", "식품", ""},
	{"cat-fruit-veg", "fruit-veg", "과일·채소", "cat-food"},
	{"cat-rice-grain", "rice-grain", "쌀·잡곡", "cat-food"},
	{"cat-sauces", "sauces", "장류·소스", "cat-food"},
	{"cat-processed", "processed", "가공식품", "cat-food"},
	{"cat-drinks", "drinks", "음료·차", "cat-food"},
	{"cat-living", "living", "생활용품", ""},
	{"cat-detergent", "detergent", "세제·위생", "cat-living"},
	{"cat-kitchen", "kitchen", "주방용품", "cat-living"},
	{"cat-eco-living", "eco-living", "친환경 생활", "cat-living"},
	{"cat-office", "office", "사무용품·문구", ""},
	{"cat-office-supplies", "office-supplies", "사무용품", "cat-office"},
	{"cat-stationery", "stationery", "문구·노트", "cat-office"},
	{"cat-fashion", "fashion", "의류·잡화", ""},
	{"cat-clothing", "clothing", "의류", "cat-fashion"},
	{"cat-bags", "bags", "가방·잡화", "cat-fashion"},
	{"cat-crafts", "crafts", "공예·선물", ""},
	{"cat-craftwork", "craftwork", "공예품", "cat-crafts"},
	{"cat-gift-sets", "gift-sets", "선물세트", "cat-crafts"},
	{"cat-services", "services", "서비스", ""},
	{"cat-cleaning", "cleaning", "청소·방역", "cat-services"},
	{"cat-print-design", "print-design", "인쇄·디자인", "cat-services"},
	{"cat-catering", "catering", "케이터링", "cat-services"},
	{"cat-education", "education", "교육·체험", "cat-services"},
	{"cat-facility", "facility", "시설관리", "cat-services"},
}

// variant is one size or package of a product template, with its usual
// consumer price in 원.
type variant struct {
	label string
	price int64
}

// optionSet is a choice a buyer makes on the product page (크기, 향, 색상).
type optionSet struct {
	codes  []string
	names  []string
	extras []int64
}

var (
	sizes   = &optionSet{[]string{"S", "M", "L", "XL"}, []string{"S", "M", "L", "XL"}, []int64{0, 0, 0, 2000}}
	colours = &optionSet{[]string{"navy", "beige", "khaki"}, []string{"네이비", "베이지", "카키"}, []int64{0, 0, 0}}
	scents  = &optionSet{[]string{"plain", "lemon", "lavender"}, []string{"무향", "레몬향", "라벤더향"}, []int64{0, 500, 500}}
	grades  = &optionSet{[]string{"mid", "large"}, []string{"중과", "대과"}, []int64{0, 5000}}
	menus   = &optionSet{[]string{"basic", "premium"}, []string{"기본 구성", "프리미엄 구성"}, []int64{0, 3000}}
)

// tmpl is a product template: "{place}" in name is replaced by the
// enterprise's home place (청송, 팔공산, ...).
type tmpl struct {
	name     string
	variants []variant
	unit     string
	exempt   bool
	summary  string
	options  *optionSet
}

func v(label string, price int64) variant { return variant{label, price} }

// templates holds the product templates of each leaf category.
var templates = map[string][]tmpl{
	"cat-fruit-veg": {
		{"{place} 꿀사과", []variant{v("3kg", 29000), v("5kg", 45000), v("10kg", 82000)}, "박스", true, "아삭하고 꿀이 든 산지 직송 햇사과", grades},
		{"{place} 부사 사과 가정용", []variant{v("5kg", 32000), v("10kg", 58000)}, "박스", true, "모양은 조금 달라도 맛은 같은 가정용 사과", nil},
		{"못난이 사과", []variant{v("3kg", 16000), v("5kg", 22000)}, "박스", true, "흠집 난 사과를 버리지 않고 알뜰하게", nil},
		{"{place} 신고배", []variant{v("5kg", 39000), v("7.5kg", 55000)}, "박스", true, "과즙이 풍부한 명절 신고배", nil},
		{"무농약 방울토마토", []variant{v("1kg", 12000), v("2kg", 22000)}, "박스", true, "무농약 인증 농가에서 완숙 수확", nil},
		{"친환경 유기농 감자", []variant{v("3kg", 13000), v("5kg", 19000)}, "박스", true, "유기농 인증 밭에서 캔 햇감자", nil},
		{"{place} 햇양파", []variant{v("5kg", 12000), v("10kg", 21000)}, "망", true, "단단하고 매운맛이 덜한 햇양파", nil},
		{"무농약 깐마늘", []variant{v("500g", 9000), v("1kg", 16000)}, "봉", true, "손질해서 바로 쓰는 국산 깐마늘", nil},
		{"제철 채소 꾸러미", []variant{v("소", 25000), v("대", 39000)}, "상자", true, "이번 주 밭에서 나온 제철 채소 모둠", nil},
		{"{place} 참외", []variant{v("3kg", 25000), v("5kg", 38000)}, "박스", true, "당도 선별한 노란 꿀참외", nil},
		{"유기농 블루베리", []variant{v("500g", 18000), v("1kg", 33000)}, "팩", true, "유기농 인증 생블루베리", nil},
		{"사과 선별 세트 (부사·홍로)", []variant{v("5kg", 48000)}, "박스", true, "두 품종을 함께 맛보는 사과 세트", nil},
	},
	"cat-rice-grain": {
		{"{place} 햅쌀 백미", []variant{v("4kg", 16000), v("10kg", 36000), v("20kg", 64000)}, "포", true, "올해 도정한 단일 품종 햅쌀", nil},
		{"친환경 현미", []variant{v("4kg", 18000), v("10kg", 41000)}, "포", true, "무농약 인증 현미", nil},
		{"유기농 찹쌀", []variant{v("2kg", 12000), v("4kg", 22000)}, "포", true, "쫀득한 유기농 찹쌀", nil},
		{"국산 혼합 10곡", []variant{v("1kg", 11000), v("2kg", 20000)}, "봉", true, "국산 잡곡 10가지를 고루 섞었습니다", nil},
		{"국산 찰보리", []variant{v("1kg", 8000), v("3kg", 21000)}, "봉", true, "밥에 섞어 먹기 좋은 찰보리", nil},
		{"{place} 서리태", []variant{v("500g", 9800), v("1kg", 18000)}, "봉", true, "속이 파란 햇 서리태", nil},
		{"국산 귀리", []variant{v("1kg", 9000), v("2kg", 17000)}, "봉", true, "국산 겉귀리를 깨끗이 손질", nil},
		{"유기농 백태 (메주콩)", []variant{v("1kg", 12000), v("3kg", 33000)}, "봉", true, "장 담그기 좋은 유기농 메주콩", nil},
	},
	"cat-sauces": {
		{"전통 재래식 된장", []variant{v("1kg", 15000), v("2kg", 28000)}, "통", true, "국산 콩으로 3년 숙성한 집된장", nil},
		{"찹쌀 고추장", []variant{v("500g", 11000), v("1kg", 19000)}, "통", true, "햇고춧가루와 찹쌀로 담근 고추장", nil},
		{"{place} 집간장 (국간장)", []variant{v("500ml", 9000), v("900ml", 15000)}, "병", true, "메주를 띄워 직접 달인 국간장", nil},
		{"쌈장", []variant{v("500g", 7500), v("1kg", 13000)}, "통", true, "된장과 고추장을 황금비율로", nil},
		{"냉동 청국장", []variant{v("5개입", 14000), v("10개입", 26000)}, "세트", true, "한 번 끓일 만큼 소포장한 청국장", nil},
		{"수제 매실청", []variant{v("1L", 18000), v("2L", 33000)}, "병", false, "3년 숙성한 {place} 매실청", nil},
		{"수제 돈가스 소스", []variant{v("500ml", 8000)}, "병", false, "과일을 갈아 넣은 수제 소스", nil},
		{"사과 양념 불고기 소스", []variant{v("500ml", 8500), v("1L", 15000)}, "병", false, "국산 사과와 배로 단맛을 낸 소스", nil},
	},
	"cat-processed": {
		{"무농약 배추김치", []variant{v("1kg", 12000), v("3kg", 33000), v("5kg", 52000)}, "봉", true, "무농약 배추와 국산 고춧가루로 담근 김치", nil},
		{"총각김치", []variant{v("2kg", 24000)}, "봉", true, "아삭한 알타리무로 담근 총각김치", nil},
		{"열무김치", []variant{v("2kg", 21000)}, "봉", true, "여름 입맛 살리는 시원한 열무김치", nil},
		{"백김치", []variant{v("2kg", 22000)}, "봉", true, "맵지 않아 아이도 잘 먹는 백김치", nil},
		{"묵은지 김치 (1년 숙성)", []variant{v("3kg", 38000)}, "봉", true, "찌개와 찜에 좋은 1년 숙성 묵은지", nil},
		{"{place} 사과즙", []variant{v("30포", 29000), v("50포", 45000)}, "박스", false, "물 한 방울 넣지 않은 착즙 사과즙", nil},
		{"수제 사과잼", []variant{v("300g", 8900), v("600g", 15000)}, "병", false, "국산 사과와 설탕만으로 졸인 잼", nil},
		{"무가당 사과칩", []variant{v("10봉", 15000), v("20봉", 28000)}, "세트", false, "얇게 썰어 말린 바삭한 사과칩", nil},
		{"전통 한과 선물세트", []variant{v("중", 35000), v("대", 55000)}, "세트", false, "쌀조청으로 만든 유과·약과 세트", nil},
		{"우리밀 수제 쿠키", []variant{v("12개입", 14000), v("24개입", 26000)}, "상자", false, "우리밀과 유기농 버터로 구운 쿠키", nil},
		{"현미 누룽지", []variant{v("1kg", 13000)}, "봉", false, "가마솥에 눌린 고소한 현미 누룽지", nil},
		{"손두부", []variant{v("500g", 4500), v("1kg", 8500)}, "모", true, "국산 콩과 간수로 만든 손두부", nil},
		{"반찬 꾸러미 (4종)", []variant{v("1세트", 22000)}, "세트", false, "매주 바뀌는 집반찬 4가지", nil},
	},
	"cat-drinks": {
		{"유기농 녹차 티백", []variant{v("25개입", 9000), v("50개입", 16000)}, "상자", false, "유기농 찻잎을 그대로 담은 티백", nil},
		{"국산 볶은 보리차", []variant{v("1kg", 8000)}, "봉", false, "국산 겉보리를 직접 볶았습니다", nil},
		{"{place} 대추차", []variant{v("30포", 24000)}, "상자", false, "대추를 통째로 달인 진한 대추차", nil},
		{"수제 생강청", []variant{v("500g", 16000), v("1kg", 29000)}, "병", false, "국산 생강을 꿀에 재운 생강청", nil},
		{"공정무역 원두커피", []variant{v("200g", 12000), v("1kg", 42000)}, "봉", false, "공정무역 생두를 매주 볶아 보냅니다", nil},
		{"유기농 배도라지즙", []variant{v("30포", 32000)}, "박스", false, "배와 도라지를 함께 달인 건강즙", nil},
		{"수제 유자차", []variant{v("1kg", 18000)}, "병", false, "껍질째 채 썬 유자로 담근 차", nil},
		{"오미자 원액", []variant{v("500ml", 19000)}, "병", false, "물에 타 마시는 오미자 원액", nil},
	},
	"cat-detergent": {
		{"친환경 주방세제", []variant{v("500ml", 6500), v("1L 리필", 9800), v("2L 리필", 17000)}, "개", false, "식물 유래 계면활성제로 만든 주방세제", nil},
		{"식물성 세탁세제", []variant{v("1.5L", 13000), v("3L 리필", 23000)}, "개", false, "잔여물 걱정 없는 식물성 액체 세탁세제", scents},
		{"과일·채소 전용 세제", []variant{v("500ml", 7000)}, "개", false, "과일과 채소를 씻는 1종 세척제", nil},
		{"무향 섬유유연제", []variant{v("2L", 12000)}, "개", false, "향료 없이 부드럽게", nil},
		{"천연 수제 비누", []variant{v("3개입", 12000), v("6개입", 21000)}, "세트", false, "저온 숙성한 수제 비누", scents},
		{"욕실 세정제", []variant{v("750ml", 8500)}, "개", false, "락스 없이 물때를 지우는 세정제", nil},
		{"고체 설거지 비누", []variant{v("2개입", 9000)}, "세트", false, "플라스틱 용기 없는 고체 주방세제", nil},
		{"산소계 표백제", []variant{v("1kg", 8900)}, "통", false, "과탄산소다 100% 세탁 표백제", nil},
		{"손소독제 (겔타입)", []variant{v("500ml", 6000)}, "개", false, "에탄올 70% 손소독제", nil},
	},
	"cat-kitchen": {
		{"천연 수세미", []variant{v("5개입", 7000)}, "세트", false, "직접 기른 수세미오이로 만든 수세미", nil},
		{"면 행주 세트", []variant{v("5매", 12000)}, "세트", false, "삶아 쓰는 순면 행주", nil},
		{"원목 도마", []variant{v("중", 32000), v("대", 45000)}, "개", false, "통원목을 깎아 만든 도마", nil},
		{"스테인리스 빨대 세트", []variant{v("4개입", 9000)}, "세트", false, "세척솔 포함 다회용 빨대", nil},
		{"밀랍 랩", []variant{v("3종", 15000)}, "세트", false, "비닐 랩 대신 쓰는 밀랍 랩", nil},
		{"옹기 김치통", []variant{v("3L", 38000), v("5L", 52000)}, "개", false, "숨 쉬는 전통 옹기 김치통", nil},
		{"원목 수저 세트", []variant{v("2인", 19000)}, "세트", false, "옻칠한 원목 수저", nil},
		{"유리 밀폐용기 세트", []variant{v("4종", 29000)}, "세트", false, "전자레인지에 쓰는 내열 유리용기", nil},
	},
	"cat-eco-living": {
		{"업사이클 에코백", []variant{v("1개", 15000)}, "개", false, "버려진 현수막을 세척해 만든 가방", colours},
		{"대나무 칫솔", []variant{v("4개입", 8000)}, "세트", false, "생분해되는 대나무 손잡이 칫솔", nil},
		{"샴푸바", []variant{v("100g", 12000)}, "개", false, "용기 없는 고체 샴푸", scents},
		{"고체 린스바", []variant{v("80g", 11000)}, "개", false, "용기 없는 고체 린스", nil},
		{"재생지 화장지", []variant{v("30롤", 21000)}, "팩", false, "우유팩을 재활용한 화장지", nil},
		{"면 생리대 세트", []variant{v("5매", 32000)}, "세트", false, "유기농 면 다회용 생리대", nil},
		{"다회용 장바구니", []variant{v("1개", 6000)}, "개", false, "접어서 들고 다니는 장바구니", colours},
		{"EM 발효액", []variant{v("1L", 5000)}, "병", false, "설거지·청소에 쓰는 EM 발효액", nil},
	},
	"cat-office-supplies": {
		{"재생용지 A4 복사용지", []variant{v("1박스(2,500매)", 27000)}, "박스", false, "재생 펄프 복사용지", nil},
		{"친환경 볼펜", []variant{v("12자루", 9600)}, "세트", false, "재생 플라스틱 몸체 볼펜", nil},
		{"종이 파일 바인더", []variant{v("10개", 15000)}, "세트", false, "재생 판지 바인더", nil},
		{"원목 독서대", []variant{v("1개", 25000)}, "개", false, "각도 조절되는 원목 독서대", nil},
		{"원목 모니터 받침대", []variant{v("1개", 39000)}, "개", false, "수납 서랍이 있는 모니터 받침대", nil},
		{"재생 토너 카트리지", []variant{v("흑백", 45000), v("컬러", 69000)}, "개", false, "다 쓴 카트리지를 재생한 토너", nil},
		{"점착 메모지", []variant{v("10패드", 8000)}, "세트", false, "재생지 점착 메모지", nil},
		{"이면지 메모패드", []variant{v("10권", 6000)}, "세트", false, "기관 이면지를 모아 만든 메모패드", nil},
	},
	"cat-stationery": {
		{"재생지 스프링 노트", []variant{v("5권", 12000)}, "세트", false, "재생지로 만든 스프링 노트", nil},
		{"손그림 엽서 세트", []variant{v("10매", 8000)}, "세트", false, "장애인 작가의 그림으로 만든 엽서", nil},
		{"전통 문양 다이어리", []variant{v("1권", 15000)}, "권", false, "전통 문양 표지의 날짜 없는 다이어리", nil},
		{"한지 편지지 세트", []variant{v("1세트", 9000)}, "세트", false, "손으로 뜬 한지 편지지와 봉투", nil},
		{"천연 색연필", []variant{v("24색", 15000)}, "세트", false, "원목 색연필 24색", nil},
		{"캘리그라피 만년 달력", []variant{v("1개", 14000)}, "개", false, "해마다 쓰는 탁상 만년 달력", nil},
	},
	"cat-clothing": {
		{"유기농 면 티셔츠", []variant{v("1장", 25000)}, "장", false, "유기농 면 반팔 티셔츠", sizes},
		{"작업용 조끼 (단체복)", []variant{v("1벌", 29000)}, "벌", false, "주머니 많은 다용도 작업 조끼", sizes},
		{"수제 앞치마", []variant{v("1개", 22000)}, "개", false, "두꺼운 캔버스 원단 앞치마", colours},
		{"천연 염색 스카프", []variant{v("1개", 35000)}, "개", false, "쪽과 감으로 물들인 스카프", nil},
		{"유기농 면 양말", []variant{v("5족", 15000)}, "세트", false, "자활기업이 짠 면 양말", nil},
		{"후드 집업", []variant{v("1벌", 49000)}, "벌", false, "기모 안감 후드 집업", sizes},
	},
	"cat-bags": {
		{"업사이클 가죽 카드지갑", []variant{v("1개", 29000)}, "개", false, "자투리 가죽으로 만든 카드지갑", nil},
		{"현수막 업사이클 파우치", []variant{v("1개", 12000)}, "개", false, "폐현수막으로 만든 파우치", nil},
		{"캔버스 토트백", []variant{v("1개", 19000)}, "개", false, "튼튼한 10수 캔버스 가방", colours},
		{"손뜨개 가방", []variant{v("1개", 45000)}, "개", false, "어르신들이 한 코씩 뜬 가방", nil},
		{"폐원단 필통", []variant{v("1개", 9000)}, "개", false, "봉제공장 폐원단 필통", nil},
	},
	"cat-craftwork": {
		{"천연 밀랍초", []variant{v("2개입", 12000)}, "세트", false, "국산 밀랍으로 만든 초", nil},
		{"도자기 머그컵", []variant{v("1개", 18000)}, "개", false, "물레로 빚은 도자기 머그컵", nil},
		{"한지 조명 스탠드", []variant{v("1개", 58000)}, "개", false, "한지를 겹겹이 바른 무드등", nil},
		{"닥종이 인형", []variant{v("1개", 35000)}, "개", false, "닥종이로 빚은 전통 인형", nil},
		{"자개 소품함", []variant{v("1개", 42000)}, "개", false, "자개를 한 조각씩 붙인 소품함", nil},
		{"수제 캔들 디퓨저", []variant{v("1개", 24000)}, "개", false, "소이왁스 캔들과 디퓨저", scents},
		{"원목 트레이", []variant{v("1개", 27000)}, "개", false, "호두나무 원목 트레이", nil},
	},
	"cat-gift-sets": {
		{"명절 장류 선물세트 (3종)", []variant{v("1세트", 45000)}, "세트", true, "된장·고추장·간장 선물세트", nil},
		{"사회적경제 꾸러미 선물세트", []variant{v("실속형", 39000), v("고급형", 59000)}, "세트", false, "여러 사회적경제기업 제품을 한 상자에", nil},
		{"과일 선물세트 (사과·배)", []variant{v("1세트", 65000)}, "세트", true, "사과와 배를 함께 담은 선물세트", nil},
		{"수제청 선물세트", []variant{v("1세트", 38000)}, "세트", false, "매실·생강·유자청 세트", nil},
		{"기관 답례품 세트", []variant{v("1세트", 15000)}, "세트", false, "행사 답례품용 소포장 세트", nil},
		{"친환경 생활 선물세트", []variant{v("1세트", 33000)}, "세트", false, "비누·수세미·행주 선물세트", nil},
	},
	"cat-cleaning": {
		{"사무실 정기 청소 (월 4회)", []variant{v("30평", 350000), v("60평", 620000)}, "월", false, "주 1회 방문하는 사무실 정기 청소", nil},
		{"계단·공용부 청소 (월 4회)", []variant{v("5층 이하", 180000)}, "월", false, "공동주택·상가 계단 정기 청소", nil},
		{"입주 청소", []variant{v("33평 기준", 450000)}, "회", false, "새집·이사 입주 전 전문 청소", nil},
		{"에어컨 분해 청소", []variant{v("벽걸이", 90000), v("스탠드", 150000)}, "대", false, "분해 후 고압 세척하는 에어컨 청소", nil},
		{"방역·소독 서비스 (1회)", []variant{v("100평 이하", 150000)}, "회", false, "해충 방제와 바이러스 소독", nil},
		{"화장실 정기 위생 관리 (월 4회)", []variant{v("1개소", 200000)}, "월", false, "공공기관 화장실 위생 관리", nil},
		{"유리창 외벽 청소", []variant{v("1회", 300000)}, "회", false, "로프 작업 유리창 청소", nil},
		{"어린이집 방역·청소", []variant{v("1회", 120000)}, "회", false, "아이에게 안전한 약제로 방역과 청소", nil},
	},
	"cat-print-design": {
		{"현수막 디자인·인쇄", []variant{v("1장", 45000), v("5장", 180000)}, "건", false, "디자인부터 인쇄·배송까지 한 번에", nil},
		{"명함 디자인·인쇄 (200매)", []variant{v("1인", 25000)}, "건", false, "친환경 용지 명함 인쇄", nil},
		{"리플릿 디자인·인쇄 (A4 3단)", []variant{v("1,000부", 350000)}, "건", false, "기관 홍보 리플릿 디자인과 인쇄", nil},
		{"포스터 인쇄 (A2)", []variant{v("50매", 90000)}, "건", false, "행사 포스터 고급 인쇄", nil},
		{"소식지 편집 디자인·인쇄", []variant{v("8면", 1200000)}, "건", false, "기관 소식지 기획·편집·인쇄", nil},
		{"X배너 디자인·인쇄", []variant{v("1개", 55000)}, "건", false, "거치대 포함 X배너", nil},
		{"종이 쇼핑백 인쇄 (500매)", []variant{v("1건", 280000)}, "건", false, "로고를 넣은 친환경 종이 쇼핑백", nil},
		{"로고·CI 디자인", []variant{v("1건", 800000)}, "건", false, "기관·단체 로고와 CI 디자인", nil},
	},
	"cat-catering": {
		{"행사용 도시락 케이터링 (1인)", []variant{v("1인", 12000)}, "인분", false, "지역 식재료로 만든 행사 도시락", menus},
		{"회의용 다과 케이터링 (1인)", []variant{v("1인", 7000)}, "인분", false, "떡·과일·음료 회의 다과", nil},
		{"한식 뷔페 케이터링 (1인)", []variant{v("1인", 18000)}, "인분", false, "출장 한식 뷔페 (30인 이상)", nil},
		{"친환경 수제 도시락 (1인)", []variant{v("1인", 10000)}, "인분", false, "다회용기에 담는 수제 도시락", nil},
		{"비건 도시락 (1인)", []variant{v("1인", 13000)}, "인분", false, "동물성 재료 없는 채식 도시락", nil},
		{"워크숍 간식 꾸러미 (10인)", []variant{v("10인", 60000)}, "세트", false, "워크숍용 간식 꾸러미", nil},
		{"떡 답례품 (1인)", []variant{v("1인", 3500)}, "인분", false, "행사 답례용 개별 포장 떡", nil},
	},
	"cat-education": {
		{"목공 체험 교육 (20인)", []variant{v("1회", 600000)}, "회", true, "작은 가구를 직접 만드는 목공 체험", nil},
		{"도시농업 체험 교실 (20인)", []variant{v("1회", 400000)}, "회", true, "상자 텃밭을 만드는 도시농업 교육", nil},
		{"업사이클링 공예 체험 (20인)", []variant{v("1회", 500000)}, "회", false, "버려지는 물건으로 만드는 공예 체험", nil},
		{"사회적경제 이해 교육 (2시간)", []variant{v("1회", 300000)}, "회", true, "공무원·학생 대상 사회적경제 교육", nil},
		{"바리스타 체험 교실 (15인)", []variant{v("1회", 450000)}, "회", false, "핸드드립과 라떼아트 체험", nil},
		{"전통 장 담그기 체험 (10가족)", []variant{v("1회", 550000)}, "회", false, "메주로 된장을 담그는 가족 체험", nil},
		{"장애인식 개선 교육 (2시간)", []variant{v("1회", 250000)}, "회", true, "법정 의무 장애인식 개선 교육", nil},
		{"숲 생태 해설 프로그램 (25인)", []variant{v("1회", 350000)}, "회", true, "숲해설가와 함께하는 생태 체험", nil},
	},
	"cat-facility": {
		{"건물 시설관리 위탁 (월)", []variant{v("소형", 1500000)}, "월", false, "전기·설비·미화 통합 시설관리", nil},
		{"조경 관리 (1회)", []variant{v("1회", 350000)}, "회", false, "전정·제초·수목 관리", nil},
		{"전기·소방 안전 점검", []variant{v("1회", 200000)}, "회", false, "법정 전기·소방 시설 점검", nil},
		{"소규모 집수리", []variant{v("1회", 80000)}, "회", false, "방충망·문고리·수전 교체", nil},
		{"주차장 관리 위탁 (월)", []variant{v("1개소", 900000)}, "월", false, "공영주차장 관리 인력 위탁", nil},
		{"LED 조명 교체 시공 (10개)", []variant{v("10개", 250000)}, "건", false, "에너지 절감 LED 교체", nil},
		{"건물 청소·경비 통합 관리 (월)", []variant{v("소형", 2400000)}, "월", false, "청소와 경비를 함께 맡기는 통합 관리", nil},
	},
}

// profile is the line of business of an enterprise: the leaves it sells in
// and what it says about itself.
type profile struct {
	key     string
	leaves  []string
	stems   []string
	count   int
	mission string // first sentence of the mission; {place} and {n} are filled in
	about   string
}

var profiles = []profile{
	{"farm", []string{"cat-fruit-veg", "cat-gift-sets"}, []string{"햇살농원", "사과꽃마을", "푸른들농장", "산골농부", "하늘담은과수원", "솔바람농장", "해밀농원", "다온농장", "꿀벌농원", "들꽃농장"}, 10,
		"{place} 소농 {n}가구가 함께 친환경으로 기른 농산물을 제값에 팝니다.", "과수원과 밭에서 직접 기르고 수확해 산지에서 바로 보냅니다."},
	{"grain", []string{"cat-rice-grain", "cat-sauces"}, []string{"황금들녘", "논두렁", "알곡마을", "풍년들"}, 4,
		"{place} 들녘의 논을 지키며 우리 쌀과 잡곡을 길러 냅니다.", "마을 정미소에서 주문이 들어오면 그때그때 도정합니다."},
	{"sauce", []string{"cat-sauces", "cat-gift-sets"}, []string{"장독대", "메주꽃", "항아리마을", "콩세알"}, 4,
		"{place} 마을 어르신 {n}명이 전통 방식 그대로 장을 담급니다.", "국산 콩으로 메주를 띄워 항아리에서 숙성합니다."},
	{"kimchi", []string{"cat-processed", "cat-sauces"}, []string{"엄마손김치", "달구벌반찬", "솜씨좋은부엌", "행복한밥상", "맛있는나눔", "정성찬"}, 6,
		"경력단절 여성 {n}명이 함께 김치와 반찬을 만들어 안정적인 일자리를 얻었습니다.", "HACCP 작업장에서 국산 재료로 만듭니다."},
	{"drinks", []string{"cat-drinks", "cat-processed"}, []string{"차마실", "커피공감", "달빛찻집", "느린차방"}, 4,
		"공정무역과 지역 농산물로 차와 음료를 만들어 생산자에게 정당한 몫을 돌려줍니다.", "작은 공방에서 소량씩 덖고 볶습니다."},
	{"detergent", []string{"cat-detergent", "cat-eco-living"}, []string{"초록별", "맑은물", "지구살림", "숲내음", "깨끗한나눔"}, 5,
		"장애인 {n}명이 일하는 작업장에서 몸과 물에 순한 세제를 만듭니다.", "식물 유래 원료만 쓰고 리필 용기를 회수합니다."},
	{"kitchen", []string{"cat-kitchen", "cat-eco-living"}, []string{"살림공방", "제로웨이스트숍", "나무와손", "두레살림", "쓰레기없는가게"}, 5,
		"일회용품을 줄이는 살림 도구로 환경을 지키고 지역에 일자리를 만듭니다.", "다회용·생분해 제품만 골라 만듭니다."},
	{"office", []string{"cat-office-supplies", "cat-stationery"}, []string{"한빛사무", "다시쓰는종이", "오피스나눔", "행복문구"}, 4,
		"저소득 주민 {n}명이 재생 토너와 재생지 사무용품을 만들며 자립하고 있습니다.", "공공기관 납품 경험이 많아 대량 주문도 빠르게 처리합니다."},
	{"fashion", []string{"cat-clothing", "cat-bags"}, []string{"바느질공방", "옷짓는마을", "실과바늘", "다시입다"}, 4,
		"봉제 기술을 가진 결혼이주여성과 어르신 {n}명이 옷과 가방을 짓습니다.", "단체복과 업사이클 제품을 주문 제작합니다."},
	{"craft", []string{"cat-craftwork", "cat-gift-sets"}, []string{"손끝공예", "한지마을", "흙과불", "자개바람", "나무향기"}, 5,
		"발달장애 청년 {n}명이 공예가와 함께 작품을 만들며 일하는 기쁨을 나눕니다.", "모든 제품을 공방에서 손으로 만듭니다."},
	{"cleaning", []string{"cat-cleaning", "cat-facility"}, []string{"늘푸른환경", "깨끗한세상", "반짝클린", "행복한일터", "함께클린", "새빛환경", "으뜸방역"}, 7,
		"취약계층 {n}명을 정규직으로 고용해 청소·방역 일자리를 만듭니다.", "공공기관과 학교의 청소·방역을 정기 계약으로 맡고 있습니다."},
	{"print", []string{"cat-print-design", "cat-stationery"}, []string{"디자인두레", "인쇄골목", "그림공장", "아트나눔", "종이와잉크"}, 5,
		"청년 디자이너 {n}명이 지역에 머물며 일할 수 있도록 디자인·인쇄 일감을 만듭니다.", "기획부터 디자인, 인쇄, 납품까지 한곳에서 합니다."},
	{"catering", []string{"cat-catering", "cat-processed"}, []string{"밥심케이터링", "나눔도시락", "행복밥상", "마을부엌", "든든한한끼"}, 5,
		"지역 식재료로 만든 도시락과 케이터링으로 어르신·여성 {n}명의 일자리를 만듭니다.", "당일 조리해 정시에 배달하고 다회용기를 회수합니다."},
	{"education", []string{"cat-education", "cat-craftwork"}, []string{"배움터", "숲학교", "손으로배우다", "마을학교", "놀이와배움"}, 5,
		"마을 강사 {n}명이 체험 교육으로 사회적경제와 생태를 알립니다.", "학교·기관으로 찾아가는 교육을 운영합니다."},
	{"facility", []string{"cat-facility", "cat-cleaning"}, []string{"든든시설관리", "안전지킴이", "우리집수리"}, 3,
		"중장년 퇴직 기술자 {n}명이 시설관리와 집수리로 다시 일합니다.", "전기·소방 자격을 갖춘 기술자가 직접 방문합니다."},
}

// missionByType adds what each kind of enterprise commits to.
var missionByType = map[string][]string{
	"social_enterprise":     {"고용노동부 인증 사회적기업으로 취약계층 고용 비율을 지키고 있습니다.", "수익의 3분의 2 이상을 사회적 목적에 다시 씁니다."},
	"pre_social_enterprise": {"지역형 예비사회적기업으로 인증 사회적기업을 준비하고 있습니다.", "청년 일자리 창출을 목표로 성장하고 있습니다."},
	"village_enterprise":    {"마을 주민 {n}명이 출자해 마을의 자원으로 일자리와 소득을 만듭니다.", "수익은 마을 어르신 돌봄과 공동체 활동에 씁니다."},
	"self_sufficiency":      {"저소득 주민의 자활과 자립을 돕는 일자리를 만듭니다.", "지역자활센터와 함께 일하며 배우는 일터입니다."},
	"cooperative":           {"조합원 {n}명이 함께 소유하고 민주적으로 운영합니다.", "공동 구매와 공동 판매로 조합원의 소득을 높입니다."},
	"social_cooperative":    {"지역 주민과 이용자, 직원이 함께 운영하는 비영리 협동조합입니다.", "잉여금은 배당하지 않고 지역사회 공헌에 씁니다."},
}

// regionInfo is where an enterprise may be: the 시·도's full name, phone
// area code, streets with the place each one is known by (places[i] goes with
// streets[i], wrapping), business-office codes and a weight (Daegu and 경북
// weigh most: the co-op is in Daegu).
type regionInfo struct {
	code    string
	full    string
	area    string
	places  []string
	streets []string
	office  []string
	weight  int
}

var regionInfos = []regionInfo{
	{"daegu", "대구광역시", "053", []string{"팔공산", "평광", "비슬산", "달성", "침산", "동성로", "수성", "와룡", "비산", "앞산"},
		[]string{"동구 팔공로", "동구 평광로", "달성군 비슬로", "달성군 논공로", "북구 침산로", "중구 달구벌대로", "수성구 동대구로", "달서구 와룡로", "서구 국채보상로", "남구 중앙대로"}, []string{"503", "504", "514", "515", "502"}, 30},
	{"gyeongbuk", "경상북도", "054", []string{"청송", "영주", "의성", "성주", "안동", "상주", "영천"},
		[]string{"청송군 청송읍 중앙로", "영주시 대학로", "의성군 의성읍 문소1길", "성주군 성주읍 성주순환로", "안동시 경동로", "상주시 삼백로", "영천시 금호읍 금호로"}, []string{"506", "508", "513", "510"}, 20},
	{"seoul", "서울특별시", "02", []string{"마포", "성수", "은평"},
		[]string{"마포구 월드컵로", "성동구 성수이로", "은평구 통일로", "구로구 디지털로", "종로구 율곡로"}, []string{"101", "105", "110", "204"}, 10},
	{"busan", "부산광역시", "051", []string{"기장", "영도"},
		[]string{"기장군 기장읍 차성로", "영도구 태종로", "부산진구 중앙대로"}, []string{"605", "617", "621"}, 6},
	{"gyeonggi", "경기도", "031", []string{"이천", "여주", "양평"},
		[]string{"이천시 중리천로", "여주시 세종로", "양평군 양평읍 양근로", "수원시 팔달구 효원로"}, []string{"126", "124", "132"}, 8},
	{"gyeongnam", "경상남도", "055", []string{"산청", "하동", "김해"},
		[]string{"산청군 산청읍 친환경로", "하동군 하동읍 섬진강대로", "김해시 가야로"}, []string{"608", "613", "615"}, 5},
	{"jeonnam", "전라남도", "061", []string{"나주", "해남", "보성"},
		[]string{"나주시 빛가람로", "해남군 해남읍 군청길", "보성군 보성읍 녹차로"}, []string{"412", "415", "417"}, 4},
	{"jeonbuk", "전라북도", "063", []string{"고창", "완주"},
		[]string{"고창군 고창읍 중앙로", "완주군 삼례읍 삼례로"}, []string{"404", "402"}, 3},
	{"chungbuk", "충청북도", "043", []string{"충주", "괴산"},
		[]string{"충주시 중앙로", "괴산군 괴산읍 임꺽정로"}, []string{"303", "301"}, 3},
	{"gangwon", "강원도", "033", []string{"평창", "홍천"},
		[]string{"평창군 평창읍 평창시장1길", "홍천군 홍천읍 홍천로"}, []string{"225", "223"}, 3},
	{"gwangju", "광주광역시", "062", []string{"무등산"},
		[]string{"동구 금남로", "북구 첨단과기로"}, []string{"408", "409"}, 3},
	{"jeju", "제주특별자치도", "064", []string{"제주", "서귀포"},
		[]string{"제주시 중앙로", "서귀포시 중정로"}, []string{"616"}, 3},
	{"daejeon", "대전광역시", "042", []string{"대덕"},
		[]string{"대덕구 대전로", "유성구 대학로"}, []string{"305", "314"}, 2},
}

var surnames = []string{"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류", "전"}

var givenNames = []string{"민준", "서연", "영희", "정호", "미경", "순자", "상철", "지현", "은주", "동훈", "혜진", "성민", "경숙", "재원", "수정", "태호", "옥순", "하늘", "보람", "진우", "명숙", "현우"}
