//go:build !linux

package hugepages

// Mode is "" where there is no Linux THP.
func Mode() string { return "" }

// Prefer does nothing where there is no Linux THP.
func Prefer(n int) int { return 0 }
