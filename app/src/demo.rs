//! Demo data for a fresh install: staff, customers, orders, inquiry types, FAQ templates and
//! eight weeks of inquiry history with a realistic weekday × hour pattern. Loaded once, into an
//! empty database, in one transaction; deterministic (seeded), so every install looks the same.

use crate::store::{now_ms, Db};
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::i18n::Locale;

pub const DEMO_PASSWORD: &str = "cybercenter-demo";

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// The centre's time zone offset (Asia/Seoul, no daylight saving).
const SEOUL_OFFSET_MS: i64 = 9 * HOUR_MS;

use crate::domain::rng::SplitMix64 as Rng;

struct CustomerSeed {
    name: &'static str,
    phone: &'static str,
    postal: &'static str,
    addr1: &'static str,
    addr2: &'static str,
    locale: Locale,
    grade: &'static str,
}

const CUSTOMERS: [CustomerSeed; 20] = [
    CustomerSeed { name: "김민준", phone: "010-2345-6789", postal: "06236", addr1: "서울특별시 강남구 테헤란로 152", addr2: "12층 1203호", locale: Locale::Ko, grade: "vip" },
    CustomerSeed { name: "이서연", phone: "010-3456-7890", postal: "04524", addr1: "서울특별시 중구 세종대로 110", addr2: "301호", locale: Locale::Ko, grade: "gold" },
    CustomerSeed { name: "박지호", phone: "010-4567-8901", postal: "48058", addr1: "부산광역시 해운대구 센텀중앙로 79", addr2: "A동 804호", locale: Locale::Ko, grade: "general" },
    CustomerSeed { name: "Emily Carter", phone: "+82 10-5678-9012", postal: "04349", addr1: "35 Itaewon-ro 27ga-gil, Yongsan-gu, Seoul", addr2: "Apt 5B", locale: Locale::En, grade: "gold" },
    CustomerSeed { name: "최수아", phone: "010-6789-0123", postal: "35233", addr1: "대전광역시 서구 둔산로 100", addr2: "", locale: Locale::Ko, grade: "general" },
    CustomerSeed { name: "정도윤", phone: "02-345-6789", postal: "03154", addr1: "서울특별시 종로구 종로 1", addr2: "교보빌딩 5층", locale: Locale::Ko, grade: "new" },
    CustomerSeed { name: "강하은", phone: "010-7890-1234", postal: "16514", addr1: "경기도 수원시 영통구 광교중앙로 145", addr2: "1102동 502호", locale: Locale::Ko, grade: "vip" },
    CustomerSeed { name: "Daniel Kim", phone: "+1 415-555-0142", postal: "94107", addr1: "500 Brannan St, San Francisco, CA", addr2: "Unit 3", locale: Locale::En, grade: "general" },
    CustomerSeed { name: "조예준", phone: "010-8901-2345", postal: "61945", addr1: "광주광역시 서구 내방로 111", addr2: "", locale: Locale::Ko, grade: "general" },
    CustomerSeed { name: "윤지우", phone: "010-9012-3456", postal: "41911", addr1: "대구광역시 중구 공평로 88", addr2: "2층", locale: Locale::Ko, grade: "gold" },
    CustomerSeed { name: "Sophie Martin", phone: "+33 6 12 34 56 78", postal: "75008", addr1: "10 Rue de la Paix, Paris", addr2: "", locale: Locale::En, grade: "new" },
    CustomerSeed { name: "장서준", phone: "010-1122-3344", postal: "21554", addr1: "인천광역시 남동구 정각로 29", addr2: "", locale: Locale::Ko, grade: "general" },
    CustomerSeed { name: "임채원", phone: "010-2233-4455", postal: "63122", addr1: "제주특별자치도 제주시 문연로 6", addr2: "", locale: Locale::Ko, grade: "new" },
    CustomerSeed { name: "한유준", phone: "031-123-4567", postal: "13494", addr1: "경기도 성남시 분당구 판교역로 235", addr2: "H스퀘어 N동 7층", locale: Locale::Ko, grade: "general" },
    CustomerSeed { name: "James Park", phone: "+82 10-3344-5566", postal: "07327", addr1: "108 Yeouidaero, Yeongdeungpo-gu, Seoul", addr2: "Tower 2, 15F", locale: Locale::En, grade: "vip" },
    CustomerSeed { name: "오지민", phone: "010-4455-6677", postal: "44677", addr1: "울산광역시 남구 삼산로 282", addr2: "", locale: Locale::Ko, grade: "general" },
    CustomerSeed { name: "서하린", phone: "010-5566-7788", postal: "28644", addr1: "충청북도 청주시 서원구 청남로 1929", addr2: "", locale: Locale::Ko, grade: "new" },
    CustomerSeed { name: "Olivia Brown", phone: "+44 20 7946 0958", postal: "SW1A 1AA", addr1: "1 Horse Guards Rd, London", addr2: "", locale: Locale::En, grade: "general" },
    CustomerSeed { name: "신우진", phone: "010-6677-8899", postal: "54896", addr1: "전북특별자치도 전주시 덕진구 백제대로 567", addr2: "", locale: Locale::Ko, grade: "gold" },
    CustomerSeed { name: "권나은", phone: "010-7788-9900", postal: "26464", addr1: "강원특별자치도 원주시 서원대로 158", addr2: "3층", locale: Locale::Ko, grade: "general" },
];

/// (code, name_ko, name_en, group code, first-response target in minutes)
const TYPES: [(&str, &str, &str, &str, i64); 7] = [
    ("delivery", "배송", "Delivery", "payments_delivery", 60),
    ("payment", "결제·청구", "Payment & billing", "payments_delivery", 60),
    ("returns", "반품·교환", "Returns & exchange", "payments_delivery", 120),
    ("account", "회원 정보", "Account", "general", 120),
    ("product", "상품 문의", "Product question", "general", 240),
    ("complaint", "불만 접수", "Complaint", "general", 60),
    ("other", "기타", "Other", "general", 240),
];

/// (type code, [ko question, ko alternatives, ko answer], [en question, en alternatives, en answer])
type Faq = (&'static str, [&'static str; 3], [&'static str; 3]);
const FAQS: [Faq; 16] = [
    ("delivery", ["배송은 언제 오나요?", "배송 언제 도착하나요|주문한 상품 언제 와요|배송 기간이 얼마나 걸리나요|어제 주문했는데 언제 받을 수 있어요|택배 언제 와요?|주문하면 며칠 만에 받아볼 수 있습니까|도착 예정일 알려주세요|오늘 주문하면 내일 배달돼?|출고는 언제 되나요|delivery 며칠 걸려요", "결제 완료 후 평일 기준 1~2일 안에 출고되며, 출고 후 보통 1~2일 안에 도착합니다. 마이페이지 > 주문 내역에서 배송 상태를 확인할 수 있습니다."],
                 ["When will my order arrive?", "how long does delivery take|when does my package come|delivery time|when will i receive my order|How many days does shipping take?|estimated delivery date|ordered yesterday when will it get here|Will my parcel arrive by tomorrow?|when do you ship orders|how soon will my package be delivered", "Orders ship within 1–2 business days of payment and usually arrive 1–2 days after shipping. You can follow the status under My page > Orders."]),
    ("delivery", ["배송 조회는 어떻게 하나요?", "송장 번호 확인|택배 위치 추적|운송장 조회|택배 조회|내 택배 지금 어디쯤이에요?|배송 상태 확인하는 방법 알려주세요|운송장 번호를 어디서 볼 수 있습니까|배송 추적 번호 알려줘|배송 조회 어디서 해|택배 tracking 어떻게 해요", "마이페이지 > 주문 내역에서 주문을 선택하면 송장 번호와 배송 단계를 볼 수 있습니다."],
                 ["How do I track my delivery?", "tracking number|where is my parcel|track package|where is my order right now|How can I check my delivery status?|track my order|i need the tracking number for my shipment|Is there a tracking link for my package?|see delivery progress of my order|which courier has my parcel and where is it", "Open the order under My page > Orders to see the tracking number and each delivery step."]),
    ("delivery", ["배송지를 변경할 수 있나요?", "주소 변경하고 싶어요|배송 주소 수정|받는 곳 바꾸기|배송지 변경|주문한 상품 받는 주소를 잘못 입력했어요|주문 후에 배송지 바꿀 수 있습니까|택배 받을 주소 다른 곳으로 바꿔줘|이미 주문했는데 배송 주소 수정 가능한가요|수령지 변경 요청합니다|배송 address 잘못 적었어요", "출고 전까지는 주문 상세에서 배송지를 바꿀 수 있습니다. 이미 출고된 경우 문의를 남겨 주시면 택배사와 조율해 드립니다."],
                 ["Can I change my delivery address?", "change shipping address|wrong address on order|update delivery address|I entered the wrong shipping address|can i send my order to a different address|Is it possible to change the delivery address after ordering?|ship to another address|need to fix the address on my package|redirect my parcel to a new address|typo in delivery address please correct it", "Until the order ships you can change the address on the order page. If it has already shipped, send us an inquiry and we will arrange it with the carrier."]),
    ("delivery", ["배송비는 얼마인가요?", "배송료 얼마예요|무료 배송 조건|택배비|배송비 얼마에요|몇 원 이상 사면 무료배송이에요?|제주도 추가 배송비 있나요|택배비는 따로 내야 돼?|배달비 얼마 나옵니까|도서 산간 지역 배송비|shipping fee 얼마예요", "3만 원 이상 주문은 무료 배송이며, 그 미만은 3,000원입니다. 제주·도서 산간 지역은 3,000원이 추가됩니다."],
                 ["How much is shipping?", "shipping cost|free shipping|delivery fee|how much do you charge for delivery|Is shipping free over a certain amount?|what is the minimum order for free shipping|extra shipping charge for Jeju or islands|do i have to pay for postage|How much is the delivery charge on small orders?|shipping fee amount", "Orders of ₩30,000 or more ship free; smaller orders cost ₩3,000. Jeju and remote islands add ₩3,000."]),
    ("payment", ["결제 수단은 무엇이 있나요?", "어떤 카드 쓸 수 있나요|무통장 입금 되나요|간편결제 지원|결제 방법 뭐 있어요?|카카오페이로 결제 가능한가요|네이버페이 돼?|계좌이체로 결제할 수 있습니까|체크카드도 결제 되나요|결제 수단 종류|간편결제 payment 어떤 거 돼요", "신용·체크카드, 계좌이체, 무통장 입금, 카카오페이·네이버페이 등 간편결제를 지원합니다."],
                 ["Which payment methods do you accept?", "can i pay by card|bank transfer|pay with paypal|what payment options do you have|Do you accept debit cards?|can i pay with a mobile wallet like kakaopay|Is virtual account deposit available?|payment methods accepted|which cards can I use to pay|can i pay by bank deposit instead of card", "We accept credit and debit cards, bank transfer, virtual account deposit and popular mobile wallets."]),
    ("payment", ["결제가 두 번 됐어요.", "중복 결제|이중 결제 취소|카드 두 번 승인|한 번 주문했는데 돈이 두 번 빠져나갔어요|카드 승인 문자가 두 번 왔어요|같은 주문이 두번 결제됐습니다|중복 결제 취소해줘|결제 금액이 2번 청구됐어요|이중결제 언제 취소되나요|double charge 됐어요", "중복 승인은 보통 카드사에서 3~5 영업일 안에 자동 취소됩니다. 그 뒤에도 남아 있으면 주문 번호와 함께 문의해 주세요."],
                 ["I was charged twice.", "double charge|duplicate payment|charged two times|my card was charged twice for one order|I see two identical charges on my statement|paid once but billed twice|duplicate transaction on my credit card|Why was I charged two times for the same order?|two payments went through for a single purchase|please cancel the duplicate charge", "A duplicate authorisation is normally released by your card issuer within 3–5 business days. If it is still there after that, send us an inquiry with the order number."]),
    ("payment", ["영수증은 어디서 받나요?", "현금영수증 발급|세금계산서|카드 영수증 출력|영수증 어디서 뽑아요?|결제 증빙 자료 필요합니다|카드 전표 받을 수 있나요|현금영수증 신청 어떻게 해|구매 영수증 다시 받고 싶어요|지출증빙용 영수증 발급 가능한가요|영수증 invoice 출력", "마이페이지 > 주문 내역의 주문 상세에서 카드 영수증과 현금영수증을 출력할 수 있습니다."],
                 ["Where can I get a receipt?", "invoice|tax invoice|print receipt|how do i download a receipt for my order|I need an invoice for my company|Can you send me a proof of purchase?|where do I find my payment receipt|get a copy of my invoice|need receipt for expense report|card receipt for my order", "Receipts and invoices can be printed from the order page under My page > Orders."]),
    ("returns", ["반품은 어떻게 신청하나요?", "반품 신청 방법|환불 받고 싶어요|상품 돌려보내기|반품하고 싶어요|받은 상품 마음에 안 들어서 반품할게요|반품 접수는 어디서 하나요|단순 변심 반품 가능합니까|물건 돌려보내고 돈 돌려받고 싶어|반품 회수 신청|return 신청하려면 어떻게 해요", "배송 완료 후 7일 안에 주문 상세에서 반품을 신청할 수 있습니다. 회수 기사가 방문하며, 상품 확인 후 환불됩니다."],
                 ["How do I return an item?", "return request|i want a refund|send back product|how can i send this back|I'd like to return my order|start a return|Can I return something I don't like?|return an item and get my money back|where do i request a return pickup|item doesn't suit me want to return it", "Within 7 days of delivery, request a return on the order page. A courier picks it up and we refund once the item is checked."]),
    ("returns", ["교환하고 싶어요.", "사이즈 교환|색상 교환|다른 상품으로 바꾸기|교환 신청 어떻게 해요|사이즈가 작아서 큰 걸로 바꾸고 싶어요|다른 색으로 교환 가능한가요|옵션 변경 교환|받은 옷 사이즈 안 맞아 교환해줘|교환 접수하려고 합니다|exchange 신청 방법", "배송 완료 후 7일 안에 주문 상세에서 교환을 신청해 주세요. 같은 상품의 다른 옵션으로 교환해 드립니다."],
                 ["I want to exchange an item.", "exchange size|swap colour|exchange for another option|swap for a bigger size|Can I swap this for a different color?|how do i exchange my order|exchange item for a smaller size|I received the wrong size and want to swap it|change the option of a delivered item|Is it possible to exchange instead of return?", "Request an exchange on the order page within 7 days of delivery; we exchange for another option of the same product."]),
    ("returns", ["환불은 언제 되나요?", "환불 기간|환불 언제 들어와요|카드 취소 확인|반품 보냈는데 환불 아직이에요|환불 처리 며칠 걸려요?|돈 언제 돌려받을 수 있나요|환불금 입금 언제 됩니까|카드 결제 취소 언제 반영돼|환불 안 들어왔어요|refund 언제 돼요", "반품 상품이 도착해 확인되면 1~3 영업일 안에 결제 수단으로 환불됩니다. 카드사에 따라 반영까지 며칠 더 걸릴 수 있습니다."],
                 ["When will I get my refund?", "refund time|how long for refund|refund not received|when do i get my money back|I returned my item but haven't been refunded yet|How many days until the refund shows on my card?|refund status|still waiting for my refund|when will the money be back in my account|has my refund been processed", "Once the returned item arrives and is checked, we refund to your payment method within 1–3 business days; your bank may take a few more days."]),
    ("account", ["비밀번호를 잊어버렸어요.", "비밀번호 재설정|로그인이 안 돼요|비번 찾기|비번 까먹었어요|패스워드 잊어버렸어|로그인 비밀번호가 기억나지 않습니다|비밀번호 재설정 링크 어디서 받아요|비번 틀렸다고 나와서 로그인 못 함|비밀번호 초기화 방법|password 찾기", "로그인 화면의 '비밀번호 찾기'에서 가입한 이메일로 재설정 링크를 받을 수 있습니다."],
                 ["I forgot my password.", "reset password|can't log in|password recovery|forgot password|I can't remember my password|how do i reset my login password|locked out of my account|need a new password|Forgot my pw, how do I get back in?|password reset email", "Use 'Forgot password' on the login page to receive a reset link at your registered email."]),
    ("account", ["회원 정보는 어떻게 바꾸나요?", "전화번호 변경|주소 변경|이름 수정|회원 정보 수정하고 싶어요|휴대폰 번호 바뀌었는데 어디서 바꿔요|프로필 이름 변경 어떻게 하나요|내 정보 수정|개인정보 변경은 어디서 합니까|가입할 때 등록한 주소 바꾸기|프로필 정보 update 방법", "마이페이지 > 프로필에서 이름, 전화번호, 주소를 바꿀 수 있습니다."],
                 ["How do I update my details?", "change phone number|update profile|edit my address|how do i change my name on my account|I got a new phone number|update my personal information|Where can I edit my profile details?|change the address saved in my account|modify account info|my contact details have changed", "Go to My page > Profile to change your name, phone number and address."]),
    ("account", ["회원 탈퇴는 어떻게 하나요?", "계정 삭제|탈퇴하고 싶어요|회원 해지|회원 탈퇴 방법|계정 없애고 싶어요|탈퇴 어디서 해?|회원 탈퇴 신청합니다|더 이상 사이트 안 쓸 거라 계정 지워주세요|아이디 삭제 요청|account 삭제 어떻게 해요", "진행 중인 주문이 없으면 마이페이지 > 프로필 하단에서 탈퇴할 수 있습니다. 주문 기록은 법령에 따라 보관됩니다."],
                 ["How do I close my account?", "delete account|remove my account|cancel membership|close my account|I want to delete my profile permanently|how can i deactivate my account|terminate my membership|Please remove my account from your site|i dont want an account anymore|account deletion request", "If you have no open orders, you can close your account at the bottom of My page > Profile. Order records are kept as the law requires."]),
    ("product", ["품절 상품은 언제 재입고되나요?", "재입고 알림|품절 언제 풀려요|다시 들어오나요|품절된 상품 언제 다시 판매해요?|재입고 예정일 알 수 있나요|이 상품 재입고 되나요|품절 상품 입고 알림 신청|다시 살 수 있게 되면 알려줘|품절이라 못 사요 언제 들어옵니까|restock 언제 해요", "상품 페이지에서 '재입고 알림'을 신청하시면 입고 즉시 알려 드립니다."],
                 ["When will a sold-out item be back?", "restock|back in stock notification|out of stock|when will this be available again|Is the sold out item coming back?|notify me when back in stock|restock date|Will you restock this product?|item is sold out when can i buy it|how do i get an alert when its restocked", "Tap 'Notify me' on the product page and we will tell you as soon as it is back."]),
    ("product", ["상품 사이즈는 어떻게 고르나요?", "사이즈 추천|치수 표|사이즈가 맞을까요|사이즈 어떻게 골라요?|평소 M 입는데 어떤 사이즈 사야 돼요|실측 사이즈 어디서 봐요|사이즈 가이드 있나요|키 170인데 무슨 사이즈가 맞아?|상품 치수 정보 알려주세요|size 선택 고민돼요", "각 상품 페이지의 '사이즈 가이드'에 실측 치수가 있습니다. 평소 사이즈와 비교해 골라 주세요."],
                 ["How do I choose the right size?", "size chart|size guide|which size fits|what size should i order|Do your clothes run small or large?|where can i find the measurements|I usually wear medium which size do I pick|help me choose a size|How do I know my size before buying?|size recommendation", "Each product page has a size guide with measurements; compare them with a garment you own."]),
    ("other", ["고객센터 운영 시간은 어떻게 되나요?", "상담 시간|전화 상담 가능 시간|고객센터 몇 시까지|고객센터 운영시간 알려주세요|상담원 연결 몇 시부터 돼요?|주말에도 상담 가능합니까|전화 몇 시에 받아요|상담원이랑 통화하고 싶은데 언제 가능해|고객센터 open 시간|토요일에 고객센터 해요?", "상담원 연결은 평일 09:00~18:00입니다. 문의 남기기와 자주 묻는 질문은 24시간 이용할 수 있습니다."],
                 ["What are your customer service hours?", "opening hours|when can i call|support hours|what time does customer service open|Are you available on weekends?|when can I talk to an agent|customer support working hours|What time do you close?|is the call center open now|business hours for phone support", "Agents are available weekdays 09:00–18:00 (KST). Inquiries and the FAQ are open 24 hours."]),
];

/// The demo FAQ templates as labelled training examples (question and each phrasing, labelled
/// with the template's question): what `cybercenter eval-faq --train demo` learns from.
pub fn faq_training_examples() -> Vec<(String, String)> {
    faq_training_examples_with(usize::MAX)
}

/// The same with at most `phrasings` phrasings per template (what an admin who writes few gets).
pub fn faq_training_examples_with(phrasings: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (_, ko, en) in FAQS {
        for [question, alts, answer] in [ko, en] {
            out.push((question.to_string(), question.to_string()));
            out.push((answer.to_string(), question.to_string()));
            out.extend(alts.split('|').take(phrasings).map(|a| (a.to_string(), question.to_string())));
        }
    }
    out
}

const PRODUCTS: [(&str, i64); 12] = [
    ("무선 이어폰 / Wireless earbuds", 89_000),
    ("스마트 워치 / Smart watch", 249_000),
    ("니트 스웨터 / Knit sweater", 59_000),
    ("러닝화 / Running shoes", 129_000),
    ("텀블러 500ml / Tumbler 500 ml", 25_000),
    ("백팩 / Backpack", 79_000),
    ("블루투스 스피커 / Bluetooth speaker", 69_000),
    ("면 티셔츠 / Cotton T-shirt", 19_000),
    ("가습기 / Humidifier", 45_000),
    ("보조 배터리 / Power bank", 35_000),
    ("요가 매트 / Yoga mat", 32_000),
    ("커피 원두 1kg / Coffee beans 1 kg", 28_000),
];

/// The questions no demo template answers (one inquiry in five): each asked in a few wordings,
/// with the reply agents resolve it with. What question mining should find and draft.
pub type Other = (&'static str, &'static [&'static str], &'static str);
pub const OTHER_QUESTIONS: [Other; 10] = [
    ("complaint", &["배송 기사님이 불친절했어요", "택배 기사님 태도가 너무 불친절해요", "배송 기사님이 물건을 문 앞에 던지고 가셨어요"],
     "불편을 드려 죄송합니다. 택배사에 해당 기사님의 응대를 정식으로 알리고 재발 방지를 요청했습니다."),
    ("complaint", &["The parcel arrived damaged", "My package arrived with a crushed box", "The item was broken when it arrived"],
     "We are sorry your order arrived damaged. We have sent a replacement at no cost; you do not need to return the damaged item."),
    ("complaint", &["상품이 설명과 달라요", "받은 상품이 상세 페이지 설명과 달라요", "상품 설명이랑 실제 제품이 달라요"],
     "설명과 다른 상품을 보내 드려 죄송합니다. 반품비 없이 회수해 드리고, 회수가 확인되면 바로 환불해 드리겠습니다."),
    ("product", &["이 제품 방수 되나요?", "이 제품 물에 젖어도 괜찮나요?", "비 오는 날 써도 되는 방수 제품인가요?"],
     "생활 방수(IPX4)를 지원해 비나 땀에는 괜찮지만, 물에 담그거나 샤워할 때는 사용하지 마세요."),
    ("product", &["Is the smart watch compatible with Android 12?", "Does the smart watch work with Android phones?", "Will the smart watch pair with my Android phone?"],
     "Yes: the smart watch works with Android 8 and later (Android 12 included) and with iOS 14 and later, through our companion app."),
    ("other", &["대량 구매 할인이 있나요?", "회사에서 대량으로 주문하면 할인되나요?", "단체 주문하면 할인해 주시나요?"],
     "50개 이상 주문하시면 기업·단체 할인을 받으실 수 있습니다. 수량과 상품을 알려 주시면 견적서를 보내 드립니다."),
    ("other", &["Do you ship to Japan?", "Do you ship internationally?", "Can you deliver my order overseas?"],
     "We ship to Japan, the US and most of Europe. International delivery takes 5–10 business days; the cost is shown at checkout."),
    ("account", &["이메일 수신 동의를 바꾸고 싶어요", "광고 메일을 그만 받고 싶어요", "마케팅 이메일 수신 거부는 어떻게 하나요?"],
     "마이페이지 > 회원 정보 > 수신 동의에서 이메일 수신을 끄실 수 있습니다. 주문·배송 안내 메일은 계속 발송됩니다."),
    ("payment", &["할부 개월 수를 바꿀 수 있나요?", "결제한 할부 개월을 변경하고 싶어요", "일시불로 결제한 걸 할부로 바꿀 수 있나요?"],
     "결제가 끝난 뒤에는 할부 개월 수를 바꿀 수 없습니다. 카드사 앱에서 할부 전환을 신청하시거나, 주문을 취소한 뒤 다시 결제해 주세요."),
    ("returns", &["반품 회수가 안 왔어요", "반품 신청했는데 택배 기사님이 안 오세요", "반품 수거가 아직 안 됐어요"],
     "회수가 늦어져 죄송합니다. 택배사에 다시 회수를 요청했고, 1~2일 안에 기사님이 방문하실 예정입니다."),
];

/// Relative arrivals by hour of day (Seoul time): quiet nights, busy mornings and evenings.
const HOUR_WEIGHTS: [u32; 24] = [2, 1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 14, 9, 10, 11, 10, 9, 8, 9, 12, 14, 12, 8, 4];
/// Relative arrivals by weekday, Monday first.
const WEEKDAY_WEIGHTS: [u32; 7] = [12, 11, 10, 10, 9, 6, 5];

/// Loads the demo data if the database has no users yet. Returns whether it loaded anything.
pub async fn load_if_empty(db: &Db) -> Result<bool, AppError> {
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(db).await?;
    if users > 0 {
        return Ok(false);
    }
    // One hash for every demo account: they share a published password anyway, and hashing
    // twenty-five times would only slow start-up.
    let hash = crate::auth::password::hash(DEMO_PASSWORD.to_string()).await?;
    let mut tx = crate::store::write_tx(db).await?;
    // another process may have loaded it meanwhile: check again inside the transaction
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
    if users > 0 {
        return Ok(false);
    }
    load(&mut tx, &hash, now_ms()).await?;
    crate::store::analytics::rebuild(&mut tx).await?;
    crate::store::service_metrics::rebuild(&mut tx).await?;
    crate::store::analytics::rebuild_chats(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

async fn load(tx: &mut crate::store::WriteTx, hash: &str, now: i64) -> Result<(), AppError> {
    let mut rng = Rng(0x00C0_FFEE_2026);
    let created = now - 120 * DAY_MS;
    use crate::store::users::insert_user;

    let admin_id = insert_user(&mut **tx, "admin@example.com", hash, Role::Admin, "관리자 Admin", Locale::Ko, created).await?;

    let mut group_ids = std::collections::HashMap::new();
    for (code, ko, en, sup) in [
        ("general", "일반 상담", "General desk", false),
        ("payments_delivery", "결제·배송", "Payments & delivery", false),
        ("supervisors", "상담 관리자", "Supervisors", true),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agent_groups (code, name_ko, name_en, is_supervisors, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(code)
        .bind(ko)
        .bind(en)
        .bind(sup as i64)
        .bind(created)
        .fetch_one(&mut **tx)
        .await?;
        group_ids.insert(code, id);
    }
    let group = |code: &str| group_ids.get(code).copied().ok_or_else(|| AppError::internal("demo", code));

    // (email, name colleagues see, name customers see, groups, weekly shifts)
    let agents = [
        ("agent1@example.com", "한상담 (agent1)", "한상담", &["payments_delivery"][..], "mon-fri 09-18"),
        ("agent2@example.com", "Grace Lee (agent2)", "Grace Lee", &["payments_delivery"][..], "mon-fri 12-21"),
        ("agent3@example.com", "문지원 (agent3)", "문지원", &["general"][..], "mon-fri 09-18, sat 10-14"),
        ("agent4@example.com", "Tom Baker (agent4)", "Tom Baker", &["general", "supervisors"][..], "mon-fri 10-19"),
    ];
    let mut agent_ids = Vec::new();
    for (email, name, public_name, groups, shifts) in agents {
        let id = insert_user(&mut **tx, email, hash, Role::Agent, name, Locale::Ko, created).await?;
        sqlx::query("INSERT INTO agents (user_id, chat_limit, shifts, public_name) VALUES ($1, 3, $2, $3)")
            .bind(id)
            .bind(shifts)
            .bind(public_name)
            .execute(&mut **tx)
            .await?;
        for g in groups {
            sqlx::query("INSERT INTO agent_memberships (agent_user_id, group_id) VALUES ($1, $2)")
                .bind(id)
                .bind(group(g)?)
                .execute(&mut **tx)
                .await?;
        }
        agent_ids.push((id, group(groups[0])?));
    }

    // saved replies the agents keep, per group and language (the composer's "/" library)
    for (g, lang, title, body) in SAVED_REPLIES {
        let by = agent_ids.iter().find(|(_, gid)| Some(*gid) == group(g).ok()).map_or(admin_id, |(id, _)| *id);
        sqlx::query(
            "INSERT INTO saved_replies (group_id, language, title, body, created_by, updated_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5, $6, $6)",
        )
        .bind(group(g)?)
        .bind(lang)
        .bind(title)
        .bind(body)
        .bind(by)
        .bind(created)
        .execute(&mut **tx)
        .await?;
    }

    let mut type_ids = std::collections::HashMap::new();
    for (i, (code, ko, en, g, minutes)) in TYPES.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inquiry_types (code, name_ko, name_en, group_id, first_response_target_s, auto_answer, auto_answer_threshold, sort_order)
             VALUES ($1, $2, $3, $4, $5, $6, 0.8, $7) RETURNING id",
        )
        .bind(code)
        .bind(ko)
        .bind(en)
        .bind(group(g)?)
        .bind(minutes * 60)
        .bind((*code != "complaint") as i64)
        .bind(i as i64)
        .fetch_one(&mut **tx)
        .await?;
        type_ids.insert(*code, (id, group(g)?, minutes * 60_000));
    }
    let ty = |code: &str| type_ids.get(code).copied().ok_or_else(|| AppError::internal("demo", code));

    // FAQ templates: each question in Korean and English, revision 1 by the admin.
    let mut templates: Vec<(i64, &str, &str, &str)> = Vec::new(); // (id, type, question, answer)
    for (type_code, ko, en) in FAQS {
        for (lang, [question, alts, answer]) in [("ko", ko), ("en", en)] {
            let alternatives = serde_json::to_string(&alts.split('|').collect::<Vec<_>>())
                .map_err(|e| AppError::internal("demo", e))?;
            let (type_id, _, _) = ty(type_code)?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO faq_templates (type_id, language, question, alternatives, answer, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(type_id)
            .bind(lang)
            .bind(question)
            .bind(&alternatives)
            .bind(answer)
            .bind(created)
            .fetch_one(&mut **tx)
            .await?;
            sqlx::query(
                "INSERT INTO faq_revisions (template_id, revision, question, alternatives, answer, type_id, language, edited_by, edited_at)
                 VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(question)
            .bind(&alternatives)
            .bind(answer)
            .bind(type_id)
            .bind(lang)
            .bind(admin_id)
            .bind(created)
            .execute(&mut **tx)
            .await?;
            templates.push((id, type_code, question, answer));
        }
    }

    // Customers and their orders.
    let mut customer_ids = Vec::new();
    for (i, c) in CUSTOMERS.iter().enumerate() {
        let n = i + 1;
        let email = format!("customer{n}@example.com");
        let user_id = insert_user(&mut **tx, &email, hash, Role::Customer, c.name, c.locale, created + n as i64 * HOUR_MS).await?;
        let customer_id = crate::store::customers::insert(&mut **tx, user_id, c.name, created).await?;
        let phone = crate::domain::phone::normalize_phone(c.phone).map_err(|e| AppError::internal("demo phone", format!("{e:?}")))?;
        let email_consent = rng.chance(0.6);
        let sms_consent = rng.chance(0.4);
        sqlx::query(
            "UPDATE customers SET phone = $1, postal_code = $2, address_line1 = $3, address_line2 = $4, grade = $5,
                    email_consent = $6, email_consent_at = $7, sms_consent = $8, sms_consent_at = $9
             WHERE id = $10",
        )
        .bind(&phone)
        .bind(c.postal)
        .bind(c.addr1)
        .bind((!c.addr2.is_empty()).then_some(c.addr2))
        .bind(c.grade)
        .bind(email_consent as i64)
        .bind(email_consent.then_some(created + DAY_MS))
        .bind(sms_consent as i64)
        .bind(sms_consent.then_some(created + DAY_MS))
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
        customer_ids.push((customer_id, c));

        // customer1 has a long order history (lists must paginate); others a handful
        let orders = if n == 1 { 45 } else { 2 + rng.below(5) };
        for k in 0..orders {
            let placed_at = now - (rng.below(110 * 24) as i64 + 2) * HOUR_MS - rng.below(3_600_000) as i64;
            let status = match k % 6 {
                0 | 1 | 2 => "delivered",
                3 => *rng.pick(&["placed", "paid", "shipped"]),
                4 => "cancelled",
                _ => *rng.pick(&["returned", "delivered", "shipped"]),
            };
            insert_order(tx, &mut rng, customer_id, n, k, c, status, placed_at).await?;
        }
    }

    for (days_ago, tko, ten, bko, ben) in [
        (1, "연말 배송 일정 안내", "Year-end delivery schedule", "12월 24일~1월 1일 주문은 택배사 물량 증가로 1~2일 더 걸릴 수 있습니다.", "Orders placed from 24 December to 1 January may take 1–2 extra days."),
        (6, "고객센터 채팅 상담 시간 변경", "New live chat hours", "평일 09:00~20:00로 채팅 상담 시간이 늘었습니다.", "Live chat is now open on weekdays 09:00–20:00 (KST)."),
        (20, "개인정보 처리방침 개정", "Privacy policy update", "개정된 개인정보 처리방침이 12월 1일부터 적용됩니다.", "The updated privacy policy applies from 1 December."),
    ] {
        sqlx::query("INSERT INTO notices (title_ko, title_en, body_ko, body_en, published_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(tko)
            .bind(ten)
            .bind(bko)
            .bind(ben)
            .bind(now - days_ago * DAY_MS)
            .execute(&mut **tx)
            .await?;
    }

    // Eight weeks of inquiries, ~1,000, spread by weekday and hour.
    let slots: Vec<(i64, u32)> = (0..56 * 24)
        .map(|s| {
            let start = (now - now.rem_euclid(HOUR_MS)) - (s as i64 + 1) * HOUR_MS;
            let (weekday, hour) = weekday_hour(start);
            (start, HOUR_WEIGHTS[hour] * WEEKDAY_WEIGHTS[weekday])
        })
        .collect();
    for _ in 0..1000 {
        let created_at = random_moment(&mut rng, &slots, now);
        let (customer_id, seed) = *rng.pick(&customer_ids);
        insert_inquiry(tx, &mut rng, &templates, &ty, &agent_ids, customer_id, seed, created_at, now, false).await?;
    }
    // and this morning's queue: a dozen inquiries of the last hours nobody has taken yet, so the
    // agent console always has a queue to show (the random ones above vary with the hour)
    for k in 0..12 {
        let created_at = now - (5 + 23 * k) * 60_000;
        let (customer_id, seed) = *rng.pick(&customer_ids);
        insert_inquiry(tx, &mut rng, &templates, &ty, &agent_ids, customer_id, seed, created_at, now, true).await?;
    }
    // Eight weeks of live chats (~600, chat hours weekdays 09-20), handled and ended: the chat
    // arrivals and handling times the staffing plan starts from.
    let chat_slots: Vec<(i64, u32)> = slots
        .iter()
        .filter(|(start, _)| {
            let (weekday, hour) = weekday_hour(*start);
            // none in the last two days: a customer's fresh unrated chat asks for a rating
            weekday < 5 && (9..20).contains(&hour) && *start < now - 2 * DAY_MS
        })
        .copied()
        .collect();
    for _ in 0..600 {
        let created_at = random_moment(&mut rng, &chat_slots, now);
        let (customer_id, seed) = *rng.pick(&customer_ids);
        insert_chat(tx, &mut rng, &ty, &agent_ids, customer_id, seed, created_at).await?;
    }
    // the templates' counters as the automation would have kept them
    sqlx::query(
        "UPDATE faq_templates SET
            hits = (SELECT COUNT(*) FROM inquiries i WHERE i.auto_template_id = faq_templates.id),
            solved = (SELECT COUNT(*) FROM inquiries i WHERE i.auto_template_id = faq_templates.id AND i.faq_outcome IN ('solved', 'timed_out')),
            escalations = (SELECT COUNT(*) FROM inquiries i WHERE i.auto_template_id = faq_templates.id AND i.faq_outcome = 'escalated')",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_order(
    tx: &mut crate::store::WriteTx,
    rng: &mut Rng,
    customer_id: i64,
    customer_n: usize,
    k: u64,
    c: &CustomerSeed,
    status: &str,
    placed_at: i64,
) -> Result<(), AppError> {
    let items: Vec<(&str, i64, i64)> = (0..1 + rng.below(3))
        .map(|_| {
            let (name, price) = *rng.pick(&PRODUCTS);
            (name, 1 + rng.below(2) as i64, price)
        })
        .collect();
    let total: i64 = items.iter().map(|(_, q, p)| q * p).sum::<i64>() + if total_below_free(&items) { 3_000 } else { 0 };
    let order_no = format!("{}-{:03}{:03}", 20260000 + customer_n as i64 * 100 + (k as i64 / 100), customer_n, k);
    let steps: &[&str] = match status {
        "placed" => &["placed"],
        "paid" => &["placed", "paid"],
        "shipped" => &["placed", "paid", "shipped"],
        "delivered" => &["placed", "paid", "shipped", "delivered"],
        "cancelled" => &["placed", "paid", "cancelled"],
        _ => &["placed", "paid", "shipped", "delivered", "returned"],
    };
    let mut at = placed_at;
    let mut times = Vec::new();
    for (i, _) in steps.iter().enumerate() {
        if i > 0 {
            at += (2 + rng.below(30) as i64) * HOUR_MS;
        }
        times.push(at);
    }
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (customer_id, order_no, status, total_won, ship_name, ship_phone, ship_postal_code, ship_address1, ship_address2, placed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(customer_id)
    .bind(&order_no)
    .bind(status)
    .bind(total)
    .bind(c.name)
    .bind(crate::domain::phone::normalize_phone(c.phone).ok())
    .bind(c.postal)
    .bind(c.addr1)
    .bind((!c.addr2.is_empty()).then_some(c.addr2))
    .bind(placed_at)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    for (name, qty, price) in items {
        sqlx::query("INSERT INTO order_items (order_id, product_name, quantity, unit_price_won) VALUES ($1, $2, $3, $4)")
            .bind(order_id)
            .bind(name)
            .bind(qty)
            .bind(price)
            .execute(&mut **tx)
            .await?;
    }
    for (step, at) in steps.iter().zip(times) {
        sqlx::query("INSERT INTO order_events (order_id, status, at) VALUES ($1, $2, $3)")
            .bind(order_id)
            .bind(step)
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// (weekday Monday = 0, hour) in Seoul of a UTC moment.
fn weekday_hour(at: i64) -> (usize, usize) {
    let l = crate::domain::calendar::local(at, SEOUL_OFFSET_MS);
    (l.weekday, l.hour)
}

/// A moment in one of the hour `slots` (start, weight), busier hours more likely.
fn random_moment(rng: &mut Rng, slots: &[(i64, u32)], now: i64) -> i64 {
    let total: u64 = slots.iter().map(|(_, w)| *w as u64).sum();
    let mut target = rng.below(total.max(1));
    let mut slot_start = slots.first().map(|s| s.0).unwrap_or(now - DAY_MS);
    for (start, w) in slots {
        if target < *w as u64 {
            slot_start = *start;
            break;
        }
        target -= *w as u64;
    }
    slot_start + rng.below(HOUR_MS as u64) as i64
}

/// One ended chat: the customer's question, the agent's answer, sometimes a rating.
async fn insert_chat(
    tx: &mut crate::store::WriteTx,
    rng: &mut Rng,
    ty: &impl Fn(&str) -> Result<(i64, i64, i64), AppError>,
    agents: &[(i64, i64)],
    customer_id: i64,
    seed: &CustomerSeed,
    created_at: i64,
) -> Result<(), AppError> {
    let ko = seed.locale.code() == "ko";
    let (type_code, question, answer) = *rng.pick(&[
        ("delivery", ["주문한 상품이 아직 출고 전인가요?", "Has my order shipped yet?"], ["확인해 보니 오늘 출고 예정입니다.", "It ships today."]),
        ("payment", ["결제가 두 번 된 것 같아요.", "I think I was charged twice."], ["중복 결제 건은 바로 취소해 드렸습니다.", "I have cancelled the duplicate charge."]),
        ("returns", ["교환 신청은 어떻게 하나요?", "How do I exchange an item?"], ["주문 내역에서 교환 신청을 누르시면 됩니다.", "Choose Exchange in your order history."]),
        ("product", ["이 제품 사이즈가 어떻게 되나요?", "What sizes does this come in?"], ["S, M, L 세 가지입니다.", "It comes in S, M and L."]),
    ]);
    let (type_id, group_id, _) = ty(type_code)?;
    let in_group: Vec<i64> = agents.iter().filter(|(_, g)| *g == group_id).map(|(id, _)| *id).collect();
    let agent = match in_group.is_empty() {
        true => agents.first().map(|a| a.0),
        false => Some(*rng.pick(&in_group)),
    };
    let accepted_at = created_at + (10 + rng.below(110) as i64) * 1000;
    let ended_at = accepted_at + (180 + rng.below(540) as i64) * 1000;
    let csat = rng.chance(0.4).then(|| [5, 5, 4, 4, 3, 2][rng.below(6) as usize]);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO chats (customer_id, type_id, group_id, agent_user_id, status, created_at, accepted_at, ended_at, last_seq, csat)
         VALUES ($1, $2, $3, $4, 'ended', $5, $6, $7, 2, $8) RETURNING id",
    )
    .bind(customer_id)
    .bind(type_id)
    .bind(group_id)
    .bind(agent)
    .bind(created_at)
    .bind(accepted_at)
    .bind(ended_at)
    .bind(csat)
    .fetch_one(&mut **tx)
    .await?;
    let lang = if ko { 0 } else { 1 };
    for (seq, kind, author, body, at) in [(1, "customer", None, question[lang], created_at), (2, "agent", agent, answer[lang], accepted_at + 30_000)] {
        sqlx::query("INSERT INTO chat_messages (chat_id, seq, author_kind, author_user_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(seq)
            .bind(kind)
            .bind(author)
            .bind(body)
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn total_below_free(items: &[(&str, i64, i64)]) -> bool {
    items.iter().map(|(_, q, p)| q * p).sum::<i64>() < 30_000
}

#[allow(clippy::too_many_arguments)]
async fn insert_inquiry(
    tx: &mut crate::store::WriteTx,
    rng: &mut Rng,
    templates: &[(i64, &str, &str, &str)],
    ty: &impl Fn(&str) -> Result<(i64, i64, i64), AppError>,
    agents: &[(i64, i64)],
    customer_id: i64,
    seed: &CustomerSeed,
    created_at: i64,
    now: i64,
    waiting: bool,
) -> Result<(), AppError> {
    // Four in five inquiries are one of the frequent questions (the FAQ's reason to exist).
    let lang = seed.locale.code();
    let frequent = rng.chance(0.8);
    let (type_code, subject, template, known_answer) = if frequent {
        let pool: Vec<&(i64, &str, &str, &str)> = templates
            .iter()
            .filter(|t| (lang == "ko") == t.2.chars().any(|c| ('가'..='힣').contains(&c)))
            .collect();
        let t = *rng.pick(&pool);
        (t.1, t.2.to_string(), Some(t), None)
    } else {
        let (code, wordings, answer) = *rng.pick(&OTHER_QUESTIONS);
        // the wording from the minute it was filed: the dice stay as they were before questions
        // had several wordings, so the rest of the demo data does not change
        let wording = wordings[(created_at / 60_000).rem_euclid(wordings.len() as i64) as usize];
        (code, wording.to_string(), None, Some(answer))
    };
    let (type_id, group_id, target_ms) = ty(type_code)?;
    let age = now - created_at;
    // `waiting`: new and in the queue, whatever the dice say
    let auto = !waiting && template.is_some() && type_code != "complaint" && rng.chance(0.75);
    let escalated = auto && rng.chance(0.1);
    let recent = age < 3 * DAY_MS;
    let status = if waiting {
        "new"
    } else if auto && !escalated {
        if recent && rng.chance(0.5) { "auto_answered" } else { "closed" }
    } else if recent {
        *rng.pick(&["new", "new", "new", "open", "open", "waiting_customer", "resolved", "resolved"])
    } else if rng.chance(0.7) {
        "closed"
    } else {
        "resolved"
    };
    let handled_by_agent = status != "new" && !(auto && !escalated);
    let group_agents: Vec<i64> = agents.iter().filter(|(_, g)| *g == group_id).map(|(id, _)| *id).collect();
    let agent = (handled_by_agent && !group_agents.is_empty()).then(|| *rng.pick(&group_agents));
    // as the app keeps it: the first answer by an agent (an automatic answer is not one)
    let first_response_at = if handled_by_agent {
        Some((created_at + (5 + rng.below(150) as i64) * 60_000).min(now))
    } else {
        None
    };
    let resolved_at = matches!(status, "resolved" | "closed").then(|| {
        (first_response_at.unwrap_or(created_at) + (10 + rng.below(600) as i64) * 60_000).min(now)
    });
    let csat = resolved_at.and_then(|_| rng.chance(0.35).then(|| [5, 5, 4, 4, 4, 3, 2, 1][rng.below(8) as usize]));
    let voc = match type_code {
        "complaint" => "complaint",
        _ if csat == Some(5) && rng.chance(0.3) => "compliment",
        _ if rng.chance(0.05) => "suggestion",
        _ => "question",
    };
    let body = match template {
        Some(_) if lang == "ko" => format!("{subject} 확인 부탁드립니다."),
        Some(_) => format!("{subject} Could you help me with this?"),
        None => subject.clone(),
    };
    let inquiry_id: i64 = sqlx::query_scalar(
        "INSERT INTO inquiries (customer_id, type_id, subject, status, channel, group_id, assigned_agent_id, created_at, updated_at,
                                first_response_at, resolved_at, closed_at, sla_due_at, csat, auto_template_id, auto_score, escalated, voc_category,
                                faq_outcome, priority)
         VALUES ($1, $2, $3, $4, 'web', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, CAST($15 AS DOUBLE PRECISION), $16, $17, $18, $19) RETURNING id",
    )
    .bind(customer_id)
    .bind(type_id)
    .bind(&subject)
    .bind(status)
    .bind(group_id)
    .bind(agent)
    .bind(created_at)
    .bind(resolved_at.unwrap_or(first_response_at.unwrap_or(created_at)))
    .bind(first_response_at)
    .bind(resolved_at)
    .bind((status == "closed").then_some(resolved_at).flatten())
    .bind(created_at + target_ms)
    .bind(csat)
    .bind(auto.then(|| template.map(|t| t.0)).flatten())
    .bind(crate::store::optional_real(auto.then(|| 0.9 + rng.below(90) as f64 / 1000.0)))
    .bind(escalated as i64)
    .bind(voc)
    .bind(match (auto, escalated, status) {
        (true, true, _) => Some("escalated"),
        (true, false, "closed") => Some("solved"),
        _ => None,
    })
    .bind(crate::model::Grade::parse(seed.grade).map_or(0, crate::model::Grade::priority))
    .fetch_one(&mut **tx)
    .await?;

    let mut messages: Vec<(&str, Option<i64>, String, bool, i64)> = vec![("customer", None, body, false, created_at)];
    if let (true, Some(t)) = (auto, template) {
        messages.push(("bot", None, t.3.to_string(), false, created_at + 1_000));
    }
    if let (Some(agent), Some(at)) = (agent, if auto { first_response_at.map(|t| t + 600_000) } else { first_response_at }) {
        if rng.chance(0.3) {
            messages.push(("agent", Some(agent), "고객 주문 이력 확인함 / checked order history".into(), true, at));
        }
        let reply = if let Some(answer) = known_answer {
            answer
        } else if lang == "ko" {
            "안녕하세요, 고객님. 확인해 보니 말씀하신 내용이 맞습니다. 바로 처리해 드렸습니다. 더 궁금하신 점이 있으면 말씀해 주세요."
        } else {
            "Hello, thank you for reaching out. I have checked this and sorted it out for you. Let us know if there is anything else."
        };
        messages.push(("agent", Some(agent), reply.into(), false, at + 1_000));
    }
    for (kind, author, body, internal, at) in messages {
        sqlx::query(
            "INSERT INTO inquiry_messages (inquiry_id, author_kind, author_user_id, body, internal, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(inquiry_id)
        .bind(kind)
        .bind(author)
        .bind(body)
        .bind(internal as i64)
        .bind(at.min(now))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds `n` inquiries spread over the past year, for load measurements (`cybercenter
/// bench-queue`, `bench-reports`): the share `waiting` (0 to 1) still waiting for an agent, the
/// rest closed. Returns how many.
pub async fn add_bulk_inquiries(db: &Db, n: usize, waiting_share: f64, now: i64) -> Result<usize, AppError> {
    let customers: Vec<(i64, crate::model::Grade)> = sqlx::query_as("SELECT id, grade FROM customers").fetch_all(db).await?;
    let types: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT id, group_id, first_response_target_s FROM inquiry_types").fetch_all(db).await?;
    if customers.is_empty() || types.is_empty() {
        return Ok(0);
    }
    // a fresh sequence for each call on the same database (a bench adds in stages)
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries").fetch_one(db).await?;
    let mut rng = Rng(0xB0_0C_2026 ^ (before as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut done = 0;
    while done < n {
        let mut tx = crate::store::write_tx(db).await?;
        for _ in 0..(n - done).min(10_000) {
            let (customer, grade) = rng.pick(&customers).clone();
            let (type_id, group, target) = *rng.pick(&types);
            let created = now - rng.below(365 * 24 * 3_600) as i64 * 1000;
            let waiting = rng.chance(waiting_share);
            // answered ones: a first answer after 1 min to 5 h, resolved up to a day later,
            // a third rated, a fifth filed under a VOC category
            let answered = (!waiting).then(|| created + (60 + rng.below(18_000) as i64) * 1000);
            let resolved = answered.map(|a| (a + rng.below(86_400) as i64 * 1000).min(now));
            let csat = (!waiting && rng.chance(0.33)).then(|| 1 + rng.below(5) as i64);
            let voc = (!waiting && rng.chance(0.2)).then(|| crate::domain::service_metrics::VOC_CATEGORIES[rng.below(4) as usize]);
            sqlx::query(
                "INSERT INTO inquiries (customer_id, type_id, subject, status, priority, channel, group_id, created_at, updated_at, sla_due_at,
                                        first_response_at, resolved_at, closed_at, csat, voc_category)
                 VALUES ($1, $2, $3, $4, $5, 'web', $6, $7, $7, $8, $9, $10, $10, $11, $12)",
            )
            .bind(customer)
            .bind(type_id)
            .bind(format!("bulk inquiry {done}"))
            .bind(if waiting { "new" } else { "closed" })
            .bind(grade.priority())
            .bind(group)
            .bind(created)
            .bind(created + target * 1000)
            .bind(answered)
            .bind(resolved)
            .bind(csat)
            .bind(voc)
            .execute(&mut *tx)
            .await?;
            done += 1;
        }
        tx.commit().await?;
    }
    let mut tx = crate::store::write_tx(db).await?;
    crate::store::analytics::rebuild(&mut tx).await?;
    crate::store::service_metrics::rebuild(&mut tx).await?;
    tx.commit().await?;
    Ok(done)
}

/// (group, language, title, text) of the demo's saved replies.
const SAVED_REPLIES: [(&str, &str, &str, &str); 6] = [
    ("payments_delivery", "ko", "배송 지연 사과", "기다리게 해 드려 죄송합니다. 택배사에 확인해 보니 상품은 현재 배송 중이며, 1~2일 안에 도착할 예정입니다. 도착하지 않으면 이 문의에 답글로 알려 주세요."),
    ("payments_delivery", "ko", "교환 접수 안내", "불편을 드려 죄송합니다. 교환을 접수했습니다. 기사님이 2~3일 안에 방문해 상품을 회수하고, 새 상품은 회수 확인 후 바로 보내 드립니다."),
    ("payments_delivery", "en", "Delivery delay apology", "We are sorry for the wait. The courier confirms your parcel is on its way and should arrive within one to two days. If it does not, please reply to this inquiry."),
    ("general", "ko", "본인 확인 요청", "고객님의 정보 보호를 위해 본인 확인이 필요합니다. 가입하신 휴대전화 번호 뒤 네 자리와 최근 주문 번호를 알려 주세요."),
    ("general", "en", "Identity check", "To protect your account we need to confirm it is you. Please reply with the last four digits of your phone number and your most recent order number."),
    ("general", "ko", "상담 종료 인사", "문의해 주셔서 감사합니다. 더 궁금한 점이 있으면 언제든 이 문의에 답글을 남겨 주세요."),
];
