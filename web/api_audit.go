package web

import (
	"net/http"
	"time"

	"github.com/daoyue/daoyue"
)

// The workspace's audit log in API v1, newest first.

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f := daoyue.FieldErrors{}
	limit := apiQueryInt(f, r, "limit")
	if err := f.Err(); err != nil {
		return err
	}
	loc, err := s.wsLoc(r)
	if err != nil {
		return err
	}
	es, next, err := s.App.Audit(r.Context(), r.PathValue("slug"), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Entries    []auditJSON `json:"entries"`
		NextCursor string      `json:"next_cursor"`
	}{auditOf(es, loc), next})
	return nil
}

type auditJSON struct {
	ID      string            `json:"id"`
	At      string            `json:"at"`
	Actor   actorJSON         `json:"actor"`
	Action  string            `json:"action"`
	Object  objectJSON        `json:"object"`
	Details map[string]string `json:"details"`
}

type actorJSON struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

type objectJSON struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

func auditOf(es []*daoyue.AuditEntry, loc *time.Location) []auditJSON {
	out := make([]auditJSON, 0, len(es))
	for _, e := range es {
		// Times in details (from, to, start) are written in UTC by the app
		// layer; like every time the API shows, they leave in the
		// workspace's zone.
		d := make(map[string]string, len(e.Details))
		for k, v := range e.Details {
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				v = apiTime(t, loc)
			}
			d[k] = v
		}
		out = append(out, auditJSON{ID: e.ID, At: apiTime(e.At, loc), Actor: actorJSON{string(e.Actor.Kind), e.Actor.Label},
			Action: e.Action, Object: objectJSON{e.ObjectType, e.ObjectID}, Details: d})
	}
	return out
}
