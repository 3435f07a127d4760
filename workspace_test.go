package daoyue

import (
	"slices"
	"testing"
)

// Owners manage everyone; admins everyone but owners; staff nobody.
func TestRoleManages(t *testing.T) {
	want := map[Role][]Role{
		RoleOwner: {RoleStaff, RoleAdmin, RoleOwner},
		RoleAdmin: {RoleStaff, RoleAdmin},
		RoleStaff: nil,
	}
	for _, r := range Roles {
		if got := r.Grantable(); !slices.Equal(got, want[r]) {
			t.Errorf("%s grants %v, want %v", r, got, want[r])
		}
		for _, o := range Roles {
			if got := r.Manages(o); got != slices.Contains(want[r], o) {
				t.Errorf("%s manages %s: %v", r, o, got)
			}
		}
	}
}
