package line

import (
	"bytes"
	"image/png"
	"testing"
)

func TestAddFriendQR(t *testing.T) {
	b, err := AddFriendQR("@123calmy", 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 256 {
		t.Fatal(err)
	}
	if _, err := AddFriendQR("", 256); err == nil {
		t.Fatal("empty basic id accepted")
	}
}

func TestRetryKeyAndNonce(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		k := NewRetryKey()
		if !validUUID(k) || k[14] != '4' || seen[k] {
			t.Fatal(k)
		}
		seen[k] = true
		if n := NewNonce(); len(n) != 24 {
			t.Fatal(n)
		}
	}
	for _, bad := range []string{"", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g", "123e4567-e89b-12d3-a456_426614174000"} {
		if validUUID(bad) {
			t.Fatal(bad)
		}
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		status int
		msg    string
		want   Kind
	}{
		{400, "Failed to send messages", KindPermanent},
		{401, "Authentication failed", KindAuth},
		{403, "Access to this API is not available for your account", KindPermanent},
		{404, "", KindPermanent},
		{409, "", KindPermanent},
		{429, "The API rate limit has been exceeded. Try again later.", KindRetryable},
		{429, "You have reached your monthly limit.", KindMonthlyLimit},
		{500, "", KindRetryable},
		{503, "", KindRetryable},
	}
	for _, c := range cases {
		if got := classify(c.status, c.msg); got != c.want {
			t.Errorf("%d %q: %v, want %v", c.status, c.msg, got, c.want)
		}
	}
}

func TestUTF16Len(t *testing.T) {
	if n := utf16Len("a預🍎"); n != 4 {
		t.Fatal(n)
	}
}
