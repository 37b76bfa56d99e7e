//go:build !unix

package sourcefs

import "os"

// readFile reads a whole file with os.ReadFile. buf is not used:
// os.ReadFile allocates its own slice, and copying that into buf would
// only add a copy.
func readFile(name string, _ []byte) ([]byte, error) {
	return os.ReadFile(name)
}
