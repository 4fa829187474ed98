//go:build !unix

package watch

import "testing"

// asUser: permissions are tested on Unix only.
func asUser(t *testing.T, name string) bool {
	t.Skip("permission tests need Unix")
	return false
}
