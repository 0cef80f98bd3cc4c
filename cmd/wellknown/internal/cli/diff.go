package cli

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines around each change, as
// `diff -u` gives.
const diffContext = 3

// unifiedDiff is what `diff -u` shows for turning have, the committed file
// at path, into want: a --- a/<path> +++ b/<path> header and hunks with
// three lines of context, so that `git apply` and `patch -p1` in the
// repository root make the change. A file that does not exist (exists
// false) is diffed from /dev/null, so the patch creates it. The workflows
// are a few hundred lines, so a plain LCS table is fine.
func unifiedDiff(path string, exists bool, have, want string) string {
	a, b := splitLines(have), splitLines(want)
	ops := editScript(a, b)
	from := "a/" + path
	if !exists {
		from = "/dev/null"
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ b/%s\n", from, path)
	for _, h := range hunks(ops) {
		var aStart, bStart int // lines of a and b before the hunk
		for _, o := range ops[:h.start] {
			aStart += o.fromA()
			bStart += o.fromB()
		}
		var aLen, bLen int
		for _, o := range ops[h.start:h.end] {
			aLen += o.fromA()
			bLen += o.fromB()
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, o := range ops[h.start:h.end] {
			out.WriteByte(o.op)
			out.WriteString(strings.TrimSuffix(o.line, "\n"))
			out.WriteByte('\n')
			if !strings.HasSuffix(o.line, "\n") {
				out.WriteString("\\ No newline at end of file\n")
			}
		}
	}
	return out.String()
}

// splitLines splits s after each newline; the last line lacks one when s
// does not end with a newline. Lines compare with their newline, so a
// missing final newline is a change like any other.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffOp is one line of the edit script: ' ' kept, '-' only in a, '+'
// only in b.
type diffOp struct {
	op   byte
	line string
}

func (o diffOp) fromA() int {
	if o.op == '+' {
		return 0
	}
	return 1
}

func (o diffOp) fromB() int {
	if o.op == '-' {
		return 0
	}
	return 1
}

// editScript is a shortest edit script from a to b, removals before
// additions within a change, as diff prints them.
func editScript(a, b []string) []diffOp {
	// lcs[i][j] is the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, diffOp{'-', a[i]})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j]})
			j++
		}
	}
	return ops
}

// hunk is ops[start:end]: changes with their context.
type hunk struct{ start, end int }

// hunks groups the changes of ops with diffContext lines of context on
// each side; changes closer than twice that share a hunk.
func hunks(ops []diffOp) []hunk {
	var hs []hunk
	for i := 0; i < len(ops); i++ {
		if ops[i].op == ' ' {
			continue
		}
		// The last change of this hunk: extend while the next change is
		// within 2*diffContext unchanged lines.
		last := i
		for k := i + 1; k < len(ops) && k-last <= 2*diffContext; k++ {
			if ops[k].op != ' ' {
				last = k
			}
		}
		start := max(i-diffContext, 0)
		end := min(last+1+diffContext, len(ops))
		if n := len(hs); n > 0 && start <= hs[n-1].end {
			hs[n-1].end = end
		} else {
			hs = append(hs, hunk{start, end})
		}
		i = last
	}
	return hs
}

// hunkRange is a hunk header's start,count: the first line of the hunk, or
// for an empty one the line before it (0 at the top of the file).
func hunkRange(before, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", before)
	}
	return fmt.Sprintf("%d,%d", before+1, n)
}
