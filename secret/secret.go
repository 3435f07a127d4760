// Package secret encrypts values at rest (Zoom access and refresh tokens)
// with AES-256-GCM under a keyring whose keys live outside the database.
//
// Each ciphertext names the key that made it, so keys can be rotated: the
// first key of DAOYUE_SECRET_KEYS encrypts, every listed key decrypts, and a
// command re-encrypts old values under the newest key. Each ciphertext is
// also bound to its row through the GCM additional data, so a value copied
// into another row (or another column) does not decrypt.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Keyring holds the keys; it is safe for concurrent use.
type Keyring struct {
	primary string
	aeads   map[string]cipher.AEAD
	macs    map[string][]byte // per key id, derived: never the encryption key itself
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// Parse reads "id:base64,id:base64" where each key has 32 bytes.
func Parse(spec string) (*Keyring, error) {
	k := &Keyring{aeads: map[string]cipher.AEAD{}, macs: map[string][]byte{}}
	for _, part := range strings.Split(spec, ",") {
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || !idRE.MatchString(id) {
			return nil, errors.New("entries are id:base64, separated by commas")
		}
		if _, dup := k.aeads[id]; dup {
			return nil, fmt.Errorf("key id %q appears twice", id)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("key %q must be 32 bytes in standard base64", id)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		if k.primary == "" {
			k.primary = id
		}
		k.aeads[id] = aead
		d := hmac.New(sha256.New, key)
		d.Write([]byte("daoyue/secret/mac/v1"))
		k.macs[id] = d.Sum(nil)
	}
	if k.primary == "" {
		return nil, errors.New("no keys")
	}
	return k, nil
}

// NewSpec returns a fresh key entry "id:base64" for DAOYUE_SECRET_KEYS.
func NewSpec(id string) string {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return id + ":" + base64.StdEncoding.EncodeToString(key)
}

// DevKeyFile is where development mode keeps its generated key.
const DevKeyFile = "secret-keys"

// LoadOrCreateDev returns the keyring kept in dir, creating it (mode 0600)
// on first use. created reports whether a key was just generated.
func LoadOrCreateDev(dir string) (k *Keyring, created bool, err error) {
	path := filepath.Join(dir, DevKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, false, err
		}
		spec := NewSpec("dev1")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, err
		}
		_, werr := f.WriteString(spec + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, false, werr
		}
		k, err := Parse(spec)
		return k, true, err
	}
	if err != nil {
		return nil, false, err
	}
	k, err = Parse(strings.TrimSpace(string(b)))
	return k, false, err
}

// Primary is the id of the key that encrypts.
func (k *Keyring) Primary() string { return k.primary }

const version = "v1"

// Encrypt seals plaintext bound to context (e.g. "zoom_connections/<id>/refresh").
// The result is "v1:<key id>:<base64 nonce+ciphertext>".
func (k *Keyring) Encrypt(plaintext []byte, context string) (string, error) {
	aead := k.aeads[k.primary]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(nonce, nonce, plaintext, []byte(context))
	return version + ":" + k.primary + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// ErrDecrypt means a value could not be opened: wrong key, wrong context
// or tampering. It never says which, and never includes the value.
var ErrDecrypt = errors.New("secret: cannot decrypt value")

// Decrypt opens a value sealed by Encrypt with the same context.
func (k *Keyring) Decrypt(value, context string) ([]byte, error) {
	id, sealed, err := split(value)
	if err != nil {
		return nil, err
	}
	aead, ok := k.aeads[id]
	if !ok {
		return nil, fmt.Errorf("secret: value sealed with key %q, which is not in DAOYUE_SECRET_KEYS", id)
	}
	if len(sealed) < aead.NonceSize() {
		return nil, ErrDecrypt
	}
	out, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(context))
	if err != nil {
		return nil, ErrDecrypt
	}
	return out, nil
}

// KeyID returns the id of the key a value was sealed with.
func KeyID(value string) (string, error) {
	id, _, err := split(value)
	return id, err
}

func split(value string) (string, []byte, error) {
	parts := strings.SplitN(value, ":", 3)
	if len(parts) != 3 || parts[0] != version {
		return "", nil, ErrDecrypt
	}
	sealed, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil {
		return "", nil, ErrDecrypt
	}
	return parts[1], sealed, nil
}

// Reencrypt returns value sealed under the primary key, or value itself
// (changed=false) when it already is.
func (k *Keyring) Reencrypt(value, context string) (out string, changed bool, err error) {
	id, err := KeyID(value)
	if err != nil {
		return "", false, err
	}
	if id == k.primary {
		return value, false, nil
	}
	plain, err := k.Decrypt(value, context)
	if err != nil {
		return "", false, err
	}
	out, err = k.Encrypt(plain, context)
	return out, err == nil, err
}

// Sign returns a tag for msg bound to context, "<key id>.<base64 HMAC>",
// for values the server hands out and must recognise later without storing
// them (a public form's proof-of-work challenge).
func (k *Keyring) Sign(msg, context string) string {
	return k.primary + "." + base64.RawURLEncoding.EncodeToString(k.mac(k.primary, msg, context))
}

// Check reports whether tag is Sign's for msg and context under any key of
// the ring, so tags made before a rotation still verify.
func (k *Keyring) Check(msg, context, tag string) bool {
	id, b64, ok := strings.Cut(tag, ".")
	if !ok {
		return false
	}
	if _, ok := k.macs[id]; !ok {
		return false
	}
	got, err := base64.RawURLEncoding.DecodeString(b64)
	return err == nil && hmac.Equal(got, k.mac(id, msg, context))
}

func (k *Keyring) mac(id, msg, context string) []byte {
	h := hmac.New(sha256.New, k.macs[id])
	h.Write([]byte(context))
	h.Write([]byte{0})
	h.Write([]byte(msg))
	return h.Sum(nil)
}
