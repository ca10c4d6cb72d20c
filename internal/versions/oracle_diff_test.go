package versions

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestOracleDiff compares the parsers with an oracle file produced by the
// Rust program in testdata/README.md (modes req, pep, spec), named by
// $ORACLE_FILE with $ORACLE_MODE. It is skipped in normal runs; it was used
// to diff the fuzz corpora against the real crates.
func TestOracleDiff(t *testing.T) {
	path, mode := os.Getenv("ORACLE_FILE"), os.Getenv("ORACLE_MODE")
	if path == "" {
		t.Skip("ORACLE_FILE not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		row := strings.SplitN(sc.Text(), "\t", 3)
		if len(row) < 3 {
			continue
		}
		n++
		var got string
		var err error
		switch mode {
		case "req":
			var r Req
			r, err = ParseReq(row[0])
			got = r.String()
		case "pep":
			var v PyVersion
			v, err = ParsePyVersion(row[0])
			got = v.String()
		case "spec":
			var s Specifiers
			s, err = ParseSpecifiers(row[0])
			got, row[2] = sortedClauses(s.String()), sortedClauses(row[2])
		}
		if (err == nil) != (row[1] == "ok") || (err == nil && got != row[2]) {
			t.Errorf("%q: go=%q,%v crate=%s %s", row[0], got, err, row[1], row[2])
		}
	}
	t.Logf("%d rows compared", n)
}
