package store

import (
	"context"
	"time"
)

// Webhook events: the delivery keys already handled.

// WebhookRetention is how long MarkWebhookEvent remembers a delivery key,
// far longer than any provider retries a delivery.
const WebhookRetention = 30 * 24 * time.Hour

// MarkWebhookEvent records key with INSERT … ON CONFLICT DO NOTHING: fresh
// is whether this call inserted it. Of concurrent marks of one key exactly
// one is fresh (on PostgreSQL the others wait for its transaction and see
// the key once it commits, or insert it themselves if it rolls back).
//
// A fresh mark also deletes the keys received before now-WebhookRetention
// (an index range scan that usually finds nothing), so the table holds
// about 30 days of deliveries.
func (t *tx) MarkWebhookEvent(ctx context.Context, key string, now time.Time) (bool, error) {
	res, err := t.exec(ctx, "mark webhook event",
		`INSERT INTO webhook_events (key, received_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, unix(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, t.db.wrap("mark webhook event", err)
	}
	if n == 0 {
		return false, nil
	}
	if _, err := t.exec(ctx, "delete old webhook events",
		`DELETE FROM webhook_events WHERE received_at < $1`, unix(now.Add(-WebhookRetention))); err != nil {
		return false, err
	}
	return true, nil
}
