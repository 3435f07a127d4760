package main

import (
	"errors"
	"os/exec"
	"path"
	"strings"
	"testing"
)

// Test helpers stay out of the binary: nothing daoyue links may import
// testing or net/http/httptest (a simulator's NewServer(t) belongs in a
// test-only package such as zoomsimtest).
func TestBinaryLinksNoTestPackages(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go") // go test puts its own go first in PATH
	if err != nil {
		t.Fatalf("the go command is needed to list the binary's packages: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list -deps: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || deps[len(deps)-1] != "github.com/daoyue/daoyue/cmd/daoyue" {
		t.Fatalf("go list -deps printed an unexpected list (%d packages):\n%s", len(deps), out)
	}
	for _, d := range deps {
		switch d {
		case "testing", "net/http/httptest":
			t.Errorf("the daoyue binary links %s; move the helper that imports it into a test-only package", d)
		}
	}
	// Nor may our own test helpers (storetest, smtptest, zoomsimtest, testenv).
	for _, d := range deps {
		name := path.Base(d)
		if strings.HasPrefix(d, "github.com/daoyue/daoyue/") && (strings.HasSuffix(name, "test") || name == "testenv") {
			t.Errorf("the daoyue binary links the test helper package %s", d)
		}
	}
}
