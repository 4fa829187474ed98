//go:build !linux

package site

import "os"

// writeFile writes a file of a build's staging folder.
func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
