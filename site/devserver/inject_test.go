package devserver

import "testing"

func TestInject(t *testing.T) {
	for _, c := range []struct{ page, want string }{
		{"<body><p>x</p></body></html>", "<body><p>x</p>+</body></html>"},
		{"<BODY><p>x</p></Body>\n", "<BODY><p>x</p>+</Body>\n"},
		{"<p>no end tag</p>", "<p>no end tag</p>+"},
		{"<body>a</body><!-- </body> -->", "<body>a</body><!-- +</body> -->"}, // the last one
		{"</bod", "</bod+"},
		// Letters whose lower case is shorter in UTF-8 (İ, the Kelvin sign, ẞ) and
		// invalid bytes must not move the insertion point.
		{"<body><p>İ</p></body>", "<body><p>İ</p>+</body>"},
		{"<body><p>\u212a</p></body>", "<body><p>\u212a</p>+</body>"},
		{"<body><p>ẞ</p></body>", "<body><p>ẞ</p>+</body>"},
		{"<body><p>\xff</p></body>", "<body><p>\xff</p>+</body>"},
	} {
		if got := string(inject([]byte(c.page), []byte("+"))); got != c.want {
			t.Errorf("inject(%q) = %q, want %q", c.page, got, c.want)
		}
	}
}
