package ecpay

import "regexp"

var (
	// §9.4: '/' + 7 of 0-9 A-Z + - . (the MOF format; lower case refused).
	mobileBarcodeRE = regexp.MustCompile(`^/[0-9A-Z+\-.]{7}$`)
	// §9.4: 3–7 digits, or the legacy X + 2–6 digits form.
	loveCodeRE    = regexp.MustCompile(`^([xX][0-9]{2,6}|[0-9]{3,7})$`)
	citizenCertRE = regexp.MustCompile(`^[A-Z]{2}[0-9]{14}$`)
	businessIDRE  = regexp.MustCompile(`^[0-9]{8}$`)
)

// ValidMobileBarcode reports whether s has the 手機條碼 format "/XXXXXXX".
// Whether it is registered is only known by asking (Client.CheckBarcode).
func ValidMobileBarcode(s string) bool { return mobileBarcodeRE.MatchString(s) }

// ValidLoveCode reports whether s has the 捐贈碼 (love code) format.
func ValidLoveCode(s string) bool { return loveCodeRE.MatchString(s) }

// ValidCitizenCertificate reports the 自然人憑證 carrier format.
func ValidCitizenCertificate(s string) bool { return citizenCertRE.MatchString(s) }

// ValidBusinessID reports whether s is a well-formed 統一編號: 8 digits whose
// weighted checksum passes. Weights 1,2,1,2,1,2,4,1; each product's digits
// are added; the sum must be divisible by 5 (the Ministry of Finance's 2023
// rule, which accepts every number valid under the old divisible-by-10
// rule). When the 7th digit is 7 its product 28 gives 10 or 1 (2+8 → 1+0),
// so the number also passes when sum+1 is divisible by 5. See DECISIONS.md.
func ValidBusinessID(s string) bool {
	if !businessIDRE.MatchString(s) {
		return false
	}
	weights := [8]int{1, 2, 1, 2, 1, 2, 4, 1}
	sum := 0
	for i := range 8 {
		p := int(s[i]-'0') * weights[i]
		sum += p/10 + p%10
	}
	if sum%5 == 0 {
		return true
	}
	return s[6] == '7' && (sum+1)%5 == 0
}
