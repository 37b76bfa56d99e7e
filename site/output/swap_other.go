//go:build !linux

package output

import (
	"errors"
	"os"
)

// swap puts staging in place of final with two renames; the window in
// which final is missing is a few microseconds.
func swap(staging, final string) error {
	if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
		return os.Rename(staging, final)
	}
	return swapByRename(staging, final)
}
