package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundTripAndBinding(t *testing.T) {
	k, err := Parse(NewSpec("k1"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := k.Encrypt([]byte("refresh-token-xyz"), "zoom_connections/c1/refresh")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(v, "refresh-token-xyz") {
		t.Fatal("plaintext visible in ciphertext")
	}
	got, err := k.Decrypt(v, "zoom_connections/c1/refresh")
	if err != nil || string(got) != "refresh-token-xyz" {
		t.Fatalf("got %q, %v", got, err)
	}
	// Copied into another row or column: refused.
	for _, ctx := range []string{"zoom_connections/c2/refresh", "zoom_connections/c1/access"} {
		if _, err := k.Decrypt(v, ctx); err != ErrDecrypt {
			t.Errorf("decrypted under %s: %v", ctx, err)
		}
	}
	// Tampered: refused.
	b := []byte(v)
	b[len(b)-2] ^= 1
	if _, err := k.Decrypt(string(b), "zoom_connections/c1/refresh"); err == nil {
		t.Error("tampered value decrypted")
	}
	// Two encryptions differ (fresh nonce).
	v2, _ := k.Encrypt([]byte("refresh-token-xyz"), "zoom_connections/c1/refresh")
	if v2 == v {
		t.Error("same ciphertext twice")
	}
}

func TestRotation(t *testing.T) {
	old := NewSpec("k1")
	k1, _ := Parse(old)
	v, _ := k1.Encrypt([]byte("tok"), "ctx")
	k2, err := Parse(NewSpec("k2") + "," + old)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k2.Decrypt(v, "ctx"); err != nil || string(got) != "tok" {
		t.Fatalf("old value under new keyring: %q %v", got, err)
	}
	nv, changed, err := k2.Reencrypt(v, "ctx")
	if err != nil || !changed {
		t.Fatalf("reencrypt: %v %v", changed, err)
	}
	if id, _ := KeyID(nv); id != "k2" {
		t.Fatalf("re-encrypted under %s", id)
	}
	if _, changed, _ := k2.Reencrypt(nv, "ctx"); changed {
		t.Fatal("re-encrypted a current value again")
	}
	// Without the old key, old values name the missing key.
	k3, _ := Parse(NewSpec("k3"))
	if _, err := k3.Decrypt(v, "ctx"); err == nil || !strings.Contains(err.Error(), `"k1"`) {
		t.Fatalf("missing key error: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, spec := range []string{"", "k1", "k1:notbase64!", "k1:dG9vc2hvcnQ=", NewSpec("a") + "," + NewSpec("a"), "bad id:" + strings.Repeat("A", 44)} {
		if _, err := Parse(spec); err == nil {
			t.Errorf("Parse(%q) accepted", spec)
		}
	}
}

func TestDevKeyFile(t *testing.T) {
	dir := t.TempDir()
	k, created, err := LoadOrCreateDev(dir)
	if err != nil || !created {
		t.Fatalf("%v %v", created, err)
	}
	info, err := os.Stat(filepath.Join(dir, DevKeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", info.Mode(), err)
	}
	v, _ := k.Encrypt([]byte("x"), "c")
	k2, created, err := LoadOrCreateDev(dir)
	if err != nil || created {
		t.Fatalf("second load: %v %v", created, err)
	}
	if got, err := k2.Decrypt(v, "c"); err != nil || !bytes.Equal(got, []byte("x")) {
		t.Fatalf("reloaded key cannot decrypt: %v", err)
	}
}

func TestSignCheck(t *testing.T) {
	old, _ := Parse(NewSpec("k1"))
	tag := old.Sign("challenge", "proof/studio")
	if !old.Check("challenge", "proof/studio", tag) {
		t.Fatal("own tag refused")
	}
	for _, c := range []struct{ msg, ctx, tag string }{
		{"challengE", "proof/studio", tag},
		{"challenge", "proof/other", tag},
		{"challenge", "proof/studio", tag[:len(tag)-2] + "AA"},
		{"challenge", "proof/studio", "nokey." + tag[3:]},
		{"challenge", "proof/studio", ""},
	} {
		if old.Check(c.msg, c.ctx, c.tag) {
			t.Errorf("Check(%q, %q, %q) accepted", c.msg, c.ctx, c.tag)
		}
	}
	// After a rotation the new ring still checks the old key's tags.
	spec := NewSpec("k2")
	oldSpec := NewSpec("k1")
	a, _ := Parse(oldSpec)
	b, _ := Parse(spec + "," + oldSpec)
	if !b.Check("m", "c", a.Sign("m", "c")) {
		t.Error("tag from the previous key refused after rotation")
	}
	other, _ := Parse(NewSpec("k1"))
	if other.Check("m", "c", a.Sign("m", "c")) {
		t.Error("tag from a different key with the same id accepted")
	}
}
