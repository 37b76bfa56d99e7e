package icons_test

import (
	"os"
	"testing"

	"github.com/nashra-press/nashra/site/icons"
)

// BenchmarkMake reports the time to make the four icons of the sample
// logo.
func BenchmarkMake(b *testing.B) {
	src, err := os.ReadFile("../../static/images/embassy-logo.png")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := icons.Make(src, 32, 180, 192, 512); err != nil {
			b.Fatal(err)
		}
	}
}
