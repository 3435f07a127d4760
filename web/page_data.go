package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/daoyue/daoyue"
)

// The data page (資料與隱私): a client's data exported or erased on request,
// the studio's data exported, the studio deleted.

func (s *Server) dataPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderData(w, r, http.StatusOK, nil)
}

func (s *Server) renderData(w http.ResponseWriter, r *http.Request, status int, actionErr error) error {
	v, err := s.adminView(w, r, "data", "page.data.title")
	if err != nil {
		return err
	}
	noStore(w)
	if actionErr != nil {
		v.Form = r.PostForm
	}
	return s.renderForm(w, r, status, "data", v, actionErr)
}

// download sends v as a JSON file.
func download(w http.ResponseWriter, name string, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	noStore(w)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func (s *Server) clientExportDownload(w http.ResponseWriter, r *http.Request) error {
	out, err := s.App.ExportClient(r.Context(), r.PathValue("slug"), r.URL.Query().Get("email"))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderData(w, r, 0, err)
	} else if err != nil {
		return err
	}
	download(w, "client-"+time.Now().UTC().Format("20060102")+".json", out)
	return nil
}

func (s *Server) clientEraseSubmit(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	if r.PostFormValue("sure") != "yes" {
		return s.renderData(w, r, 0, daoyue.FieldErrors{"sure": "error.confirm_erase"}.Err())
	}
	n, err := s.App.EraseClient(r.Context(), r.PathValue("slug"), r.PostFormValue("erase_email"))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderData(w, r, 0, apiRenameFields(err, map[string]string{"email": "erase_email"}))
	} else if err != nil {
		return err
	}
	s.setFlashArgs(w, "flash.client_erased", map[string]any{"n": n})
	http.Redirect(w, r, "/admin/"+r.PathValue("slug")+"/data", http.StatusSeeOther)
	return nil
}

func (s *Server) studioExportDownload(w http.ResponseWriter, r *http.Request) error {
	out, err := s.App.ExportStudio(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	download(w, out.Workspace.Slug+"-"+out.ExportedAt.Format("20060102")+".json", out)
	return nil
}

// studioBookingsCSV is the studio's bookings as a spreadsheet.
func (s *Server) studioBookingsCSV(w http.ResponseWriter, r *http.Request) error {
	out, err := s.App.ExportStudio(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	loc := out.Workspace.Location()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+out.Workspace.Slug+`-bookings.csv"`)
	noStore(w)
	_, _ = w.Write([]byte("\uFEFF")) // a BOM, so spreadsheet programs read the Chinese right
	c := csv.NewWriter(w)
	_ = c.Write([]string{"id", "start", "end", "status", "service", "practitioner", "client_name", "client_email", "client_phone", "amount", "currency", "note", "created_at"})
	for _, b := range out.Bookings {
		_ = c.Write([]string{b.ID, b.Start.In(loc).Format(time.RFC3339), b.End.In(loc).Format(time.RFC3339), b.Status, b.Service, b.Practitioner,
			csvSafe(b.Client.Name), b.Client.Email, csvSafe(b.Client.Phone), strconv.FormatInt(b.Price.Amount, 10), b.Price.Currency, csvSafe(b.Note),
			b.CreatedAt.In(loc).Format(time.RFC3339)})
	}
	c.Flush()
	return nil
}

// csvSafe keeps a spreadsheet from reading a client's text as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

func (s *Server) studioDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	err := s.App.DeleteStudio(r.Context(), r.PathValue("slug"), r.PostFormValue("confirm"))
	if daoyue.IsCode(err, daoyue.EINVALID) {
		return s.renderData(w, r, 0, err)
	} else if err != nil {
		return err
	}
	s.redirectFlash(w, r, "/admin", "flash.studio_deleted")
	return nil
}
