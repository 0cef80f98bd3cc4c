package jsontree

import (
	"encoding/json"
	"reflect"
	"testing"
)

func FuzzFirstDifference(f *testing.F) {
	f.Add([]byte(`{"applinks": {"details": [{"appIDs": ["A.b"], "components": [{"/": "/*"}]}]}}`), []byte(`{"applinks": {"apps": [], "details": [{"appID": "A.b", "paths": ["*"]}]}}`))
	f.Add([]byte(`[1, 1.0e0]`), []byte(`[1.00, 10e-1]`))
	f.Add([]byte(`{"a":1,"a":2}`), []byte(`{"a":2}`))
	f.Add([]byte(`{`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		d, err := FirstDifference(a, b)
		valid := json.Valid(a) && json.Valid(b)
		if (err == nil) != valid {
			t.Fatalf("err = %v, but json.Valid = %v", err, valid)
		}
		if err != nil {
			return
		}
		if back, _ := FirstDifference(b, a); back != d {
			t.Fatalf("not symmetric: %q vs %q", d, back)
		}
		if self, _ := FirstDifference(a, a); self != "" {
			t.Fatalf("document differs from itself at %q", self)
		}
		var va, vb any
		if d == "" && json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil && !reflect.DeepEqual(va, vb) {
			t.Fatalf("reported equal but decode differently: %v vs %v", va, vb)
		}
	})
}

// FuzzParse: every valid document parses, spans cover exactly each value's
// text, and duplicates are found exactly when encoding/json would drop a
// value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `[1, "a", {"b": null}]`, `{"a":1,"a":2}`, ` { "k" : [ true , false ] } `, `{"x":{"y":1,"y":{"z":2}},"w":3}`, `"\u00e9"`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, dups, err := Parse(data)
		if (err == nil) != json.Valid(data) {
			t.Fatalf("Parse err = %v, json.Valid = %v", err, json.Valid(data))
		}
		if err != nil {
			if se, ok := err.(*SyntaxError); !ok || se.Msg == "" || se.Fix == "" {
				t.Fatalf("syntax error without explanation: %#v", err)
			}
			return
		}
		var check func(n *Node)
		check = func(n *Node) {
			raw := n.Raw(data)
			var a any
			if json.Unmarshal(raw, &a) != nil {
				t.Fatalf("span %d:%d is not a JSON value: %q", n.Start, n.End, raw)
			}
			for _, e := range n.Elems {
				check(e)
			}
			for _, m := range n.Members {
				if data[m.KeyStart] != '"' {
					t.Fatalf("key %q does not start at a quote", m.Key)
				}
				check(m.Value)
			}
		}
		check(root)
		for _, d := range dups {
			if len(d.Path) == 0 || d.Path[len(d.Path)-1].Key != d.Key || d.Line < 1 {
				t.Fatalf("bad duplicate %+v", d)
			}
		}
	})
}
