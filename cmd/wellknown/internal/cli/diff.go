package cli

import (
	"fmt"
	"strings"
)

// unifiedDiff shows how have must change to become want, as `diff -u`
// would: removed lines with "-", added ones with "+", three lines of
// context. The workflows are short, so a plain LCS table is fine.
func unifiedDiff(name, have, want string) string {
	a, b := strings.SplitAfter(have, "\n"), strings.SplitAfter(want, "\n")
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
	var lines []diffLine
	for i, j := 0, 0; i < len(a) || j < len(b); {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			lines = append(lines, diffLine{' ', a[i]})
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] > lcs[i+1][j]):
			lines = append(lines, diffLine{'+', b[j]})
			j++
		default:
			lines = append(lines, diffLine{'-', a[i]})
			i++
		}
	}
	const context = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s (committed)\n+++ %s (from cdk.json)\n", name, name)
	for i := 0; i < len(lines); {
		if lines[i].op == ' ' {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for end < len(lines) {
			next := end
			for next < len(lines) && lines[next].op == ' ' {
				next++
			}
			if next == len(lines) || next-end > 2*context {
				end = min(end+context, len(lines))
				break
			}
			for next < len(lines) && lines[next].op != ' ' {
				next++
			}
			end = next
		}
		fmt.Fprintf(&out, "@@ line %d @@\n", lineNumber(lines[:start]))
		for _, l := range lines[start:end] {
			text := strings.TrimSuffix(l.text, "\n")
			if text == "" && l.op == ' ' {
				continue
			}
			fmt.Fprintf(&out, "%c%s\n", l.op, text)
		}
		i = end
	}
	return out.String()
}

// diffLine is one line of a diff: ' ' kept, '-' removed, '+' added.
type diffLine struct {
	op   byte
	text string
}

// lineNumber is the 1-based number, in the committed file, of the line
// after lines.
func lineNumber(lines []diffLine) int {
	n := 1
	for _, l := range lines {
		if l.op != '+' {
			n++
		}
	}
	return n
}
