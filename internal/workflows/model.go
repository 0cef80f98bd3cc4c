package workflows

import (
	"strconv"
	"strings"
)

// The typed form of the parts of a workflow file the generator writes.
// toNode fixes the order of the keys.

type workflow struct {
	header      []string
	name        string
	on          mapping
	permissions []permission
	concurrency *concurrency
	jobs        []job
}

type permission struct{ scope, level string }

type concurrency struct {
	group            string
	cancelInProgress bool
}

type job struct {
	id, name    string
	needs       []string
	cond        string
	environment string
	concurrency *concurrency
	// permissions replace the workflow's; nil keeps them.
	permissions []permission
	timeout     int
	steps       []step
}

type step struct {
	name string
	uses *Action
	with []input
	run  string
}

type input struct {
	key, value string
	// boolean writes value as a YAML boolean rather than a string.
	boolean bool
}

// readOnly is the token every job gets: enough to check out the code.
var readOnly = []permission{{"contents", "read"}}

// withOIDC is readOnly plus an OIDC token, for the jobs that assume a role.
var withOIDC = []permission{{"contents", "read"}, {"id-token", "write"}}

func (w workflow) bytes() []byte {
	var b strings.Builder
	for _, h := range w.header {
		b.WriteString(strings.TrimRight("# "+h, " ") + "\n")
	}
	b.WriteString("\n")
	m := mapping{{key: "name", value: scalar(w.name)}}
	m = append(m, pair{key: "on", value: w.on, blank: true})
	m = append(m, pair{key: "permissions", value: permissionsNode(w.permissions), blank: true})
	if w.concurrency != nil {
		m = append(m, pair{key: "concurrency", value: w.concurrency.node(), blank: true})
	}
	// The CDK CLI sends usage telemetry unless told not to; CI opts out
	// (the README says how to choose on a workstation).
	m = append(m, pair{key: "env", value: mapping{{key: "CDK_DISABLE_CLI_TELEMETRY", value: scalar("true")}}, blank: true})
	// An explicit bash runs scripts with -eo pipefail (the implicit default
	// has no pipefail): a failing command fails the step even inside a
	// pipeline.
	m = append(m, pair{key: "defaults", value: mapping{{key: "run", value: mapping{{key: "shell", value: scalar("bash")}}}}, blank: true})
	var jobs mapping
	for i, j := range w.jobs {
		jobs = append(jobs, pair{key: j.id, value: j.node(), blank: i > 0})
	}
	m = append(m, pair{key: "jobs", value: jobs, blank: true})
	m.write(&b, 0)
	return []byte(b.String())
}

func permissionsNode(ps []permission) mapping {
	var m mapping
	for _, p := range ps {
		m = m.add(p.scope, scalar(p.level))
	}
	return m
}

func (c *concurrency) node() mapping {
	return mapping{
		{key: "group", value: scalar(c.group)},
		{key: "cancel-in-progress", value: rawBool(c.cancelInProgress)},
	}
}

// rawBool is a YAML boolean; scalar would quote it into a string.
func rawBool(v bool) node { return bareWord(strconv.FormatBool(v)) }

// bareWord is written as is: only for booleans and numbers the generator
// produces itself.
type bareWord string

func (w bareWord) write(b *strings.Builder, _ int) { b.WriteString(string(w)) }

func (j job) node() mapping {
	m := mapping{{key: "name", value: scalar(j.name)}}
	switch len(j.needs) {
	case 0:
	case 1:
		m = m.add("needs", scalar(j.needs[0]))
	default:
		var s sequence
		for _, n := range j.needs {
			s = append(s, scalar(n))
		}
		m = m.add("needs", s)
	}
	if j.cond != "" {
		m = m.add("if", scalar(j.cond))
	}
	m = m.add("runs-on", scalar(runner))
	if j.environment != "" {
		m = m.add("environment", scalar(j.environment))
	}
	if j.concurrency != nil {
		m = m.add("concurrency", j.concurrency.node())
	}
	if j.permissions != nil {
		m = m.add("permissions", permissionsNode(j.permissions))
	}
	m = m.add("timeout-minutes", bareWord(strconv.Itoa(j.timeout)))
	var steps sequence
	for _, s := range j.steps {
		steps = append(steps, s.node())
	}
	return m.add("steps", steps)
}

func (s step) node() mapping {
	m := mapping{{key: "name", value: scalar(s.name)}}
	if s.uses != nil {
		m = append(m, pair{key: "uses", value: scalar(s.uses.Uses()), comment: s.uses.Tag})
	}
	if len(s.with) > 0 {
		var with mapping
		for _, in := range s.with {
			if in.boolean {
				with = with.add(in.key, bareWord(in.value))
			} else {
				with = with.add(in.key, scalar(in.value))
			}
		}
		m = m.add("with", with)
	}
	if s.run != "" {
		if strings.Contains(s.run, "\n") {
			m = m.add("run", literal(s.run))
		} else {
			m = m.add("run", scalar(s.run))
		}
	}
	return m
}
