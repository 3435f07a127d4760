package ecpaysim

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"sort"
	"strings"
	"time"
)

// taipei is UTC+8; Taiwan has no daylight saving time.
var taipei = time.FixedZone("Asia/Taipei", 8*3600)

const (
	tradeDateLayout   = "2006/01/02 15:04:05"
	invoiceDateLayout = "2006-01-02 15:04:05"
)

// checkMacValue is §2.1, written from the reference independently of
// package ecpay: strcasecmp order, PHP urlencode, lower case, .NET reversal,
// SHA-256, upper-case hex.
func checkMacValue(fields url.Values, hashKey, hashIV string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != "CheckMacValue" {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return strings.ToLower(keys[i]) < strings.ToLower(keys[j]) })
	parts := []string{"HashKey=" + hashKey}
	for _, k := range keys {
		parts = append(parts, k+"="+fields.Get(k))
	}
	parts = append(parts, "HashIV="+hashIV)
	enc := strings.ToLower(strings.ReplaceAll(url.QueryEscape(strings.Join(parts, "&")), "~", "%7E"))
	for from, to := range map[string]string{"%2d": "-", "%5f": "_", "%2e": ".", "%21": "!", "%2a": "*", "%28": "(", "%29": ")"} {
		enc = strings.ReplaceAll(enc, from, to)
	}
	sum := sha256.Sum256([]byte(enc))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func macOK(fields url.Values, m Merchant) bool {
	got := fields.Get("CheckMacValue")
	want := checkMacValue(fields, m.HashKey, m.HashIV)
	return subtle.ConstantTimeCompare([]byte(strings.ToUpper(got)), []byte(want)) == 1
}

// §9.2.
func encryptData(m Merchant, plain []byte) string {
	block, err := aes.NewCipher([]byte(m.HashKey))
	if err != nil || len(m.HashIV) != aes.BlockSize {
		return ""
	}
	p := []byte(strings.ReplaceAll(url.QueryEscape(string(plain)), "~", "%7E"))
	n := aes.BlockSize - len(p)%aes.BlockSize
	p = append(p, bytes.Repeat([]byte{byte(n)}, n)...)
	cipher.NewCBCEncrypter(block, []byte(m.HashIV)).CryptBlocks(p, p)
	return base64.StdEncoding.EncodeToString(p)
}

var errCrypto = errors.New("cannot decrypt Data")

func decryptData(m Merchant, data string) ([]byte, error) {
	block, err := aes.NewCipher([]byte(m.HashKey))
	if err != nil || len(m.HashIV) != aes.BlockSize {
		return nil, errCrypto
	}
	c, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(c) == 0 || len(c)%aes.BlockSize != 0 {
		return nil, errCrypto
	}
	cipher.NewCBCDecrypter(block, []byte(m.HashIV)).CryptBlocks(c, c)
	n := int(c[len(c)-1])
	if n == 0 || n > aes.BlockSize || !bytes.Equal(c[len(c)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errCrypto
	}
	s, err := url.QueryUnescape(string(c[:len(c)-n]))
	if err != nil {
		return nil, errCrypto
	}
	return []byte(s), nil
}

// selfTest checks the modules against the reference's vectors (§11).
func selfTest() error {
	v := url.Values{}
	for _, kv := range [][2]string{{"TradeDesc", "促銷方案"}, {"PaymentType", "aio"}, {"MerchantTradeDate", "2023/03/12 15:30:23"},
		{"MerchantTradeNo", "ecpay20230312153023"}, {"MerchantID", "3002607"}, {"ReturnURL", "https://www.ecpay.com.tw/receive.php"},
		{"ItemName", "Apple iphone 15"}, {"TotalAmount", "30000"}, {"ChoosePayment", "ALL"}, {"EncryptType", "1"}} {
		v.Set(kv[0], kv[1])
	}
	if checkMacValue(v, StageMerchant.HashKey, StageMerchant.HashIV) != "6C51C9E6888DE861FD62FB1DD17029FC742634498FD813DC43D4243B5685B840" {
		return errors.New("ecpaysim: CheckMacValue self-test failed")
	}
	if encryptData(StageInvoiceMerchant, []byte(`{"Name":"Test","ID":"A123456789"}`)) !=
		"uvI4yrErM37XNQkXGAgRgJAgHn2t72jahaMZzYhWL1HmvH4WV18VJDP2i9pTbC+tby5nxVExLLFyAkbjbS2Dvg==" {
		return errors.New("ecpaysim: AES self-test failed")
	}
	return nil
}
