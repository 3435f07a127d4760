// Package proof is the public booking form's check against scripted
// submissions that real clients never notice: the page hands out a signed
// challenge, its script finds a counter whose SHA-256 with the challenge
// starts with Bits zero bits (a second or less on a phone, done while the
// client types), and the server checks the answer with one hash. A script
// that books hundreds of times pays that work for each booking; without an
// answer (no script, or an API caller that skips it) a booking still goes
// through, under much tighter limits (app.Limits).
//
// Challenges are stateless (signed by the keyring) and expire; the caller
// makes each one single-use by recording its nonce.
package proof

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// Bits is the work asked for: 2^18 hashes on average, about 0.2–1 s of a
// phone's script and well under a millisecond to check.
const Bits = 18

// MaxAge is how long a challenge may be answered: a client who leaves the
// form open over lunch still books; a stockpile of answers goes stale.
const MaxAge = 2 * time.Hour

// Signer signs and checks the challenge (secret.Keyring).
type Signer interface {
	Sign(msg, context string) string
	Check(msg, context, tag string) bool
}

const version = "p1"

// Errors of Verify; callers treat every one the same (no proof), the
// distinction is for tests and logs.
var (
	ErrMalformed = errors.New("proof: malformed challenge or solution")
	ErrForged    = errors.New("proof: challenge not issued here")
	ErrExpired   = errors.New("proof: challenge expired")
	ErrWrong     = errors.New("proof: solution does not solve the challenge")
)

// Issue returns a fresh challenge for scope (a studio's slug, so one
// studio's answers do not serve another's form) asking for bits zero bits
// (Bits; tests ask for fewer).
func Issue(s Signer, scope string, now time.Time, bits int) string {
	n := make([]byte, 12)
	_, _ = rand.Read(n)
	body := version + "." + strconv.FormatInt(now.Unix(), 10) + "." + strconv.Itoa(bits) + "." + base64.RawURLEncoding.EncodeToString(n)
	return body + "." + s.Sign(body, "proof/"+scope)
}

// Verify checks that solution answers a challenge issued for scope within
// MaxAge and returns its nonce, which the caller records to refuse reuse.
func Verify(s Signer, scope, challenge, solution string, now time.Time) (nonce string, err error) {
	if len(challenge) > 200 || len(solution) == 0 || len(solution) > 16 {
		return "", ErrMalformed
	}
	if _, err := strconv.ParseUint(solution, 10, 64); err != nil {
		return "", ErrMalformed
	}
	parts := strings.Split(challenge, ".")
	if len(parts) != 6 || parts[0] != version {
		return "", ErrMalformed
	}
	body := strings.Join(parts[:4], ".")
	if !s.Check(body, "proof/"+scope, parts[4]+"."+parts[5]) {
		return "", ErrForged
	}
	at, err1 := strconv.ParseInt(parts[1], 10, 64)
	need, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		return "", ErrMalformed
	}
	issued := time.Unix(at, 0)
	if now.Sub(issued) > MaxAge || issued.Sub(now) > time.Minute {
		return "", ErrExpired
	}
	if zeroBits(challenge, solution) < need {
		return "", ErrWrong
	}
	return parts[3], nil
}

// Solve finds an answer the way the page's script does (tests, and the API
// documentation's example).
func Solve(challenge string) string {
	need := Bits
	if parts := strings.Split(challenge, "."); len(parts) > 2 {
		if n, err := strconv.Atoi(parts[2]); err == nil {
			need = n
		}
	}
	for i := uint64(0); ; i++ {
		s := strconv.FormatUint(i, 10)
		if zeroBits(challenge, s) >= need {
			return s
		}
	}
}

// zeroBits counts the leading zero bits of SHA-256(challenge ":" solution).
func zeroBits(challenge, solution string) int {
	sum := sha256.Sum256([]byte(challenge + ":" + solution))
	n := 0
	for _, b := range sum {
		if b != 0 {
			return n + bits.LeadingZeros8(b)
		}
		n += 8
	}
	return n
}
