package boundary

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/pysrc"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
)

// PyDefault renders a Rust default expression as Python, as PyO3's text
// signature does for simple literals ("..." for anything else).
func PyDefault(expr string) string {
	switch expr {
	case "None", "":
		return "None"
	case "true":
		return "True"
	case "false":
		return "False"
	}
	if len(expr) > 0 && (expr[0] >= '0' && expr[0] <= '9' || expr[0] == '-') && !strings.ContainsAny(expr, " _") {
		return strings.TrimSuffix(strings.TrimSuffix(expr, "f64"), "i32")
	}
	if len(expr) >= 2 && expr[0] == '"' && expr[len(expr)-1] == '"' && !strings.Contains(expr, "\\") {
		return "'" + expr[1:len(expr)-1] + "'"
	}
	return "..."
}

// PySignature renders the Python signature of a Rust signature, with
// receiver prefix (e.g. "self") when not empty: "(data, /, strict=False, *, limit=None)".
func PySignature(s rustsrc.Signature, receiver string) string {
	var parts []string
	if receiver != "" {
		parts = append(parts, receiver)
	}
	star := false
	for i, p := range s.Params {
		switch p.Kind {
		case rustsrc.VarArgs:
			parts = append(parts, "*"+p.Name)
			star = true
			continue
		case rustsrc.VarKw:
			parts = append(parts, "**"+p.Name)
			continue
		case rustsrc.KwOnly:
			if !star {
				parts = append(parts, "*")
				star = true
			}
		}
		x := p.Name
		if p.HasDefault {
			x += "=" + PyDefault(p.Default)
		} else if p.MaybeDefault {
			x += "=None"
		}
		parts = append(parts, x)
		if p.Kind == rustsrc.PosOnly && (i+1 == len(s.Params) || s.Params[i+1].Kind != rustsrc.PosOnly) {
			parts = append(parts, "/")
		}
	}
	if s.Unknown {
		parts = append(parts, "...")
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// StubDef renders a stub `def` for a Rust signature; kind selects the
// receiver and decorator. indent prefixes each line.
func StubDef(name string, s rustsrc.Signature, kind rustsrc.MemberKind, indent string) string {
	var b strings.Builder
	recv := ""
	switch kind {
	case rustsrc.Method, rustsrc.Getter, rustsrc.Setter:
		recv = "self"
	case rustsrc.New, rustsrc.ClassMethod:
		recv = "cls"
	}
	switch kind {
	case rustsrc.StaticMethod:
		b.WriteString(indent + "@staticmethod\n")
	case rustsrc.ClassMethod:
		b.WriteString(indent + "@classmethod\n")
	case rustsrc.Getter:
		b.WriteString(indent + "@property\n")
	}
	sig := PySignature(s, recv)
	// Stubs use "..." for every default.
	var parts []string
	for _, p := range splitTop(sig[1 : len(sig)-1]) {
		if i := strings.IndexByte(p, '='); i >= 0 {
			p = p[:i] + "=..."
		}
		parts = append(parts, p)
	}
	fmt.Fprintf(&b, "%sdef %s(%s): ...\n", indent, name, strings.Join(parts, ", "))
	return b.String()
}

// StubClass renders a stub `class` for a #[pyclass] with the members its
// #[pymethods] and fields give Python: the constructor, methods, static and
// class methods and getters as defs written from their Rust signatures,
// fields, class attributes and enum variants as `name: object`. Private
// (underscore) and cfg-gated members are left out, as the E rules leave
// them out; a class with none of these is `class Name: ...`.
func StubClass(name string, c *ClassInfo) string {
	var body strings.Builder
	seen := map[string]bool{}
	if c != nil {
		for _, m := range c.Members {
			if m.Member == nil || m.Cfg || seen[m.Name] || strings.HasPrefix(m.Name, "_") && m.Kind != rustsrc.New {
				continue
			}
			switch m.Kind {
			case rustsrc.New, rustsrc.Method, rustsrc.StaticMethod, rustsrc.ClassMethod, rustsrc.Getter:
				body.WriteString(StubDef(m.Name, m.Sig, m.Kind, "    "))
			case rustsrc.FieldAttr, rustsrc.ClassAttr, rustsrc.Variant:
				body.WriteString("    " + m.Name + ": object\n")
			default:
				continue // a setter: its getter (or field) declares the name
			}
			seen[m.Name] = true
		}
	}
	if body.Len() == 0 {
		return "class " + name + ": ...\n"
	}
	return "class " + name + ":\n" + body.String()
}

func splitTop(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

// StubParams drops the receiver from a stub def's parameters: the first
// parameter of a method (self or cls) unless it is a staticmethod.
func StubParams(d *pysrc.Def, method bool) []pysrc.Param {
	ps := d.Params
	if method && !d.HasDecorator("staticmethod") && len(ps) > 0 && ps[0].Kind != pysrc.VarArgs && ps[0].Kind != pysrc.VarKw {
		ps = ps[1:]
	}
	return ps
}

// Compare lists the differences between the Rust signature (what PyO3
// accepts at run time) and a stub's parameters (receiver removed). It is
// empty when they agree or cannot be compared.
func Compare(r rustsrc.Signature, stub []pysrc.Param) []string {
	if r.TextSig != "" {
		// The author's text signature is what inspect.signature and
		// stubtest see: compare with it.
		t, ok := TextSignature(r.TextSig)
		if !ok {
			return nil
		}
		r = t
	}
	if r.Unknown {
		return nil
	}
	type rp struct {
		rustsrc.Param
		pos int // index among positional parameters, -1 for keyword-only
	}
	type sp struct {
		pysrc.Param
		pos int
	}
	var rs []rp
	var ss []sp
	rVar, rKw, sVar, sKw := "", "", "", ""
	n := 0
	for _, p := range r.Params {
		switch p.Kind {
		case rustsrc.VarArgs:
			rVar = p.Name
		case rustsrc.VarKw:
			rKw = p.Name
		case rustsrc.KwOnly:
			rs = append(rs, rp{p, -1})
		default:
			rs = append(rs, rp{p, n})
			n++
		}
	}
	n = 0
	for _, p := range stub {
		switch p.Kind {
		case pysrc.VarArgs:
			sVar = p.Name
		case pysrc.VarKw:
			sKw = p.Name
		case pysrc.KwOnly:
			ss = append(ss, sp{p, -1})
		default:
			ss = append(ss, sp{p, n})
			n++
		}
	}
	kindName := func(k rustsrc.ParamKind) string {
		switch k {
		case rustsrc.PosOnly:
			return "positional-only"
		case rustsrc.KwOnly:
			return "keyword-only"
		}
		return "positional-or-keyword"
	}
	var diffs []string
	pairR := make([]int, len(rs))
	pairS := make([]int, len(ss))
	for i := range pairR {
		pairR[i] = -1
	}
	for i := range pairS {
		pairS[i] = -1
	}
	// By name (positional-only parameters on both sides pair by position).
	for i := range ss {
		for j := range rs {
			if ss[i].Kind == pysrc.PosOnly && rs[j].Kind == rustsrc.PosOnly {
				continue
			}
			if pairR[j] < 0 && rs[j].Name == ss[i].Name {
				pairR[j], pairS[i] = i, j
				break
			}
		}
	}
	// Leftover positionals by position.
	for i := range ss {
		if pairS[i] >= 0 || ss[i].pos < 0 {
			continue
		}
		for j := range rs {
			if pairR[j] < 0 && rs[j].pos == ss[i].pos {
				pairR[j], pairS[i] = i, j
				// A positional-only stub parameter's name does not matter.
				if ss[i].Kind != pysrc.PosOnly {
					diffs = append(diffs, fmt.Sprintf("parameter %d is %q in Rust but %q in the stub", rs[j].pos+1, rs[j].Name, ss[i].Name))
				}
				break
			}
		}
	}
	for i, j := range pairS {
		if j < 0 {
			continue
		}
		s, r := ss[i], rs[j]
		// A stub that only narrows what type checkers accept (a positional-only
		// or keyword-only parameter for a positional-or-keyword one, a
		// required parameter for one with a default) rejects calls that work
		// but never accepts one that fails: stub style, not reported.
		if sk := rustsrc.ParamKind(s.Kind); sk != r.Kind && !((sk == rustsrc.PosOnly || sk == rustsrc.KwOnly) && r.Kind == rustsrc.PosOrKw) {
			diffs = append(diffs, fmt.Sprintf("%q is %s in Rust but %s in the stub", r.Name, kindName(r.Kind), kindName(sk)))
		} else if s.pos >= 0 && r.pos >= 0 && s.pos != r.pos && s.Name == r.Name {
			diffs = append(diffs, fmt.Sprintf("%q is parameter %d in Rust but %d in the stub", r.Name, r.pos+1, s.pos+1))
		}
		switch {
		case s.HasDefault && !r.HasDefault && !r.MaybeDefault:
			diffs = append(diffs, fmt.Sprintf("%q is required in Rust but has a default in the stub", r.Name))
		}
	}
	for j, i := range pairR {
		if i >= 0 {
			continue
		}
		r := rs[j]
		covered := r.Kind == rustsrc.KwOnly && sKw != "" || r.Kind == rustsrc.PosOnly && sVar != "" || r.Kind == rustsrc.PosOrKw && (sVar != "" || sKw != "")
		if !covered {
			diffs = append(diffs, fmt.Sprintf("the stub lacks the %s parameter %q", kindName(r.Kind), r.Name))
		}
	}
	for i, j := range pairS {
		if j >= 0 {
			continue
		}
		s := ss[i]
		covered := s.Kind == pysrc.KwOnly && rKw != "" || s.Kind == pysrc.PosOnly && rVar != "" || s.Kind == pysrc.PosOrKw && rVar != "" && rKw != ""
		if !covered {
			diffs = append(diffs, fmt.Sprintf("the stub has a parameter %q that Rust does not accept", s.Name))
		}
	}
	switch {
	case rVar != "" && sVar == "":
		diffs = append(diffs, fmt.Sprintf("Rust takes *%s but the stub does not", rVar))
	case rVar == "" && sVar != "":
		diffs = append(diffs, fmt.Sprintf("the stub takes *%s but Rust does not", sVar))
	}
	switch {
	case rKw != "" && sKw == "":
		diffs = append(diffs, fmt.Sprintf("Rust takes **%s but the stub does not", rKw))
	case rKw == "" && sKw != "":
		diffs = append(diffs, fmt.Sprintf("the stub takes **%s but Rust does not", sKw))
	}
	return diffs
}

// textSigReceiver matches a leading receiver: $self, $cls, $module, $type,
// or a plain self/cls (common in hand-written text signatures).
var textSigReceiver = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\(\s*(?:\$\w+|self\b|cls\b)\s*,?\s*`) })

// TextSignature reads a #[pyo3(text_signature = "...")] literal ("($self, a,
// /, b=1, *, c)") as a signature; ok is false when it does not read as one.
func TextSignature(ts string) (rustsrc.Signature, bool) {
	ts = strings.TrimSpace(ts)
	if !strings.HasPrefix(ts, "(") || !strings.HasSuffix(ts, ")") {
		return rustsrc.Signature{}, false
	}
	ts = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(ts) // the Rust literal's escapes
	ts = textSigReceiver().ReplaceAllString(ts, "(")
	// Every element must read as a parameter, a marker or name=<one token>:
	// inspect.signature rejects anything else (and stubtest then skips).
	for _, el := range splitTopLevel(ts[1 : len(ts)-1]) {
		if el = strings.TrimSpace(el); el != "" && !textSigElem().MatchString(el) {
			return rustsrc.Signature{}, false
		}
	}
	m := pysrc.Parse([]byte("def f" + ts + ": ...\n"))
	if len(m.Defs) != 1 || m.Defs[0].BadParams {
		return rustsrc.Signature{}, false
	}
	var sig rustsrc.Signature
	for _, p := range m.Defs[0].Params {
		sig.Params = append(sig.Params, rustsrc.Param{Name: p.Name, Kind: rustsrc.ParamKind(p.Kind), HasDefault: p.HasDefault})
	}
	return sig, true
}

var textSigElem = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:/|\*|\*{0,2}[A-Za-z_]\w*(?:\s*=\s*(?:"[^"]*"|'[^']*'|\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}|[^\s,()\[\]{}"']+))?)$`)
})

// splitTopLevel splits at commas outside brackets and quotes.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
