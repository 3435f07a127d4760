package i18n

// Key families: messages picked at run time from a domain value. Their keys
// are built here and nowhere else, so that TestKeyFamilies can check that
// every member of a family (every error code, every role) has both
// languages; a key written out in full is checked where it is written, by
// TestEveryKeyInCodeExists.

// ErrorKey is the message of an error code (daoyue.E…), shown for an error
// that names no message of its own.
func ErrorKey(code string) string { return "error." + code }

// RoleKey is the word for a member role (daoyue.Role).
func RoleKey[R ~string](role R) string { return "role." + string(role) }

// MeetingReasonKey is the plain-words explanation of a meeting's reason
// (daoyue.MeetingReason).
func MeetingReasonKey[R ~string](reason R) string { return "meeting.note." + string(reason) }
