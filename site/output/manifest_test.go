package output

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// sameManifest compares manifests, a nil map and an empty one alike.
func sameManifest(a, b manifest) bool {
	if len(a.Files) == 0 && len(b.Files) == 0 {
		a.Files, b.Files = nil, nil
	}
	if len(a.Stamps) == 0 && len(b.Stamps) == 0 {
		a.Stamps, b.Stamps = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

// TestManifestLayout checks the written layout by hand, that
// encoding/json reads it as the same manifest, and that the fast reader
// reads it without falling back.
func TestManifestLayout(t *testing.T) {
	m := manifest{
		Generator: "nashra",
		Files: map[string]string{
			"index.html":                        "aa",
			"posts/سيكا/index.html":             "bb",
			"posts/a<b>&\"q\\/index.html":       "cc",
			"posts/\u2028/x":                    "dd",
			"posts/bad\xff/x":                   "ee",
			"tags/kazakhstan/page/2/index.html": "ff",
		},
		Stamps: map[string][2]int64{"index.html": {12, 34}, "posts/سيكا/index.html": {-1, 0}},
	}
	data := encodeManifest(m)
	want := "{\"generator\":\"nashra\",\n\"files\":{\n" +
		"\"index.html\":\"aa\",\n" +
		"\"posts/a\\u003cb\\u003e\\u0026\\\"q\\\\/index.html\":\"cc\",\n" +
		"\"posts/bad\\ufffd/x\":\"ee\",\n" +
		"\"posts/سيكا/index.html\":\"bb\",\n" +
		"\"posts/\\u2028/x\":\"dd\",\n" +
		"\"tags/kazakhstan/page/2/index.html\":\"ff\"\n" +
		"},\n\"stamps\":{\n" +
		"\"index.html\":[12,34],\n" +
		"\"posts/سيكا/index.html\":[-1,0]\n" +
		"}}\n"
	if string(data) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", data, want)
	}
	var viaJSON manifest
	if err := json.Unmarshal(data, &viaJSON); err != nil {
		t.Fatalf("encoding/json cannot read the manifest: %v", err)
	}
	got, err := decodeManifest(data)
	if err != nil || !sameManifest(got, viaJSON) {
		t.Errorf("decodeManifest = %+v, %v; encoding/json reads %+v", got, err, viaJSON)
	}
	plain := manifest{Generator: "nashra", Files: map[string]string{"a.html": "1", "b/c.html": "2"},
		Stamps: map[string][2]int64{"a.html": {5, 6}}}
	if got, ok := decodeManifestLines(encodeManifest(plain)); !ok || !sameManifest(got, plain) {
		t.Errorf("the fast reader read %+v, %v; want %+v", got, ok, plain)
	}
	// A manifest of an older nashra (encoding/json, indented) still reads.
	old, err := json.MarshalIndent(plain, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := decodeManifest(old); err != nil || !sameManifest(got, plain) {
		t.Errorf("older manifest read as %+v, %v", got, err)
	}
}

// FuzzManifest checks that whatever the fast reader accepts, encoding/json
// reads the same way, and that written manifests read back.
func FuzzManifest(f *testing.F) {
	f.Add(string(encodeManifest(manifest{Generator: "nashra", Files: map[string]string{"a": "1", "b/c": "2"},
		Stamps: map[string][2]int64{"a": {1, 2}, "b/c": {3, 4}}})), "x/y.html", int64(7))
	f.Add("{\"generator\":\"nashra\",\n\"files\":{\n\"a\":\"1\",\n\"a\":\"2\"\n},\n\"stamps\":{\n}}\n", "a", int64(-1))
	f.Add("{\"generator\":\"nashra\",\n\"files\":{\n},\n\"stamps\":{\n\"a\":[01,2]\n}}\n", "\\", int64(0))
	f.Fuzz(func(t *testing.T, data string, path string, n int64) {
		if m, ok := decodeManifestLines([]byte(data)); ok {
			var viaJSON manifest
			if err := json.Unmarshal([]byte(data), &viaJSON); err != nil {
				t.Fatalf("fast reader accepted what encoding/json refuses (%v):\n%q", err, data)
			}
			if !sameManifest(m, viaJSON) {
				t.Fatalf("fast reader: %+v\nencoding/json: %+v\n%q", m, viaJSON, data)
			}
		}
		m := manifest{Generator: "nashra", Files: map[string]string{path: data, "index.html": path},
			Stamps: map[string][2]int64{path: {n, -n}}}
		enc := encodeManifest(m)
		var viaJSON manifest
		if err := json.Unmarshal(enc, &viaJSON); err != nil {
			t.Fatalf("encoding/json cannot read %q: %v", enc, err)
		}
		got, err := decodeManifest(enc)
		if err != nil || !sameManifest(got, viaJSON) {
			t.Fatalf("read back %+v, %v; encoding/json reads %+v", got, err, viaJSON)
		}
	})
}

// BenchmarkManifest reads and writes the manifest of a site of 17,000
// files, by hand and with encoding/json.
func BenchmarkManifest(b *testing.B) {
	m := manifest{Generator: "nashra", Files: map[string]string{}, Stamps: map[string][2]int64{}}
	for i := range 17000 {
		rel := fmt.Sprintf("posts/%d-خبر-عن-سيكا-والأردن/index.html", i)
		m.Files[rel] = Hash([]byte(rel))
		m.Stamps[rel] = [2]int64{int64(1000000 + i), int64(20000 + i)}
	}
	data := encodeManifest(m)
	old, _ := json.MarshalIndent(m, "", " ")
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			encodeManifest(m)
		}
	})
	b.Run("write-json", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.MarshalIndent(m, "", " ")
		}
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeManifest(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read-json", func(b *testing.B) {
		for b.Loop() {
			var m manifest
			if err := json.Unmarshal(old, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
