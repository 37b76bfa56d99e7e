//go:build !unix

package output

import "io/fs"

// stampOf identifies a file as written: where inode numbers are not
// available, its size and modification time.
func stampOf(info fs.FileInfo) [2]int64 {
	return [2]int64{info.ModTime().UnixNano(), info.Size()}
}
