package ecpay

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// dotNetReplacer undoes the percent-encoding of the characters .NET's
// encoder leaves alone (§2.1 step 5).
var dotNetReplacer = strings.NewReplacer("%2d", "-", "%5f", "_", "%2e", ".", "%21", "!",
	"%2a", "*", "%28", "(", "%29", ")")

// ecpayURLEncode is PHP urlencode, lower-cased, with the .NET reversal (§2.1
// steps 3–5). Go's QueryEscape differs from PHP's urlencode only in leaving
// '~' alone.
func ecpayURLEncode(s string) string {
	e := strings.ReplaceAll(url.QueryEscape(s), "~", "%7E")
	return dotNetReplacer.Replace(strings.ToLower(e))
}

// macInput is "HashKey=…&k=v…&HashIV=…" over every field but CheckMacValue,
// names sorted case-insensitively as PHP's strcasecmp does (§2.1 step 1).
// Values are the decoded ones; each field's first value counts.
func macInput(fields url.Values, hashKey, hashIV string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != "CheckMacValue" {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := strings.ToLower(keys[i]), strings.ToLower(keys[j])
		if a != b {
			return a < b
		}
		return keys[i] < keys[j] // names differing only in case: any stable order
	})
	var b strings.Builder
	b.WriteString("HashKey=" + hashKey)
	for _, k := range keys {
		b.WriteString("&" + k + "=" + fields.Get(k))
	}
	b.WriteString("&HashIV=" + hashIV)
	return ecpayURLEncode(b.String())
}

// CheckMacValue computes the SHA-256 CheckMacValue (EncryptType=1) of fields
// with the merchant's keys (§2.1). A CheckMacValue field in fields is ignored.
func CheckMacValue(fields url.Values, c Credentials) string {
	sum := sha256.Sum256([]byte(macInput(fields, c.HashKey, c.HashIV)))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// CheckMacValueMD5 is the MD5 variant some e-invoice callbacks use (§9.7).
func CheckMacValueMD5(fields url.Values, c Credentials) string {
	sum := md5.Sum([]byte(macInput(fields, c.HashKey, c.HashIV)))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// VerifyCheckMacValue reports whether fields carry exactly one
// CheckMacValue equal to the one computed over all their other fields. The
// comparison is constant-time and accepts lower-case hex (harmless, §2.6).
func VerifyCheckMacValue(fields url.Values, c Credentials) bool {
	got := fields["CheckMacValue"]
	if len(got) != 1 || len(got[0]) != 64 {
		return false
	}
	want := CheckMacValue(fields, c)
	return subtle.ConstantTimeCompare([]byte(strings.ToUpper(got[0])), []byte(want)) == 1
}
