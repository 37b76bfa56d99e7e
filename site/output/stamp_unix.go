//go:build unix

package output

import (
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"
)

// stampsIdentifyFiles tells that a stamp names one file: its inode number.
const stampsIdentifyFiles = true

// writeNew writes data to a new file at name and returns its stamp. A
// file already at name is unlinked first, never written through: it may
// be a hard link to a file of the live output. It makes the four system
// calls the job needs (open, write, fstat, close): os.WriteFile and
// os.Lstat add as many again for each file (registering the file with
// the poller, path lookups), which is measurable over the tens of
// thousands of files of a build.
func writeNew(name string, data []byte) ([2]int64, error) {
	const flags = syscall.O_WRONLY | syscall.O_CREAT | syscall.O_EXCL | syscall.O_CLOEXEC
	fd, err := openRetry(name, flags, 0o644)
	if err == syscall.EEXIST {
		if err = syscall.Unlink(name); err == nil {
			fd, err = openRetry(name, flags, 0o644)
		}
	}
	if err != nil {
		return [2]int64{}, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for rest := data; len(rest) > 0; {
		n, err := syscall.Write(fd, rest)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return [2]int64{}, &fs.PathError{Op: "write", Path: name, Err: err}
		}
		if n == 0 {
			syscall.Close(fd)
			return [2]int64{}, &fs.PathError{Op: "write", Path: name, Err: syscall.EIO}
		}
		rest = rest[n:]
	}
	var st syscall.Stat_t
	stamp := [2]int64{-1, int64(len(data))}
	if syscall.Fstat(fd, &st) == nil {
		stamp[0] = int64(st.Ino)
	}
	if err := syscall.Close(fd); err != nil {
		return [2]int64{}, &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return stamp, nil
}

// openRetry is syscall.Open, tried again when a signal interrupts it.
func openRetry(name string, flags int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(name, flags, perm)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// oldRoot is the previous output folder, open, so that the stamps of its
// thousands of files are read relative to it (fstatat) without building
// and resolving each absolute path again.
type oldRoot struct {
	fd   int
	open bool
}

// openOldRoot opens the folder dir; a folder that cannot be opened has no
// files to stamp.
func openOldRoot(dir string) oldRoot {
	fd, err := openRetry(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return oldRoot{}
	}
	return oldRoot{fd: fd, open: true}
}

// stamp returns the stamp of the regular file at rel (slash-separated),
// and false if there is none.
func (r oldRoot) stamp(rel string) ([2]int64, bool) {
	if !r.open {
		return [2]int64{}, false
	}
	var st unix.Stat_t
	for {
		err := unix.Fstatat(r.fd, rel, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			return [2]int64{}, false
		}
		return [2]int64{int64(st.Ino), st.Size}, true
	}
}

// close closes the folder.
func (r oldRoot) close() {
	if r.open {
		syscall.Close(r.fd)
	}
}
