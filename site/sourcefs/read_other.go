//go:build !unix

package sourcefs

import "os"

func readFile(name string, buf []byte) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil || cap(buf) < len(data) {
		return data, err
	}
	return append(buf[:0], data...), nil
}
