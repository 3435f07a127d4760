package app

import (
	"context"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/proof"
)

// Proof is a client's answer to a public form's challenge (package proof).
type Proof struct {
	Challenge string
	Solution  string
}

// ProofChallenge returns a fresh challenge for slug's booking form ("" on
// an instance without keys, whose bookings all count as unchecked).
func (a *App) ProofChallenge(slug string) string {
	k := a.keyring()
	if k == nil {
		return ""
	}
	bits := a.ProofBits
	if bits == 0 {
		bits = proof.Bits
	}
	return proof.Issue(k, slug, a.now(), bits)
}

// proofNonce returns the nonce of p when it answers a challenge issued
// for slug ("" when it does not: no answer, a wrong or expired one).
func (a *App) proofNonce(slug string, p Proof) string {
	k := a.keyring()
	if p.Challenge == "" || k == nil {
		return ""
	}
	nonce, err := proof.Verify(k, slug, p.Challenge, p.Solution, a.now())
	if err != nil {
		return ""
	}
	return nonce
}

// useProof reports whether the answer with this nonce (proofNonce) was
// not used before, and records it as used in tx (so a booking that fails
// for another reason does not spend it). Answers are shared by every
// instance: the record is a database throttle row keyed by the nonce.
func (a *App) useProof(ctx context.Context, tx daoyue.Tx, nonce string) (bool, error) {
	if nonce == "" {
		return false, nil
	}
	once := daoyue.Throttle{Free: 1, Base: proof.MaxAge, Max: proof.MaxAge, Quiet: proof.MaxAge + time.Hour}
	wait, err := tx.HitThrottle(ctx, "proof:"+nonce, once, a.now())
	return err == nil && wait == 0, err
}
