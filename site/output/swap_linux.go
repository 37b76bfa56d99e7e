//go:build linux

package output

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// swap puts staging in place of final in one atomic step: after it,
// final holds the new build and staging the previous one (or nothing).
func swap(staging, final string) error {
	err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, final, unix.RENAME_EXCHANGE)
	if err == nil {
		return nil
	}
	if errors.Is(err, unix.ENOENT) {
		if _, statErr := os.Lstat(final); errors.Is(statErr, os.ErrNotExist) {
			return os.Rename(staging, final)
		}
	}
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return swapByRename(staging, final)
	}
	return err
}
