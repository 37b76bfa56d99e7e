// Package icons makes the square PNG icons that browsers, phones and web
// app manifests ask for (a 32-pixel favicon, a 180-pixel Apple touch icon,
// 192 and 512 pixels for the manifest) from one image, the site's logo.
//
// An image that is not square is centred on a transparent square first, so
// that nothing of the logo is cut off. Scaling uses Catmull-Rom
// resampling from golang.org/x/image/draw, which keeps small icons sharp.
package icons

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // logos in GIF
	_ "image/jpeg"
	"image/png"
	"slices"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // logos in WebP
)

// Icon is one generated icon.
type Icon struct {
	// Size is the width and height in pixels.
	Size int
	// PNG is the encoded image.
	PNG []byte
}

// Make decodes src (PNG, JPEG, GIF or WebP) and returns it as a square
// PNG of each size, in the order given.
func Make(src []byte, sizes ...int) ([]Icon, error) {
	img, format, err := image.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("cannot read the image: %w", err)
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("the image is empty")
	}
	side := max(b.Dx(), b.Dy())
	// Where the image goes on a transparent square of its longer side.
	off := image.Point{(side - b.Dx()) / 2, (side - b.Dy()) / 2}
	target := b.Sub(b.Min).Add(off)

	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	out := make([]Icon, len(sizes))
	// Larger icons first: each smaller one is scaled from the smallest
	// icon made so far that is at least twice its size, which costs far
	// less than scaling the whole logo again and looks the same.
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return sizes[b] - sizes[a] })
	type made struct {
		img  image.Image
		side int
	}
	var sources []made
	for _, i := range order {
		n := sizes[i]
		if n < 1 {
			return nil, fmt.Errorf("icon size %d", n)
		}
		if format == "png" && b.Dx() == n && b.Dy() == n {
			// Already the right PNG: keep its bytes.
			out[i] = Icon{Size: n, PNG: src}
			continue
		}
		// RGBA, not NRGBA: x/image/draw has fast paths for it.
		dst := image.NewRGBA(image.Rect(0, 0, n, n))
		from, fromRect, dstRect := img, b, image.Rect(off.X*n/side, off.Y*n/side, (target.Max.X*n+side-1)/side, (target.Max.Y*n+side-1)/side)
		for j := len(sources) - 1; j >= 0; j-- {
			if sources[j].side >= 2*n {
				from, fromRect, dstRect = sources[j].img, sources[j].img.Bounds(), dst.Bounds()
				break
			}
		}
		draw.CatmullRom.Scale(dst, dstRect, from, fromRect, draw.Src, nil)
		sources = append(sources, made{dst, n})
		var buf bytes.Buffer
		if err := enc.Encode(&buf, dst); err != nil {
			return nil, err
		}
		out[i] = Icon{Size: n, PNG: buf.Bytes()}
	}
	return out, nil
}
