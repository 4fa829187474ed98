//go:build !unix

package watch

import "io/fs"

// inode is 0 where the platform has no inode numbers in FileInfo: polling
// then compares mtime and size only.
func inode(fs.FileInfo) uint64 { return 0 }
