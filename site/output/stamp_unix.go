//go:build unix

package output

import (
	"io/fs"
	"syscall"
)

// stampOf identifies a file as written: its inode number and size.
func stampOf(info fs.FileInfo) [2]int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return [2]int64{int64(st.Ino), info.Size()}
	}
	return [2]int64{-1, info.Size()}
}
