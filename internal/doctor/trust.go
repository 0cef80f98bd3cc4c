package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/acme/wellknown/internal/ciroles"
)

// stringList is a policy value IAM accepts as one string or an array.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or an array of strings, got %.40s", b)
	}
	*l = many
	return nil
}

// trustStatement is one statement of a role's assume-role policy.
type trustStatement struct {
	Effect       string
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
	Action       stringList
	NotAction    stringList
	Condition    map[string]map[string]stringList
}

// decodeTrustPolicy reads an assume-role policy as GetRole returns it:
// URL-encoded JSON (RFC 3986, so a '+' is a '+'; a document written
// with '+' for spaces is tried too, and a plain one is accepted).
func decodeTrustPolicy(doc string) ([]trustStatement, error) {
	candidates := []string{doc}
	if s, err := url.PathUnescape(doc); err == nil {
		candidates = append([]string{s}, candidates...)
	}
	if s, err := url.QueryUnescape(doc); err == nil {
		candidates = append(candidates, s)
	}
	var firstErr error
	for _, c := range candidates {
		st, err := parseTrustPolicy(c)
		if err == nil {
			return st, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func parseTrustPolicy(doc string) ([]trustStatement, error) {
	var p struct{ Statement json.RawMessage }
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("not a JSON policy document: %w", err)
	}
	if len(p.Statement) == 0 {
		return nil, errors.New("the policy has no Statement")
	}
	var many []trustStatement
	if err := json.Unmarshal(p.Statement, &many); err == nil {
		return many, nil
	}
	var one trustStatement
	if err := json.Unmarshal(p.Statement, &one); err != nil {
		return nil, fmt.Errorf("the Statement is neither a statement nor a list of them: %w", err)
	}
	return []trustStatement{one}, nil
}

// trustProblem says how the statements fail to trust exactly GitHub's
// tokens with sub = subject and aud = audience from provider, or
// "" when they do. The answer completes "the role …". Deny statements only narrow and are ignored; every
// Allow statement must be such a trust, since IAM grants the role to
// whoever any one of them admits.
func trustProblem(stmts []trustStatement, provider, subject, audience string) string {
	allows := 0
	for _, st := range stmts {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		allows++
		if p := statementProblem(st, provider, subject, audience); p != "" {
			return p
		}
	}
	if allows == 0 {
		return "allows no one to assume it"
	}
	return ""
}

func statementProblem(st trustStatement, provider, subject, audience string) string {
	if len(st.NotPrincipal) > 0 || len(st.NotAction) > 0 {
		return "has an Allow statement with NotPrincipal or NotAction, which admits more than GitHub's tokens"
	}
	if p := principalProblem(st.Principal, provider); p != "" {
		return p
	}
	if !slices.ContainsFunc(st.Action, grantsWebIdentity) {
		return fmt.Sprintf("allows %s, not sts:AssumeRoleWithWebIdentity", strings.Join(st.Action, ", "))
	}
	sub, subOK := stringEquals(st.Condition, ciroles.SubjectKey)
	switch {
	case !subOK:
		if op, v, ok := otherCondition(st.Condition, ciroles.SubjectKey); ok {
			return fmt.Sprintf("matches sub with %s %s, a pattern", op, strings.Join(v, ", "))
		}
		return "has no condition on sub, so any repository's workflows can assume it"
	case len(sub) != 1 || sub[0] != subject:
		return "trusts sub " + strings.Join(sub, ", ")
	}
	aud, audOK := stringEquals(st.Condition, ciroles.AudienceKey)
	switch {
	case !audOK:
		return "has no StringEquals condition on aud"
	case len(aud) != 1 || aud[0] != audience:
		return "expects aud " + strings.Join(aud, ", ")
	}
	return ""
}

// principalProblem: the principal must be the provider and nothing else.
func principalProblem(raw json.RawMessage, provider string) string {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return fmt.Sprintf("trusts principal %q", star)
	}
	var p map[string]stringList
	if err := json.Unmarshal(raw, &p); err != nil || len(p) == 0 {
		return "has an Allow statement without a principal this check can read"
	}
	var others []string
	for kind, values := range p {
		for _, v := range values {
			if kind != "Federated" || v != provider {
				others = append(others, kind+" "+v)
			}
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		return "trusts " + strings.Join(others, ", ")
	}
	return ""
}

func grantsWebIdentity(action string) bool {
	return action == "*" || strings.EqualFold(action, "sts:*") || strings.EqualFold(action, "sts:AssumeRoleWithWebIdentity")
}

// stringEquals returns the StringEquals values of a condition key; IAM
// compares condition keys case-insensitively.
func stringEquals(cond map[string]map[string]stringList, key string) ([]string, bool) {
	for op, kv := range cond {
		if !strings.EqualFold(op, "StringEquals") {
			continue
		}
		for k, v := range kv {
			if strings.EqualFold(k, key) {
				return v, true
			}
		}
	}
	return nil, false
}

// otherCondition finds key under an operator other than StringEquals
// (StringLike and the like, which admit patterns).
func otherCondition(cond map[string]map[string]stringList, key string) (string, []string, bool) {
	ops := make([]string, 0, len(cond))
	for op := range cond {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		for k, v := range cond[op] {
			if strings.EqualFold(k, key) {
				return op, v, true
			}
		}
	}
	return "", nil, false
}
