package notify

import (
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/kr"
)

// Compose turns an event into the messages it sends: pure, so the same
// event always gives the same messages (replays add nothing, by the
// notification's unique key).
func Compose(e Event) []Message {
	switch e.Kind {
	case "order_event":
		return composeOrder(e)
	case "review_new":
		return one(ReviewNew, "새 구매평이 올라왔습니다", e.ProductName+"에 새 구매평이 올라왔습니다. 입점기업 화면에서 답글을 달 수 있습니다.",
			"/portal/reviews", e.Members)
	case "review_reply":
		return one(ReviewReplied, "구매평에 답글이 달렸습니다", e.ProductName+" 구매평에 판매 기업이 답글을 달았습니다.",
			"/p/"+itoa(e.ProductID)+"#reviews", []Recipient{e.Author})
	case "question_new":
		return one(QuestionNew, "새 상품 문의가 왔습니다", e.ProductName+"에 대한 문의가 왔습니다. 입점기업 화면의 문의에서 답변해 주세요.",
			"/portal/questions", e.Members)
	case "question_answer":
		return one(QuestionAnswered, "상품 문의에 답변이 달렸습니다", e.ProductName+"에 대해 남긴 문의에 판매 기업이 답변했습니다.",
			"/p/"+itoa(e.ProductID)+"#questions", []Recipient{e.Author})
	}
	return nil
}

func one(k Kind, title, body, link string, to []Recipient) []Message {
	if len(to) == 0 {
		return nil
	}
	return []Message{{Kind: k, Title: title, Body: body, Link: link, Recipients: to}}
}

// composeOrder: the order's payment (to the buyer and each enterprise), a
// part shipped or delivered, and a cancellation after payment (the order's,
// or one part's when the order goes on).
func composeOrder(e Event) []Message {
	if e.SubOrder && strings.HasPrefix(e.To, "return_") {
		return composeReturn(e)
	}
	if e.Buyer.UserID == 0 && e.Buyer.Email == "" {
		return nil
	}
	buyer := []Recipient{e.Buyer}
	link := "/orders/" + e.OrderNumber
	switch {
	case !e.SubOrder && e.To == "paid":
		msgs := one(OrderPaid, "주문이 접수되었습니다 ("+e.OrderNumber+")",
			e.BuyerName+"님, 주문 "+e.OrderNumber+"의 결제가 끝났습니다. 결제 금액 "+kr.Won(e.Total)+
				". 교환·반품은 상품을 받은 날부터 7일 안에 신청할 수 있습니다.", link, buyer)
		return append(msgs, one(OrderReceived, "새 주문이 들어왔습니다 ("+e.OrderNumber+")",
			"주문 "+e.OrderNumber+"이(가) 결제되었습니다. 입점기업 화면의 주문에서 접수해 주세요.", "/portal/orders", e.Members)...)
	case !e.SubOrder && e.To == "cancelled" && e.From != "pending_payment":
		return one(OrderCancelled, "주문이 취소되었습니다 ("+e.OrderNumber+")",
			"주문 "+e.OrderNumber+"이(가) 취소되었습니다. 결제한 금액은 결제 수단으로 환불됩니다.", link, buyer)
	case e.SubOrder && e.To == "cancelled" && e.From != "pending_payment" && !e.OrderAlsoCxl:
		return one(OrderCancelled, "주문 일부가 취소되었습니다 ("+e.OrderNumber+")",
			"주문 "+e.OrderNumber+" 중 "+e.Enterprise+"의 상품이 취소되었습니다. 그 금액은 결제 수단으로 환불됩니다.", link, buyer)
	case e.SubOrder && e.To == "shipped":
		body := e.Enterprise + "에서 주문 " + e.OrderNumber + "의 상품을 보냈습니다. 택배사 " + e.Courier + ", 운송장 번호 " + e.Tracking + "."
		if e.TrackingURL != "" {
			body += "\n배송 조회: " + e.TrackingURL
		}
		return one(OrderShipped, "상품이 출발했습니다 ("+e.OrderNumber+")", body, link, buyer)
	case e.SubOrder && e.To == "delivered":
		return one(OrderDelivered, "상품이 도착했습니다 ("+e.OrderNumber+")",
			e.Enterprise+"의 상품 배송이 끝났습니다. 구매평을 남겨 주시면 다른 분들께 도움이 됩니다.", "/account#reviews", buyer)
	}
	return nil
}

// composeReturn: a return request (to the enterprise), its approval,
// rejection and refund (to the buyer). Receipt says nothing: the refund
// follows.
func composeReturn(e Event) []Message {
	link := "/orders/" + e.OrderNumber
	buyer := []Recipient{e.Buyer}
	if e.Buyer.UserID == 0 && e.Buyer.Email == "" {
		buyer = nil
	}
	switch e.To {
	case "return_requested":
		return one(ReturnRequested, "새 반품 신청이 왔습니다 ("+e.OrderNumber+")",
			"주문 "+e.OrderNumber+"의 구매자가 반품을 신청했습니다. 입점기업 화면의 주문에서 승인하거나 거절해 주세요.",
			"/portal/orders/"+itoa(e.SubOrderID), e.Members)
	case "return_approved":
		return one(ReturnUpdate, "반품이 승인되었습니다 ("+e.OrderNumber+")",
			e.Enterprise+"에서 주문 "+e.OrderNumber+"의 반품을 승인했습니다. 상품을 수거하거나 반품 주소로 보내 주세요. "+
				"판매 기업이 상품을 받아 확인하면 환불해 드립니다.", link, buyer)
	case "return_rejected":
		body := e.Enterprise + "에서 주문 " + e.OrderNumber + "의 반품을 거절했습니다."
		if _, why, ok := strings.Cut(e.Reason, "반품 거절: "); ok {
			body += " 사유: " + why
		}
		return one(ReturnUpdate, "반품이 거절되었습니다 ("+e.OrderNumber+")",
			body+"\n궁금한 점은 판매 기업이나 협동조합에 문의해 주세요.", link, buyer)
	case "return_refunded":
		body := "주문 " + e.OrderNumber + " 중 " + e.Enterprise + " 상품의 반품이 끝나 결제 수단으로 환불했습니다."
		if e.Reason != "" {
			body += " (" + e.Reason + ")"
		}
		return one(ReturnUpdate, "반품 환불이 끝났습니다 ("+e.OrderNumber+")", body, link, buyer)
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
