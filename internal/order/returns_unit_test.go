package order

import (
	"testing"
	"time"
)

func TestReturnDeadlineKoreanDays(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, kst)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name      string
		delivered string
		reason    ReturnReason
		now       string
		want      string // the last day
		ok        bool
	}{
		{"last day, late evening", "2026-11-23 10:00", ReasonChangeOfMind, "2026-11-30 23:59", "2026.11.30", true},
		{"the day after", "2026-11-23 10:00", ReasonChangeOfMind, "2026-12-01 00:00", "2026.11.30", false},
		{"delivered just before midnight KST counts from that day", "2026-11-23 23:59", ReasonOther, "2026-12-01 00:01", "2026.11.30", false},
		{"a defect has three months", "2026-11-23 10:00", ReasonDefective, "2027-02-23 12:00", "2027.02.23", true},
		{"a wrong item, too late", "2026-11-23 10:00", ReasonWrongItem, "2027-02-24 00:00", "2027.02.23", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := at(tc.delivered).UTC() // stored as UTC; the rule reads Korean dates
			if got := ReturnDeadline(d, tc.reason).Format("2006.01.02"); got != tc.want {
				t.Errorf("deadline = %s, want %s", got, tc.want)
			}
			if got := withinReturnWindow(d, at(tc.now).UTC(), tc.reason); got != tc.ok {
				t.Errorf("within = %v, want %v", got, tc.ok)
			}
		})
	}
}

func TestReturnFeeFor(t *testing.T) {
	paid := &SubOrder{ItemsTotal: 20000, ShippingFee: 3000, Total: 23000}
	free := &SubOrder{ItemsTotal: 50000, ShippingFee: 0, Total: 50000}
	tiny := &SubOrder{ItemsTotal: 4000, ShippingFee: 0, Total: 4000}
	tests := []struct {
		name   string
		so     *SubOrder
		oneWay int64
		seller bool
		want   int64
	}{
		{"shipping paid: one way", paid, 3000, false, 3000},
		{"free shipping: both ways", free, 3000, false, 6000},
		{"never more than the part", tiny, 3000, false, 4000},
		{"the seller pays", paid, 3000, true, 0},
		{"an enterprise that ships free", free, 0, false, 0},
	}
	for _, tc := range tests {
		if got := ReturnFeeFor(tc.so, tc.oneWay, tc.seller); got != tc.want {
			t.Errorf("%s: fee = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestReturnStateMachine(t *testing.T) {
	allowed := map[[2]ReturnStatus]bool{
		{ReturnRequested, ReturnApproved}: true, {ReturnRequested, ReturnRejected}: true,
		{ReturnApproved, ReturnReceived}: true, {ReturnApproved, ReturnRejected}: true,
		{ReturnReceived, ReturnRefunded}: true,
	}
	all := []ReturnStatus{ReturnRequested, ReturnApproved, ReturnReceived, ReturnRefunded, ReturnRejected}
	for _, from := range all {
		if from.Label() == "" {
			t.Errorf("%s has no label", from)
		}
		for _, to := range all {
			if err := from.Transition(to); (err == nil) != allowed[[2]ReturnStatus{from, to}] {
				t.Errorf("%s → %s: %v", from, to, err)
			}
		}
	}
	for s, want := range map[string]string{"return_approved": "반품 승인 (수거 중)", "delivered": "배송 완료", "odd": "odd"} {
		if got := EventLabel(s); got != want {
			t.Errorf("EventLabel(%s) = %q, want %q", s, got, want)
		}
	}
}
