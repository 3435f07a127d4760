package daoyue

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns an opaque identifier such as "bk_q3k7...": a short prefix
// that says what it names (handy in logs) and 80 random bits.
func NewID(prefix string) string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return prefix + "_" + strings.ToLower(idEncoding.EncodeToString(b))
}

// NewToken returns a random bearer secret (manage links, sessions, API tokens).
// Only its HashToken is stored, so a database leak reveals no usable token.
func NewToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return strings.ToLower(idEncoding.EncodeToString(b))
}

// HashToken is the stored form of a bearer secret.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
