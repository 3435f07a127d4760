package proof

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daoyue/daoyue/secret"
)

func ring(t *testing.T) *secret.Keyring {
	k, err := secret.Parse(secret.NewSpec("t1"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVerify(t *testing.T) {
	k := ring(t)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	c := Issue(k, "studio", now, Bits)
	sol := Solve(c)
	nonce, err := Verify(k, "studio", c, sol, now.Add(time.Minute))
	if err != nil || nonce == "" {
		t.Fatalf("answer refused: %v", err)
	}
	if c2 := Issue(k, "studio", now, Bits); strings.Split(c2, ".")[3] == nonce {
		t.Error("two challenges share a nonce")
	}
	wrong := sol
	for {
		n, _ := strconv.Atoi(wrong)
		wrong = strconv.Itoa(n + 1)
		if zeroBits(c, wrong) < Bits {
			break
		}
	}
	parts := strings.Split(c, ".")
	easier := strings.Join([]string{parts[0], parts[1], "1", parts[3], parts[4], parts[5]}, ".")
	other, _ := secret.Parse(secret.NewSpec("t1"))
	for _, tc := range []struct {
		name        string
		k           Signer
		scope, c, s string
		at          time.Time
		want        error
	}{
		{"another studio's form", k, "other", c, sol, now, ErrForged},
		{"another server's key", other, "studio", c, sol, now, ErrForged},
		{"difficulty lowered by the client", k, "studio", easier, Solve(easier), now, ErrForged},
		{"wrong answer", k, "studio", c, wrong, now, ErrWrong},
		{"stale", k, "studio", c, sol, now.Add(MaxAge + time.Second), ErrExpired},
		{"from the future", k, "studio", c, sol, now.Add(-2 * time.Minute), ErrExpired},
		{"no answer", k, "studio", c, "", now, ErrMalformed},
		{"not a number", k, "studio", c, "12a", now, ErrMalformed},
		{"garbage", k, "studio", "p1.x", "1", now, ErrMalformed},
	} {
		if _, err := Verify(tc.k, tc.scope, tc.c, tc.s, tc.at); err != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// Known vectors (sha256sum): the counting crosses byte boundaries.
func TestZeroBits(t *testing.T) {
	for _, c := range []struct {
		challenge, solution string
		want                int
	}{
		{"abc", "0", 1},     // 5f36ef…
		{"abc", "1", 0},     // bfcf0b…
		{"abc", "4959", 13}, // 0006b5…
	} {
		if got := zeroBits(c.challenge, c.solution); got != c.want {
			t.Errorf("zeroBits(%q, %q) = %d, want %d", c.challenge, c.solution, got, c.want)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	k, _ := secret.Parse(secret.NewSpec("t1"))
	now := time.Now()
	c := Issue(k, "studio", now, Bits)
	s := Solve(c)
	for b.Loop() {
		if _, err := Verify(k, "studio", c, s, now); err != nil {
			b.Fatal(err)
		}
	}
}
