package line

import (
	"bytes"
	"fmt"
	"image/png"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// AddFriendQR is a PNG QR code of AddFriendURL(basicID), size×size pixels
// (at least 64), for the studio to print or show beside the booking page.
// boombuler/barcode is already in the module graph (pquerna/otp uses it).
func AddFriendQR(basicID string, size int) ([]byte, error) {
	if basicID == "" || size < 64 || size > 2048 {
		return nil, fmt.Errorf("line: add-friend QR: %w: need a basic id and a size of 64–2048", ErrInvalidRequest)
	}
	code, err := qr.Encode(AddFriendURL(basicID), qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("line: add-friend QR: %w", err)
	}
	if code, err = barcode.Scale(code, size, size); err != nil {
		return nil, fmt.Errorf("line: add-friend QR: %w", err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, code); err != nil {
		return nil, fmt.Errorf("line: add-friend QR: %w", err)
	}
	return b.Bytes(), nil
}
