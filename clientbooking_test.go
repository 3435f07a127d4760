package daoyue

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// The client's booking has no place for what only the studio may see, and
// ForClient copies every field it does have.
func TestClientBookingHoldsNoPrivateDetails(t *testing.T) {
	ct := reflect.TypeOf(ClientBooking{})
	for i := 0; i < ct.NumField(); i++ {
		name := ct.Field(i).Name
		for _, private := range []string{"Meeting", "Join", "Passcode", "Zoom", "PaymentMethod", "PaymentNote", "ManageToken"} {
			if strings.Contains(name, private) {
				t.Errorf("ClientBooking.%s: a private detail", name)
			}
		}
	}
	paid, due := t0, t0.Add(time.Hour)
	b := &Booking{ID: "bk_1", Start: t0, End: t0.Add(time.Hour), Online: true, Status: StatusConfirmed,
		Client: Client{Name: "王小明", Email: "ming@example.com"}, Note: "初次", Price: Money{1000, "TWD"},
		PaymentStatus: PaymentPaid, PaidAt: &paid, PaymentDueAt: &due, PaymentMethod: "cash", PaymentNote: "櫃台",
		Meeting: Meeting{ZoomID: 123, JoinURL: "https://zoom.example/j/123", Passcode: "secret"}}
	c := b.ForClient()
	bv := reflect.ValueOf(b).Elem()
	cv := reflect.ValueOf(c)
	for i := 0; i < ct.NumField(); i++ {
		name := ct.Field(i).Name
		if !reflect.DeepEqual(cv.Field(i).Interface(), bv.FieldByName(name).Interface()) {
			t.Errorf("ForClient().%s = %v, booking has %v", name, cv.Field(i).Interface(), bv.FieldByName(name).Interface())
		}
	}
	if c.CanChange(t0) != b.CanChange(t0) || c.CanChange(t0.Add(2*time.Hour)) != b.CanChange(t0.Add(2*time.Hour)) {
		t.Error("ClientBooking.CanChange differs from Booking.CanChange")
	}
}
