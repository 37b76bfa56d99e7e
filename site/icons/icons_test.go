package icons_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"

	"github.com/nashra-press/nashra/site/icons"
)

func TestMakeFromTheSampleLogo(t *testing.T) {
	src, err := os.ReadFile("../../static/images/embassy-logo.png")
	if err != nil {
		t.Fatal(err)
	}
	got, err := icons.Make(src, 32, 180, 192, 512)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{32, 180, 192, 512} {
		img, err := png.Decode(bytes.NewReader(got[i].PNG))
		if err != nil {
			t.Fatalf("icon %d: %v", want, err)
		}
		if b := img.Bounds(); got[i].Size != want || b.Dx() != want || b.Dy() != want {
			t.Errorf("icon %d is %v", want, img.Bounds())
		}
	}
}

// A wide image is centred on a transparent square: the bands above and
// below it stay transparent, its middle keeps its colour.
func TestMakeCentresWideImages(t *testing.T) {
	wide := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	red := color.NRGBA{200, 0, 0, 255}
	for y := 0; y < 100; y++ {
		for x := 0; x < 200; x++ {
			wide.Set(x, y, red)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, wide); err != nil {
		t.Fatal(err)
	}
	got, err := icons.Make(buf.Bytes(), 64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(got[0].PNG))
	if err != nil {
		t.Fatal(err)
	}
	// 200x100 on a 200x200 square scaled to 64: the image covers rows
	// 16 to 47.
	for _, c := range []struct {
		x, y    int
		opaque  bool
		comment string
	}{
		{32, 2, false, "top band"}, {32, 61, false, "bottom band"},
		{32, 32, true, "middle"}, {1, 20, true, "left edge of the image"}, {62, 44, true, "right edge"},
	} {
		_, _, _, a := img.At(c.x, c.y).RGBA()
		if (a == 0xffff) != c.opaque {
			t.Errorf("%s (%d,%d): alpha %#x, opaque want %v", c.comment, c.x, c.y, a, c.opaque)
		}
	}
	r, g, b, _ := img.At(32, 32).RGBA()
	if r>>8 != 200 || g != 0 || b != 0 {
		t.Errorf("middle colour %d,%d,%d, want 200,0,0", r>>8, g>>8, b>>8)
	}
}

func TestMakeRejectsWhatIsNotAnImage(t *testing.T) {
	if _, err := icons.Make([]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), 32); err == nil {
		t.Error("an SVG was accepted")
	}
}
