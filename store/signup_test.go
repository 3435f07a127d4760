package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/daoyue/daoyue"
	"github.com/daoyue/daoyue/store"
	"github.com/daoyue/daoyue/store/storetest"
)

// A pending sign-up is found by its hash while it lives, taken once, and
// swept away after it expires.
func TestSignups(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2030, 1, 7, 0, 0, 0, 0, time.UTC)
		s := &daoyue.Signup{Hash: "h1", Email: "mei@lotus.example", PasswordHash: "$2a$x", Name: "林美玲", StudioName: "蓮花瑜珈",
			Slug: "lotus", TimeZone: "Asia/Taipei", Language: "zh-TW", CreatedAt: now, ExpiresAt: now.Add(daoyue.SignupTTL)}
		old := *s
		old.Hash, old.ExpiresAt = "h0", now.Add(-time.Minute)
		must := func(fn func(tx daoyue.Tx) error) {
			t.Helper()
			if err := db.Update(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		must(func(tx daoyue.Tx) error {
			if err := tx.CreateSignup(ctx, s); err != nil {
				return err
			}
			return tx.CreateSignup(ctx, &old)
		})
		must(func(tx daoyue.Tx) error {
			got, err := tx.Signup(ctx, "h1", now)
			if err != nil {
				return err
			}
			if *got != *s {
				t.Errorf("read back %+v, want %+v", got, s)
			}
			if _, err := tx.Signup(ctx, "h0", now); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				t.Errorf("an expired sign-up: %v", err)
			}
			if _, err := tx.Signup(ctx, "h1", s.ExpiresAt); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				t.Errorf("a sign-up at its expiry: %v", err)
			}
			if _, err := tx.TakeSignup(ctx, "h1", now); err != nil {
				return err
			}
			if _, err := tx.TakeSignup(ctx, "h1", now); !daoyue.IsCode(err, daoyue.ENOTFOUND) {
				t.Errorf("taken twice: %v", err)
			}
			return tx.DeleteExpiredSignups(ctx, now)
		})
		var n int
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM signups`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("signups left: %d %v", n, err)
		}
	})
}
