package daoyue

import (
	"slices"
	"testing"
)

// Owners manage everyone; admins everyone but owners; staff and
// practitioners nobody.
func TestRoleManages(t *testing.T) {
	want := map[Role][]Role{
		RoleOwner:        {RolePractitioner, RoleStaff, RoleAdmin, RoleOwner},
		RoleAdmin:        {RolePractitioner, RoleStaff, RoleAdmin},
		RoleStaff:        nil,
		RolePractitioner: nil,
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

// A practitioner member sees and tends only their own practitioner;
// managers tend everyone; staff see everyone and tend no one.
func TestMemberSeesAndTends(t *testing.T) {
	for _, c := range []struct {
		m                    Member
		seesOwn, seesOther   bool
		tendsOwn, tendsOther bool
	}{
		{Member{Role: RoleOwner}, true, true, true, true},
		{Member{Role: RoleAdmin}, true, true, true, true},
		{Member{Role: RoleStaff}, true, true, false, false},
		{Member{Role: RolePractitioner, PractitionerID: "pr_own"}, true, false, true, false},
		{Member{Role: RolePractitioner}, false, false, false, false},
	} {
		if c.m.Sees("pr_own") != c.seesOwn || c.m.Sees("pr_other") != c.seesOther ||
			c.m.Tends("pr_own") != c.tendsOwn || c.m.Tends("pr_other") != c.tendsOther {
			t.Errorf("%s (%q): sees %v/%v tends %v/%v", c.m.Role, c.m.PractitionerID,
				c.m.Sees("pr_own"), c.m.Sees("pr_other"), c.m.Tends("pr_own"), c.m.Tends("pr_other"))
		}
	}
}
